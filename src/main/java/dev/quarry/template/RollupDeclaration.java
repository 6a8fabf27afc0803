package dev.quarry.template;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rollup a grouped template declares with {@code @rollup} lines: a table of its rows pre-aggregated
 * to some of its dimensions, from which requests that need no more detail are answered.
 *
 * @param template     the template's name, {@code analysis/revenue-cube}
 * @param name         the rollup's name, unique within its template
 * @param position     its first {@code @rollup} line, for messages
 * @param dimensions   the template's dimensions it keeps, by name
 * @param time         the body column it keeps truncated to a grain, if any
 * @param measures     the template's measures it holds, by name
 * @param build        the parameter values it is built with (the others take their defaults), each parsed
 * @param where        the predicate over its stored columns that stands for the parameters it names; empty for none
 * @param partition    how its table is split in time, for refreshing part of it
 * @param refreshEvery how often {@code serve} rebuilds it
 * @param freshFor     how long after its build it may answer, unless stale answers are allowed
 * @param staleAllowed whether it answers after {@code freshFor} too
 */
public record RollupDeclaration(String template, String name, SourcePosition position, List<String> dimensions,
        Optional<RollupTime> time, List<String> measures, Map<String, Object> build, List<Fragment> where,
        Optional<RollupPartition> partition, Optional<Duration> refreshEvery, Optional<Duration> freshFor,
        boolean staleAllowed) {

    /** The schema every rollup table lives in. */
    public static final String SCHEMA = "quarry_rollup";

    /** Its table's name within {@link #SCHEMA}: {@code analysis__revenue_cube__monthly}. */
    public String tableName() {
        return template.replace("/", "__").replace('-', '_').replace('.', '_') + "__" + name;
    }

    /** Its table, schema-qualified and quoted for SQL. */
    public String table() {
        return SCHEMA + ".\"" + tableName() + "\"";
    }

    /** {@code analysis/revenue-cube monthly}: how messages and the source header name it. */
    public String label() {
        return template + " " + name;
    }

    /** The template parameters its {@code where} stands for. */
    public List<String> whereParameters() {
        return where.stream().filter(Fragment.Param.class::isInstance).map(fragment -> ((Fragment.Param) fragment).name())
                .distinct().toList();
    }
}

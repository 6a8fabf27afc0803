package dev.quarry.templatetest;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One case of a template's test file: a request, the rows the tables hold, and what it must answer.
 *
 * @param source   the test file, for messages
 * @param line     where the case starts in it
 * @param template the template's name, from the test file's path
 * @param params   the request's query parameters, as a request sends them
 * @param given    table name to its rows, in the file's order
 * @param expect   the answer's rows, when the case expects rows
 * @param problem  the refusal, when the case expects one
 * @param columns  output column name to PostgreSQL type, in order, when the case states them
 * @param timeout  how long the case may run, when it says
 * @param tenant   the caller's tenant, as its token's claim would say it: every case of a template that uses
 *                 {@code :tenant} names one, and no other case does
 * @param rollup   the rollup the case is run again from, when it names one
 */
public record TestCase(String source, int line, String template, String name, Map<String, List<String>> params,
        Map<String, Given> given, Optional<List<Row>> expect, Optional<ExpectedProblem> problem,
        Optional<LinkedHashMap<String, String>> columns, Optional<Duration> timeout, Optional<String> tenant,
        Optional<String> rollup) {

    public String location() {
        return source + ":" + line;
    }

    /** The rows a case gives one table; {@code line} is where the table is named. */
    public record Given(String table, int line, List<Row> rows) {
    }

    /** Column name to value as text ({@code null} for NULL), written on {@code line}. */
    public record Row(int line, LinkedHashMap<String, String> values) {
    }

    /** A refusal the request must get: its HTTP status and the parameter it names. */
    public record ExpectedProblem(int status, Optional<String> parameter) {
    }
}

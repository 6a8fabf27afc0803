package dev.quarry.template;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a template's {@code @rollup} lines: each starts with the rollup's name, then one clause.
 *
 * <pre>
 * -- &#64;rollup monthly dimensions region, nation, segment
 * -- &#64;rollup monthly time o_orderdate month
 * -- &#64;rollup monthly measures revenue, quantity, avg_discount
 * -- &#64;rollup monthly build since = 1992-01-01, until = 1999-01-01
 * -- &#64;rollup monthly where o_orderdate &gt;= :since AND o_orderdate &lt; :until
 * -- &#64;rollup monthly partition year changes o_orderdate
 * -- &#64;rollup monthly refresh every 6h, fresh for 1d, stale allowed
 * </pre>
 *
 * Build values stay text here: the parameters they are for may come from layers, so the library
 * parses them once the template is resolved.
 */
final class RollupParser {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})\\s*(s|m|h|d)");

    private final String template;
    private final String source;
    private final Map<String, Draft> drafts = new LinkedHashMap<>();

    RollupParser(String template, String source) {
        this.template = template;
        this.source = source;
    }

    /** One {@code @rollup} line, without its tag; throws {@link IllegalArgumentException} saying what is wrong. */
    void line(String text, int line) {
        String[] words = text.split("\\s+", 3);
        if (words.length < 2 || words[0].isEmpty()) {
            throw new IllegalArgumentException("write @rollup name clause, such as @rollup monthly dimensions region, year");
        }
        Draft draft = drafts.computeIfAbsent(HeaderParser.name(words[0]), name -> new Draft(line));
        String rest = words.length > 2 ? words[2].strip() : "";
        switch (words[1]) {
            case "dimensions" -> once(draft.dimensions, "dimensions").addAll(names(rest));
            case "measures" -> once(draft.measures, "measures").addAll(names(rest));
            case "time" -> {
                String[] parts = rest.split("\\s+");
                if (parts.length != 2 || draft.time != null) {
                    throw new IllegalArgumentException(
                            "write the time clause once, as time <column> <grain>, such as time o_orderdate month");
                }
                draft.time = new RollupTime(HeaderParser.name(parts[0]), TimeGrain.of(parts[1]));
            }
            case "build" -> {
                if (!draft.build.isEmpty()) {
                    throw new IllegalArgumentException("write the build clause once");
                }
                build(rest, draft.build);
            }
            case "where" -> {
                if (!draft.where.isEmpty() || rest.isEmpty()) {
                    throw new IllegalArgumentException("write the where clause once, as a predicate over the rollup's columns");
                }
                List<Fragment> where = BodyScanner.scan(source, rest, line);
                if (where.stream().anyMatch(fragment -> !(fragment instanceof Fragment.Sql || fragment instanceof Fragment.Param))) {
                    throw new IllegalArgumentException("a rollup's where takes SQL and :parameters, not optional blocks or layers");
                }
                draft.where.addAll(where);
            }
            case "partition" -> draft.partition = partition(rest);
            case "refresh" -> refresh(rest, draft);
            default -> throw new IllegalArgumentException("unknown @rollup clause '" + words[1]
                    + "'; the clauses are dimensions, time, measures, build, where, partition, refresh");
        }
    }

    /** Every rollup declared, in the order of their first lines; each keeps at least one measure. */
    List<RollupDeclaration> declarations() {
        List<RollupDeclaration> declarations = new ArrayList<>();
        drafts.forEach((name, draft) -> {
            if (draft.measures.isEmpty()) {
                throw new TemplateException(source, draft.line, "rollup '" + name + "' holds no measure; add @rollup " + name
                        + " measures ...");
            }
            declarations.add(new RollupDeclaration(template, name, new SourcePosition(source, draft.line), List.copyOf(draft.dimensions),
                    Optional.ofNullable(draft.time), List.copyOf(draft.measures),
                    Collections.unmodifiableMap(new LinkedHashMap<>(draft.build)), List.copyOf(draft.where),
                    Optional.ofNullable(draft.partition), Optional.ofNullable(draft.refreshEvery), Optional.ofNullable(draft.freshFor),
                    draft.staleAllowed));
        });
        return declarations;
    }

    private static List<String> once(List<String> clause, String name) {
        if (!clause.isEmpty()) {
            throw new IllegalArgumentException("write the " + name + " clause once");
        }
        return clause;
    }

    private static List<String> names(String list) {
        List<String> names = new ArrayList<>();
        for (String item : list.split(",")) {
            String name = HeaderParser.name(item.strip());
            if (names.contains(name)) {
                throw new IllegalArgumentException("'" + name + "' is named twice");
            }
            names.add(name);
        }
        return names;
    }

    private static void build(String text, Map<String, Object> into) {
        for (String item : text.split(",")) {
            int equals = item.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("write build values as parameter = value, not '" + item.strip() + "'");
            }
            String value = item.substring(equals + 1).strip();
            if (value.length() >= 2 && value.startsWith("'") && value.endsWith("'")) {
                value = value.substring(1, value.length() - 1).replace("''", "'");
            }
            if (into.put(HeaderParser.name(item.substring(0, equals).strip()), value) != null) {
                throw new IllegalArgumentException("build names '" + item.substring(0, equals).strip() + "' twice");
            }
        }
    }

    private static RollupPartition partition(String text) {
        String[] parts = text.split("\\s+");
        if (parts.length == 1 && !parts[0].isEmpty()) {
            return new RollupPartition(TimeGrain.of(parts[0]), Optional.empty());
        }
        if (parts.length == 3 && parts[1].equals("changes")) {
            return new RollupPartition(TimeGrain.of(parts[0]), Optional.of(HeaderParser.name(parts[2])));
        }
        throw new IllegalArgumentException("write partition <grain> [changes <column>], such as partition year changes o_orderdate");
    }

    private static void refresh(String text, Draft draft) {
        for (String item : text.split(",")) {
            String clause = item.strip();
            if (clause.startsWith("every ")) {
                draft.refreshEvery = duration(clause.substring("every ".length()).strip());
            } else if (clause.startsWith("fresh for ")) {
                draft.freshFor = duration(clause.substring("fresh for ".length()).strip());
            } else if (clause.equals("stale allowed")) {
                draft.staleAllowed = true;
            } else {
                throw new IllegalArgumentException("'" + clause + "' is not a refresh setting; write every <duration>, fresh for "
                        + "<duration>, stale allowed");
            }
        }
    }

    /** {@code 30s}, {@code 15m}, {@code 6h}, {@code 1d}: at least a second. */
    static Duration duration(String text) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 30s, 15m, 6h or 1d");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** What the lines of one rollup said so far. */
    private static final class Draft {
        final int line;
        final List<String> dimensions = new ArrayList<>();
        final List<String> measures = new ArrayList<>();
        final Map<String, Object> build = new LinkedHashMap<>();
        final List<Fragment> where = new ArrayList<>();
        RollupTime time;
        RollupPartition partition;
        Duration refreshEvery;
        Duration freshFor;
        boolean staleAllowed;

        Draft(int line) {
            this.line = line;
        }
    }
}

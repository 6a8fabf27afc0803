package dev.quarry.template;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a template's header: the comment lines before the SQL.
 *
 * <pre>
 * -- One-line summary
 * --
 * -- Optional description, as many lines as it needs.
 * --
 * -- &#64;param segment text = BUILDING in AUTOMOBILE|BUILDING|FURNITURE -- market segment
 * -- &#64;param delta int = 90 range 60..120
 * -- &#64;param nations text[] optional
 * -- &#64;sort revenue, o_orderdate
 * -- &#64;key o_orderkey
 * -- &#64;order -revenue, o_orderdate
 * -- &#64;dimension year: extract(year from o_orderdate)
 * -- &#64;measure revenue: sum(l_extendedprice * (1 - l_discount))
 * -- &#64;timeout 60s
 * -- &#64;cache 5m
 * -- &#64;plan custom
 * -- &#64;budget cost 500000, rows 100000
 * -- &#64;group region
 * -- &#64;rollup monthly dimensions region, year
 * </pre>
 *
 * {@link RollupParser} reads the {@code @rollup} lines.
 */
final class HeaderParser {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");
    private static final long MAX_TIMEOUT_MILLIS = Integer.MAX_VALUE;
    private static final Pattern CACHE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Duration MAX_CACHE = Duration.ofDays(7);

    private final String source;
    private String summary;
    private final List<String> description = new ArrayList<>();
    private final Map<String, ParameterSpec> parameters = new LinkedHashMap<>();
    private final List<String> sortable = new ArrayList<>();
    private final List<String> key = new ArrayList<>();
    private final List<SortKey> order = new ArrayList<>();
    private final Map<String, String> dimensions = new LinkedHashMap<>();
    private final Map<String, String> measures = new LinkedHashMap<>();
    private final List<String> roles = new ArrayList<>();
    private final List<String> group = new ArrayList<>();
    private Duration timeout;
    private Duration cache;
    private boolean customPlan;
    private Budget budget;
    private final RollupParser rollups;

    private HeaderParser(String template, String source) {
        this.source = source;
        this.rollups = new RollupParser(template, source);
    }

    /** The header of lines {@code 1..lines.size()}, each without its leading {@code --}. */
    static TemplateHeader parse(String template, String source, List<String> lines) {
        HeaderParser parser = new HeaderParser(template, source);
        for (int i = 0; i < lines.size(); i++) {
            parser.line(lines.get(i).strip(), i + 1);
        }
        if (parser.summary == null) {
            throw new TemplateException(source, 1, "a template starts with a comment line that says what it answers");
        }
        return new TemplateHeader(parser.summary, String.join(" ", parser.description).strip(), parser.parameters,
                parser.sortable, parser.key, parser.order, parser.dimensions, parser.measures, Optional.ofNullable(parser.timeout),
                parser.roles, Optional.ofNullable(parser.cache), parser.customPlan, Optional.ofNullable(parser.budget),
                parser.rollups.declarations(), List.copyOf(parser.group));
    }

    private void line(String text, int line) {
        if (!text.startsWith("@")) {
            if (summary == null) {
                summary = text.isEmpty() ? null : text;
            } else if (!text.isEmpty() || !description.isEmpty()) {
                description.add(text);
            }
            return;
        }
        int space = text.indexOf(' ');
        String tag = space < 0 ? text : text.substring(0, space);
        String rest = space < 0 ? "" : text.substring(space + 1).strip();
        try {
            switch (tag) {
                case "@param" -> {
                    ParameterSpec parameter = ParameterDeclaration.parse(rest);
                    if (parameter.name().equals(Template.TENANT)) {
                        throw new IllegalArgumentException("'" + Template.TENANT + "' is reserved: :" + Template.TENANT
                                + " is bound from the caller's verified token, never declared or sent");
                    }
                    if (parameters.put(parameter.name(), parameter) != null) {
                        throw new IllegalArgumentException("parameter '" + parameter.name() + "' is declared twice");
                    }
                }
                case "@sort" -> sortable.addAll(names(rest));
                case "@key" -> key.addAll(names(rest));
                case "@order" -> {
                    for (String item : rest.split(",")) {
                        String column = item.strip();
                        order.add(column.startsWith("-") ? new SortKey(name(column.substring(1)), true) : new SortKey(name(column), false));
                    }
                }
                case "@dimension" -> namedExpression(rest, dimensions);
                case "@measure" -> namedExpression(rest, measures);
                case "@roles" -> roles.addAll(names(rest));
                case "@timeout" -> timeout = duration(rest);
                case "@cache" -> cache = cacheDuration(rest);
                case "@plan" -> customPlan = customPlan(rest);
                case "@budget" -> {
                    if (budget != null) {
                        throw new IllegalArgumentException("@budget is declared twice");
                    }
                    budget = Budget.parse(rest);
                }
                case "@rollup" -> rollups.line(rest, line);
                case "@group" -> group.addAll(names(rest));
                default ->
                    throw new IllegalArgumentException("unknown tag " + tag + "; the tags are @param, @sort, @key, @order, @dimension,"
                            + " @measure, @roles, @timeout, @cache, @plan, @budget, @group, @rollup");
            }
        } catch (IllegalArgumentException e) {
            throw new TemplateException(source, line, e.getMessage());
        }
    }

    private static List<String> names(String list) {
        List<String> names = new ArrayList<>();
        for (String name : list.split(",")) {
            names.add(name(name.strip()));
        }
        return names;
    }

    static String name(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not a name (letters, digits and _, not starting with a digit)");
        }
        return name;
    }

    private static void namedExpression(String declaration, Map<String, String> into) {
        int colon = declaration.indexOf(':');
        if (colon < 0 || declaration.substring(colon + 1).isBlank()) {
            throw new IllegalArgumentException("write it as name: SQL expression, not '" + declaration + "'");
        }
        String name = name(declaration.substring(0, colon).strip());
        if (into.put(name, declaration.substring(colon + 1).strip()) != null) {
            throw new IllegalArgumentException("'" + name + "' is declared twice");
        }
    }

    /**
     * {@code custom}, the one value: without it PostgreSQL plans a prepared statement's first five runs on
     * a connection for their values, then may keep one generic plan for all values, which for a filter
     * on a range (a period, a threshold) can be several times slower.
     */
    private static boolean customPlan(String text) {
        if (!text.strip().equals("custom")) {
            throw new IllegalArgumentException("@plan takes custom (each run planned for its own values), not '" + text.strip()
                    + "'; without @plan PostgreSQL chooses");
        }
        return true;
    }

    /** How long answers are kept: a duration (h allowed too), or {@code off} for none whatever the global default. */
    private static Duration cacheDuration(String text) {
        if (text.equals("off")) {
            return Duration.ZERO;
        }
        Matcher matcher = CACHE_DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("@cache takes a duration such as 30s, 5m or 1h (or off), not '" + text + "'");
        }
        String digits = matcher.group(1).replaceFirst("^0+(?=.)", "");
        Duration duration = digits.length() > 6 ? null : switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(Long.parseLong(digits));
            case "s" -> Duration.ofSeconds(Long.parseLong(digits));
            case "m" -> Duration.ofMinutes(Long.parseLong(digits));
            default -> Duration.ofHours(Long.parseLong(digits));
        };
        if (duration == null || duration.isZero() || duration.compareTo(MAX_CACHE) > 0) {
            throw new IllegalArgumentException("@cache must be from 1ms to 7d (168h), not '" + text + "'; write off for no caching");
        }
        return duration;
    }

    private static Duration duration(String text) {
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("@timeout takes a duration such as 500ms, 30s or 2m, not '" + text + "'");
        }
        long unit = switch (matcher.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            default -> 60_000;
        };
        // PostgreSQL's statement_timeout is a positive int of milliseconds (0 would mean none): checked here,
        // not when every request's SET LOCAL fails
        String digits = matcher.group(1).replaceFirst("^0+(?=.)", "");
        long millis = digits.length() > 12 ? Long.MAX_VALUE : Long.parseLong(digits) * unit;
        if (millis < 1 || millis > MAX_TIMEOUT_MILLIS) {
            throw new IllegalArgumentException("@timeout must be from 1ms to " + MAX_TIMEOUT_MILLIS
                    + "ms (PostgreSQL's largest statement_timeout, about 24 days), not '" + text + "'");
        }
        return Duration.ofMillis(millis);
    }
}

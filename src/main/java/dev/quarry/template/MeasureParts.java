package dev.quarry.template;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A measure's expression split into the aggregate calls a rollup keeps of it. {@code sum}, {@code count},
 * {@code min} and {@code max} re-aggregate; {@code avg(x)} is kept as {@code sum(x)} and {@code count(x)};
 * the expression around the calls is evaluated again over the re-aggregated parts, so
 * {@code round(avg(x), 4)} stays exact. A window function over such aggregates
 * ({@code sum(sum(x)) OVER (PARTITION BY nation ORDER BY month)}, {@code rank() OVER (ORDER BY sum(x))}) is
 * evaluated again too: it runs over the grouped rows, which a rollup gives the same as the template. Any
 * other aggregate, {@code DISTINCT} or an ordered aggregate makes the measure non-additive: kept whole,
 * exact only at the rollup's own grain.
 *
 * @param expression  the measure's SQL
 * @param calls       the aggregate calls in the order they appear; empty when non-additive
 * @param nonAdditive why the measure cannot be re-aggregated, if it cannot
 * @param windowed    whether it has a window function, whose value depends on every row of the answer: a
 *                    rollup cannot hold one whole, since its rows are not the answer's rows
 */
public record MeasureParts(String expression, List<Call> calls, Optional<String> nonAdditive, boolean windowed) {

    /** How a kept part is aggregated again. */
    public enum Kind {
        SUM, COUNT, MIN, MAX
    }

    /**
     * A part a rollup stores: an aggregate over the body's rows, written as it is built.
     *
     * @param sql {@code sum(l_quantity)}, {@code count(*) FILTER (WHERE ...)}
     */
    public record Part(Kind kind, String sql) {
    }

    /**
     * An aggregate call of the expression, from {@code start} to {@code end} (exclusive), and the parts it
     * needs: one, or for {@code avg} its sum and its count.
     */
    public record Call(int start, int end, boolean average, List<Part> parts) {
    }

    private static final Set<String> OTHER_AGGREGATES = Set.of("array_agg", "string_agg", "bool_and", "bool_or", "every", "bit_and",
            "bit_or", "bit_xor", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp", "corr", "covar_pop",
            "covar_samp", "regr_avgx", "regr_avgy", "regr_count", "regr_intercept", "regr_r2", "regr_slope", "regr_sxx", "regr_sxy",
            "regr_syy", "percentile_cont", "percentile_disc", "mode", "json_agg", "jsonb_agg", "json_object_agg", "jsonb_object_agg",
            "xmlagg", "range_agg", "range_intersect_agg", "any_value", "rank", "dense_rank", "percent_rank", "cume_dist");

    private static final Pattern WINDOW = Pattern.compile("\\)\\s*over\\s*\\(", Pattern.CASE_INSENSITIVE);
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** The parts of a measure's expression. */
    public static MeasureParts of(String expression) {
        List<Call> calls = new ArrayList<>();
        boolean windowed = WINDOW.matcher(expression).find();
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (c == '\'' || c == '"') {
                i = skipQuoted(expression, i);
                continue;
            }
            if (!Character.isLetter(c) && c != '_'
                    || i > 0 && (identifierPart(expression.charAt(i - 1)) || expression.charAt(i - 1) == '.')) {
                i++;
                continue;
            }
            int wordEnd = i;
            while (wordEnd < expression.length() && identifierPart(expression.charAt(wordEnd))) {
                wordEnd++;
            }
            String word = expression.substring(i, wordEnd).toLowerCase(Locale.ROOT);
            int open = skipSpace(expression, wordEnd);
            boolean call = open < expression.length() && expression.charAt(open) == '(';
            if (!call) {
                i = wordEnd;
                continue;
            }
            int close = closing(expression, open);
            if (expression.substring(skipSpace(expression, close + 1)).toLowerCase(Locale.ROOT).startsWith("over")) {
                // a window function: the aggregates in its arguments and in its window are read on
                i = wordEnd;
                continue;
            }
            if (OTHER_AGGREGATES.contains(word)) {
                return nonAdditive(expression, word + " is not an aggregate a rollup can combine", windowed);
            }
            if (!Set.of("sum", "count", "min", "max", "avg").contains(word)) {
                i = wordEnd;
                continue;
            }
            String argument = expression.substring(open + 1, close).strip();
            String lowered = argument.toLowerCase(Locale.ROOT);
            if (lowered.startsWith("distinct") && (lowered.length() == 8 || !identifierPart(lowered.charAt(8)))) {
                return nonAdditive(expression, word + "(DISTINCT ...) counts each value once, which parts cannot add up", windowed);
            }
            if (lowered.contains("order by")) {
                return nonAdditive(expression, "an ordered aggregate cannot be combined from parts", windowed);
            }
            int end = close + 1;
            String filter = "";
            int after = skipSpace(expression, end);
            String following = expression.substring(after).toLowerCase(Locale.ROOT);
            if (following.startsWith("within")) {
                return nonAdditive(expression, "an ordered-set aggregate cannot be combined from parts", windowed);
            }
            if (following.startsWith("filter")) {
                int filterOpen = skipSpace(expression, after + "filter".length());
                end = closing(expression, filterOpen) + 1;
                filter = " " + expression.substring(after, end);
            }
            List<Part> parts = switch (word) {
                case "sum" -> List.of(new Part(Kind.SUM, "sum(" + argument + ")" + filter));
                case "count" -> List.of(new Part(Kind.COUNT, "count(" + argument + ")" + filter));
                case "min" -> List.of(new Part(Kind.MIN, "min(" + argument + ")" + filter));
                case "max" -> List.of(new Part(Kind.MAX, "max(" + argument + ")" + filter));
                default -> List.of(new Part(Kind.SUM, "sum(" + argument + ")" + filter),
                        new Part(Kind.COUNT, "count(" + argument + ")" + filter));
            };
            calls.add(new Call(i, end, word.equals("avg"), parts));
            i = end;
        }
        if (calls.isEmpty()) {
            return nonAdditive(expression, "it has no sum, count, min, max or avg to combine", windowed);
        }
        return new MeasureParts(expression, List.copyOf(calls), Optional.empty(), windowed);
    }

    /**
     * The names its windows' {@code OVER (...)} clauses use, as {@code nation} and {@code month} in
     * {@code OVER (PARTITION BY nation ORDER BY month)}: a window runs over the grouped rows, so the
     * dimensions among them must be grouped by.
     */
    public static Set<String> windowNames(String expression) {
        Set<String> names = new LinkedHashSet<>();
        Matcher window = WINDOW.matcher(expression);
        while (window.find()) {
            int open = window.end() - 1;
            Matcher name = IDENTIFIER.matcher(expression.substring(open, closing(expression, open)));
            while (name.find()) {
                names.add(name.group());
            }
        }
        return names;
    }

    public boolean additive() {
        return nonAdditive.isEmpty();
    }

    private static MeasureParts nonAdditive(String expression, String reason, boolean windowed) {
        return new MeasureParts(expression, List.of(), Optional.of(reason), windowed);
    }

    private static boolean identifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static int skipSpace(String text, int from) {
        int i = from;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipQuoted(String text, int from) {
        char quote = text.charAt(from);
        int i = from + 1;
        while (i < text.length()) {
            if (text.charAt(i) == quote) {
                if (i + 1 < text.length() && text.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return i;
    }

    /** The index of the parenthesis that closes the one at {@code open}. */
    private static int closing(String text, int open) {
        int depth = 0;
        int i = open;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'' || c == '"') {
                i = skipQuoted(text, i);
                continue;
            }
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
            i++;
        }
        throw new IllegalArgumentException("the parentheses of '" + text + "' do not close");
    }
}

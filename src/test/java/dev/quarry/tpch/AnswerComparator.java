package dev.quarry.tpch;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Compares a query's result with a TPC-H reference answer by the validation rules of the
 * specification (clause 2.1.3.5), as the answer set's README states them.
 *
 * <p>The answer is a header line and one line per row, columns separated by {@code |} and padded
 * with spaces. Columns are compared by position (the answer's names may differ from the query's
 * aliases); the column count and the row count must be equal. A cell is compared by the first
 * rule that applies:
 * <ol>
 * <li><b>text</b> (the result holds a JSON string: text and ISO dates): equal, after cutting the
 * answer's padding;</li>
 * <li><b>integer</b> (the answer has no decimal point): the result must be a JSON integer, and equal;</li>
 * <li><b>average or ratio</b> (the answer's column is named {@code avg…}, or is one of the ratios
 * {@link #RATIOS}): the result rounded half-up to two decimals is within 1% of the answer;</li>
 * <li><b>stored value</b> (a decimal read from a table, not aggregated: {@link #STORED_DECIMALS}):
 * numerically equal;</li>
 * <li><b>money sum</b> (any other decimal): within {@link #MONEY_TOLERANCE} of the answer.</li>
 * </ol>
 * Rows are compared in order. Rows whose values in the query's ORDER BY columns are equal in the
 * answer (a tie) may come in any order among themselves, as the specification allows.
 */
public final class AnswerComparator {

    /** How far a sum of money may be from the answer. */
    static final BigDecimal MONEY_TOLERANCE = new BigDecimal("100");
    /** How far, relatively, an average or a ratio (rounded to two decimals) may be from the answer. */
    static final BigDecimal RELATIVE_TOLERANCE = new BigDecimal("0.01");
    /** Answer columns that are ratios; averages are told by their {@code avg} prefix. */
    static final Set<String> RATIOS = Set.of("mkt_share", "promo_revenue");
    /** Answer columns that are decimals read from a table as they are: they match exactly. */
    static final Set<String> STORED_DECIMALS = Set.of("s_acctbal", "c_acctbal", "o_totalprice");

    private static final int MAX_REPORTED = 20;

    private AnswerComparator() {
    }

    /** A reference answer: column names and rows of cells, still padded. */
    public record Answer(List<String> header, List<List<String>> rows) {

        public static Answer parse(String text) {
            List<String> lines = text.lines().filter(line -> !line.isEmpty()).toList();
            if (lines.isEmpty()) {
                throw new IllegalArgumentException("an answer has at least a header line");
            }
            List<String> header = Arrays.stream(lines.get(0).split("\\|", -1)).map(String::strip).toList();
            List<List<String>> rows = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                List<String> cells = List.of(lines.get(i).split("\\|", -1));
                if (cells.size() != header.size()) {
                    throw new IllegalArgumentException("answer line " + (i + 1) + " has " + cells.size() + " cells, the header "
                            + header.size());
                }
                rows.add(cells);
            }
            return new Answer(header, List.copyOf(rows));
        }
    }

    /**
     * @param  query          the query's name, for the messages
     * @param  columns        the result's column names, in order
     * @param  rows           the result's rows: String, an integer type (Integer, Long, BigInteger), BigDecimal or null
     * @param  orderByColumns positions of the result columns the query orders by (ties among them may be in any order)
     * @throws AssertionError naming the query, row and column of every difference (the first twenty)
     */
    public static void assertMatches(String query, Answer expected, List<String> columns, List<List<Object>> rows,
            int... orderByColumns) {
        if (columns.size() != expected.header().size()) {
            throw new AssertionError(query + ": expected " + expected.header().size() + " columns " + expected.header()
                    + ", got " + columns.size() + " " + columns);
        }
        if (rows.size() != expected.rows().size()) {
            throw new AssertionError(query + ": expected " + expected.rows().size() + " rows, got " + rows.size());
        }
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r).size() != columns.size()) {
                throw new AssertionError(query + " row " + (r + 1) + ": expected " + columns.size() + " values, got "
                        + rows.get(r).size());
            }
        }
        List<List<Object>> aligned = alignTies(expected, rows, orderByColumns);
        List<String> differences = new ArrayList<>();
        for (int r = 0; r < aligned.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                String why = difference(expected.header().get(c), expected.rows().get(r).get(c), aligned.get(r).get(c));
                if (why != null) {
                    differences.add(query + " row " + (r + 1) + " column " + (c + 1) + " (" + columns.get(c) + "): " + why);
                }
            }
        }
        if (!differences.isEmpty()) {
            StringBuilder message = new StringBuilder(query + ": " + differences.size() + " value(s) differ from the answer");
            differences.stream().limit(MAX_REPORTED).forEach(line -> message.append("\n  ").append(line));
            if (differences.size() > MAX_REPORTED) {
                message.append("\n  …");
            }
            throw new AssertionError(message.toString());
        }
    }

    /**
     * Why a result value does not match the answer's cell, or null when it does.
     *
     * @param column the answer's column name, which tells averages and ratios from sums
     */
    static String difference(String column, String cell, Object actual) {
        String text = cell.strip();
        if (actual == null) {
            return "expected " + text + ", got null";
        }
        if (actual instanceof String string) {
            return cell.stripTrailing().equals(string.stripTrailing()) ? null
                    : "expected '" + cell.stripTrailing() + "', got '" + string + "'";
        }
        if (!(actual instanceof Number number)) {
            return "expected " + text + ", got " + actual.getClass().getSimpleName() + " " + actual;
        }
        BigDecimal value = decimal(number);
        BigDecimal answer;
        try {
            answer = new BigDecimal(text);
        } catch (NumberFormatException e) {
            return "expected '" + text + "', got the number " + value.toPlainString();
        }
        if (text.indexOf('.') < 0) {
            if (!isInteger(number)) {
                return "expected the integer " + text + ", got the decimal " + value.toPlainString();
            }
            return value.compareTo(answer) == 0 ? null : "expected " + text + ", got " + value.toPlainString();
        }
        if (isAverageOrRatio(column)) {
            BigDecimal rounded = value.setScale(2, RoundingMode.HALF_UP);
            BigDecimal allowed = answer.abs().multiply(RELATIVE_TOLERANCE);
            return rounded.subtract(answer).abs().compareTo(allowed) <= 0 ? null
                    : "expected " + text + " ±1%, got " + value.toPlainString() + " (rounded " + rounded.toPlainString() + ")";
        }
        if (STORED_DECIMALS.contains(column)) {
            return value.compareTo(answer) == 0 ? null : "expected exactly " + text + ", got " + value.toPlainString();
        }
        return value.subtract(answer).abs().compareTo(MONEY_TOLERANCE) <= 0 ? null
                : "expected " + text + " ±" + MONEY_TOLERANCE + ", got " + value.toPlainString()
                        + " (off by " + value.subtract(answer).abs().toPlainString() + ")";
    }

    static boolean isAverageOrRatio(String column) {
        return column.startsWith("avg") || RATIOS.contains(column);
    }

    private static boolean isInteger(Number number) {
        return number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof BigInteger;
    }

    private static BigDecimal decimal(Number number) {
        return number instanceof BigDecimal decimal ? decimal : new BigDecimal(number.toString());
    }

    /**
     * The result's rows, with each run of tied answer rows (equal in every ORDER BY column) matched to
     * the result rows at the same positions in whichever order they match; rows that match nothing keep
     * their place, so the messages show them.
     */
    private static List<List<Object>> alignTies(Answer expected, List<List<Object>> rows, int[] orderByColumns) {
        List<List<Object>> aligned = new ArrayList<>(rows);
        if (orderByColumns.length == 0) {
            return aligned;
        }
        int start = 0;
        while (start < rows.size()) {
            int end = start + 1;
            while (end < rows.size() && sameKey(expected.rows().get(start), expected.rows().get(end), orderByColumns)) {
                end++;
            }
            if (end - start > 1) {
                List<List<Object>> pool = new ArrayList<>(rows.subList(start, end));
                List<List<Object>> matched = new ArrayList<>();
                List<Integer> unmatched = new ArrayList<>();
                for (int r = start; r < end; r++) {
                    List<Object> match = null;
                    for (List<Object> candidate : pool) {
                        if (matches(expected.header(), expected.rows().get(r), candidate)) {
                            match = candidate;
                            break;
                        }
                    }
                    if (match != null) {
                        pool.remove(match);
                    } else {
                        unmatched.add(r - start);
                    }
                    matched.add(match);
                }
                for (int i = 0; i < unmatched.size(); i++) {
                    matched.set(unmatched.get(i), pool.get(i));
                }
                for (int r = start; r < end; r++) {
                    aligned.set(r, matched.get(r - start));
                }
            }
            start = end;
        }
        return aligned;
    }

    private static boolean sameKey(List<String> a, List<String> b, int[] columns) {
        for (int column : columns) {
            if (!a.get(column).strip().equals(b.get(column).strip())) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(List<String> header, List<String> cells, List<Object> row) {
        for (int c = 0; c < cells.size(); c++) {
            if (difference(header.get(c), cells.get(c), row.get(c)) != null) {
                return false;
            }
        }
        return true;
    }
}

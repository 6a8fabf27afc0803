package dev.quarry.templatetest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares a case's expected rows with the answer's, as text: in order when the answer is ordered,
 * as a multiset otherwise. The difference is shown as the expected rows with {@code -} and the
 * answer's with {@code +} where they part.
 */
final class RowComparison {

    private static final String SAME = "    ";
    private static final String MISSING = "  - ";
    private static final String UNEXPECTED = "  + ";

    private RowComparison() {
    }

    /** Empty when the rows agree; otherwise the diff. */
    static Optional<String> compare(List<Map<String, String>> expected, List<Map<String, String>> actual, boolean ordered) {
        List<String> want = expected.stream().map(RowComparison::show).toList();
        List<String> got = actual.stream().map(RowComparison::show).toList();
        List<String> diff = ordered ? orderedDiff(want, got) : multisetDiff(want, got);
        if (diff.stream().noneMatch(line -> line.startsWith(MISSING) || line.startsWith(UNEXPECTED))) {
            return Optional.empty();
        }
        String header = "rows differ (" + (ordered ? "in order" : "in any order") + "; - expected, + actual):";
        return Optional.of(header + "\n" + String.join("\n", diff));
    }

    private static List<String> orderedDiff(List<String> want, List<String> got) {
        List<String> lines = new ArrayList<>();
        int common = 0;
        while (common < want.size() && common < got.size() && want.get(common).equals(got.get(common))) {
            lines.add(SAME + want.get(common));
            common++;
        }
        want.subList(common, want.size()).forEach(row -> lines.add(MISSING + row));
        got.subList(common, got.size()).forEach(row -> lines.add(UNEXPECTED + row));
        return lines;
    }

    private static List<String> multisetDiff(List<String> want, List<String> got) {
        List<String> unmatched = new ArrayList<>(got);
        List<String> lines = new ArrayList<>();
        for (String row : want) {
            if (unmatched.remove(row)) {
                lines.add(SAME + row);
            } else {
                lines.add(MISSING + row);
            }
        }
        unmatched.forEach(row -> lines.add(UNEXPECTED + row));
        return lines;
    }

    /** A row as a YAML flow mapping, the way a test file writes it. */
    static String show(Map<String, String> row) {
        List<String> fields = new ArrayList<>();
        row.forEach((column, value) -> fields.add(column + ": " + (value == null ? "null" : quoteIfNeeded(value))));
        return "{" + String.join(", ", fields) + "}";
    }

    private static String quoteIfNeeded(String value) {
        boolean plain = !value.isEmpty() && !value.equals("null") && !value.equals("~")
                && value.chars().noneMatch(c -> ",{}[]:'\"&*!|>%@`".indexOf(c) >= 0 || c < ' ')
                && !value.startsWith(" ") && !value.endsWith(" ") && !value.startsWith("#") && !value.startsWith("-");
        return plain ? value : "'" + value.replace("'", "''") + "'";
    }

    /** The answer's row cut to the columns the case names. */
    static Map<String, String> project(Map<String, String> row, Iterable<String> columns) {
        Map<String, String> projected = new LinkedHashMap<>();
        for (String column : columns) {
            projected.put(column, row.get(column));
        }
        return projected;
    }
}

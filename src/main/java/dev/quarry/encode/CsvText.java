package dev.quarry.encode;

/**
 * Fields as {@code COPY ... (FORMAT csv)} writes them: a null is nothing, an empty text is
 * {@code ""}; a field is quoted when it holds a comma, a quote or a line break, or when it is
 * {@code \.} alone on its line (a one-column row), which older readers of COPY's output take for
 * the end of the data.
 */
final class CsvText {

    private CsvText() {
    }

    static void append(StringBuilder line, int index, String field, boolean onlyField) {
        if (index > 0) {
            line.append(',');
        }
        if (field == null) {
            return;
        }
        if (field.isEmpty() || (onlyField && field.equals("\\.")) || field.indexOf(',') >= 0 || field.indexOf('"') >= 0
                || field.indexOf('\n') >= 0 || field.indexOf('\r') >= 0) {
            quoted(line, field);
        } else {
            line.append(field);
        }
    }

    /** The field, quoted and after a single quote when a spreadsheet would run it as a formula. */
    static void appendNeutralised(StringBuilder line, int index, String field, boolean onlyField) {
        if (field == null || field.isEmpty() || !startsFormula(field.charAt(0))) {
            append(line, index, field, onlyField);
            return;
        }
        if (index > 0) {
            line.append(',');
        }
        quoted(line, "'" + field);
    }

    /** {@code = + - @}, tab and carriage return (OWASP's list), and the full-width forms of the first four. */
    static boolean startsFormula(char first) {
        return switch (first) {
            case '=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20' -> true;
            default -> false;
        };
    }

    private static void quoted(StringBuilder line, String field) {
        line.append('"');
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '"') {
                line.append('"');
            }
            line.append(c);
        }
        line.append('"');
    }
}

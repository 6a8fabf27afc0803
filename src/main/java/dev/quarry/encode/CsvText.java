package dev.quarry.encode;

/** RFC 4180 fields: quoted when they hold a comma, quote or line break; an empty field is a null. */
final class CsvText {

    private CsvText() {
    }

    static void append(StringBuilder line, int index, String field) {
        if (index > 0) {
            line.append(',');
        }
        if (field == null) {
            return;
        }
        if (field.isEmpty() || field.indexOf(',') >= 0 || field.indexOf('"') >= 0 || field.indexOf('\n') >= 0
                || field.indexOf('\r') >= 0) {
            line.append('"').append(field.replace("\"", "\"\"")).append('"');
        } else {
            line.append(field);
        }
    }
}

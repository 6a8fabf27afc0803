package dev.quarry.encode;

import java.math.BigDecimal;

import io.vertx.pgclient.data.Interval;
import io.vertx.sqlclient.data.Numeric;

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

    /** The text of a value, with the same exact numbers and ISO-8601 times as the JSON. */
    static String text(Object value) {
        if (value instanceof Numeric numeric) {
            return numeric.isNaN() ? "NaN" : JsonValues.plain(numeric.bigDecimalValue());
        }
        if (value instanceof BigDecimal decimal) {
            return JsonValues.plain(decimal);
        }
        if (value instanceof Interval interval) {
            return JsonValues.isoDuration(interval);
        }
        if (value instanceof Object[]) {
            return new String(RowEncoder.JsonWriting.bytes(out -> JsonValues.write(out, value)), java.nio.charset.StandardCharsets.UTF_8);
        }
        return value.toString();
    }
}

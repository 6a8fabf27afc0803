package dev.quarry.encode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import io.vertx.pgclient.data.Interval;
import io.vertx.sqlclient.data.Numeric;

/**
 * A value as text, with the same exact numbers and ISO-8601 times as the JSON answer: CSV fields,
 * cursor values, and what a template test compares its expected values with.
 */
public final class ValueText {

    private ValueText() {
    }

    /** The value's text, or null for SQL NULL. */
    public static String of(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Numeric numeric) {
            return numeric.isNaN() ? "NaN" : JsonValues.plain(numeric.bigDecimalValue());
        }
        if (value instanceof BigDecimal decimal) {
            return JsonValues.plain(decimal);
        }
        if (value instanceof LocalDate date) {
            char[] text = IsoDates.chars(date);
            return text == null ? date.toString() : new String(text);
        }
        if (value instanceof Interval interval) {
            return JsonValues.isoDuration(interval);
        }
        if (value instanceof Object[]) {
            return new String(RowEncoder.JsonWriting.bytes(out -> JsonValues.write(out, value)), StandardCharsets.UTF_8);
        }
        return value.toString();
    }
}

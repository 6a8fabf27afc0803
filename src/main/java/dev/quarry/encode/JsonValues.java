package dev.quarry.encode;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Base64;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonGenerator;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.data.Interval;
import io.vertx.sqlclient.data.Numeric;

/**
 * Writes a value as the PostgreSQL client decoded it. Numerics keep their exact digits (never a
 * double on the way); dates, times and intervals are ISO-8601; json is embedded as JSON.
 */
final class JsonValues {

    private JsonValues() {
    }

    static void write(JsonGenerator out, Object value) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (value instanceof String text) {
            out.writeString(text);
        } else if (value instanceof Numeric numeric) {
            writeNumeric(out, numeric);
        } else if (value instanceof BigDecimal decimal) {
            out.writeNumber(plain(decimal));
        } else if (value instanceof LocalDate date) {
            writeDate(out, date);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            out.writeNumber(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (Double.isFinite(number)) {
                out.writeNumber(value.toString());
            } else {
                out.writeString(value.toString());
            }
        } else if (value instanceof Boolean bool) {
            out.writeBoolean(bool);
        } else if (value instanceof Interval interval) {
            out.writeString(isoDuration(interval));
        } else if (value instanceof Buffer bytes) {
            out.writeString(Base64.getEncoder().encodeToString(bytes.getBytes()));
        } else if (value instanceof JsonObject || value instanceof JsonArray) {
            out.writeRawValue(value.toString());
        } else if (value instanceof Object[] array) {
            out.writeStartArray();
            for (Object element : array) {
                write(out, element);
            }
            out.writeEndArray();
        } else if (value instanceof UUID) {
            out.writeString(value.toString());
        } else {
            // java.time values print as ISO-8601; anything else as PostgreSQL's text
            out.writeString(value.toString());
        }
    }

    private static void writeNumeric(JsonGenerator out, Numeric numeric) throws IOException {
        if (numeric.isNaN()) {
            out.writeString("NaN");
        } else {
            out.writeNumber(plain(numeric.bigDecimalValue()));
        }
    }

    /**
     * The decimal's digits without an exponent. toString() has them for every decimal a numeric
     * column holds but the tiniest, and makes them without the StringBuilder toPlainString() needs.
     */
    static String plain(BigDecimal decimal) {
        String text = decimal.toString();
        return text.indexOf('E') < 0 ? text : decimal.toPlainString();
    }

    /** {@code yyyy-mm-dd} as LocalDate.toString() writes it, without building a String for it. */
    private static void writeDate(JsonGenerator out, LocalDate date) throws IOException {
        char[] text = IsoDates.chars(date);
        if (text == null) {
            out.writeString(date.toString());
        } else {
            out.writeString(text, 0, text.length);
        }
    }

    static String isoDuration(Interval interval) {
        StringBuilder iso = new StringBuilder("P");
        if (interval.getYears() != 0) {
            iso.append(interval.getYears()).append('Y');
        }
        if (interval.getMonths() != 0) {
            iso.append(interval.getMonths()).append('M');
        }
        if (interval.getDays() != 0) {
            iso.append(interval.getDays()).append('D');
        }
        long micros = interval.getMicroseconds();
        if (interval.getHours() != 0 || interval.getMinutes() != 0 || interval.getSeconds() != 0 || micros != 0) {
            iso.append('T');
            if (interval.getHours() != 0) {
                iso.append(interval.getHours()).append('H');
            }
            if (interval.getMinutes() != 0) {
                iso.append(interval.getMinutes()).append('M');
            }
            if (interval.getSeconds() != 0 || micros != 0) {
                iso.append(
                        BigDecimal.valueOf(interval.getSeconds()).add(BigDecimal.valueOf(micros, 6)).stripTrailingZeros().toPlainString())
                        .append('S');
            }
        }
        return iso.length() == 1 ? "PT0S" : iso.toString();
    }
}

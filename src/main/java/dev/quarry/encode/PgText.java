package dev.quarry.encode;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import io.vertx.sqlclient.data.Numeric;

/**
 * A value as PostgreSQL's output function writes it (DateStyle ISO), which is what {@code COPY}
 * writes: {@code t} and {@code f}, numerics with their scale, dates {@code 2024-01-15} (and
 * {@code 0044-03-15 BC}), timestamps {@code 2024-01-15 08:30:00.5}, timestamps with a time zone in
 * UTC ({@code +00}), floats in their shortest exact digits. Types outside Quarry's type table
 * ({@code PgType}) other than uuid are written as the JSON answer's text ({@link ValueText}).
 */
final class PgText {

    private PgText() {
    }

    /** The value's text, or null for SQL NULL. */
    static String of(Object value) {
        if (value == null || value instanceof String) {
            return (String) value;
        }
        if (value instanceof Boolean bool) {
            return bool ? "t" : "f";
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof UUID) {
            return value.toString();
        }
        if (value instanceof Numeric numeric) {
            return numeric.isNaN() ? "NaN" : numeric.bigDecimalValue().toPlainString();
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Double number) {
            return PgFloatText.of(number, 15);
        }
        if (value instanceof Float number) {
            return PgFloatText.of(number, 6);
        }
        if (value instanceof LocalDate date) {
            return date(date);
        }
        if (value instanceof LocalDateTime timestamp) {
            return timestamp(timestamp);
        }
        if (value instanceof OffsetDateTime timestamp) {
            if (timestamp.equals(OffsetDateTime.MAX) || timestamp.equals(OffsetDateTime.MIN)) {
                return timestamp.equals(OffsetDateTime.MAX) ? "infinity" : "-infinity";
            }
            return timestamp(timestamp.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()) + "+00";
        }
        if (value instanceof LocalTime time) {
            return time(time);
        }
        return ValueText.of(value);
    }

    private static String date(LocalDate date) {
        if (date.equals(LocalDate.MAX) || date.equals(LocalDate.MIN)) {
            return date.equals(LocalDate.MAX) ? "infinity" : "-infinity";
        }
        char[] iso = IsoDates.chars(date);
        if (iso != null && date.getYear() > 0) {
            return new String(iso);
        }
        // year 0 is 1 BC; a year past 9999 has more digits
        int year = date.getYear();
        String digits = String.format("%04d-%02d-%02d", year > 0 ? year : 1 - year, date.getMonthValue(), date.getDayOfMonth());
        return year > 0 ? digits : digits + " BC";
    }

    private static String timestamp(LocalDateTime timestamp) {
        if (timestamp.equals(LocalDateTime.MAX) || timestamp.equals(LocalDateTime.MIN)) {
            return timestamp.equals(LocalDateTime.MAX) ? "infinity" : "-infinity";
        }
        String date = date(timestamp.toLocalDate());
        String time = time(timestamp.toLocalTime());
        return date.endsWith(" BC") ? date.substring(0, date.length() - 3) + " " + time + " BC" : date + " " + time;
    }

    /** {@code hh:mm:ss}, then the microseconds without their trailing zeros, if any. */
    private static String time(LocalTime time) {
        StringBuilder text = new StringBuilder(15);
        two(text, time.getHour()).append(':');
        two(text, time.getMinute()).append(':');
        two(text, time.getSecond());
        int micros = time.getNano() / 1000;
        if (micros != 0) {
            String fraction = String.format(".%06d", micros);
            int end = fraction.length();
            while (fraction.charAt(end - 1) == '0') {
                end--;
            }
            text.append(fraction, 0, end);
        }
        return text.toString();
    }

    private static StringBuilder two(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}

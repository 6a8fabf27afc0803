package dev.quarry.template;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * How a request's text is read as a value of each PostgreSQL type Quarry binds ({@link PgType}), for
 * parameters, filters and cursors: refused here, with what was expected, rather than by PostgreSQL
 * failing the whole statement.
 */
final class ValueParsers {

    /** PostgreSQL's numeric: up to 131072 digits before the decimal point and up to 16383 after. */
    private static final int MAX_NUMERIC_INTEGER_DIGITS = 131_072;
    private static final int MAX_NUMERIC_SCALE = 16_383;
    /** PostgreSQL's dates run from 4714-11-24 BC (ISO year -4713) to 5874897-12-31, its timestamps to 294276-12-31. */
    private static final LocalDate FIRST_DATE = LocalDate.of(-4713, 11, 24);
    private static final LocalDate LAST_DATE = LocalDate.of(5_874_897, 12, 31);
    private static final LocalDateTime LAST_TIMESTAMP = LocalDateTime.of(294_276, 12, 31, 23, 59, 59, 999_999_000);

    private ValueParsers() {
    }

    static Object text(String text) {
        if (text.indexOf('\u0000') >= 0) {
            // PostgreSQL would refuse the whole statement, a 500 for what is the client's mistake
            throw new IllegalArgumentException("expected text without NUL characters (\\u0000), which PostgreSQL text cannot hold");
        }
        return text;
    }

    static Object integer(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer, got '" + text + "'");
        }
    }

    static Object bigint(String text) {
        try {
            return Long.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer, got '" + text + "'");
        }
    }

    static Object numeric(String text) {
        BigDecimal value;
        try {
            value = new BigDecimal(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a decimal number, got '" + text + "'");
        }
        // PostgreSQL would fail the statement ("value overflows numeric format"), a 500 for the client's mistake
        if (value.scale() > MAX_NUMERIC_SCALE || value.precision() - value.scale() > MAX_NUMERIC_INTEGER_DIGITS) {
            throw new IllegalArgumentException("expected a decimal number within PostgreSQL's numeric (at most "
                    + MAX_NUMERIC_INTEGER_DIGITS + " digits before the point and " + MAX_NUMERIC_SCALE + " after), got '"
                    + abbreviated(text) + "'");
        }
        return value;
    }

    /** A real, bound as a real: a real compared with a numeric is compared as a double precision, and the real 0.1 is above 0.1. */
    static Object real(String text) {
        return (float) floating(text, true);
    }

    /** A double precision, NaN and the infinities included. */
    static Object doublePrecision(String text) {
        return floating(text, false);
    }

    /** A decimal number, NaN or an infinity, as PostgreSQL reads a float; not Java's hexadecimal or d and f suffixes. */
    private static double floating(String text, boolean real) {
        String trimmed = text.trim();
        switch (trimmed.toLowerCase(Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "infinity", "+infinity", "inf", "+inf":
                return Double.POSITIVE_INFINITY;
            case "-infinity", "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        try {
            new BigDecimal(trimmed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number (or NaN, Infinity, -Infinity), got '" + text + "'");
        }
        double value = real ? Float.parseFloat(trimmed) : Double.parseDouble(trimmed);
        if (Double.isInfinite(value)) {
            throw new IllegalArgumentException("expected a number within the range of " + (real ? "real" : "double precision")
                    + ", got '" + text + "'");
        }
        return value;
    }

    static Object date(String text) {
        LocalDate date;
        try {
            date = LocalDate.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected a date as YYYY-MM-DD, got '" + text + "'");
        }
        // beyond them PostgreSQL fails the statement ("date out of range"), or the client binds an infinity
        if (date.isBefore(FIRST_DATE) || date.isAfter(LAST_DATE)) {
            throw new IllegalArgumentException("expected a date within PostgreSQL's range, " + FIRST_DATE + " (4714 BC) to "
                    + LAST_DATE + ", got '" + text + "'");
        }
        return date;
    }

    static Object timestamp(String text) {
        LocalDateTime timestamp;
        try {
            timestamp = LocalDateTime.parse(text.trim().replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected a timestamp as YYYY-MM-DDThh:mm[:ss], got '" + text + "'");
        }
        if (timestamp.isBefore(FIRST_DATE.atStartOfDay()) || timestamp.isAfter(LAST_TIMESTAMP)) {
            throw new IllegalArgumentException("expected a timestamp within PostgreSQL's range, " + FIRST_DATE
                    + "T00:00 (4714 BC) to " + LAST_TIMESTAMP + ", got '" + text + "'");
        }
        return timestamp;
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    static Object bool(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "t", "yes", "1" -> Boolean.TRUE;
            case "false", "f", "no", "0" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("expected true or false, got '" + text + "'");
        };
    }
}

package dev.quarry.template;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Function;

/**
 * The scalar types a template parameter may declare, each with the Java value the PostgreSQL
 * client binds and how a request's text is read as one; {@link PgType} says which PostgreSQL types each stands for.
 */
public enum ParamType {

    TEXT("text", String.class, ParamType::parseText),
    INT("int", Integer.class, ParamType::parseInt),
    BIGINT("bigint", Long.class, ParamType::parseLong),
    NUMERIC("numeric", BigDecimal.class, ParamType::parseNumeric),
    DATE("date", LocalDate.class, ParamType::parseDate),
    TIMESTAMP("timestamp", LocalDateTime.class, ParamType::parseTimestamp),
    BOOLEAN("boolean", Boolean.class, ParamType::parseBoolean),
    /**
     * A real output column's values, for filters and cursors, never a parameter's type: bound as a real, since
     * a real compared with a numeric is compared as a double precision, and the real 0.1 is above 0.1.
     */
    REAL("real", Float.class, text -> (float) parseFloating(text, true)),
    /** A double precision output column's values, for filters and cursors (with NaN and the infinities), never a parameter's type. */
    DOUBLE("double precision", Double.class, text -> parseFloating(text, false));

    /** PostgreSQL's numeric: up to 131072 digits before the decimal point and up to 16383 after. */
    private static final int MAX_NUMERIC_INTEGER_DIGITS = 131_072;
    private static final int MAX_NUMERIC_SCALE = 16_383;
    /** PostgreSQL's dates run from 4714-11-24 BC (ISO year -4713) to 5874897-12-31, its timestamps to 294276-12-31. */
    private static final LocalDate FIRST_DATE = LocalDate.of(-4713, 11, 24);
    private static final LocalDate LAST_DATE = LocalDate.of(5_874_897, 12, 31);
    private static final LocalDateTime LAST_TIMESTAMP = LocalDateTime.of(294_276, 12, 31, 23, 59, 59, 999_999_000);

    private final String keyword;
    private final Class<?> javaType;
    private final Function<String, Object> parser;

    ParamType(String keyword, Class<?> javaType, Function<String, Object> parser) {
        this.keyword = keyword;
        this.javaType = javaType;
        this.parser = parser;
    }

    public static ParamType of(String keyword) {
        for (ParamType type : values()) {
            if (type.keyword.equals(keyword) && type != REAL && type != DOUBLE) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown type '" + keyword + "'; use one of text, int, bigint, numeric, date, "
                + "timestamp, boolean, or a list of one of these such as int[]");
    }

    public String keyword() {
        return keyword;
    }

    /** The SQL type a placeholder of this type is cast to, so the client binds the value as it is. */
    public String sqlType() {
        return switch (this) {
            case INT -> "int";
            case TIMESTAMP -> "timestamp";
            case DOUBLE -> "float8";
            default -> keyword;
        };
    }

    /** The class of the bound value, and of a list's array elements. */
    public Class<?> javaType() {
        return javaType;
    }

    /** Whether PostgreSQL's name for the type of a placeholder (format_type) fits this type. */
    public boolean accepts(String postgresType) {
        return PgType.named(postgresType).flatMap(PgType::valueType).filter(type -> type == this).isPresent();
    }

    /** The bound value for a request's text; the message of the exception says what was expected. */
    public Object parse(String text) {
        return parser.apply(text);
    }

    private static Object parseText(String text) {
        if (text.indexOf('\u0000') >= 0) {
            // PostgreSQL would refuse the whole statement, a 500 for what is the client's mistake
            throw new IllegalArgumentException("expected text without NUL characters (\\u0000), which PostgreSQL text cannot hold");
        }
        return text;
    }

    private static Object parseInt(String text) {
        try {
            return Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer, got '" + text + "'");
        }
    }

    private static Object parseLong(String text) {
        try {
            return Long.valueOf(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer, got '" + text + "'");
        }
    }

    private static Object parseNumeric(String text) {
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

    /** A decimal number, NaN or an infinity, as PostgreSQL reads a float; not Java's hexadecimal or d and f suffixes. */
    private static double parseFloating(String text, boolean real) {
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

    private static Object parseDate(String text) {
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

    private static Object parseTimestamp(String text) {
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

    private static Object parseBoolean(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "t", "yes", "1" -> Boolean.TRUE;
            case "false", "f", "no", "0" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("expected true or false, got '" + text + "'");
        };
    }
}

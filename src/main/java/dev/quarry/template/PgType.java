package dev.quarry.template;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.function.Function;

/**
 * The PostgreSQL types Quarry knows, by the name {@code format_type} gives them, each with all that
 * the stages need of it: the type a request's text for it is read as (filters, cursors, parameters)
 * and how that type's values are read, cast and bound, its JSON shape, and whether its values are
 * blank-padded. A type not listed here still runs and encodes; it only cannot be filtered on or keyed.
 */
public enum PgType {

    TEXT("text", "text", String.class, ValueParsers::text, JsonShape.STRING, null),
    VARCHAR("character varying", TEXT, JsonShape.STRING, null),
    /** char(n): PostgreSQL pads its values with blanks, and compares them as text without the padding. */
    CHAR("character", TEXT, JsonShape.STRING, null),
    NAME("name", TEXT, JsonShape.STRING, null),
    INTEGER("integer", "int", Integer.class, ValueParsers::integer, JsonShape.INTEGER, "int32"),
    SMALLINT("smallint", INTEGER, JsonShape.INTEGER, "int32"),
    BIGINT("bigint", "bigint", Long.class, ValueParsers::bigint, JsonShape.INTEGER, "int64"),
    NUMERIC("numeric", "numeric", BigDecimal.class, ValueParsers::numeric, JsonShape.NUMBER, null),
    /**
     * Bound as a real, not a double precision: a real compared with a numeric is compared as a double
     * precision, and the real 0.1 is above 0.1. Never a parameter's type.
     */
    REAL("real", "real", Float.class, ValueParsers::real, JsonShape.NUMBER, null),
    /** NaN and the infinities included. Never a parameter's type. */
    DOUBLE("double precision", "float8", Double.class, ValueParsers::doublePrecision, JsonShape.NUMBER, null),
    DATE("date", "date", LocalDate.class, ValueParsers::date, JsonShape.STRING, "date"),
    TIMESTAMP("timestamp without time zone", "timestamp", LocalDateTime.class, ValueParsers::timestamp, JsonShape.STRING,
            "date-time"),
    /** Encoded as ISO-8601 with its offset; not yet a parameter's or a filter's type. */
    TIMESTAMPTZ("timestamp with time zone", null, JsonShape.STRING, "date-time"),
    BOOLEAN("boolean", "boolean", Boolean.class, ValueParsers::bool, JsonShape.BOOLEAN, null);

    /** How a value of the type appears in JSON. */
    public enum JsonShape {
        STRING, INTEGER, NUMBER, BOOLEAN
    }

    private final String name;
    /** Of a type requests name values of as themselves: how a placeholder is cast, the class bound, how text is read. */
    private final String cast;
    private final Class<?> javaType;
    private final Function<String, Object> parser;
    /** Of any other type: the one its values are read as, if any. */
    private final PgType readAs;
    private final JsonShape shape;
    private final String format;

    /** A type whose values a request's text is read as, and bound as. */
    PgType(String name, String cast, Class<?> javaType, Function<String, Object> parser, JsonShape shape, String format) {
        this(name, cast, javaType, parser, null, shape, format);
    }

    /** A type whose values a request's text is read as another type's, or not at all ({@code readAs} null). */
    PgType(String name, PgType readAs, JsonShape shape, String format) {
        this(name, null, null, null, readAs, shape, format);
    }

    PgType(String name, String cast, Class<?> javaType, Function<String, Object> parser, PgType readAs, JsonShape shape,
            String format) {
        this.name = name;
        this.cast = cast;
        this.javaType = javaType;
        this.parser = parser;
        this.readAs = readAs;
        this.shape = shape;
        this.format = format;
    }

    /** The type as {@code format_type} names it: {@code character varying}, not {@code varchar(25)}. */
    public static Optional<PgType> named(String name) {
        for (PgType type : values()) {
            if (type.name.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /**
     * The type a request's text for a value of this type is read and bound as (filters, cursors): itself,
     * text for the other character types, integer for smallint; empty when requests cannot name such values.
     */
    public Optional<PgType> valueType() {
        return parser != null ? Optional.of(this) : Optional.ofNullable(readAs);
    }

    /**
     * Of a value type ({@link #valueType()} is itself): how a placeholder for its values is cast, so
     * the client binds the value as it is.
     */
    public String cast() {
        return cast;
    }

    /** Of a value type: the class its values are bound as, and the element class of an array of them. */
    public Class<?> javaType() {
        return javaType;
    }

    /** Of a value type: the bound value for a request's text; the message of the exception says what was expected. */
    public Object parse(String text) {
        return parser.apply(text);
    }

    public JsonShape shape() {
        return shape;
    }

    /** The JSON Schema format of its values ({@code date}, {@code date-time}, {@code int64}), if it has one. */
    public Optional<String> format() {
        return Optional.ofNullable(format);
    }

    /** Whether PostgreSQL pads its values with blanks. */
    public boolean padded() {
        return this == CHAR;
    }
}

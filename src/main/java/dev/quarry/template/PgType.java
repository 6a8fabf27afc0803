package dev.quarry.template;

import java.util.Optional;

/**
 * The PostgreSQL types Quarry knows, by the name {@code format_type} gives them, each with all that
 * the stages need of it: the type a request's text for it is read as (filters, cursors, parameters),
 * its JSON shape, and whether its values are blank-padded. A type not listed here still runs and
 * encodes; it only cannot be filtered on or keyed.
 */
public enum PgType {

    TEXT("text", ParamType.TEXT, JsonShape.STRING, null),
    VARCHAR("character varying", ParamType.TEXT, JsonShape.STRING, null),
    /** char(n): PostgreSQL pads its values with blanks, and compares them as text without the padding. */
    CHAR("character", ParamType.TEXT, JsonShape.STRING, null),
    NAME("name", ParamType.TEXT, JsonShape.STRING, null),
    INTEGER("integer", ParamType.INT, JsonShape.INTEGER, "int32"),
    SMALLINT("smallint", ParamType.INT, JsonShape.INTEGER, "int32"),
    BIGINT("bigint", ParamType.BIGINT, JsonShape.INTEGER, "int64"),
    NUMERIC("numeric", ParamType.NUMERIC, JsonShape.NUMBER, null),
    REAL("real", ParamType.REAL, JsonShape.NUMBER, null),
    DOUBLE("double precision", ParamType.DOUBLE, JsonShape.NUMBER, null),
    DATE("date", ParamType.DATE, JsonShape.STRING, "date"),
    TIMESTAMP("timestamp without time zone", ParamType.TIMESTAMP, JsonShape.STRING, "date-time"),
    /** Encoded as ISO-8601 with its offset; not yet a parameter's or a filter's type. */
    TIMESTAMPTZ("timestamp with time zone", null, JsonShape.STRING, "date-time"),
    BOOLEAN("boolean", ParamType.BOOLEAN, JsonShape.BOOLEAN, null);

    /** How a value of the type appears in JSON. */
    public enum JsonShape {
        STRING, INTEGER, NUMBER, BOOLEAN
    }

    private final String name;
    private final ParamType valueType;
    private final JsonShape shape;
    private final String format;

    PgType(String name, ParamType valueType, JsonShape shape, String format) {
        this.name = name;
        this.valueType = valueType;
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

    /** The first type read as this parameter type: the one a parameter of it stands for in a description. */
    public static PgType of(ParamType parameterType) {
        for (PgType type : values()) {
            if (type.valueType == parameterType) {
                return type;
            }
        }
        throw new IllegalArgumentException("no PostgreSQL type is read as " + parameterType);
    }

    /** The type a request's text for a value of this type is read as; empty when requests cannot name such values. */
    public Optional<ParamType> valueType() {
        return Optional.ofNullable(valueType);
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

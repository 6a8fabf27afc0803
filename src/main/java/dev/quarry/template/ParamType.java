package dev.quarry.template;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The scalar types a template parameter may declare ({@code @param top int}): the header's word for
 * each, and the PostgreSQL type ({@link PgType}) its values are read and bound as.
 */
public enum ParamType {

    TEXT("text", PgType.TEXT),
    INT("int", PgType.INTEGER),
    BIGINT("bigint", PgType.BIGINT),
    NUMERIC("numeric", PgType.NUMERIC),
    DATE("date", PgType.DATE),
    TIMESTAMP("timestamp", PgType.TIMESTAMP),
    BOOLEAN("boolean", PgType.BOOLEAN);

    private final String keyword;
    private final PgType pgType;

    ParamType(String keyword, PgType pgType) {
        this.keyword = keyword;
        this.pgType = pgType;
    }

    public static ParamType of(String keyword) {
        for (ParamType type : values()) {
            if (type.keyword.equals(keyword)) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown type '" + keyword + "'; use one of "
                + Arrays.stream(values()).map(ParamType::keyword).collect(Collectors.joining(", "))
                + ", or a list of one of these such as int[]");
    }

    /** The type as the header writes it. */
    public String keyword() {
        return keyword;
    }

    /** The PostgreSQL type its values are read and bound as. */
    public PgType pgType() {
        return pgType;
    }

    /** Whether PostgreSQL's name for the type of a placeholder (format_type) fits this type. */
    public boolean accepts(String postgresType) {
        return PgType.named(postgresType).flatMap(PgType::valueType).filter(type -> type == pgType).isPresent();
    }

    /** The bound value for a request's text; the message of the exception says what was expected. */
    public Object parse(String text) {
        return pgType.parse(text);
    }
}

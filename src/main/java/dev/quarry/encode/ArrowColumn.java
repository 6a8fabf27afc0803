package dev.quarry.encode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

import dev.quarry.template.PgType;
import dev.quarry.template.ResultColumn;
import io.vertx.sqlclient.data.Numeric;

/**
 * One output column as an Arrow field, and how a value of it is set into that field's vector. The
 * type follows Quarry's table of PostgreSQL types ({@link PgType}): smallint, integer and bigint as
 * Int16, Int32 and Int64; boolean as Bool; real and double precision as Float32 and Float64; date as
 * Date32 (days); timestamp as Timestamp(microsecond) and timestamptz as Timestamp(microsecond, UTC);
 * a numeric whose precision (at most 38) and scale PostgreSQL knows as Decimal128 of them. Every
 * other column is Utf8: text types as they are, an unconstrained numeric (an expression's, an
 * aggregate's) as its exact decimal digits, never a double, and a type outside the table (uuid,
 * interval, json, arrays, ...) as the JSON answer writes it. Each field's metadata names its
 * PostgreSQL type ({@code postgresql.type}); a numeric written as text also says so
 * ({@code quarry.encoding: decimal-text}).
 */
record ArrowColumn(Field field, Setter setter) {

    static final String POSTGRESQL_TYPE = "postgresql.type";
    static final String ENCODING = "quarry.encoding";

    /** Sets a non-null value at an index, growing the vector as needed. */
    interface Setter {
        void set(FieldVector vector, int index, Object value);
    }

    void set(FieldVector vector, int index, Object value) {
        if (value == null) {
            vector.setNull(index);
        } else {
            setter.set(vector, index, value);
        }
    }

    static ArrowColumn of(ResultColumn column) {
        PgType type = column.pgType().orElse(null);
        if (type == null) {
            return text(column, column.type(), ValueText::of);
        }
        return switch (type) {
            case SMALLINT -> column(column, new ArrowType.Int(16, true),
                    (vector, i, value) -> ((SmallIntVector) vector).setSafe(i, ((Number) value).shortValue()));
            case INTEGER -> column(column, new ArrowType.Int(32, true),
                    (vector, i, value) -> ((IntVector) vector).setSafe(i, ((Number) value).intValue()));
            case BIGINT -> column(column, new ArrowType.Int(64, true),
                    (vector, i, value) -> ((BigIntVector) vector).setSafe(i, ((Number) value).longValue()));
            case BOOLEAN -> column(column, ArrowType.Bool.INSTANCE,
                    (vector, i, value) -> ((BitVector) vector).setSafe(i, (Boolean) value ? 1 : 0));
            case REAL -> column(column, new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE),
                    (vector, i, value) -> ((Float4Vector) vector).setSafe(i, ((Number) value).floatValue()));
            case DOUBLE -> column(column, new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE),
                    (vector, i, value) -> ((Float8Vector) vector).setSafe(i, ((Number) value).doubleValue()));
            case DATE -> column(column, new ArrowType.Date(DateUnit.DAY),
                    (vector, i, value) -> ((DateDayVector) vector).setSafe(i, Math.toIntExact(((LocalDate) value).toEpochDay())));
            case TIMESTAMP -> column(column, new ArrowType.Timestamp(TimeUnit.MICROSECOND, null),
                    (vector, i, value) -> ((TimeStampMicroVector) vector).setSafe(i,
                            micros(((LocalDateTime) value).atOffset(ZoneOffset.UTC))));
            case TIMESTAMPTZ -> column(column, new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC"),
                    (vector, i, value) -> ((TimeStampMicroTZVector) vector).setSafe(i, micros((OffsetDateTime) value)));
            case NUMERIC -> numeric(column);
            case TEXT, VARCHAR, CHAR, NAME -> text(column, column.type(), value -> (String) value);
        };
    }

    private static ArrowColumn numeric(ResultColumn column) {
        int precision = column.numericPrecision().orElse(0);
        int scale = column.numericScale().orElse(-1);
        if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
            ArrowColumn text = text(column, "numeric", ArrowColumn::decimalText);
            FieldType type = text.field().getFieldType();
            return new ArrowColumn(new Field(column.name(), new FieldType(true, type.getType(), null,
                    Map.of(POSTGRESQL_TYPE, column.type(), ENCODING, "decimal-text")), null), text.setter());
        }
        return new ArrowColumn(field(column, new ArrowType.Decimal(precision, scale, 128),
                column.type() + "(" + precision + "," + scale + ")"),
                (vector, i, value) -> ((DecimalVector) vector).setSafe(i, decimal(value).setScale(scale, RoundingMode.UNNECESSARY)));
    }

    private static ArrowColumn column(ResultColumn column, ArrowType type, Setter setter) {
        return new ArrowColumn(field(column, type, column.type()), setter);
    }

    private interface Text {
        String of(Object value);
    }

    private static ArrowColumn text(ResultColumn column, String postgresType, Text text) {
        return new ArrowColumn(field(column, ArrowType.Utf8.INSTANCE, postgresType),
                (vector, i, value) -> ((VarCharVector) vector).setSafe(i, text.of(value).getBytes(StandardCharsets.UTF_8)));
    }

    private static Field field(ResultColumn column, ArrowType type, String postgresType) {
        return new Field(column.name(), new FieldType(true, type, null, Map.of(POSTGRESQL_TYPE, postgresType)), null);
    }

    /** A numeric's exact digits without an exponent; {@code NaN}, which no decimal holds, as itself. */
    private static String decimalText(Object value) {
        return value instanceof Numeric numeric && numeric.isNaN() ? "NaN" : decimal(value).toPlainString();
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof Numeric numeric) {
            if (numeric.isNaN()) {
                throw new IllegalArgumentException("NaN has no Arrow decimal: the column's values must be numbers");
            }
            return numeric.bigDecimalValue();
        }
        return (BigDecimal) value;
    }

    private static long micros(OffsetDateTime timestamp) {
        return ChronoUnit.MICROS.between(OffsetDateTime.of(1970, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), timestamp);
    }
}

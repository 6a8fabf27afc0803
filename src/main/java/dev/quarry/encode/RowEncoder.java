package dev.quarry.encode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import dev.quarry.template.PgType;
import dev.quarry.template.ResultColumn;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Encodes rows of one result straight from the client's values to bytes, with no intermediate map:
 * JSON objects for pages, SSE and NDJSON, lines for CSV as PostgreSQL's COPY writes them.
 */
public final class RowEncoder {

    static final JsonFactory JSON = new JsonFactory();
    private static final SerializedString LINE_FEED = new SerializedString("\n");
    private static final SerializedString ROW_EVENT = new SerializedString("\nevent:row\ndata:");
    private static final SerializedString END_OF_EVENT = new SerializedString("\n\n");

    private final List<ResultColumn> columns;
    /** The column names, quoted and encoded once rather than once per row. */
    private final SerializedString[] names;
    /** Per column, whether the spreadsheet profile of CSV guards its cells against formulas: all but numbers, booleans, dates and times. */
    private final boolean[] textual;
    /**
     * The length of the last batch this encoder wrote: a stream's batches are about as long as one
     * another, so the next one's buffer is allocated once at about that size instead of grown from
     * a small one (10% fewer bytes allocated per CSV and per SSE row: EncodeBench in the benchmarks).
     */
    private int lastBatchLength = 256;

    public RowEncoder(List<ResultColumn> columns) {
        this.columns = List.copyOf(columns);
        this.names = columns.stream().map(column -> new SerializedString(column.name())).toArray(SerializedString[]::new);
        this.textual = new boolean[columns.size()];
        for (int i = 0; i < textual.length; i++) {
            textual[i] = columns.get(i).pgType().map(type -> type.shape() == PgType.JsonShape.STRING && type.format().isEmpty())
                    .orElse(true);
        }
    }

    public List<ResultColumn> columns() {
        return columns;
    }

    /** {@code {"column": value, ...}} */
    public byte[] json(Row row) {
        return JsonWriting.bytes(out -> writeObject(out, row));
    }

    /** {@code {"column": value, ...}} per row, each ended by a line feed. */
    public byte[] jsonLines(Iterable<Row> rows) {
        return batch(JsonWriting.bytes(nextBatchLength(), out -> {
            out.setRootValueSeparator(null);
            for (Row row : rows) {
                writeObject(out, row);
                out.writeRaw(LINE_FEED);
            }
        }));
    }

    /**
     * One Server-Sent Event per row, {@code id:ID event:row data:{...}}, each ended by an empty line.
     * The data needs no line splitting: the JSON this encoder writes has no raw line breaks (strings
     * escape them; json values are embedded in Vert.x's compact encoding), and ids are cursors or numbers.
     */
    public byte[] events(Iterable<Row> rows, Function<Row, String> ids) {
        return batch(JsonWriting.bytes(nextBatchLength(), out -> {
            out.setRootValueSeparator(null);
            for (Row row : rows) {
                out.writeRaw("id:");
                out.writeRaw(ids.apply(row));
                out.writeRaw(ROW_EVENT);
                writeObject(out, row);
                out.writeRaw(END_OF_EVENT);
            }
        }));
    }

    void writeObject(JsonGenerator out, Row row) throws IOException {
        out.writeStartObject();
        for (int i = 0; i < columns.size(); i++) {
            out.writeFieldName(names[i]);
            JsonValues.write(out, row.getValue(i));
        }
        out.writeEndObject();
    }

    /** {@code [{"name": ..., "type": ...}, ...]} */
    void writeColumns(JsonGenerator out) throws IOException {
        out.writeStartArray();
        for (ResultColumn column : columns) {
            out.writeStartObject();
            out.writeStringField("name", column.name());
            out.writeStringField("type", column.type());
            out.writeEndObject();
        }
        out.writeEndArray();
    }

    /** The column names, as COPY's HEADER writes them (names are never neutralised: the template's author chose them). */
    public byte[] csvHeader() {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            CsvText.append(line, i, columns.get(i).name(), columns.size() == 1);
        }
        return line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** One line per row, each ending with a line feed, as {@code COPY ... (FORMAT csv)} writes it; see {@link CsvProfile}. */
    public byte[] csv(Iterable<Row> rows, CsvProfile profile) {
        StringBuilder lines = new StringBuilder(nextBatchLength());
        boolean neutralise = profile == CsvProfile.SPREADSHEET;
        boolean onlyField = columns.size() == 1;
        for (Row row : rows) {
            for (int i = 0; i < columns.size(); i++) {
                String field = PgText.of(row.getValue(i));
                if (neutralise && textual[i]) {
                    CsvText.appendNeutralised(lines, i, field, onlyField);
                } else {
                    CsvText.append(lines, i, field, onlyField);
                }
            }
            lines.append('\n');
        }
        return batch(lines.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A little more than the last batch, so that a slightly longer one still fits. */
    private int nextBatchLength() {
        return lastBatchLength + lastBatchLength / 8;
    }

    private byte[] batch(byte[] encoded) {
        lastBatchLength = Math.max(encoded.length, 256);
        return encoded;
    }

    /** Writes one JSON document to bytes. */
    static final class JsonWriting {

        interface Body {
            void write(JsonGenerator out) throws IOException;
        }

        private JsonWriting() {
        }

        static byte[] bytes(Body body) {
            return bytes(256, body);
        }

        /** @param expectedLength the buffer's first size: a document that fits is copied once, not grown */
        static byte[] bytes(int expectedLength, Body body) {
            try (ByteArrayBuilder buffer = new ByteArrayBuilder(expectedLength); JsonGenerator out = JSON.createGenerator(buffer)) {
                body.write(out);
                out.flush();
                return buffer.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

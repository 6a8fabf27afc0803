package dev.quarry.encode;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import io.vertx.mutiny.sqlclient.Row;

/** The JSON documents around rows: a page, and the meta and end events of a stream. */
public final class ResultDocuments {

    private ResultDocuments() {
    }

    /**
     * {@code {"query", "columns": [{"name", "type"}], "rows": [{...}], "page": {"limit", "next", "total"}}}
     *
     * @param next  the cursor to continue after this page, null on the last page
     * @param total the exact or planned row count when asked for, else null
     */
    public static byte[] page(String query, RowEncoder encoder, List<Row> rows, OptionalInt limit, String next, Long total) {
        return RowEncoder.JsonWriting.bytes(out -> {
            out.writeStartObject();
            out.writeStringField("query", query);
            out.writeFieldName("columns");
            encoder.writeColumns(out);
            out.writeArrayFieldStart("rows");
            for (Row row : rows) {
                encoder.writeObject(out, row);
            }
            out.writeEndArray();
            out.writeObjectFieldStart("page");
            if (limit.isPresent()) {
                out.writeNumberField("limit", limit.getAsInt());
            } else {
                out.writeNullField("limit");
            }
            out.writeStringField("next", next);
            if (total != null) {
                out.writeNumberField("total", total);
            }
            out.writeEndObject();
            out.writeEndObject();
        });
    }

    /**
     * {@code {"source", "rejected": {rollup: reason}, "sql", "values": [...], "plan": [...]}}: what {@code _explain=true}
     * shows instead of rows.
     *
     * @param source   where the rows would be read from, as the {@code Quarry-Source} header names it
     * @param rejected each rollup of the template not used, with why
     */
    public static byte[] explain(String source, Map<String, String> rejected, String sql, List<Object> values, Object plan) {
        return RowEncoder.JsonWriting.bytes(out -> {
            out.writeStartObject();
            out.writeStringField("source", source);
            out.writeObjectFieldStart("rejected");
            for (Map.Entry<String, String> rejection : rejected.entrySet()) {
                out.writeStringField(rejection.getKey(), rejection.getValue());
            }
            out.writeEndObject();
            out.writeStringField("sql", sql);
            out.writeArrayFieldStart("values");
            for (Object value : values) {
                JsonValues.write(out, value);
            }
            out.writeEndArray();
            out.writeFieldName("plan");
            JsonValues.write(out, plan);
            out.writeEndObject();
        });
    }

    /** {@code {"query", "columns": [...]}}: the first event of a stream. */
    public static byte[] meta(String query, RowEncoder encoder) {
        return RowEncoder.JsonWriting.bytes(out -> {
            out.writeStartObject();
            out.writeStringField("query", query);
            out.writeFieldName("columns");
            encoder.writeColumns(out);
            out.writeEndObject();
        });
    }

    /** {@code {"rows": n, "elapsedMs": ms}}: the last event of a stream that ran to its end. */
    public static byte[] end(long rows, long elapsedMillis) {
        return RowEncoder.JsonWriting.bytes(out -> {
            out.writeStartObject();
            out.writeNumberField("rows", rows);
            out.writeNumberField("elapsedMs", elapsedMillis);
            out.writeEndObject();
        });
    }
}

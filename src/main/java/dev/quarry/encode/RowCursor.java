package dev.quarry.encode;

import java.util.ArrayList;
import java.util.List;

import dev.quarry.render.CursorCodec;
import dev.quarry.render.QueryRequest;
import dev.quarry.render.SortKey;
import dev.quarry.template.ResultColumn;
import io.vertx.mutiny.sqlclient.Row;

/** The cursor after a row: its ordering columns' values, signed, as {@code page.next} and SSE ids carry it. */
public final class RowCursor {

    private final CursorCodec codec;
    private final String template;
    private final String ordering;
    private final int[] indexes;

    public RowCursor(CursorCodec codec, String template, QueryRequest request) {
        this.codec = codec;
        this.template = template;
        this.ordering = request.orderingSignature();
        List<String> names = request.columns().stream().map(ResultColumn::name).toList();
        this.indexes = request.ordering().stream().map(SortKey::column).mapToInt(names::indexOf).toArray();
    }

    public String after(Row row) {
        List<String> values = new ArrayList<>(indexes.length);
        for (int index : indexes) {
            Object value = row.getValue(index);
            values.add(value == null ? null : CsvText.text(value));
        }
        return codec.encode(template, ordering, values);
    }
}

package dev.quarry.serve;

import java.util.ArrayList;
import java.util.List;

import dev.quarry.encode.ValueText;
import dev.quarry.render.CursorCodec;
import dev.quarry.render.QueryRequest;
import dev.quarry.template.PgType;
import dev.quarry.template.ResultColumn;
import dev.quarry.template.SortKey;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The cursor after a row: its ordering columns' values, signed, as {@code page.next} and SSE ids
 * carry it. One per request: a stream asks it for one row after the other.
 */
final class RowCursor {

    private final CursorCodec.Signer signer;
    private final int[] indexes;
    /** Which ordering columns are char(n): PostgreSQL pads their values, and compares them as text without the padding. */
    private final boolean[] padded;
    private final List<String> values;

    RowCursor(CursorCodec codec, String template, QueryRequest request) {
        this.signer = codec.signer(template, request.orderingSignature());
        List<String> names = request.columns().stream().map(ResultColumn::name).toList();
        this.indexes = request.ordering().stream().map(SortKey::column).mapToInt(names::indexOf).toArray();
        this.padded = new boolean[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            padded[i] = request.columns().get(indexes[i]).pgType().filter(PgType::padded).isPresent();
        }
        this.values = new ArrayList<>(indexes.length);
    }

    String after(Row row) {
        values.clear();
        for (int i = 0; i < indexes.length; i++) {
            Object value = row.getValue(indexes[i]);
            String text = ValueText.of(value);
            // "ab  " > 'ab'::text, so the padded value would skip the row's ties ascending and repeat it descending
            values.add(text != null && padded[i] ? text.replaceFirst(" +$", "") : text);
        }
        return signer.token(values);
    }
}

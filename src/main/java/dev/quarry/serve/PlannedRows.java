package dev.quarry.serve;

import dev.quarry.render.RenderedQuery;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;

/** PostgreSQL's plan of a rendered query, and the planner's row estimate read from it. */
final class PlannedRows {

    private PlannedRows() {
    }

    /** The same statement and values, planned instead of run. */
    static RenderedQuery explain(RenderedQuery query) {
        return new RenderedQuery("EXPLAIN (FORMAT JSON) " + query.sql(), query.values(), query.origins());
    }

    /** The "Plan Rows" of the top node: the planner's estimate, cheap on any table size. */
    static long estimate(RowSet<Row> explained) {
        Object plan = explained.iterator().next().getValue(0);
        JsonArray plans = plan instanceof JsonArray array ? array : new JsonArray(plan.toString());
        JsonObject top = plans.getJsonObject(0).getJsonObject("Plan");
        return top.getNumber("Plan Rows").longValue();
    }
}

package dev.quarry.execute;

import java.util.Set;
import java.util.TreeSet;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * PostgreSQL's estimate of what a statement will cost, read from its plan.
 *
 * @param cost       the top node's "Total Cost", in the planner's units
 * @param rows       the top node's "Plan Rows"
 * @param unanalyzed the tables the plan reads whose statistics are missing: the estimate is a guess about them
 */
public record PlanEstimate(double cost, long rows, Set<String> unanalyzed) {

    public PlanEstimate {
        unanalyzed = Set.copyOf(unanalyzed);
    }

    /** The estimate of the plan EXPLAIN (FORMAT JSON) returned, given which of the tables it reads have no statistics. */
    static PlanEstimate of(Object explained, Set<String> withoutStatistics) {
        JsonObject top = top(explained);
        Set<String> read = relations(explained);
        read.retainAll(withoutStatistics);
        return new PlanEstimate(top.getNumber("Total Cost").doubleValue(), top.getNumber("Plan Rows").longValue(), read);
    }

    /** The names of the tables the plan reads. */
    static Set<String> relations(Object explained) {
        Set<String> read = new TreeSet<>();
        relations(top(explained), read);
        return read;
    }

    private static JsonObject top(Object explained) {
        JsonArray plans = explained instanceof JsonArray array ? array : new JsonArray(explained.toString());
        return plans.getJsonObject(0).getJsonObject("Plan");
    }

    private static void relations(JsonObject node, Set<String> into) {
        String relation = node.getString("Relation Name");
        if (relation != null) {
            into.add(relation);
        }
        JsonArray children = node.getJsonArray("Plans");
        if (children != null) {
            for (int i = 0; i < children.size(); i++) {
                relations(children.getJsonObject(i), into);
            }
        }
    }

    /** The estimate of two statements run for one request. */
    public PlanEstimate plus(PlanEstimate other) {
        Set<String> both = new TreeSet<>(unanalyzed);
        both.addAll(other.unanalyzed);
        return new PlanEstimate(cost + other.cost, rows + other.rows, both);
    }

    /** Whether every table the plan reads has statistics, so the estimate is PostgreSQL's and not a guess. */
    public boolean grounded() {
        return unanalyzed.isEmpty();
    }
}

package dev.quarry.blackbox;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.quarry.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A filter is applied around the template, {@code SELECT * FROM (template) AS q WHERE ...}, yet
 * PostgreSQL pushes it down into the template, to the table and its index. Shown with the plan that
 * {@code _explain=true} returns, on the TPC-H tables and their keys.
 */
@QuarkusTest
class FilterPushdownTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One node of a plan: its type, and the relation and index it reads, if any. */
    record Node(String type, String relation, String index, String condition, String filter) {
        @Override
        public String toString() {
            return type + (relation == null ? "" : " on " + relation) + (index == null ? "" : " using " + index)
                    + (condition == null ? "" : " [" + condition + "]") + (filter == null ? "" : " filter [" + filter + "]");
        }
    }

    @Test
    void anEqualityFilterOnTheKeyIsAnIndexScanOfThePrimaryKey() throws Exception {
        int key = someOrderKey();
        List<Node> plan = plan("/queries/test/orders?o_orderkey=" + key);
        assertThat(plan).as("plan").anySatisfy(node -> {
            assertThat(node.type()).isIn("Index Scan", "Index Only Scan", "Bitmap Index Scan");
            assertThat(node.index()).isEqualTo("orders_pkey");
            assertThat(node.condition()).contains("o_orderkey = ");
        });
        assertThat(plan).as("plan").noneMatch(node -> node.type().equals("Seq Scan") && "orders".equals(node.relation()));
        // and the page holds that order
        given().when().get("/queries/test/orders?o_orderkey=" + key).then().statusCode(200)
                .body("rows.o_orderkey", org.hamcrest.Matchers.contains(key));
    }

    @Test
    void inAndRangeFiltersOnTheKeyReachTheIndex() throws Exception {
        int key = someOrderKey();
        for (String filter : List.of("o_orderkey__in=" + key + "," + (key + 1) + "," + (key + 2),
                "o_orderkey__range=" + key + "," + (key + 40), "o_orderkey__lte=" + 100)) {
            List<Node> plan = plan("/queries/test/orders?" + filter);
            assertThat(plan).as("plan of %s", filter).anyMatch(node -> "orders_pkey".equals(node.index()));
            assertThat(plan).as("plan of %s", filter).noneMatch(node -> node.type().equals("Seq Scan") && "orders".equals(node.relation()));
        }
    }

    @Test
    void aFilterOnAGroupingColumnIsPushedBelowTheAggregate() throws Exception {
        int key = someOrderKey();
        List<Node> plan = plan("/queries/test/order-revenue?l_orderkey=" + key);
        assertThat(plan).as("plan").anySatisfy(node -> {
            assertThat(node.index()).isEqualTo("lineitem_pkey");
            assertThat(node.condition()).contains("l_orderkey = ");
        });
        assertThat(plan).as("plan").noneMatch(node -> node.type().equals("Seq Scan"));
    }

    @Test
    void theNextPageOfAKeyOrderingReadsThePrimaryKeyInOrder() throws Exception {
        String next = JSON.readTree(given().when().get("/queries/test/orders?_sort=o_orderkey&_limit=50").then().statusCode(200)
                .extract().asString()).get("page").get("next").asText();
        List<Node> plan = plan("/queries/test/orders?_sort=o_orderkey&_limit=50&_after=" + next);
        // The cursor is ("o_orderkey" > $1 OR "o_orderkey" IS NULL), since an ascending key sorts its nulls last.
        // PostgreSQL drops IS NULL on a NOT NULL column only as a condition of its own, not inside an OR, so the
        // cursor is a Filter on the index scan rather than its Index Cond: the scan starts at the first key, and a
        // page deep in the result reads every index entry before it. No sort, no full read of the table, though.
        assertThat(plan).as("plan").anySatisfy(node -> {
            assertThat(node.index()).isEqualTo("orders_pkey");
            assertThat(node.condition() + " " + node.filter()).contains("o_orderkey > ");
        });
        assertThat(plan).as("plan: no sort of all orders").noneMatch(node -> node.type().equals("Sort"));
        assertThat(plan).as("plan").noneMatch(node -> node.type().equals("Seq Scan") && "orders".equals(node.relation()));
    }

    @Test
    void aFilterOnAColumnWithoutAnIndexReadsTheWholeTable() throws Exception {
        // the other side of the assertions above: without an index there is no index to reach
        List<Node> plan = plan("/queries/test/orders?o_totalprice__gt=500000");
        assertThat(plan).as("plan").anyMatch(node -> node.type().equals("Seq Scan") && "orders".equals(node.relation()));
        assertThat(plan).as("plan").noneMatch(node -> "orders_pkey".equals(node.index()));
    }

    private static int someOrderKey() throws Exception {
        try (Connection connection = TestDatabase.connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT o_orderkey FROM orders ORDER BY o_orderkey OFFSET 1000 LIMIT 1")) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    /** Every node of the plan of a request, top down. */
    private static List<Node> plan(String query) throws Exception {
        JsonNode explained = JSON.readTree(given().when().get(query + "&_explain=true").then().statusCode(200).extract().asString());
        List<Node> nodes = new ArrayList<>();
        collect(explained.get("plan").get(0).get("Plan"), nodes);
        return nodes;
    }

    private static void collect(JsonNode plan, List<Node> nodes) {
        String condition = plan.has("Index Cond") ? plan.get("Index Cond").asText()
                : plan.has("Recheck Cond") ? plan.get("Recheck Cond").asText() : null;
        nodes.add(new Node(plan.get("Node Type").asText(), text(plan, "Relation Name"), text(plan, "Index Name"), condition,
                text(plan, "Filter")));
        if (plan.has("Plans")) {
            plan.get("Plans").forEach(child -> collect(child, nodes));
        }
    }

    private static String text(JsonNode plan, String field) {
        return plan.has(field) ? plan.get(field).asText() : null;
    }
}

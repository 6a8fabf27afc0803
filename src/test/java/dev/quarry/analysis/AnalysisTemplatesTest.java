package dev.quarry.analysis;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.quarry.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Checks the values of every analysis/* template against an independent computation on the same
 * database: either rows computed in Java from raw table rows (no joins, no aggregates in SQL), or a
 * differently written SQL query. Decimals are compared exactly, as BigDecimal.
 */
@QuarkusTest
class AnalysisTemplatesTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));

    private static final BigDecimal ONE = BigDecimal.ONE;

    // ---------------------------------------------------------------- top-customers

    @Test
    void topCustomersAreTheBiggestSpendersOfThePeriod() {
        checkTopCustomers(Map.of(), LocalDate.parse("1995-01-01"), LocalDate.parse("1996-01-01"), 10);
        checkTopCustomers(Map.of("since", "1993-03-01", "until", "1994-09-01", "top", "25"),
                LocalDate.parse("1993-03-01"), LocalDate.parse("1994-09-01"), 25);
    }

    private void checkTopCustomers(Map<String, String> params, LocalDate since, LocalDate until, int top) {
        Raw raw = Raw.get();
        Map<Integer, BigDecimal> revenue = new HashMap<>();
        Map<Integer, Set<Long>> orders = new HashMap<>();
        for (Line line : raw.lines) {
            Order order = raw.orders.get(line.orderkey());
            if (within(order.date(), since, until)) {
                revenue.merge(order.custkey(), line.revenue(), BigDecimal::add);
                orders.computeIfAbsent(order.custkey(), k -> new HashSet<>()).add(order.orderkey());
            }
        }
        List<Integer> ranked = revenue.keySet().stream()
                .sorted(Comparator.comparing((Integer c) -> revenue.get(c)).reversed().thenComparing(c -> c))
                .limit(top).toList();

        JsonNode rows = rows("top-customers", params);
        assertEquals(top, rows.size());
        for (int i = 0; i < top; i++) {
            int custkey = ranked.get(i);
            Customer customer = raw.customers.get(custkey);
            JsonNode row = rows.get(i);
            assertEquals(custkey, row.get("c_custkey").intValue(), "rank " + (i + 1));
            assertEquals(customer.name(), row.get("c_name").textValue());
            assertEquals(raw.nations.get(customer.nationkey()).name(), row.get("nation").textValue());
            assertEquals(customer.segment(), row.get("segment").textValue());
            assertDecimal(revenue.get(custkey), row.get("revenue"), "revenue of customer " + custkey);
            assertEquals(orders.get(custkey).size(), row.get("orders").intValue());
        }
    }

    @Test
    void topCustomersRejectsATopOutOfRange() {
        assertBadParameter("top-customers", Map.of("top", "0"), "top");
        assertBadParameter("top-customers", Map.of("top", "ten"), "top");
    }

    // ---------------------------------------------------------------- orders-above-customer-average

    @Test
    void ordersAboveCustomerAverageMatchACorrelatedSubquery() throws SQLException {
        checkOrdersAboveAverage(Map.of(), "1996-01-01", "1997-01-01", new BigDecimal("1.5"), 2);
        checkOrdersAboveAverage(Map.of("since", "1994-01-01", "until", "1996-01-01", "factor", "1.2", "min_orders", "4"),
                "1994-01-01", "1996-01-01", new BigDecimal("1.2"), 4);
    }

    private void checkOrdersAboveAverage(Map<String, String> params, String since, String until, BigDecimal factor,
            int minOrders) throws SQLException {
        // The average as a correlated subquery per order; the filter and rounding done here in Java.
        List<Map<String, Object>> candidates = sql("""
                SELECT o.o_orderkey, o.o_custkey, o.o_totalprice,
                       (SELECT avg(o2.o_totalprice) FROM orders AS o2
                         WHERE o2.o_custkey = o.o_custkey
                           AND o2.o_orderdate >= ?::date AND o2.o_orderdate < ?::date) AS average,
                       (SELECT count(*) FROM orders AS o2
                         WHERE o2.o_custkey = o.o_custkey
                           AND o2.o_orderdate >= ?::date AND o2.o_orderdate < ?::date) AS n
                FROM orders AS o
                WHERE o.o_orderdate >= ?::date AND o.o_orderdate < ?::date
                ORDER BY o.o_custkey, o.o_orderkey""", since, until, since, until, since, until);
        List<Map<String, Object>> expected = candidates.stream()
                .filter(o -> ((Number) o.get("n")).intValue() >= minOrders)
                .filter(o -> decimal(o.get("o_totalprice")).compareTo(factor.multiply(decimal(o.get("average")))) > 0)
                .toList();
        assertFalse(expected.isEmpty());

        JsonNode rows = rows("orders-above-customer-average", params);
        assertEquals(expected.size(), rows.size());
        Raw raw = Raw.get();
        for (int i = 0; i < expected.size(); i++) {
            Map<String, Object> order = expected.get(i);
            JsonNode row = rows.get(i);
            long orderkey = ((Number) order.get("o_orderkey")).longValue();
            BigDecimal total = decimal(order.get("o_totalprice"));
            BigDecimal average = decimal(order.get("average"));
            assertEquals(orderkey, row.get("o_orderkey").longValue());
            assertEquals(((Number) order.get("o_custkey")).intValue(), row.get("o_custkey").intValue());
            assertEquals(raw.customers.get(row.get("o_custkey").intValue()).name(), row.get("c_name").textValue());
            assertEquals(raw.orders.get(orderkey).date().toString(), row.get("o_orderdate").textValue());
            assertDecimal(total, row.get("o_totalprice"), "total of " + orderkey);
            assertDecimal(average.setScale(2, RoundingMode.HALF_UP), row.get("customer_avg"), "average of " + orderkey);
            assertEquals(((Number) order.get("n")).intValue(), row.get("customer_orders").intValue());
            assertDecimal(total.divide(average, 4, RoundingMode.HALF_UP), row.get("ratio"), "ratio of " + orderkey);
            assertTrue(row.get("ratio").decimalValue().compareTo(factor) >= 0);
        }
    }

    @Test
    void ordersAboveCustomerAverageRejectsAFactorBelowOne() {
        assertBadParameter("orders-above-customer-average", Map.of("factor", "0.5"), "factor");
    }

    // ---------------------------------------------------------------- local-supply

    @Test
    void localSupplyCountsOnlySalesWithinOneNation() {
        checkLocalSupply(Map.of(), LocalDate.parse("1994-01-01"), LocalDate.parse("1995-01-01"), region -> true);
        checkLocalSupply(Map.of("since", "1996-06-01", "until", "1998-01-01", "region", "EUROPE"),
                LocalDate.parse("1996-06-01"), LocalDate.parse("1998-01-01"), "EUROPE"::equals);
    }

    private void checkLocalSupply(Map<String, String> params, LocalDate since, LocalDate until, Predicate<String> region) {
        Raw raw = Raw.get();
        Map<String, BigDecimal> revenue = new HashMap<>();
        Map<String, Set<Long>> orders = new HashMap<>();
        Map<String, Integer> lines = new HashMap<>();
        Map<String, Set<Integer>> customers = new HashMap<>();
        Map<String, Set<Integer>> suppliers = new HashMap<>();
        for (Line line : raw.lines) {
            Order order = raw.orders.get(line.orderkey());
            Customer customer = raw.customers.get(order.custkey());
            Nation nation = raw.nations.get(customer.nationkey());
            if (within(order.date(), since, until) && raw.suppliers.get(line.suppkey()).nationkey() == customer.nationkey()
                    && region.test(nation.region())) {
                revenue.merge(nation.name(), line.revenue(), BigDecimal::add);
                orders.computeIfAbsent(nation.name(), k -> new HashSet<>()).add(order.orderkey());
                lines.merge(nation.name(), 1, Integer::sum);
                customers.computeIfAbsent(nation.name(), k -> new HashSet<>()).add(order.custkey());
                suppliers.computeIfAbsent(nation.name(), k -> new HashSet<>()).add(line.suppkey());
            }
        }
        JsonNode rows = rows("local-supply", params);
        assertEquals(revenue.size(), rows.size());
        assertTrue(rows.size() > 1);
        BigDecimal previous = null;
        for (JsonNode row : rows) {
            String nation = row.get("nation").textValue();
            assertTrue(revenue.containsKey(nation), nation + " has no local sales");
            assertEquals(raw.nationNamed(nation).region(), row.get("region").textValue());
            assertDecimal(revenue.get(nation), row.get("revenue"), "local revenue of " + nation);
            assertEquals(orders.get(nation).size(), row.get("orders").intValue());
            assertEquals(lines.get(nation), row.get("line_items").intValue());
            assertEquals(customers.get(nation).size(), row.get("customers").intValue());
            assertEquals(suppliers.get(nation).size(), row.get("suppliers").intValue());
            BigDecimal current = row.get("revenue").decimalValue();
            assertTrue(previous == null || previous.compareTo(current) >= 0, "largest revenue first");
            previous = current;
        }
    }

    @Test
    void localSupplyOfAsiaIn1994IsTpchQ5() {
        JsonNode local = rows("local-supply", Map.of("region", "ASIA", "since", "1994-01-01", "until", "1995-01-01"));
        JsonNode q05 = rows("tpch/q05", Map.of("region", "ASIA", "date", "1994-01-01"));
        assertEquals(q05.size(), local.size());
        for (int i = 0; i < q05.size(); i++) {
            assertEquals(q05.get(i).get("n_name").textValue(), local.get(i).get("nation").textValue());
            assertDecimal(q05.get(i).get("revenue").decimalValue(), local.get(i).get("revenue"), "Q5 revenue");
        }
    }

    @Test
    void localSupplyRejectsAnUnknownRegion() {
        assertBadParameter("local-supply", Map.of("region", "ATLANTIS"), "region");
    }

    // ---------------------------------------------------------------- nation-coverage

    @Test
    void nationCoverageWithoutFiltersHasEveryNationOnBothSides() {
        Raw raw = Raw.get();
        JsonNode rows = rows("nation-coverage", Map.of());
        assertEquals(25, rows.size());
        for (JsonNode row : rows) {
            Nation nation = raw.nationNamed(row.get("nation").textValue());
            assertEquals(raw.customers.values().stream().filter(c -> c.nationkey() == nation.key()).count(),
                    row.get("customers").longValue());
            assertEquals(raw.suppliers.values().stream().filter(s -> s.nationkey() == nation.key()).count(),
                    row.get("suppliers").longValue());
            assertEquals("both", row.get("coverage").textValue());
        }
    }

    @Test
    void nationCoverageKeepsNationsWithOneSideOrNeither() {
        JsonNode rows = checkCoverage(Map.of("segment", "BUILDING", "customer_min_acctbal", "9000",
                "supplier_min_acctbal", "5000"), null);
        Set<String> kinds = new HashSet<>();
        rows.forEach(row -> kinds.add(row.get("coverage").textValue()));
        // every branch of the FULL and RIGHT OUTER JOINs is exercised by this data
        assertEquals(Set.of("both", "customers only", "suppliers only", "neither"), kinds);

        JsonNode middleEast = checkCoverage(Map.of("segment", "BUILDING", "customer_min_acctbal", "9000",
                "supplier_min_acctbal", "5000", "region", "MIDDLE EAST"), "MIDDLE EAST");
        assertEquals(5, middleEast.size());
        checkCoverage(Map.of("segment", "FURNITURE"), null);
        checkCoverage(Map.of("supplier_min_acctbal", "8000", "region", "ASIA"), "ASIA");
    }

    private JsonNode checkCoverage(Map<String, String> params, String region) {
        Raw raw = Raw.get();
        String segment = params.get("segment");
        BigDecimal customerMin = params.containsKey("customer_min_acctbal") ? new BigDecimal(params.get("customer_min_acctbal")) : null;
        BigDecimal supplierMin = params.containsKey("supplier_min_acctbal") ? new BigDecimal(params.get("supplier_min_acctbal")) : null;
        List<Nation> expected = raw.nations.values().stream().filter(n -> region == null || region.equals(n.region()))
                .sorted(Comparator.comparing(Nation::region).thenComparing(Nation::name)).toList();

        JsonNode rows = rows("nation-coverage", params);
        assertEquals(expected.size(), rows.size());
        for (int i = 0; i < expected.size(); i++) {
            Nation nation = expected.get(i);
            long customers = raw.customers.values().stream()
                    .filter(c -> c.nationkey() == nation.key())
                    .filter(c -> segment == null || segment.equals(c.segment()))
                    .filter(c -> customerMin == null || c.acctbal().compareTo(customerMin) >= 0).count();
            long suppliers = raw.suppliers.values().stream()
                    .filter(s -> s.nationkey() == nation.key())
                    .filter(s -> supplierMin == null || s.acctbal().compareTo(supplierMin) >= 0).count();
            String coverage = customers > 0 && suppliers > 0 ? "both" : customers > 0 ? "customers only"
                    : suppliers > 0 ? "suppliers only" : "neither";
            JsonNode row = rows.get(i);
            assertEquals(nation.region(), row.get("region").textValue());
            assertEquals(nation.name(), row.get("nation").textValue());
            assertEquals(customers, row.get("customers").longValue(), "customers of " + nation.name());
            assertEquals(suppliers, row.get("suppliers").longValue(), "suppliers of " + nation.name());
            assertEquals(coverage, row.get("coverage").textValue(), "coverage of " + nation.name());
        }
        return rows;
    }

    @Test
    void nationCoverageRejectsAnUnknownSegmentAndABadBalance() {
        assertBadParameter("nation-coverage", Map.of("segment", "SPACE"), "segment");
        assertBadParameter("nation-coverage", Map.of("supplier_min_acctbal", "lots"), "supplier_min_acctbal");
    }

    // ---------------------------------------------------------------- category-rollup

    @Test
    void categoryRollupSumsEveryPrefixOfThePartType() throws SQLException {
        checkCategoryRollup(Map.of(), LocalDate.parse("1995-01-01"), LocalDate.parse("1996-01-01"), 3);
        checkCategoryRollup(Map.of("since", "1997-01-01", "until", "1997-04-01", "max_depth", "1"),
                LocalDate.parse("1997-01-01"), LocalDate.parse("1997-04-01"), 1);
    }

    private void checkCategoryRollup(Map<String, String> params, LocalDate since, LocalDate until, int maxDepth)
            throws SQLException {
        Raw raw = Raw.get();
        // Without the tree: every line's revenue goes to each prefix of its part's p_type.
        Map<String, BigDecimal> revenue = new HashMap<>();
        Map<String, BigDecimal> quantity = new HashMap<>();
        Map<String, Set<Integer>> parts = new HashMap<>();
        for (Line line : raw.lines) {
            if (!within(line.shipdate(), since, until)) {
                continue;
            }
            String[] words = raw.partTypes.get(line.partkey()).split(" ");
            for (int depth = 1; depth <= 3; depth++) {
                String path = String.join(" ", List.of(words).subList(0, depth));
                revenue.merge(path, line.revenue(), BigDecimal::add);
                quantity.merge(path, line.quantity(), BigDecimal::add);
                parts.computeIfAbsent(path, k -> new HashSet<>()).add(line.partkey());
            }
        }
        List<Map<String, Object>> categories = sql(
                "SELECT id, parent_id, path, depth FROM part_category WHERE depth <= ? ORDER BY path", maxDepth);
        Map<Integer, String> pathOf = new HashMap<>();
        sql("SELECT id, path FROM part_category").forEach(c -> pathOf.put((Integer) c.get("id"), (String) c.get("path")));

        JsonNode rows = rows("category-rollup", params);
        assertEquals(categories.size(), rows.size());
        for (int i = 0; i < categories.size(); i++) {
            Map<String, Object> category = categories.get(i);
            String path = (String) category.get("path");
            JsonNode row = rows.get(i);
            assertEquals(category.get("id"), row.get("id").intValue());
            assertEquals(path, row.get("path").textValue());
            assertEquals(category.get("depth"), row.get("depth").intValue());
            if (category.get("parent_id") == null) {
                assertTrue(row.get("parent_id").isNull());
            } else {
                int parent = row.get("parent_id").intValue();
                assertEquals(category.get("parent_id"), parent);
                assertTrue(path.startsWith(pathOf.get(parent) + " "), "the parent's path is a prefix");
            }
            assertDecimal(revenue.getOrDefault(path, BigDecimal.ZERO), row.get("revenue"), "revenue of " + path);
            assertDecimal(quantity.getOrDefault(path, BigDecimal.ZERO), row.get("quantity"), "quantity of " + path);
            assertEquals(parts.getOrDefault(path, Set.of()).size(), row.get("parts").intValue(), "parts of " + path);
        }
    }

    @Test
    void categoryRollupRejectsADepthBelowTheLeaves() {
        assertBadParameter("category-rollup", Map.of("max_depth", "4"), "max_depth");
    }

    // ---------------------------------------------------------------- category-tree

    @Test
    void categoryTreeCountsThePartsUnderEveryPrefixOfThePartType() throws SQLException {
        checkCategoryTree(Map.of(), null, 3);
        checkCategoryTree(Map.of("root", "PROMO", "max_depth", "2"), "PROMO", 2);
    }

    private void checkCategoryTree(Map<String, String> params, String root, int maxDepth) throws SQLException {
        // Without the tree: every part counts for each prefix of its p_type.
        Map<String, List<BigDecimal>> prices = new HashMap<>();
        for (Map<String, Object> part : sql("SELECT p_type, p_retailprice FROM part")) {
            String[] words = ((String) part.get("p_type")).split(" ");
            for (int depth = 1; depth <= 3; depth++) {
                String path = String.join(" ", List.of(words).subList(0, depth));
                prices.computeIfAbsent(path, k -> new ArrayList<>()).add((BigDecimal) part.get("p_retailprice"));
            }
        }
        List<Map<String, Object>> categories = sql("SELECT id, parent_id, name, path, depth FROM part_category"
                + " WHERE depth <= ? AND (?::text IS NULL OR split_part(path, ' ', 1) = ?) ORDER BY path", maxDepth, root, root);

        JsonNode rows = rows("category-tree", params);
        assertFalse(categories.isEmpty());
        assertEquals(categories.size(), rows.size());
        for (int i = 0; i < categories.size(); i++) {
            Map<String, Object> category = categories.get(i);
            String path = (String) category.get("path");
            JsonNode row = rows.get(i);
            assertEquals(category.get("id"), row.get("id").intValue());
            assertEquals(category.get("parent_id"), row.get("parent_id").isNull() ? null : row.get("parent_id").intValue());
            assertEquals(category.get("name"), row.get("name").textValue());
            assertEquals(path, row.get("path").textValue(), "the walk's path is the stored one");
            assertEquals(category.get("depth"), row.get("depth").intValue(), "depth of " + path);
            List<BigDecimal> beneath = prices.get(path);
            assertNotNull(beneath, "a category without parts: " + path);
            BigDecimal sum = beneath.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(beneath.size(), row.get("parts").intValue(), "parts of " + path);
            assertDecimal(beneath.stream().min(Comparator.naturalOrder()).orElseThrow(), row.get("min_price"), "min of " + path);
            assertDecimal(beneath.stream().max(Comparator.naturalOrder()).orElseThrow(), row.get("max_price"), "max of " + path);
            assertDecimal(sum.divide(BigDecimal.valueOf(beneath.size()), 2, RoundingMode.HALF_UP), row.get("avg_price"),
                    "average of " + path);
        }
    }

    @Test
    void categoryTreeRejectsAnUnknownRootAndADepthBelowTheLeaves() {
        assertBadParameter("category-tree", Map.of("root", "SPACE"), "root");
        assertBadParameter("category-tree", Map.of("max_depth", "0"), "max_depth");
    }

    // ---------------------------------------------------------------- nation-summary

    @Test
    void nationSummaryHasNoFanOutWhereTheNaiveJoinInflates() throws SQLException {
        String since = "1995-01-01";
        String until = "1996-01-01";
        // Correct figures, written as one scalar subquery per figure and nation.
        Map<String, Map<String, Object>> correct = byKey(sql("""
                SELECT n.n_name,
                       (SELECT count(*) FROM orders JOIN customer ON c_custkey = o_custkey
                         WHERE c_nationkey = n.n_nationkey
                           AND o_orderdate >= ?::date AND o_orderdate < ?::date) AS orders,
                       (SELECT coalesce(sum(l_extendedprice * (1 - l_discount)), 0)
                          FROM lineitem JOIN orders ON o_orderkey = l_orderkey JOIN customer ON c_custkey = o_custkey
                         WHERE c_nationkey = n.n_nationkey
                           AND o_orderdate >= ?::date AND o_orderdate < ?::date) AS revenue,
                       (SELECT count(DISTINCT o_custkey) FROM orders JOIN customer ON c_custkey = o_custkey
                         WHERE c_nationkey = n.n_nationkey
                           AND o_orderdate >= ?::date AND o_orderdate < ?::date) AS customers,
                       (SELECT count(*) FROM supplier WHERE s_nationkey = n.n_nationkey) AS suppliers
                FROM nation AS n""", since, until, since, until, since, until), "n_name");
        // The naive way: every fact joined to nation in one FROM, then aggregated.
        Map<String, Map<String, Object>> naive = byKey(sql("""
                SELECT n_name,
                       count(o_orderkey)                       AS orders,
                       sum(l_extendedprice * (1 - l_discount)) AS revenue,
                       count(c_custkey)                        AS customers,
                       count(s_suppkey)                        AS suppliers
                FROM nation
                JOIN customer ON c_nationkey = n_nationkey
                JOIN orders   ON o_custkey = c_custkey
                JOIN lineitem ON l_orderkey = o_orderkey
                JOIN supplier ON s_nationkey = n_nationkey
                WHERE o_orderdate >= ?::date AND o_orderdate < ?::date
                GROUP BY n_name""", since, until), "n_name");

        JsonNode rows = rows("nation-summary", Map.of("since", since, "until", until));
        assertEquals(25, rows.size());
        int inflated = 0;
        for (JsonNode row : rows) {
            String nation = row.get("nation").textValue();
            Map<String, Object> right = correct.get(nation);
            assertEquals(((Number) right.get("orders")).longValue(), row.get("orders").longValue(), "orders of " + nation);
            assertDecimal(decimal(right.get("revenue")), row.get("revenue"), "revenue of " + nation);
            assertEquals(((Number) right.get("customers")).longValue(), row.get("customers").longValue());
            assertEquals(((Number) right.get("suppliers")).longValue(), row.get("suppliers").longValue());
            assertEquals(Raw.get().nationNamed(nation).region(), row.get("region").textValue());

            Map<String, Object> wrong = naive.get(nation);
            assertNotNull(wrong, nation);
            long suppliers = row.get("suppliers").longValue();
            // each line item is repeated once per supplier of the nation: the naive revenue is multiplied exactly
            BigDecimal naiveRevenue = decimal(wrong.get("revenue"));
            assertDecimal(row.get("revenue").decimalValue().multiply(BigDecimal.valueOf(suppliers)), naiveRevenue,
                    "naive revenue of " + nation);
            if (suppliers > 1) {
                assertTrue(naiveRevenue.compareTo(row.get("revenue").decimalValue()) > 0, "naive revenue inflated");
                inflated++;
            }
            // each order is repeated once per line item (and per supplier), each customer once per order line
            assertTrue(((Number) wrong.get("orders")).longValue() > row.get("orders").longValue(), "naive orders inflated");
            assertTrue(((Number) wrong.get("customers")).longValue() > row.get("customers").longValue(), "naive customers inflated");
            assertTrue(((Number) wrong.get("suppliers")).longValue() > suppliers, "naive suppliers inflated");
        }
        assertTrue(inflated >= 20, "most nations have several suppliers, and their naive revenue is inflated");
    }

    @Test
    void nationSummaryRejectsABadDate() {
        assertBadParameter("nation-summary", Map.of("since", "last year"), "since");
    }

    // ---------------------------------------------------------------- revenue-cube

    @Test
    void revenueCubeByRegionAndYear() throws SQLException {
        List<Map<String, Object>> expected = sql("""
                SELECT r.r_name, date_part('year', o.o_orderdate)::int AS year,
                       sum(l.l_extendedprice * (1 - l.l_discount)) AS revenue,
                       count(DISTINCT o.o_orderkey) AS orders
                FROM region AS r, nation AS n, customer AS c, orders AS o, lineitem AS l
                WHERE n.n_regionkey = r.r_regionkey AND c.c_nationkey = n.n_nationkey
                  AND o.o_custkey = c.c_custkey AND l.l_orderkey = o.o_orderkey
                  AND o.o_orderdate BETWEEN date '1994-01-01' AND date '1996-12-31'
                GROUP BY r.r_name, date_part('year', o.o_orderdate)
                ORDER BY r.r_name, year""");
        JsonNode page = page("revenue-cube", Map.of("_group", "region,year", "_measures", "revenue,orders",
                "since", "1994-01-01", "until", "1997-01-01", "_sort", "region,year"));
        assertEquals(List.of("region", "year", "revenue", "orders"), columnNames(page));
        JsonNode rows = page.get("rows");
        assertEquals(15, expected.size());
        assertEquals(expected.size(), rows.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode row = rows.get(i);
            assertEquals(expected.get(i).get("r_name"), row.get("region").textValue());
            assertEquals(expected.get(i).get("year"), row.get("year").intValue());
            assertDecimal(decimal(expected.get(i).get("revenue")), row.get("revenue"), "revenue " + row);
            assertEquals(((Number) expected.get(i).get("orders")).longValue(), row.get("orders").longValue());
        }
    }

    @Test
    void revenueCubeByCategoryAndShipMode() throws SQLException {
        // the top category as the first word of p_type, without the category tables
        List<Map<String, Object>> expected = sql("""
                SELECT split_part(p_type, ' ', 1) AS category, l_shipmode,
                       sum(l_quantity) AS quantity, round(avg(l_discount), 4) AS avg_discount,
                       count(DISTINCT o_custkey) AS customers
                FROM lineitem, orders, part
                WHERE o_orderkey = l_orderkey AND p_partkey = l_partkey
                  AND o_orderdate >= date '1993-07-01' AND o_orderdate < date '1995-07-01'
                GROUP BY 1, 2
                ORDER BY 1, 2""");
        JsonNode page = page("revenue-cube", Map.of("_group", "category,ship_mode",
                "_measures", "quantity,avg_discount,customers", "since", "1993-07-01", "until", "1995-07-01",
                "_sort", "category,ship_mode"));
        assertEquals(List.of("category", "ship_mode", "quantity", "avg_discount", "customers"), columnNames(page));
        JsonNode rows = page.get("rows");
        assertEquals(6 * 7, rows.size()); // six first words of p_type, seven ship modes
        assertEquals(expected.size(), rows.size());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode row = rows.get(i);
            assertEquals(expected.get(i).get("category"), row.get("category").textValue());
            assertEquals(expected.get(i).get("l_shipmode"), row.get("ship_mode").textValue());
            assertDecimal(decimal(expected.get(i).get("quantity")), row.get("quantity"), "quantity " + row);
            assertDecimal(decimal(expected.get(i).get("avg_discount")), row.get("avg_discount"), "avg_discount " + row);
            assertEquals(((Number) expected.get(i).get("customers")).longValue(), row.get("customers").longValue());
        }
    }

    @Test
    void revenueCubeWithoutGroupIsOneRowOfTotals() {
        Raw raw = Raw.get();
        LocalDate since = LocalDate.parse("1996-01-01");
        LocalDate until = LocalDate.parse("1997-01-01");
        BigDecimal revenue = BigDecimal.ZERO;
        BigDecimal quantity = BigDecimal.ZERO;
        BigDecimal discounts = BigDecimal.ZERO;
        int lines = 0;
        Set<Long> orders = new HashSet<>();
        Set<Integer> customers = new HashSet<>();
        for (Line line : raw.lines) {
            Order order = raw.orders.get(line.orderkey());
            if (within(order.date(), since, until)) {
                revenue = revenue.add(line.revenue());
                quantity = quantity.add(line.quantity());
                discounts = discounts.add(line.discount());
                lines++;
                orders.add(order.orderkey());
                customers.add(order.custkey());
            }
        }
        JsonNode page = page("revenue-cube", Map.of("since", "1996-01-01", "until", "1997-01-01"));
        assertEquals(List.of("revenue", "orders", "customers", "quantity", "avg_discount"), columnNames(page));
        assertEquals(1, page.get("rows").size());
        JsonNode totals = page.get("rows").get(0);
        assertDecimal(revenue, totals.get("revenue"), "total revenue");
        assertEquals(orders.size(), totals.get("orders").intValue());
        assertEquals(customers.size(), totals.get("customers").intValue());
        assertDecimal(quantity, totals.get("quantity"), "total quantity");
        assertDecimal(discounts.divide(BigDecimal.valueOf(lines), 4, RoundingMode.HALF_UP), totals.get("avg_discount"), "avg discount");
    }

    @Test
    void revenueCubeSortsAndLimitsItsGroups() throws SQLException {
        List<Map<String, Object>> expected = sql("""
                SELECT n_name, sum(l_extendedprice * (1 - l_discount)) AS revenue
                FROM nation JOIN customer ON c_nationkey = n_nationkey
                JOIN orders ON o_custkey = c_custkey JOIN lineitem ON l_orderkey = o_orderkey
                GROUP BY n_name ORDER BY revenue DESC LIMIT 3""");
        JsonNode rows = rows("revenue-cube", Map.of("_group", "nation", "_measures", "revenue", "_sort", "-revenue", "_limit", "3"));
        assertEquals(3, rows.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(expected.get(i).get("n_name"), rows.get(i).get("nation").textValue());
            assertDecimal(decimal(expected.get(i).get("revenue")), rows.get(i).get("revenue"), "nation revenue");
        }
    }

    @Test
    void revenueCubeRejectsUndeclaredDimensionsAndMeasures() {
        JsonNode problem = assertBadParameter("revenue-cube", Map.of("_group", "region,planet"), "_group");
        assertTrue(problem.get("detail").textValue().contains("planet"));
        assertTrue(problem.get("allowed").toString().contains("ship_mode"));
        assertBadParameter("revenue-cube", Map.of("_measures", "profit"), "_measures");
        assertBadParameter("revenue-cube", Map.of("_group", "year", "_sort", "nation"), "_sort");
    }

    // ---------------------------------------------------------------- monthly-trend

    @Test
    void monthlyTrendRunningTotalsAndRanks() {
        checkMonthlyTrend(Map.of(), LocalDate.parse("1995-01-01"), LocalDate.parse("1996-01-01"), null);
        checkMonthlyTrend(Map.of("since", "1996-03-01", "until", "1996-09-01", "region", "EUROPE"),
                LocalDate.parse("1996-03-01"), LocalDate.parse("1996-09-01"), "EUROPE");
    }

    private void checkMonthlyTrend(Map<String, String> params, LocalDate since, LocalDate until, String region) {
        Raw raw = Raw.get();
        // nation -> month -> revenue
        Map<String, TreeMap<LocalDate, BigDecimal>> monthly = new TreeMap<>();
        for (Line line : raw.lines) {
            Order order = raw.orders.get(line.orderkey());
            Nation nation = raw.nations.get(raw.customers.get(order.custkey()).nationkey());
            if (within(order.date(), since, until) && (region == null || region.equals(nation.region()))) {
                monthly.computeIfAbsent(nation.name(), k -> new TreeMap<>())
                        .merge(order.date().withDayOfMonth(1), line.revenue(), BigDecimal::add);
            }
        }
        List<String[]> expectedKeys = new ArrayList<>();
        Map<String, BigDecimal> running = new HashMap<>();
        Map<String, Long> rank = new HashMap<>();
        monthly.forEach((nation, months) -> {
            BigDecimal sum = BigDecimal.ZERO;
            for (Map.Entry<LocalDate, BigDecimal> month : months.entrySet()) {
                sum = sum.add(month.getValue());
                String key = nation + "/" + month.getKey();
                running.put(key, sum);
                String nationRegion = raw.nationNamed(nation).region();
                long better = monthly.entrySet().stream()
                        .filter(other -> raw.nationNamed(other.getKey()).region().equals(nationRegion))
                        .map(other -> other.getValue().get(month.getKey()))
                        .filter(other -> other != null && other.compareTo(month.getValue()) > 0).count();
                rank.put(key, better + 1);
                expectedKeys.add(new String[] { nationRegion, nation, month.getKey().toString() });
            }
        });
        expectedKeys.sort(Comparator.comparing((String[] k) -> k[0]).thenComparing(k -> k[1]).thenComparing(k -> k[2]));

        JsonNode rows = rows("monthly-trend", params);
        assertEquals(expectedKeys.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            String[] key = expectedKeys.get(i);
            JsonNode row = rows.get(i);
            String id = key[1] + "/" + key[2];
            assertEquals(key[0], row.get("region").textValue());
            assertEquals(key[1], row.get("nation").textValue());
            assertEquals(key[2], row.get("month").textValue());
            assertDecimal(monthly.get(key[1]).get(LocalDate.parse(key[2])), row.get("revenue"), "revenue " + id);
            assertDecimal(running.get(id), row.get("running_revenue"), "running revenue " + id);
            assertEquals(rank.get(id), row.get("rank_in_region").longValue(), "rank " + id);
        }
    }

    @Test
    void monthlyTrendStreamsEveryRowAsServerSentEvents() {
        String body = given().accept("text/event-stream").queryParam("region", "AMERICA")
                .when().get("/queries/analysis/monthly-trend")
                .then().statusCode(200).extract().asString();
        assertTrue(body.contains("event:meta"));
        assertEquals(5 * 12, body.split("event:row", -1).length - 1);
        assertTrue(body.contains("\"nation\":\"ARGENTINA\",\"month\":\"1995-01-01\""));
        assertTrue(body.contains("event:end") && body.contains("\"rows\":60"));
    }

    @Test
    void monthlyTrendRejectsAnImpossibleDate() {
        assertBadParameter("monthly-trend", Map.of("until", "1999-13-01"), "until");
    }

    @Test
    void monthlyTrendsWindowsNeedTheirDimensionsGrouped() {
        JsonNode problem = assertBadParameter("monthly-trend", Map.of("_group", "region", "_measures", "revenue,running_revenue"),
                "_group");
        assertEquals("parameter '_group' measure running_revenue is a window over nation and month: group by them too, or leave"
                + " running_revenue out of _measures", problem.get("detail").textValue());
        JsonNode rows = rows("monthly-trend", Map.of("_group", "region", "_measures", "revenue", "region", "ASIA"));
        assertEquals(1, rows.size());
        assertEquals("ASIA", rows.get(0).get("region").textValue());
    }

    // ---------------------------------------------------------------- revenue-rollup

    @Test
    void revenueRollupHasNationsRegionSubtotalsAndAGrandTotal() {
        Raw raw = Raw.get();
        LocalDate since = LocalDate.parse("1993-01-01");
        LocalDate until = LocalDate.parse("1994-07-01");
        Map<String, BigDecimal> revenue = new HashMap<>();
        Map<String, Set<Long>> orders = new HashMap<>();
        for (Line line : raw.lines) {
            Order order = raw.orders.get(line.orderkey());
            if (!within(order.date(), since, until)) {
                continue;
            }
            Nation nation = raw.nations.get(raw.customers.get(order.custkey()).nationkey());
            for (String key : List.of(nation.region() + "/" + nation.name(), nation.region() + "/", "/")) {
                revenue.merge(key, line.revenue(), BigDecimal::add);
                orders.computeIfAbsent(key, k -> new HashSet<>()).add(order.orderkey());
            }
        }
        List<String> expected = new ArrayList<>();
        raw.nations.values().stream().map(Nation::region).distinct().sorted().forEach(region -> {
            raw.nations.values().stream().filter(n -> n.region().equals(region)).map(Nation::name).sorted()
                    .forEach(nation -> expected.add(region + "/" + nation));
            expected.add(region + "/");
        });
        expected.add("/");

        JsonNode rows = rows("revenue-rollup", Map.of("since", "1993-01-01", "until", "1994-07-01"));
        assertEquals(25 + 5 + 1, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            String region = row.get("region").isNull() ? "" : row.get("region").textValue();
            String nation = row.get("nation").isNull() ? "" : row.get("nation").textValue();
            String key = region + "/" + nation;
            assertEquals(expected.get(i), key, "row " + i);
            assertEquals(region.isEmpty() ? "total" : nation.isEmpty() ? "region" : "nation", row.get("level").textValue());
            assertDecimal(revenue.get(key), row.get("revenue"), "revenue " + key);
            assertEquals(orders.get(key).size(), row.get("orders").intValue(), "orders " + key);
        }
    }

    @Test
    void revenueRollupRejectsABadDate() {
        assertBadParameter("revenue-rollup", Map.of("since", "yesterday"), "since");
    }

    // ---------------------------------------------------------------- helpers: HTTP

    /**
     * A whole JSON page of analysis/{name} (or of another template, named with its folder); the limit
     * is raised so that no row is cut off.
     */
    private static JsonNode page(String name, Map<String, String> params) {
        Map<String, String> query = new LinkedHashMap<>(params);
        query.putIfAbsent("_limit", "10000");
        String body = given().queryParams(query).accept("application/json")
                .when().get("/queries/" + (name.contains("/") ? name : "analysis/" + name))
                .then().statusCode(200).contentType("application/json")
                .extract().asString();
        return parse(body);
    }

    private static JsonNode rows(String name, Map<String, String> params) {
        JsonNode page = page(name, params);
        assertTrue(page.get("rows").size() < 10000, "every row fits in the page");
        return page.get("rows");
    }

    private static List<String> columnNames(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("columns").forEach(column -> names.add(column.get("name").textValue()));
        return names;
    }

    private static JsonNode assertBadParameter(String name, Map<String, String> params, String parameter) {
        String body = given().queryParams(params)
                .when().get("/queries/analysis/" + name)
                .then().statusCode(400).contentType("application/problem+json")
                .extract().asString();
        JsonNode problem = parse(body);
        assertEquals(400, problem.get("status").intValue());
        assertEquals(parameter, problem.get("parameter").textValue());
        assertTrue(problem.get("detail").textValue().contains("'" + parameter + "'"), problem.toString());
        return problem;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    private static void assertDecimal(BigDecimal expected, JsonNode actual, String what) {
        assertNotNull(expected, what + ": nothing expected");
        assertTrue(actual.isNumber(), what + " is not a JSON number: " + actual);
        BigDecimal value = actual.decimalValue();
        assertEquals(0, expected.compareTo(value), what + ": expected " + expected.toPlainString() + ", got " + value.toPlainString());
    }

    private static void assertDecimal(BigDecimal expected, BigDecimal actual, String what) {
        assertEquals(0, expected.compareTo(actual), what + ": expected " + expected.toPlainString() + ", got " + actual.toPlainString());
    }

    private static boolean within(LocalDate date, LocalDate since, LocalDate until) {
        return !date.isBefore(since) && date.isBefore(until);
    }

    private static BigDecimal decimal(Object value) {
        return value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString());
    }

    // ---------------------------------------------------------------- helpers: the database, directly

    static Connection connect() throws SQLException {
        return TestDatabase.connect();
    }

    private static List<Map<String, Object>> sql(String query, Object... parameters) throws SQLException {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement(query)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery()) {
                ResultSetMetaData meta = result.getMetaData();
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c), result.getObject(c));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static Map<String, Map<String, Object>> byKey(List<Map<String, Object>> rows, String column) {
        Map<String, Map<String, Object>> byKey = new HashMap<>();
        rows.forEach(row -> byKey.put((String) row.get(column), row));
        return byKey;
    }

    // ---------------------------------------------------------------- raw rows, read once without joins

    record Nation(int key, String name, String region) {
    }

    record Customer(int custkey, String name, int nationkey, String segment, BigDecimal acctbal) {
    }

    record Supplier(int suppkey, int nationkey, BigDecimal acctbal) {
    }

    record Order(long orderkey, int custkey, LocalDate date) {
    }

    record Line(long orderkey, int partkey, int suppkey, BigDecimal quantity, BigDecimal price, BigDecimal discount,
            LocalDate shipdate) {

        /** l_extendedprice * (1 - l_discount), exactly. */
        BigDecimal revenue() {
            return price.multiply(ONE.subtract(discount));
        }
    }

    /** Every row of the tables the analyses read, each table on its own: no join or aggregate in SQL. */
    static final class Raw {

        private static Raw loaded;

        final Map<Integer, Nation> nations = new HashMap<>();
        final Map<Integer, Customer> customers = new HashMap<>();
        final Map<Integer, Supplier> suppliers = new HashMap<>();
        final Map<Long, Order> orders = new HashMap<>();
        final Map<Integer, String> partTypes = new HashMap<>();
        final List<Line> lines = new ArrayList<>();

        static synchronized Raw get() {
            if (loaded == null) {
                try (Connection connection = connect()) {
                    loaded = new Raw(connection);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            return loaded;
        }

        private Raw(Connection db) throws SQLException {
            Map<Integer, String> regions = new HashMap<>();
            try (ResultSet r = db.createStatement().executeQuery("SELECT r_regionkey, r_name FROM region")) {
                while (r.next()) {
                    regions.put(r.getInt(1), r.getString(2));
                }
            }
            try (ResultSet r = db.createStatement().executeQuery("SELECT n_nationkey, n_name, n_regionkey FROM nation")) {
                while (r.next()) {
                    nations.put(r.getInt(1), new Nation(r.getInt(1), r.getString(2), regions.get(r.getInt(3))));
                }
            }
            try (ResultSet r = db.createStatement().executeQuery(
                    "SELECT c_custkey, c_name, c_nationkey, c_mktsegment, c_acctbal FROM customer")) {
                while (r.next()) {
                    customers.put(r.getInt(1), new Customer(r.getInt(1), r.getString(2), r.getInt(3), r.getString(4),
                            r.getBigDecimal(5)));
                }
            }
            try (ResultSet r = db.createStatement().executeQuery("SELECT s_suppkey, s_nationkey, s_acctbal FROM supplier")) {
                while (r.next()) {
                    suppliers.put(r.getInt(1), new Supplier(r.getInt(1), r.getInt(2), r.getBigDecimal(3)));
                }
            }
            try (ResultSet r = db.createStatement().executeQuery("SELECT o_orderkey, o_custkey, o_orderdate FROM orders")) {
                while (r.next()) {
                    orders.put(r.getLong(1), new Order(r.getLong(1), r.getInt(2), r.getObject(3, LocalDate.class)));
                }
            }
            try (ResultSet r = db.createStatement().executeQuery("SELECT p_partkey, p_type FROM part")) {
                while (r.next()) {
                    partTypes.put(r.getInt(1), r.getString(2));
                }
            }
            try (ResultSet r = db.createStatement().executeQuery(
                    "SELECT l_orderkey, l_partkey, l_suppkey, l_quantity, l_extendedprice, l_discount, l_shipdate FROM lineitem")) {
                while (r.next()) {
                    lines.add(new Line(r.getLong(1), r.getInt(2), r.getInt(3), r.getBigDecimal(4), r.getBigDecimal(5),
                            r.getBigDecimal(6), r.getObject(7, LocalDate.class)));
                }
            }
        }

        Nation nationNamed(String name) {
            return nations.values().stream().filter(n -> n.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no nation " + name));
        }
    }
}

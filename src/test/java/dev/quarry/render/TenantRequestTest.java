package dev.quarry.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.quarry.template.ResultColumn;
import dev.quarry.template.Template;

/**
 * The reserved :tenant through reading and rendering: bound from the caller's tenant only, refused
 * from the query string, present in every statement (pages, counts, grouped forms, layers), and
 * part of what a cursor is signed for, so one tenant's cursor is refused for another.
 */
class TenantRequestTest {

    private static final Template ORDERS = Templates.template("-- t", "-- @param status text optional", "-- @sort o_orderkey",
            "-- @key o_orderkey", "SELECT o_orderkey, c_nationkey FROM orders JOIN customer ON c_custkey = o_custkey",
            "WHERE c_nationkey = :tenant /*[ AND o_orderstatus = :status ]*/");
    private static final List<ResultColumn> COLUMNS = Templates.columns("o_orderkey", "bigint", "c_nationkey", "integer");
    private static final Tenant SEVEN = new Tenant(7);
    private static final Tenant EIGHT = new Tenant(8);

    @Test
    void theTenantIsBoundFromTheCallerInEveryStatement() {
        QueryRequest request = parse(ORDERS, SEVEN, "status", "F", "_count", "exact");
        RenderedQuery page = QueryRenderer.renderPage(new RowSource.Body(ORDERS), request);
        assertThat(page.sql()).contains("WHERE c_nationkey = $1  AND o_orderstatus = $2");
        assertThat(page.values()).startsWith(7, "F");
        RenderedQuery count = QueryRenderer.renderCount(new RowSource.Body(ORDERS), request);
        assertThat(count.sql()).contains("c_nationkey = $1");
        assertThat(count.values()).startsWith(7);
    }

    @Test
    void aQueryStringTenantIsRefusedNamingIt() {
        for (String value : List.of("8", "7", "")) {
            assertThatThrownBy(() -> parse(ORDERS, SEVEN, "tenant", value)).isInstanceOfSatisfying(RequestException.class,
                    e -> assertThat(e.parameter()).isEqualTo("tenant"))
                    .hasMessage("is bound from the caller's verified token, never from the request");
        }
    }

    @Test
    void aFilterOnTheTenantColumnOnlyNarrowsTheTenantsRows() {
        RenderedQuery query = QueryRenderer.render(ORDERS, parse(ORDERS, SEVEN, "c_nationkey", "8"));
        assertThat(query.sql()).contains("c_nationkey = $1").contains("\"c_nationkey\" = $2");
        assertThat(query.values()).containsExactly(7, 8);
    }

    @Test
    void aTenantTemplateWithoutATenantNeverRenders() {
        assertThatThrownBy(() -> RequestParser.parse(ORDERS, COLUMNS, Map.of(), Optional.empty(), OptionalInt.empty(),
                Templates.CURSORS, Optional.empty())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aCursorIsGoodForTheTenantItWasIssuedToOnly() {
        QueryRequest seven = parse(ORDERS, SEVEN);
        String cursor = Templates.CURSORS.encode(ORDERS.name(), seven.orderingSignature(), List.of("42"));
        assertThat(parse(ORDERS, SEVEN, "_after", cursor).after()).hasValue(List.of(42L));
        assertThatThrownBy(() -> parse(ORDERS, EIGHT, "_after", cursor)).isInstanceOfSatisfying(RequestException.class,
                e -> assertThat(e.parameter()).isEqualTo("_after"))
                .hasMessage("is not a cursor this service issued for this query and ordering");
        // the same tenant's value as text (another claim type) is still another tenant
        assertThat(parse(ORDERS, new Tenant("7")).orderingSignature()).isEqualTo(seven.orderingSignature());
        assertThat(parse(ORDERS, EIGHT).orderingSignature()).isNotEqualTo(seven.orderingSignature());
    }

    @Test
    void aLayerCarriesTheTenantToItsParentAndAnArgumentCannotSetIt() {
        Map<String, Template> library = Templates.library("mine", Templates.file("-- Mine", "SELECT o_orderkey FROM orders",
                "JOIN customer ON c_custkey = o_custkey WHERE c_nationkey = :tenant"),
                "parent", Templates.file("-- Parent", "SELECT count(*) AS n FROM {{mine}} AS m"));
        Template parent = library.get("parent");
        assertThat(parent.tenant()).isTrue();
        assertThat(parent.bindsTenant()).isTrue();
        assertThat(parent.parameters()).doesNotContainKey("tenant");
        RenderedQuery query = QueryRenderer.render(parent, RequestParser.parse(parent, Templates.columns("n", "bigint"), Map.of(),
                Optional.of(SEVEN), OptionalInt.empty(), Templates.CURSORS, Optional.empty()));
        assertThat(query.values()).containsExactly(7);
        assertThatThrownBy(() -> Templates.library("mine", Templates.file("-- Mine", "SELECT 1 AS one WHERE 1 = :tenant"),
                "parent", Templates.file("-- Parent", "SELECT * FROM {{mine(tenant = 8)}} AS m")))
                .hasMessageContaining("mine has no parameter 'tenant'");
    }

    @Test
    void aTenantIsNeverDeclared() {
        assertThatThrownBy(() -> Templates.template("-- t", "-- @param tenant int", "SELECT :tenant AS t"))
                .hasMessage("t.sql:2: 'tenant' is reserved: :tenant is bound from the caller's verified token, never declared or sent");
    }

    private static QueryRequest parse(Template template, Tenant tenant, String... namesAndValues) {
        return RequestParser.parse(template, COLUMNS, Templates.query(namesAndValues), Optional.of(tenant), OptionalInt.empty(),
                Templates.CURSORS, Optional.empty());
    }
}

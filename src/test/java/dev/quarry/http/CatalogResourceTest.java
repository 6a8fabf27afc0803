package dev.quarry.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.quarry.template.ResultColumn;
import io.quarkus.test.junit.QuarkusTest;

/** What the catalog says of each column and parameter, so that a client needs no table of PostgreSQL's types of its own. */
@QuarkusTest
class CatalogResourceTest {

    private static final List<String> EVERY_LOOKUP = List.of("exact", "ne", "lt", "lte", "gt", "gte", "in", "range",
            "contains", "icontains", "startswith", "isnull");
    private static final List<String> NOT_TEXT_LOOKUPS = List.of("exact", "ne", "lt", "lte", "gt", "gte", "in", "range", "isnull");

    @Test
    void eachColumnHasItsShapeFormatAndLookups() {
        String q01 = "find { it.name == 'tpch/q01' }.columns.find { it.name == '%s' }.";
        given().get("/queries").then().statusCode(200)
                .body(q01.formatted("l_returnflag") + "type", equalTo("character"))
                .body(q01.formatted("l_returnflag") + "shape", equalTo("string"))
                .body(q01.formatted("l_returnflag") + "format", nullValue())
                .body(q01.formatted("l_returnflag") + "lookups", equalTo(EVERY_LOOKUP))
                .body(q01.formatted("sum_qty") + "type", equalTo("numeric"))
                .body(q01.formatted("sum_qty") + "shape", equalTo("number"))
                .body(q01.formatted("sum_qty") + "lookups", equalTo(NOT_TEXT_LOOKUPS))
                .body(q01.formatted("count_order") + "shape", equalTo("integer"))
                .body(q01.formatted("count_order") + "format", equalTo("int64"))
                .body("find { it.name == 'analysis/monthly-trend' }.columns.find { it.name == 'month' }.format", equalTo("date"))
                .body("find { it.name == 'test/typed-values' }.columns.shape",
                        contains("integer", "integer", "integer", "number", "number", "string", "string", "boolean", "string"))
                .body("find { it.name == 'test/typed-values' }.columns.format",
                        contains("int32", "int32", "int64", null, null, "date", "date-time", null, null));
    }

    @Test
    void eachParameterHasTheShapeAndFormatOfItsValues() {
        given().get("/queries").then().statusCode(200)
                .body("find { it.name == 'tpch/q01' }.parameters[0].type", equalTo("int"))
                .body("find { it.name == 'tpch/q01' }.parameters[0].shape", equalTo("integer"))
                .body("find { it.name == 'tpch/q01' }.parameters[0].format", equalTo("int32"))
                .body("find { it.name == 'tpch/q03' }.parameters.shape", contains("string", "string"))
                .body("find { it.name == 'tpch/q03' }.parameters.format", contains(null, "date"));
    }

    @Test
    void aColumnOfATypeQuarryDoesNotKnowHasNoShapeAndCannotBeFiltered() {
        CatalogResource.Column column = CatalogResource.Column.of(new ResultColumn("span", "interval"));
        assertThat(column).isEqualTo(new CatalogResource.Column("span", "interval", null, null, List.of()));
    }
}

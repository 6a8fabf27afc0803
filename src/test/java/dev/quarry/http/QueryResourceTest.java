package dev.quarry.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.JsonConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.config.JsonPathConfig;

@QuarkusTest
class QueryResourceTest {

    private static final RestAssuredConfig EXACT_NUMBERS = RestAssuredConfig.config()
            .jsonConfig(JsonConfig.jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.BIG_DECIMAL));

    @Test
    void pricingSummaryAsJsonPage() {
        given().config(EXACT_NUMBERS)
                .when().get("/queries/tpch/q01")
                .then().statusCode(200)
                .contentType("application/json")
                .body("query", equalTo("tpch/q01"))
                .body("columns.name", contains("l_returnflag", "l_linestatus", "sum_qty", "sum_base_price", "sum_disc_price",
                        "sum_charge", "avg_qty", "avg_price", "avg_disc", "count_order"))
                .body("rows", hasSize(4))
                .body("rows[0].l_returnflag", equalTo("A"))
                .body("page.limit", equalTo(100));
    }

    @Test
    void unknownQueryIsNotFound() {
        given().when().get("/queries/tpch/q99")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("title", equalTo("Unknown query"));
    }
}

package dev.quarry.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class OpenApiTest {

    @Test
    void everyTemplateIsAnOperationWithItsParametersAndRowSchema() {
        given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200)
                .body("paths", hasKey("/queries/tpch/q01"))
                .body("paths", not(hasKey("/queries/{name}")))
                .body("paths.'/queries/tpch/q01'.get.summary", equalTo("Pricing summary report (TPC-H Q1)"))
                .body("paths.'/queries/tpch/q01'.get.parameters.find { it.name == 'delta' }.schema.default", equalTo(90))
                .body("paths.'/queries/tpch/q01'.get.parameters.find { it.name == 'delta' }.schema.minimum", equalTo(60))
                .body("paths.'/queries/tpch/q01'.get.parameters.find { it.name == 'delta' }.schema.maximum", equalTo(120))
                .body("paths.'/queries/tpch/q03'.get.parameters.find { it.name == 'segment' }.schema.enum",
                        contains("AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD", "MACHINERY"))
                .body("paths.'/queries/tpch/q03'.get.parameters.find { it.name == '_sort' }.schema.items.enum",
                        hasItems("revenue", "-revenue"))
                .body("paths.'/queries/tpch/q03'.get.responses.'200'.content.keySet()",
                        hasItems("application/json", "text/event-stream", "application/x-ndjson", "text/csv",
                                "application/vnd.apache.arrow.stream"))
                .body("paths.'/queries/tpch/q03'.get.responses.'200'.content.'application/x-ndjson'.schema.properties.revenue.type",
                        contains("number", "null"))
                .body("paths.'/queries/tpch/q03'.get.responses.'400'.content.'application/problem+json'.schema.'$ref'",
                        equalTo("#/components/schemas/Problem"));
    }
}

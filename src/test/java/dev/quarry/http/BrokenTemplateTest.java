package dev.quarry.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** With {@code quarry.templates.on-error=mark-broken}, a broken template answers 503 and the others serve. */
@QuarkusTest
@TestProfile(MarkBroken.class)
class BrokenTemplateTest {

    @Test
    void theBrokenTemplateAnswers503WithItsFileAndLine() {
        given().when().get("/queries/broken/typo")
                .then().statusCode(503).contentType("application/problem+json")
                .body("title", equalTo("Query out of service"))
                .body("detail", equalTo("query 'broken/typo' is out of service: "
                        + "broken/typo.sql:4: PostgreSQL: syntax error at or near \"=\""));
    }

    @Test
    void theCatalogSaysWhyAndTheOthersServe() {
        given().when().get("/queries")
                .then().statusCode(200)
                .body("find { it.name == 'broken/typo' }.broken", equalTo("broken/typo.sql:4: PostgreSQL: syntax error at or near \"=\""))
                .body("find { it.name == 'tpch/q06' }.broken", equalTo(null));
        given().when().get("/queries/tpch/q06").then().statusCode(200).body("rows", hasSize(1));
    }
}

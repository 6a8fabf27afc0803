package dev.quarry.dataset;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class DatasetReadinessTest {

    @Test
    void readyWhenTheDatabaseAnswersAndADatasetIsLoaded() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'dataset' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'dataset' }.data.scale", equalTo("0.01"));
    }

    @Test
    void livenessDoesNotDependOnTheDatabase() {
        given().when().get("/q/health/live")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.not(hasItem("dataset")));
    }
}

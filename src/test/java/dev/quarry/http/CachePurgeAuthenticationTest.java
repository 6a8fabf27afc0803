package dev.quarry.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * With authentication on, purging the cache needs a valid token (401) holding the purge role (403),
 * and answers carry {@code Cache-Control: private}, so a shared cache never hands one caller's
 * answer to another.
 */
@QuarkusTest
@TestProfile(AuthenticationOn.class)
class CachePurgeAuthenticationTest {

    @Test
    void aPurgeNeedsATokenWithThePurgeRole() {
        given().when().delete("/cache").then().statusCode(401).contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", "Bearer " + TestTokens.valid("analyst")).when().delete("/cache")
                .then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                .body("detail", equalTo("purging the cache needs the role cache-admin in the token's groups claim"));
        given().header("Authorization", "Bearer " + TestTokens.valid("analyst")).when().delete("/cache/test/cached-sleep")
                .then().statusCode(403);
        // 403 before 404: a caller without the role learns nothing of which templates exist
        given().header("Authorization", "Bearer " + TestTokens.valid("analyst")).when().delete("/cache/test/no-such")
                .then().statusCode(403);
        given().header("Authorization", "Bearer " + TestTokens.valid("cache-admin")).when().delete("/cache/test/no-such")
                .then().statusCode(404).contentType(Problem.MEDIA_TYPE);
    }

    @Test
    void aCallerWithThePurgeRolePurgesOneTemplateOrAll() {
        String token = "Bearer " + TestTokens.valid("analyst", "cache-admin");
        String path = "/queries/test/cached-sleep?tag=" + UUID.randomUUID();
        given().header("Authorization", token).accept("application/json").when().get(path).then().statusCode(200)
                .header("Cache-Control", "private, max-age=30")
                .header("Vary", "Accept, Authorization");
        given().header("Authorization", token).accept("application/json").when().get(path).then().statusCode(200)
                .header("Age", notNullValue());

        given().header("Authorization", token).when().delete("/cache/test/cached-sleep").then().statusCode(200)
                .body("template", equalTo("test/cached-sleep")).body("answers", greaterThanOrEqualTo(1));
        given().header("Authorization", token).accept("application/json").when().get(path).then().statusCode(200)
                .header("Age", nullValue());

        given().header("Authorization", token).when().delete("/cache").then().statusCode(200)
                .body("template", nullValue()).body("answers", greaterThanOrEqualTo(1));
        given().header("Authorization", token).accept("application/json").when().get(path).then().statusCode(200)
                .header("Age", nullValue());
    }
}

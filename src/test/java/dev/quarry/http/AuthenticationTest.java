package dev.quarry.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.quarry.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * With authentication on: every /queries endpoint needs a valid bearer token, a template's
 * {@code @roles} need one of them among the token's groups, and every refusal is a problem+json
 * decided before any byte of any representation. Tokens are signed with a key pair made at test time.
 */
@QuarkusTest
@TestProfile(AuthenticationOn.class)
class AuthenticationTest {

    private static final String RESTRICTED = "/queries/test/restricted?region=EUROPE";
    private static final List<String> REPRESENTATIONS = List.of("application/json", "text/event-stream", "application/x-ndjson",
            "text/csv");

    @Test
    void withoutATokenEveryRepresentationIs401BeforeAnyByte() {
        for (String path : List.of("/queries/test/orders?o_orderkey=1", RESTRICTED, "/queries/no/such")) {
            for (String accept : REPRESENTATIONS) {
                given().accept(accept).when().get(path)
                        .then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                        .header("WWW-Authenticate", "Bearer")
                        .body("status", equalTo(401)).body("title", equalTo("Unauthorized"))
                        .body("detail", containsString("a bearer token is required"));
            }
        }
        given().when().get("/queries").then().statusCode(401).contentType(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer");
    }

    @ParameterizedTest
    @ValueSource(strings = { "malformed", "expired", "another-issuer", "another-key", "not-bearer" })
    void aTokenThatDoesNotVerifyIs401(String kind) {
        String authorization = switch (kind) {
            case "malformed" -> "Bearer not.a.jwt";
            case "expired" -> "Bearer " + TestTokens.expired("analyst");
            case "another-issuer" -> "Bearer " + TestTokens.fromAnotherIssuer("analyst");
            case "another-key" -> "Bearer " + TestTokens.signedByAnotherKey("analyst");
            default -> "Basic " + java.util.Base64.getEncoder().encodeToString("analyst:analyst".getBytes());
        };
        boolean rejected = !kind.equals("not-bearer");
        for (String accept : REPRESENTATIONS) {
            given().accept(accept).header("Authorization", authorization).when().get(RESTRICTED)
                    .then().statusCode(401).contentType(Problem.MEDIA_TYPE)
                    .header("WWW-Authenticate", rejected ? "Bearer error=\"invalid_token\"" : "Bearer")
                    .body("status", equalTo(401))
                    .body("detail", containsString(rejected ? "the bearer token is not valid" : "a bearer token is required"));
        }
    }

    @Test
    void aValidTokenWithoutTheRoleIs403BeforeAnyByte() {
        for (String token : List.of(TestTokens.valid(), TestTokens.valid("viewer", "Analyst"))) {
            for (String accept : REPRESENTATIONS) {
                given().accept(accept).auth().oauth2(token).when().get(RESTRICTED)
                        .then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                        .body("status", equalTo(403)).body("title", equalTo("Forbidden"))
                        .body("detail",
                                equalTo("query 'test/restricted' needs one of the roles analyst, auditor in the token's groups claim"));
            }
        }
    }

    @Test
    void aValidTokenWithOneOfTheRolesGetsTheRows() throws SQLException {
        List<String> europe = nations("EUROPE");
        assertThat(europe).containsExactly("FRANCE", "GERMANY", "ROMANIA", "RUSSIA", "UNITED KINGDOM");
        for (String role : List.of("analyst", "auditor")) {
            given().auth().oauth2(TestTokens.valid("viewer", role)).when().get(RESTRICTED + "&_sort=n_nationkey")
                    .then().statusCode(200).contentType("application/json")
                    .body("rows.n_name", contains(europe.toArray()));
        }
        String token = TestTokens.valid("analyst");
        String csv = given().accept("text/csv").auth().oauth2(token).when().get(RESTRICTED + "&_sort=n_nationkey")
                .then().statusCode(200).extract().asString();
        assertThat(csv.lines().skip(1).map(line -> line.substring(line.indexOf(',') + 1))).containsExactlyElementsOf(europe);
        String ndjson = given().accept("application/x-ndjson").auth().oauth2(token).when().get("/queries/test/restricted?region=ASIA")
                .then().statusCode(200).extract().asString();
        assertThat(ndjson.lines().count()).isEqualTo(nations("ASIA").size());
        String events = given().accept("text/event-stream").auth().oauth2(token).when().get(RESTRICTED)
                .then().statusCode(200).extract().asString();
        assertThat(events).contains("event:meta", "event:end").contains("\"n_name\":\"GERMANY\"");
    }

    @Test
    void aTemplateWithoutRolesIsOpenToAnyValidToken() throws SQLException {
        String customer;
        try (Connection connection = TestDatabase.connect();
                ResultSet rows = connection.createStatement().executeQuery(
                        "SELECT c_name FROM orders JOIN customer ON c_custkey = o_custkey WHERE o_orderkey = 1")) {
            rows.next();
            customer = rows.getString(1);
        }
        given().auth().oauth2(TestTokens.valid()).when().get("/queries/test/orders?o_orderkey=1")
                .then().statusCode(200).body("rows.c_name", contains(customer));
        given().auth().oauth2(TestTokens.valid()).when().get("/queries/no/such").then().statusCode(404);
    }

    @Test
    void theCatalogListsWhatTheCallerMayRun() {
        Response withoutRole = given().auth().oauth2(TestTokens.valid()).when().get("/queries");
        withoutRole.then().statusCode(200).body("name", hasItem("test/orders")).body("name", not(hasItem("test/restricted")));
        given().auth().oauth2(TestTokens.valid("auditor")).when().get("/queries")
                .then().statusCode(200)
                .body("find { it.name == 'test/restricted' }.roles", contains("analyst", "auditor"))
                .body("find { it.name == 'test/orders' }.roles", equalTo(List.of()));
    }

    @Test
    void theApiDescriptionNeedsATokenAndShowsWhatTheCallerMayRun() {
        given().when().get("/q/openapi").then().statusCode(401);
        String withoutRole = given().auth().oauth2(TestTokens.valid()).when().get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString();
        assertThat(withoutRole).contains("\"/queries/test/orders\"").doesNotContain("\"/queries/test/restricted\"");
        String analyst = given().auth().oauth2(TestTokens.valid("analyst")).when().get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString();
        assertThat(analyst).contains("\"/queries/test/restricted\"", "\"bearer\"");
    }

    @Test
    void probesAndMetricsStayOpen() {
        for (String authorization : List.of("", "Bearer not.a.jwt")) {
            given().header("Authorization", authorization).when().get("/q/health/live")
                    .then().statusCode(200).body("status", equalTo("UP"));
            given().header("Authorization", authorization).when().get("/q/health/ready").then().statusCode(anyOf(is(200), is(503)));
            given().header("Authorization", authorization).when().get("/q/metrics")
                    .then().statusCode(200).body(containsString("# TYPE sql_pool_"));
        }
    }

    private static List<String> nations(String region) throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = TestDatabase.connect();
                var statement = connection.prepareStatement(
                        "SELECT n_name FROM nation JOIN region ON r_regionkey = n_regionkey WHERE r_name = ? ORDER BY n_nationkey")) {
            statement.setString(1, region);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }
}

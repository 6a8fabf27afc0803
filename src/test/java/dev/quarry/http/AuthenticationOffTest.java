package dev.quarry.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.quarry.encode.MediaTypes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/** Authentication is off by default: no token needed, tokens ignored, roles shown but not enforced, and the log says so. */
@QuarkusTest
class AuthenticationOffTest {

    @Test
    void aTemplateWithRolesAnswersWithoutAToken() {
        given().when().get("/queries/test/restricted?region=EUROPE&_sort=n_nationkey")
                .then().statusCode(200).body("rows.n_name", contains("FRANCE", "GERMANY", "ROMANIA", "RUSSIA", "UNITED KINGDOM"));
        given().accept(MediaTypes.CSV).when().get("/queries/test/restricted?region=AFRICA&_sort=n_nationkey")
                .then().statusCode(200)
                .body(equalTo("n_nationkey,n_name\n0,ALGERIA\n5,ETHIOPIA\n14,KENYA\n15,MOROCCO\n16,MOZAMBIQUE\n"));
    }

    @Test
    void aTokenIsIgnored() {
        for (String authorization : new String[] { "Bearer not.a.jwt", "Basic YTpi" }) {
            given().header("Authorization", authorization).when().get("/queries/test/restricted")
                    .then().statusCode(200).body("rows.size()", equalTo(5));
        }
        given().when().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void aTenantsTemplateNeverRunsAndSaysWhyInEveryRepresentation() {
        for (String accept : new String[] { MediaTypes.JSON, MediaTypes.SSE, MediaTypes.NDJSON, MediaTypes.CSV }) {
            given().accept(accept).header("Authorization", "Bearer not.a.jwt").when().get("/queries/tenant/orders?tenant=7")
                    .then().statusCode(403).contentType(Problem.MEDIA_TYPE)
                    .body("detail", equalTo("query 'tenant/orders' returns one tenant's rows: the tenant comes from a verified bearer "
                            + "token's claim, and authentication is off (quarry.auth.enabled): queries that return one tenant's rows "
                            + "do not run without it"));
        }
        // the catalog says so too, and a template without :tenant is not marked
        given().when().get("/queries").then().statusCode(200)
                .body("find { it.name == 'tenant/sales' }.tenant", notNullValue())
                .body("find { it.name == 'tenant/sales' }.tenant.claim", nullValue())
                .body("find { it.name == 'tenant/sales' }.tenant.value", nullValue())
                .body("find { it.name == 'test/restricted' }.tenant", nullValue());
    }

    @Test
    void theCatalogListsEveryTemplateWithItsRoles() {
        given().when().get("/queries").then().statusCode(200)
                .body("find { it.name == 'test/restricted' }.roles", contains("analyst", "auditor"));
    }

    @Test
    void theLogSaysOnceThatQueriesAreOpen() throws IOException, InterruptedException {
        Path log = Path.of(ConfigProvider.getConfig().getValue("quarkus.log.file.path", String.class));
        String line = "authentication is off: every query is open to anyone who can reach port " + RestAssured.port;
        // the line is written when the HTTP server has started, an event observed asynchronously
        for (int wait = 0; wait < 50 && Files.readAllLines(log).stream().noneMatch(text -> text.contains(line)); wait++) {
            Thread.sleep(100);
        }
        assertThat(Files.readAllLines(log)).filteredOn(text -> text.contains(line)).hasSize(1)
                .allSatisfy(text -> assertThat(text).contains("WARN", "AuthenticationSettings"));
    }
}

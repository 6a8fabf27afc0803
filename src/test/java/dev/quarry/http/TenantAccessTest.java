package dev.quarry.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.quarry.TestDatabase;
import dev.quarry.encode.MediaTypes;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * With the tenant read from a token claim: each tenant's page holds its own nation's orders and all of
 * them (counted over JDBC), the catalog says whose rows a tenant's template answers, and a token
 * without the claim or with another type is refused before anything runs.
 */
@QuarkusTest
@TestProfile(TenancyOn.class)
class TenantAccessTest {

    @Test
    void eachTenantGetsAllOfItsNationsOrdersAndNoOther() throws SQLException {
        for (int nation : List.of(3, 21)) {
            JsonPath page = given().auth().oauth2(TestTokens.withClaim("nation", nation)).when()
                    .get("/queries/tenant/orders?_limit=10000&_count=exact").then().statusCode(200).extract().jsonPath();
            List<Integer> nations = page.getList("rows.c_nationkey", Integer.class);
            assertThat(nations).isNotEmpty().containsOnly(nation);
            assertThat(page.getLong("page.total")).isEqualTo(nations.size()).isEqualTo(orders(nation));
        }
    }

    @Test
    void theCatalogSaysWhoseRowsATenantsTemplateAnswers() {
        given().auth().oauth2(TestTokens.withClaim("nation", 3)).when().get("/queries").then().statusCode(200)
                .body("find { it.name == 'tenant/orders' }.tenant.claim", equalTo("nation"))
                .body("find { it.name == 'tenant/orders' }.tenant.value", equalTo(3))
                .body("find { it.name == 'tpch/q06' }.tenant", nullValue());
        given().auth().oauth2(TestTokens.valid()).when().get("/queries").then().statusCode(200)
                .body("find { it.name == 'tenant/orders' }.tenant.claim", equalTo("nation"))
                .body("find { it.name == 'tenant/orders' }.tenant.value", nullValue());
    }

    @Test
    void aTokenWithoutTheClaimOrOfAnotherTypeIs403AndOtherTemplatesStillServeIt() {
        given().auth().oauth2(TestTokens.valid()).when().get("/queries/tenant/sales").then().statusCode(403)
                .body("detail", equalTo("query 'tenant/sales' returns one tenant's rows: the token carries no 'nation' claim, which "
                        + "names the caller's tenant"));
        given().auth().oauth2(TestTokens.withClaim("nation", "3")).accept(MediaTypes.CSV).when().get("/queries/tenant/sales").then()
                .statusCode(403).body("detail", equalTo("query 'tenant/sales' returns one tenant's rows: the token's 'nation' claim "
                        + "is not an integer of type int, as quarry.tenant.claim-type says"));
        given().auth().oauth2(TestTokens.valid()).when().get("/queries/tpch/q06").then().statusCode(200);
    }

    private static long orders(int nation) throws SQLException {
        try (Connection connection = TestDatabase.connect(); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FROM orders JOIN customer ON c_custkey = o_custkey "
                        + "WHERE c_nationkey = " + nation)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

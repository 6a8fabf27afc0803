package dev.quarry.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The explorer's page and files over HTTP: caching that cannot go stale, HEAD as GET, the icon, and the security headers. */
@QuarkusTest
class ExplorerPageTest {

    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'";
    private static final List<String> OWN_FILES = List.of("/explorer/explorer.js", "/explorer/api.js", "/explorer/catalog.js",
            "/explorer/form.js", "/explorer/results.js", "/explorer/chart.js", "/explorer/explorer.css", "/favicon.svg");

    @Test
    void thePageIsRevalidatedEachTimeAndA304WhileItIsTheSame() {
        Response page = given().get("/explore/tpch/q01").then().statusCode(200).contentType("text/html").extract().response();
        String tag = page.header("ETag");
        assertThat(tag).matches("\"[\\w-]{27}\"");
        assertThat(page.header("Cache-Control")).isEqualTo("no-cache");
        // one page for the catalog and every template
        assertThat(given().get("/").header("ETag")).isEqualTo(tag);
        assertThat(given().get("/explore/analysis/revenue-cube").asString()).isEqualTo(page.asString());

        Response unchanged = given().header("If-None-Match", tag).get("/explore/tpch/q01").then().statusCode(304).extract().response();
        assertThat(unchanged.asString()).isEmpty();
        assertThat(unchanged.header("ETag")).isEqualTo(tag);
        assertThat(unchanged.header("Cache-Control")).isEqualTo("no-cache");
        // what an older page's browser holds
        given().header("If-None-Match", "\"an-older-page\"").get("/explore/tpch/q01").then().statusCode(200);
    }

    @Test
    void theExplorersOwnFilesAreRevalidatedByTheTagOfTheirBytes() {
        for (String path : OWN_FILES) {
            Response file = given().get(path).then().statusCode(200).extract().response();
            assertThat(file.header("Cache-Control")).as(path).isEqualTo("no-cache");
            String tag = file.header("ETag");
            assertThat(tag).as(path).matches("\"[\\w-]{27}\"");
            given().header("If-None-Match", tag).get(path).then().statusCode(304).header("ETag", tag)
                    .header("Cache-Control", "no-cache");
            given().header("If-None-Match", "\"an-older-file\"").get(path).then().statusCode(200);
        }
        assertThat(OWN_FILES.stream().map(path -> given().get(path).header("ETag")).distinct()).hasSameSizeAs(OWN_FILES);
        given().get("/explorer/explorer.js").then().contentType("text/javascript");
        given().get("/explorer/explorer.css").then().contentType("text/css");
    }

    @Test
    void thePageNamesTheChartLibrarysVersionedPathWhichIsKeptLong() {
        String path = chartLibrary();
        assertThat(path).matches("/webjars/echarts/\\d+\\.\\d+\\.\\d+/dist/echarts\\.esm\\.min\\.js");
        Response library = given().get(path).then().statusCode(200).contentType("text/javascript").extract().response();
        assertThat(library.asString()).contains("echarts");
        // another version has another path: what this one served never changes
        assertThat(library.header("Cache-Control")).contains("max-age=86400");
    }

    @Test
    void headIsAnsweredLikeGet() {
        for (String path : paths()) {
            Response get = given().get(path).then().statusCode(200).extract().response();
            Response head = given().head(path).then().statusCode(200).extract().response();
            assertThat(head.asByteArray()).as(path).isEmpty();
            assertThat(head.header("Content-Length")).as(path).isEqualTo(String.valueOf(get.asByteArray().length));
            for (String header : List.of("Content-Type", "ETag", "Cache-Control", "Content-Security-Policy", "X-Content-Type-Options")) {
                assertThat(head.header(header)).as(path + " " + header).isEqualTo(get.header(header));
            }
        }
        given().head("/explore/tpch/q01").then().statusCode(200).contentType("text/html");
    }

    @Test
    void everyPathOfTheExplorerIsSentWithTheSecurityHeaders() {
        for (String path : paths()) {
            given().get(path).then().statusCode(200)
                    .header("Content-Security-Policy", POLICY)
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY");
        }
    }

    @Test
    void thePageLinksAnIconThatIsServed() {
        assertThat(given().get("/").asString()).contains("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">");
        String icon = given().get("/favicon.svg").then().statusCode(200).contentType("image/svg+xml").extract().asString();
        assertThat(icon).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"");
    }

    private static List<String> paths() {
        return Stream.concat(Stream.of("/", "/explore/tpch/q01", "/explore/no/such-template", chartLibrary()),
                OWN_FILES.stream()).toList();
    }

    private static String chartLibrary() {
        Matcher meta = Pattern.compile("<meta name=\"quarry-chart-library\" content=\"([^\"]+)\">").matcher(given().get("/").asString());
        assertThat(meta.find()).as("the page names its chart library").isTrue();
        return meta.group(1);
    }
}

package dev.quarry.explorer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.quarry.TestDatabase;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The explorer in a real browser against the running service and its PostgreSQL: what a person sees
 * is compared with what the JSON API answers, and what the page asks of PostgreSQL is checked in
 * pg_stat_activity. Screenshots of each step go to target/explorer-screenshots.
 */
@QuarkusTest
class ExplorerTest {

    /** Decimals as the API wrote them, trailing zeros kept */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    @RegisterExtension
    static final Browser browser = new Browser();

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void forgetEarlierRequests() {
        browser.requestedUrls();
        browser.consoleMessages();
    }

    /** Every test runs the page under its Content-Security-Policy: nothing it does may be refused. */
    @AfterEach
    void nothingWasRefusedByThePolicy() {
        assertThat(browser.policyViolations()).isEmpty();
    }

    private void open(String path) {
        browser.navigate().to(base.toString().replaceAll("/$", "") + path);
    }

    @Test
    void theCatalogListsEveryTemplateAndSearchesTheirWords() {
        JsonNode catalog = json(given().get("/queries").asString());
        open("/");
        browser.waiting(20).until(d -> !d.findElements(By.cssSelector(".catalog li a.entry-name")).isEmpty());
        List<String> listed = browser.driver.findElements(By.cssSelector("a.entry-name")).stream().map(WebElement::getText).toList();
        List<String> names = new ArrayList<>();
        catalog.forEach(entry -> names.add(entry.get("name").asText()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(names).contains("tpch/q01", "analysis/revenue-cube");
        assertThat(browser.driver.findElement(By.cssSelector("[role=status]")).getText()).isEqualTo(names.size() + " templates");
        browser.screenshot("catalog");

        WebElement search = browser.driver.findElement(By.id("search"));
        search.sendKeys("pricing summary");
        browser.waiting(10).until(d -> d.findElements(By.cssSelector("a.entry-name")).size() == 1);
        assertThat(browser.driver.findElement(By.cssSelector("a.entry-name")).getText()).isEqualTo("tpch/q01");
        assertThat(browser.driver.getCurrentUrl()).endsWith("/?q=pricing%20summary");
        browser.screenshot("catalog-search");
    }

    @Test
    void aSharedLinkOfQ01ShowsItsFourRowsAsTheApiAnswersThem() {
        open("/explore/tpch/q01?delta=90");
        assertThat(browser.awaitRunEnd()).startsWith("4 rows");
        assertThat(browser.driver.findElement(By.id("param-delta")).getAttribute("value")).isEqualTo("90");
        assertThat(browser.headers()).containsExactly("l_returnflag", "l_linestatus", "sum_qty", "sum_base_price",
                "sum_disc_price", "sum_charge", "avg_qty", "avg_price", "avg_disc", "count_order");
        assertThat(browser.cells()).isEqualTo(apiRows("/queries/tpch/q01?delta=90"));
        // grouped by its @group, which the boxes show checked
        assertThat(browser.driver.findElement(By.id("_group-l_returnflag")).isSelected()).isTrue();
        assertThat(browser.driver.findElement(By.id("_group-l_linestatus")).isSelected()).isTrue();
        assertThat(browser.cells().get(0).subList(0, 2)).containsExactly("A", "F");
        // twenty decimals: a double would have kept about sixteen digits of them
        assertThat(browser.cells().get(0).get(8)).matches("0\\.0500\\d{16}");
        // numbers align right, text left
        List<WebElement> firstRow = browser.driver.findElements(By.cssSelector("#results tbody tr:first-child td"));
        assertThat(firstRow.get(0).getCssValue("text-align")).isEqualTo("left");
        assertThat(firstRow.get(2).getCssValue("text-align")).isEqualTo("right");
        browser.screenshot("q01");
    }

    @Test
    void decimalsKeepEveryDigitTheDatabaseSent() {
        open("/explore/test/typed-values?_sort=id");
        assertThat(browser.awaitRunEnd()).startsWith("12 rows");
        List<String> headers = browser.headers();
        List<String> amounts = browser.cells().stream().map(row -> row.get(headers.indexOf("amount"))).toList();
        // a double would have shown 10.5, 1000000 and 99.99 for the first two
        assertThat(amounts).containsExactly("10.50", "-3.25", "10.5", "null", "0", "99.99", "null", "0.001", "1000000.00",
                "10.5", "2.5", "-0.01");
        List<String> bigs = browser.cells().stream().map(row -> row.get(headers.indexOf("big"))).toList();
        assertThat(bigs).contains("9000000000000000000", "5000000000");
    }

    @Test
    void changingAParameterUpdatesTheAddressAndTheRows() {
        open("/explore/tpch/q01");
        browser.awaitRunEnd();
        List<List<String>> before = browser.cells();
        WebElement delta = browser.driver.findElement(By.id("param-delta"));
        delta.clear();
        delta.sendKeys("60", Keys.ENTER);
        browser.waiting(20).until(d -> d.getCurrentUrl().endsWith("/explore/tpch/q01?delta=60"));
        browser.awaitRunEnd();
        assertThat(browser.cells()).isEqualTo(apiRows("/queries/tpch/q01?delta=60")).isNotEqualTo(before);

        // sort and a filter go into the address too, in the API's own words, and reload reproduces the view
        new Select(browser.driver.findElement(By.id("sort"))).selectByValue("sum_qty");
        browser.driver.findElement(By.id("descending")).click();
        browser.driver.findElement(By.xpath("//button[text()='Add filter']")).click();
        new Select(browser.driver.findElement(By.cssSelector("[aria-label='Filter 1 column']")))
                .selectByValue("l_linestatus");
        browser.driver.findElement(By.cssSelector("[aria-label='Filter 1 value']")).sendKeys("F");
        browser.driver.findElement(By.id("run")).click();
        String query = "delta=60&_sort=-sum_qty&l_linestatus=F";
        browser.waiting(20).until(d -> d.getCurrentUrl().endsWith("/explore/tpch/q01?" + query));
        browser.awaitRunEnd();
        List<List<String>> filtered = apiRows("/queries/tpch/q01?" + query);
        assertThat(filtered).hasSize(3);
        assertThat(browser.cells()).isEqualTo(filtered);
        browser.navigate().refresh();
        browser.awaitRunEnd();
        assertThat(browser.cells()).isEqualTo(filtered);
        assertThat(browser.driver.findElement(By.cssSelector("[aria-label='Filter 1 value']")).getAttribute("value")).isEqualTo("F");
        browser.screenshot("q01-sorted-filtered");
    }

    @Test
    void theResultDownloadsAsCsvAndArrowAndCurlAsksForTheSameQuery() throws Exception {
        Path file = Browser.DOWNLOADS.resolve("tpch-q01.csv");
        Files.deleteIfExists(file);
        open("/explore/tpch/q01?delta=60");
        browser.awaitRunEnd();
        browser.driver.findElement(By.xpath("//button[text()='Download CSV']")).click();
        browser.waiting(20).until(d -> Files.exists(file));
        // the spreadsheet profile, which changes no cell of q01 (no text cell starts a formula)
        String csv = given().accept("text/csv; profile=spreadsheet").get("/queries/tpch/q01?delta=60").then().statusCode(200).extract()
                .asString();
        assertThat(Files.readString(file)).isEqualTo(csv).startsWith("l_returnflag,l_linestatus,");

        Path arrow = Browser.DOWNLOADS.resolve("tpch-q01.arrow");
        Files.deleteIfExists(arrow);
        browser.driver.findElement(By.xpath("//button[text()='Download Arrow']")).click();
        browser.waiting(20).until(d -> Files.exists(arrow));
        byte[] stream = given().accept("application/vnd.apache.arrow.stream").get("/queries/tpch/q01?delta=60").then().statusCode(200)
                .extract().asByteArray();
        assertThat(Files.readAllBytes(arrow)).isEqualTo(stream);

        browser.driver.findElement(By.xpath("//summary[text()='curl']")).click();
        assertThat(browser.driver.findElement(By.id("curl")).getText())
                .isEqualTo("curl -H 'Accept: text/csv' '" + base.toString().replaceAll("/$", "") + "/queries/tpch/q01?delta=60'");
    }

    @Test
    void aBadValueIsShownBesideItsField() {
        open("/explore/tpch/q01");
        browser.awaitRunEnd();
        WebElement delta = browser.driver.findElement(By.id("param-delta"));
        delta.clear();
        delta.sendKeys("500", Keys.ENTER);
        WebElement error = browser.waiting(20).until(d -> d.findElement(By.cssSelector("[data-param='delta'] .field-error")));
        assertThat(error.getText()).contains("delta").contains("120");
        assertThat(delta.getAttribute("aria-invalid")).isEqualTo("true");
        assertThat(delta.getAttribute("aria-describedby")).contains(error.getAttribute("id"));
        assertThat(browser.active()).isEqualTo(delta);
        browser.screenshot("bad-value");

        // a filter on a column with a value its type cannot read: beside that filter
        open("/explore/tpch/q01?count_order__gt=many");
        WebElement filterError = browser.waiting(20).until(d -> d.findElement(By.cssSelector(".filter .field-error")));
        assertThat(filterError.getText()).contains("count_order__gt");
        assertThat(browser.driver.findElement(By.id("message")).getText()).isEmpty();
    }

    @Test
    void aValueOutsideAnInListIsExplainedOnce() {
        open("/explore/tpch/q03?segment=building");
        WebElement error = browser.waiting(20).until(d -> d.findElement(By.cssSelector("[data-param='segment'] .field-error")));
        // the detail names the allowed values; the problem's allowed member says them again and is not repeated
        assertThat(error.getText()).isEqualTo(
                "parameter 'segment' must be one of AUTOMOBILE, BUILDING, FURNITURE, HOUSEHOLD, MACHINERY, got 'building'");
        browser.screenshot("value-outside-in-list");

        // where the detail does not name them, the allowed values follow it
        open("/explore/tpch/q01?l_linestatus__foo=F");
        WebElement filterError = browser.waiting(20).until(d -> d.findElement(By.cssSelector(".filter .field-error")));
        assertThat(filterError.getText()).isEqualTo("parameter 'l_linestatus__foo' has no lookup 'foo' "
                + "Allowed: exact, ne, lt, lte, gt, gte, in, range, contains, icontains, startswith, isnull.");
        assertThat(new Select(browser.driver.findElement(By.cssSelector("[aria-label='Filter 1 lookup']")))
                .getFirstSelectedOption().getText()).isEqualTo("foo");
    }

    @Test
    void theFilterBuilderOffersEachColumnsOwnLookups() {
        JsonNode q01 = entry(json(given().get("/queries").asString()), "tpch/q01");
        open("/explore/tpch/q01");
        browser.awaitRunEnd();
        browser.driver.findElement(By.xpath("//button[text()='Add filter']")).click();
        Select column = new Select(browser.driver.findElement(By.cssSelector("[aria-label='Filter 1 column']")));
        Select lookup = new Select(browser.driver.findElement(By.cssSelector("[aria-label='Filter 1 lookup']")));
        column.selectByValue("count_order");
        assertThat(options(lookup)).isEqualTo(texts(column(q01, "count_order").get("lookups"))).doesNotContain("contains");
        column.selectByValue("l_returnflag");
        assertThat(options(lookup)).isEqualTo(texts(column(q01, "l_returnflag").get("lookups"))).contains("contains", "startswith");
        lookup.selectByValue("in");
        browser.driver.findElement(By.cssSelector("[aria-label='Filter 1 value']")).sendKeys("A,N");
        browser.driver.findElement(By.id("run")).click();
        browser.waiting(20).until(d -> d.getCurrentUrl().endsWith("/explore/tpch/q01?l_returnflag__in=A%2CN"));
        browser.awaitRunEnd();
        List<List<String>> filtered = apiRows("/queries/tpch/q01?l_returnflag__in=A,N");
        assertThat(filtered).hasSize(3);
        assertThat(browser.cells()).isEqualTo(filtered);
    }

    @Test
    void thePolicyRefusesInlineScriptsAndStylesAndThePageSaysSo() {
        open("/");
        browser.waiting(20).until(d -> !d.findElements(By.cssSelector("a.entry-name")).isEmpty());
        // what an injected fragment of HTML would try
        browser.driver.executeScript("const script = document.createElement('script');"
                + "script.textContent = 'window.inlineRan = true';"
                + "document.head.append(script);"
                + "document.querySelector('main').setAttribute('style', 'color: red');");
        List<String> refused = new ArrayList<>();
        browser.waiting(10).until(d -> {
            refused.addAll(browser.policyViolations());
            return refused.size() >= 2;
        });
        assertThat(refused).anyMatch(message -> message.contains("script-src 'self'"))
                .anyMatch(message -> message.contains("style-src 'self'"));
        assertThat(browser.driver.executeScript("return window.inlineRan === undefined")).isEqualTo(true);
        assertThat(browser.driver.findElement(By.tagName("main")).getCssValue("color")).isNotEqualTo("rgba(255, 0, 0, 1)");
    }

    @Test
    void unknownTemplatesAndFailedStreamsAreToldInWords() {
        open("/explore/no/such-template");
        WebElement problem = browser.waiting(20).until(d -> d.findElement(By.cssSelector(".problem")));
        assertThat(problem.getText()).contains("Unknown template").contains("no/such-template").contains("All templates");

        // a statement timeout after the stream began arrives as an error event
        open("/explore/test/sleep-briefly");
        browser.awaitRunEnd();
        WebElement message = browser.driver.findElement(By.id("message"));
        assertThat(message.getText()).contains("Query timed out").contains("statement timeout").doesNotContain("{");
        browser.screenshot("stream-error");
    }

    @Test
    void stopEndsTheStreamAndPostgresqlCancelsTheQuery() {
        open("/explore/test/sleep?seconds=30");
        browser.waiting(20).until(d -> TestDatabase.serviceSleeping() == 1);
        assertThat(browser.status()).startsWith("Running");
        browser.screenshot("running");
        browser.driver.findElement(By.id("stop")).click();
        browser.waiting(10).until(d -> browser.status().startsWith("Stopped"));
        browser.waiting(10).until(d -> TestDatabase.serviceSleeping() == 0);
        // the cancelled statement leaves its session idle in an aborted transaction until the rollback that follows it
        browser.waiting(10).until(d -> TestDatabase.serviceActivity().stream().noneMatch(activity -> activity.contains("pg_sleep")));
        assertThat(browser.driver.findElement(By.id("run")).isEnabled()).isTrue();
    }

    @Test
    void aLongResultPagesOnWithTheKeysetCursor() {
        open("/explore/test/many-rows?rows=2500");
        assertThat(browser.awaitRunEnd()).startsWith("First 1,000 rows");
        WebElement more = browser.driver.findElement(By.id("more"));
        more.click();
        assertThat(browser.awaitRunEnd()).startsWith("First 2,000 rows");
        more.click();
        assertThat(browser.awaitRunEnd()).startsWith("2,500 rows");
        assertThat(more.isDisplayed()).isFalse();
        List<String> numbers = browser.cells().stream().map(row -> row.get(0)).toList();
        assertThat(numbers).isEqualTo(java.util.stream.IntStream.rangeClosed(1, 2500).mapToObj(String::valueOf).toList());
        // test/many-rows is keyed by n: the next pages start after the signed cursor of the last row shown
        assertThat(browser.requestedUrls().stream().filter(url -> url.contains("/queries/test/many-rows")))
                .hasSize(3).filteredOn(url -> url.contains("_after=")).hasSize(2);
        assertThat(browser.driver.getCurrentUrl()).endsWith("/explore/test/many-rows?rows=2500");
    }

    @Test
    void aTimeSeriesIsDrawnAsALineAndTheAxesCanBePicked() {
        open("/explore/analysis/monthly-trend?region=EUROPE");
        browser.awaitRunEnd();
        WebElement chart = browser.waiting(20).until(d -> d.findElement(By.cssSelector("#chart svg")));
        assertThat(new Select(browser.driver.findElement(By.id("chart-x")))
                .getFirstSelectedOption().getText()).isEqualTo("month");
        assertThat(chart.findElements(By.tagName("text")).stream().map(WebElement::getText)).anyMatch(text -> text.startsWith("1995-0"));
        // a line per nation of Europe, each through the 12 months of 1995
        assertThat(chart.findElements(By.tagName("text")).stream().map(WebElement::getText))
                .contains("FRANCE", "GERMANY", "ROMANIA", "RUSSIA", "UNITED KINGDOM");
        browser.waiting(20).until(d -> longestPath(chart) >= 12);
        browser.screenshot("chart-line");
        // the tooltip is drawn in the chart too, under the same policy
        int texts = chart.findElements(By.tagName("text")).size();
        new Actions(browser.driver).moveToElement(chart).perform();
        browser.waiting(10).until(d -> chart.findElements(By.tagName("text")).size() > texts);
        browser.screenshot("chart-tooltip");

        open("/explore/tpch/q01");
        browser.awaitRunEnd();
        WebElement bars = browser.waiting(20).until(d -> d.findElement(By.cssSelector("#chart svg")));
        assertThat(new Select(browser.driver.findElement(By.id("chart-kind")))
                .getFirstSelectedOption().getText()).isEqualTo("bars");
        browser.driver.findElement(By.cssSelector(".chart-panel input[value='avg_price']")).click();
        browser.waiting(20).until(d -> d.getCurrentUrl().contains("y=sum_qty%2Cavg_price"));
        assertThat(bars.findElements(By.tagName("text")).stream().map(WebElement::getText)).contains("avg_price", "sum_qty");
        browser.screenshot("chart-bars");
    }

    private static int longestPath(WebElement chart) {
        return chart.findElements(By.tagName("path")).stream()
                .mapToInt(path -> String.valueOf(path.getAttribute("d")).split("L").length).max().orElse(0);
    }

    @Test
    void everyRequestOfThePageGoesToThisService() {
        open("/");
        browser.waiting(20).until(d -> !d.findElements(By.cssSelector("a.entry-name")).isEmpty());
        open("/explore/analysis/monthly-trend");
        browser.awaitRunEnd();
        browser.waiting(20).until(d -> d.findElement(By.cssSelector("#chart svg")));
        browser.driver.findElement(By.xpath("//summary[text()='SQL and plan']")).click();
        WebElement explain = browser.waiting(20).until(d -> d.findElement(By.cssSelector("#explain pre")));
        assertThat(explain.getText()).contains("SELECT");
        browser.screenshot("sql-and-plan");

        List<String> urls = browser.requestedUrls();
        String origin = base.toString().replaceAll("/$", "");
        assertThat(urls).anyMatch(url -> url.startsWith(origin + "/webjars/echarts/"))
                .anyMatch(url -> url.startsWith(origin + "/queries/analysis/monthly-trend?"))
                .anyMatch(url -> url.contains("_explain=true"))
                .allMatch(url -> url.startsWith(origin + "/") || url.startsWith("data:") || url.startsWith("blob:"));
    }

    @Test
    void aPersonWithoutAMouseFindsAndRunsATemplate() {
        open("/");
        browser.waiting(20).until(d -> !d.findElements(By.cssSelector("a.entry-name")).isEmpty());
        tabTo("search");
        browser.active().sendKeys("q03");
        browser.waiting(10).until(d -> d.findElements(By.cssSelector("a.entry-name")).size() == 1);
        tabTo("link to tpch/q03");
        browser.active().sendKeys(Keys.ENTER);
        browser.waiting(20).until(d -> d.getCurrentUrl().endsWith("/explore/tpch/q03"));
        browser.awaitRunEnd();
        tabTo("param-segment");
        browser.active().sendKeys("MACHINERY");
        tabTo("run");
        browser.active().sendKeys(Keys.ENTER);
        browser.waiting(20).until(d -> d.getCurrentUrl().endsWith("/explore/tpch/q03?segment=MACHINERY"));
        browser.awaitRunEnd();
        assertThat(browser.cells()).isNotEmpty().isEqualTo(apiRows("/queries/tpch/q03?segment=MACHINERY"));
        browser.screenshot("keyboard-q03");
    }

    @Test
    void noGroupByBoxCheckedAsksForOneRowOfTotals() {
        open("/explore/tpch/q01?delta=90");
        browser.awaitRunEnd();
        browser.driver.findElement(By.id("_group-l_returnflag")).click();
        browser.driver.findElement(By.id("_group-l_linestatus")).click();
        browser.driver.findElement(By.id("run")).click();
        browser.waiting(20).until(d -> d.getCurrentUrl().endsWith("/explore/tpch/q01?_group="));
        assertThat(browser.awaitRunEnd()).startsWith("1 row");
        assertThat(browser.cells()).hasSize(1).isEqualTo(apiRows("/queries/tpch/q01?delta=90&_group="));
        assertThat(browser.driver.findElement(By.id("_group-l_returnflag")).isSelected()).isFalse();
    }

    @Test
    void everyControlHasALabel() {
        open("/explore/analysis/revenue-cube?_group=region&_measures=revenue,orders&region__ne=ASIA");
        browser.awaitRunEnd();
        browser.driver.findElement(By.xpath("//button[text()='Add filter']")).click();
        List<WebElement> controls = browser.driver.findElements(By.cssSelector("input, select, textarea"));
        assertThat(controls).hasSizeGreaterThan(20);
        assertThat(controls).allSatisfy(control -> assertThat(accessibleName(control))
                .as("label of %s", control.getAttribute("outerHTML")).isNotBlank());
        assertThat(browser.cells())
                .isEqualTo(apiRows("/queries/analysis/revenue-cube?_group=region&_measures=revenue,orders&region__ne=ASIA"));
        browser.screenshot("revenue-cube");
    }

    /** The name a screen reader would announce for a control: its label's text or aria-label. */
    private static String accessibleName(WebElement control) {
        return (String) browser.driver.executeScript("const c = arguments[0];"
                + "return c.getAttribute('aria-label') || [...(c.labels || [])].map(l => l.textContent).join(' ');", control);
    }

    /** Presses Tab until the focused element is the one with this id or accessible name, as a keyboard user would. */
    private void tabTo(String target) {
        for (int presses = 0; presses < 60; presses++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            WebElement focused = browser.active();
            String id = focused.getAttribute("id");
            String name = "a".equals(focused.getTagName()) ? "link to " + focused.getText() : accessibleName(focused);
            if (target.equals(id) || target.equals(name)) {
                return;
            }
        }
        throw new AssertionError("Tab never reached " + target);
    }

    private static JsonNode entry(JsonNode catalog, String name) {
        for (JsonNode entry : catalog) {
            if (entry.get("name").asText().equals(name)) {
                return entry;
            }
        }
        throw new AssertionError("no " + name + " in the catalog");
    }

    private static JsonNode column(JsonNode entry, String name) {
        for (JsonNode column : entry.get("columns")) {
            if (column.get("name").asText().equals(name)) {
                return column;
            }
        }
        throw new AssertionError("no column " + name + " in " + entry.get("name"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static List<String> options(Select select) {
        return select.getOptions().stream().map(WebElement::getText).toList();
    }

    /** The rows of a JSON page as text, as the page should show them: decimals with every digit, null as null. */
    private static List<List<String>> apiRows(String path) {
        JsonNode page = json(given().get(path).then().statusCode(200).extract().asString());
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode row : page.get("rows")) {
            List<String> cells = new ArrayList<>();
            for (JsonNode column : page.get("columns")) {
                JsonNode value = row.get(column.get("name").asText());
                cells.add(value.isNull() ? "null" : value.isBigDecimal() ? value.decimalValue().toPlainString() : value.asText());
            }
            rows.add(cells);
        }
        return rows;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

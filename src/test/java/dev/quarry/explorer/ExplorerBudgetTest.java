package dev.quarry.explorer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.text.NumberFormat;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A template with a budget shows PostgreSQL's estimate under its form before it runs, when the request
 * is near or over its budget, with the figures {@code _explain=budget} answers for the rows a run asks
 * for (the explorer's page size); far below it, nothing.
 * Over test/budgeted-rows (a cost budget of 1000 on a series of {@code rows} numbers, sorted).
 */
@QuarkusTest
class ExplorerBudgetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final Browser browser = new Browser();

    @TestHTTPResource("/")
    URL base;

    @Test
    void overItsBudgetTheFormSaysSoWithTheEstimateAndFarBelowItSaysNothing() throws Exception {
        JsonNode decision = JSON.readTree(given().get("/queries/test/budgeted-rows?rows=1000000&_limit=1000&_explain=budget").asString());
        assertThat(decision.path("decision").asText()).isEqualTo("refuse");
        String cost = NumberFormat.getIntegerInstance(Locale.US).format(Math.round(decision.at("/estimate/cost").asDouble()));

        browser.navigate().to(base.toString().replaceAll("/$", "") + "/explore/test/budgeted-rows?rows=1000000");
        WebElement estimate = browser.waiting(20).until(d -> {
            WebElement box = d.findElement(By.id("budget"));
            return box.isDisplayed() ? box : null;
        });
        assertThat(estimate.getAttribute("class")).isEqualTo("budget over");
        assertThat(estimate.getText()).startsWith("Over its budget: PostgreSQL estimates cost " + cost + " of 1,000 (")
                .contains("so Run will be refused", "the plan's estimated cost is over the budget's", "Narrow it with n");
        browser.screenshot("budget-over");

        WebElement rows = browser.driver.findElement(By.id("param-rows"));
        rows.clear();
        rows.sendKeys("10", Keys.ENTER);
        browser.waiting(20).until(d -> !d.findElement(By.id("budget")).isDisplayed());
        assertThat(browser.awaitRunEnd()).startsWith("10 rows");
    }
}

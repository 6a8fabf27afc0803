package dev.quarry.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import dev.quarry.http.AuthenticationOn;
import dev.quarry.http.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** With authentication on, the explorer asks for a bearer token once and sends it as a header, never in a URL. */
@QuarkusTest
@TestProfile(AuthenticationOn.class)
class ExplorerAuthenticationTest {

    @RegisterExtension
    static final Browser browser = new Browser();

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void forgetTheTokenOfEarlierTests() {
        open("/");
        browser.driver.executeScript("sessionStorage.clear()");
        browser.requests();
        browser.consoleMessages();
    }

    @AfterEach
    void nothingWasRefusedByThePolicy() {
        assertThat(browser.policyViolations()).isEmpty();
    }

    private void open(String path) {
        browser.navigate().to(base.toString().replaceAll("/$", "") + path);
    }

    @Test
    void theTokenIsAskedForOnceAndSentAsAnAuthorizationHeaderOnly() {
        open("/");
        WebElement input = browser.waiting(20).until(d -> d.findElement(By.id("token")));
        assertThat(browser.driver.findElement(By.cssSelector("label[for=token]")).getText()).isEqualTo("Bearer token");
        browser.screenshot("sign-in");
        String token = TestTokens.valid("analyst");
        input.sendKeys(token, Keys.ENTER);
        browser.waiting(20).until(d -> !d.findElements(By.cssSelector("a.entry-name")).isEmpty());
        assertThat(browser.driver.findElements(By.cssSelector("a.entry-name")).stream().map(WebElement::getText))
                .contains("test/restricted", "tpch/q01");

        // another page of the same tab: no second question
        open("/explore/test/restricted");
        assertThat(browser.awaitRunEnd()).startsWith("5 rows");
        assertThat(browser.cells().stream().map(row -> row.get(1))).contains("FRANCE", "GERMANY");
        assertThat(browser.driver.findElements(By.id("token"))).isEmpty();
        assertThat(browser.driver.executeScript("return sessionStorage.getItem('quarry.token')")).isEqualTo(token);
        assertThat(browser.driver.findElement(By.id("curl")).getAttribute("textContent"))
                .contains("Authorization: Bearer $QUARRY_TOKEN").doesNotContain(token);

        List<Browser.Request> requests = browser.requests();
        List<Browser.Request> api = requests.stream().filter(request -> request.url().contains("/queries")).toList();
        // the first, without a token, was answered 401 and brought the question; every later one carries the token
        assertThat(api.get(0).headers().has("Authorization")).isFalse();
        assertThat(api.subList(1, api.size())).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(request -> assertThat(request.headers().path("Authorization").asText()).isEqualTo("Bearer " + token));
        assertThat(requests).noneMatch(request -> request.url().contains(token));
    }

    @Test
    void aTokenThatDoesNotVerifyIsAskedForAgain() {
        browser.driver.executeScript("sessionStorage.setItem('quarry.token', 'not.a.jwt')");
        open("/explore/tpch/q01");
        browser.waiting(20).until(d -> d.findElement(By.id("token")));
        assertThat(browser.driver.findElement(By.tagName("main")).getText())
                .contains("Quarry did not accept the token").contains("not valid");
    }
}

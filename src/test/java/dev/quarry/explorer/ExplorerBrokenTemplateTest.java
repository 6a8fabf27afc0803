package dev.quarry.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.quarry.http.MarkBroken;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** A template marked broken at startup: the catalog says why, and its page shows the 503 in words. */
@QuarkusTest
@TestProfile(MarkBroken.class)
class ExplorerBrokenTemplateTest {

    @RegisterExtension
    static final Browser browser = new Browser();

    @TestHTTPResource("/")
    URL base;

    @Test
    void theCatalogAndThePageSayTheTemplateIsOutOfServiceAndWhy() {
        String origin = base.toString().replaceAll("/$", "");
        browser.navigate().to(origin + "/?q=broken");
        WebElement entry = browser.waiting(20).until(d -> d.findElement(By.cssSelector(".catalog li")));
        assertThat(entry.getText()).contains("broken/typo").contains("Out of service: broken/typo.sql:4: PostgreSQL: syntax error");

        browser.navigate().to(origin + "/explore/broken/typo");
        browser.awaitRunEnd();
        WebElement message = browser.driver.findElement(By.id("message"));
        assertThat(message.getText()).contains("Query out of service").contains("broken/typo.sql:4").doesNotContain("{");
        // no Retry-After: trying again would not help, so no button offers it
        assertThat(message.findElements(By.tagName("button"))).isEmpty();
        browser.screenshot("broken-template");
    }
}

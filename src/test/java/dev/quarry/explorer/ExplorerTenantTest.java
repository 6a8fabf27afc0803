package dev.quarry.explorer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

import dev.quarry.http.TenancyOn;
import dev.quarry.http.TestTokens;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The explorer says whose rows a tenant's template shows: the tenant from the token, or why there is none. */
@QuarkusTest
@TestProfile(TenancyOn.class)
class ExplorerTenantTest {

    @RegisterExtension
    static final Browser browser = new Browser();

    @TestHTTPResource("/")
    URL base;

    @AfterEach
    void nothingWasRefusedByThePolicy() {
        assertThat(browser.policyViolations()).isEmpty();
    }

    @Test
    void aTenantsTemplateShowsTheTenantFromTheTokenAndOnlyItsRows() {
        signInAndOpen(TestTokens.withClaim("nation", 3), "/explore/tenant/orders?_sort=o_orderkey");
        assertThat(browser.awaitRunEnd()).contains("rows");
        assertThat(browser.driver.findElement(By.id("tenant")).getText()).isEqualTo("Rows of tenant nation = 3 only, from your token.");
        browser.screenshot("tenant");
        assertThat(browser.cells()).isNotEmpty().allSatisfy(row -> assertThat(row.get(3)).isEqualTo("3"));
    }

    @Test
    void withoutATenantInTheTokenItSaysSo() {
        signInAndOpen(TestTokens.valid(), "/explore/tenant/orders");
        assertThat(browser.waiting(20).until(d -> d.findElement(By.id("tenant"))).getText())
                .isEqualTo("This template shows one tenant's rows, and your token names no tenant in its \"nation\" claim.");
    }

    private void signInAndOpen(String token, String path) {
        browser.navigate().to(base.toString().replaceAll("/$", "") + "/");
        browser.driver.executeScript("sessionStorage.clear()");
        browser.navigate().to(base.toString().replaceAll("/$", "") + path);
        browser.waiting(20).until(d -> d.findElement(By.id("token"))).sendKeys(token, Keys.ENTER);
    }
}

package dev.quarry.explorer;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Headless Chromium from Debian's packages, driven by their chromedriver: both paths are given, so
 * Selenium Manager downloads nothing. Without them the tests are skipped, except on CI, where a
 * missing browser must fail the build rather than hide the explorer's tests. A test class holds one
 * in a static {@code @RegisterExtension} field: started before its first test, quit after its last.
 */
final class Browser implements BeforeAllCallback, AfterAllCallback {

    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final Path SCREENSHOTS = Path.of("target", "explorer-screenshots");
    /** Where the page's downloads land, without a dialog. */
    static final Path DOWNLOADS = Path.of("target", "explorer-downloads").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    ChromeDriver driver;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
            String missing = "the explorer's browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                    + ": apt-get install -y chromium chromium-driver";
            if ("true".equals(System.getenv("CI"))) {
                fail(missing);
            }
            assumeTrue(false, missing);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        // --no-sandbox: the tests run as root here
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1300",
                "--hide-scrollbars");
        options.setExperimentalOption("prefs", Map.of("download.default_directory", DOWNLOADS.toString(),
                "download.prompt_for_download", false));
        // every request the page makes, read back by requests(), and what it writes to the console (consoleMessages())
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).build();
        driver = new ChromeDriver(service, options);
    }

    WebDriverWait waiting(int seconds) {
        return new WebDriverWait(driver, Duration.ofSeconds(seconds));
    }

    /** Waits until a run has ended (its status no longer says it runs) and returns that status. */
    String awaitRunEnd() {
        waiting(30).until(d -> d.findElement(By.id("run")).isEnabled() && !status().isEmpty()
                && !status().startsWith("Running"));
        return status();
    }

    String status() {
        return driver.findElement(By.id("status")).getText();
    }

    /** The result table's cells, row by row, as the page shows them (read in one script: tables can be long). */
    @SuppressWarnings("unchecked")
    List<List<String>> cells() {
        return (List<List<String>>) driver.executeScript(
                "return [...document.querySelectorAll('#results tbody tr')].map(row => [...row.cells].map(cell => cell.innerText))");
    }

    List<String> headers() {
        return driver.findElements(By.cssSelector("#results thead th")).stream().map(WebElement::getText).toList();
    }

    WebElement active() {
        return driver.switchTo().activeElement();
    }

    /** A request the browser sent: its URL and headers. */
    record Request(String url, JsonNode headers) {
    }

    /** Every request the browser sent since the last call: documents, scripts, fetches. */
    List<Request> requests() {
        List<Request> requests = new ArrayList<>();
        for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
            try {
                JsonNode message = JSON.readTree(entry.getMessage()).get("message");
                if (message.get("method").asText().equals("Network.requestWillBeSent")) {
                    JsonNode request = message.get("params").get("request");
                    requests.add(new Request(request.get("url").asText(), request.get("headers")));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return requests;
    }

    /** What the browser wrote to the page's console since the last call, across navigations: errors, refusals of the CSP. */
    List<String> consoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream().map(LogEntry::getMessage).toList();
    }

    /** The console's reports of something the Content-Security-Policy refused, since the last call. */
    List<String> policyViolations() {
        return consoleMessages().stream().filter(message -> message.contains("Content Security Policy")).toList();
    }

    List<String> requestedUrls() {
        return requests().stream().map(Request::url).toList();
    }

    /** Saves what the page looks like now, to be looked at: a test that counts rows can pass on an unreadable page. */
    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Files.write(SCREENSHOTS.resolve(name + ".png"), driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    WebDriver.Navigation navigate() {
        return driver.navigate();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (driver != null) {
            driver.quit();
        }
    }
}

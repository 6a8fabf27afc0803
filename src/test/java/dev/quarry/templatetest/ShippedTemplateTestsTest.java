package dev.quarry.templatetest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.quarry.execute.Catalog;
import dev.quarry.execute.CheckedTemplate;
import io.quarkus.test.junit.QuarkusTest;

/** Runs the test files shipped beside the built-in templates, as {@code quarry-run.jar test} would. */
@QuarkusTest
class ShippedTemplateTestsTest {

    @Inject
    Catalog catalog;

    @Inject
    TemplateTests tests;

    @Test
    void everyShippedCasePasses() {
        Map<String, TestFile> files = TestFiles.load(Optional.empty());
        assertFalse(files.isEmpty(), "no test file found beside the shipped templates");
        Map<String, CheckedTemplate> templates = new LinkedHashMap<>();
        catalog.all().stream().filter(template -> files.containsKey(template.name()))
                .forEach(template -> templates.put(template.name(), template));
        TestRun run = tests.run(templates, files, result -> {});
        List<String> failures = run.results().stream().filter(result -> !result.passed())
                .map(result -> result.template() + ": " + result.name() + "\n" + result.failure().orElseThrow()).toList();
        assertEquals(List.of(), failures, String.join("\n\n", failures));
        assertFalse(run.results().isEmpty());
    }
}

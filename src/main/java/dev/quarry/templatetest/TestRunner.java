package dev.quarry.templatetest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.quarry.execute.Catalog;
import dev.quarry.execute.CheckedTemplate;

/**
 * What the {@code test} command does: runs the chosen test files beside the templates against the configured
 * database, one line per case on standard output, and answers the exit code (1 on any failure).
 */
@Dependent
public class TestRunner {

    @Inject
    Catalog catalog;

    @Inject
    TemplateTests tests;

    @ConfigProperty(name = "quarry.templates.directory")
    Optional<Path> directory;

    public int run(TestArguments arguments) {
        Map<String, CheckedTemplate> templates = new LinkedHashMap<>();
        catalog.all().stream().filter(template -> arguments.selects(template.name()))
                .forEach(template -> templates.put(template.name(), template));
        Map<String, TestFile> files = new LinkedHashMap<>();
        TestFiles.load(directory).forEach((name, file) -> {
            if (arguments.selects(name)) {
                files.put(name, file);
            }
        });
        if (templates.isEmpty() && files.isEmpty()) {
            System.err.println("quarry test: no template matches " + String.join(" ", arguments.selection()));
            return 2;
        }
        TestRun run = tests.run(templates, files, TestRunner::print);
        run.unexercised().forEach((template, missing) -> missing.forEach(line -> System.out.println("not exercised: " + line)));
        if (!run.untested().isEmpty()) {
            System.out.println("no test file: " + String.join(", ", run.untested()));
        }
        if (arguments.junitXml().isPresent()) {
            try {
                Path target = arguments.junitXml().get().toAbsolutePath();
                Files.createDirectories(target.getParent());
                Files.writeString(target, JunitXml.of(run), StandardCharsets.UTF_8);
            } catch (IOException e) {
                System.err.println("quarry test: could not write " + arguments.junitXml().get() + ": " + e.getMessage());
                return 2;
            }
        }
        System.out.println(run.passed() + " passed, " + run.failed() + " failed");
        return run.succeeded(arguments.strict()) ? 0 : 1;
    }

    private static void print(CaseResult result) {
        System.out.println((result.passed() ? "PASS " : "FAIL ") + result.template() + ": " + result.name() + " ("
                + result.millis() + " ms)");
        result.failure().ifPresent(failure -> List.of(failure.split("\n")).forEach(line -> System.out.println("     " + line)));
    }
}

package dev.quarry.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import dev.quarry.templatetest.TestArguments;
import dev.quarry.templatetest.TestRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code test [template or folder ...] [--strict] [--junit-xml FILE]}: the templates' test files, without serving. */
@Command(name = "test", description = "Runs the test files beside the templates against the configured database, one line per case; exits 1 on a failure.")
final class TestCommand extends BatchCommand {

    @Parameters(paramLabel = "TEMPLATE", arity = "0..*", description = "template names (tpch/q01, or its file queries/tpch/q01.sql) or folders (tpch); every template when none is named")
    List<String> selection = new ArrayList<>();

    @Option(names = "--strict", description = "fails the run when an optional block or dimension is exercised by no case")
    boolean strict;

    @Option(names = "--junit-xml", paramLabel = "FILE", description = "also writes the results to FILE as JUnit XML")
    Path junitXml;

    @Inject
    TestRunner runner;

    @Override
    Map<String, String> settings() {
        return CheckCommand.EVERY_TEMPLATE;
    }

    @Override
    int execute() {
        return runner.run(new TestArguments(selection, strict, Optional.ofNullable(junitXml)));
    }
}

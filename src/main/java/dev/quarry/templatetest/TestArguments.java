package dev.quarry.templatetest;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code test [template or folder ...] [--strict] [--junit-xml FILE]} asks for.
 *
 * @param selection template names ({@code analysis/top-customers}) or folders ({@code tpch}); empty for all
 * @param strict    whether an optional block or dimension no case exercises fails the run
 * @param junitXml  where to write the results as JUnit XML
 */
public record TestArguments(List<String> selection, boolean strict, Optional<Path> junitXml) {

    public TestArguments {
        selection = selection.stream().map(TestArguments::normalize).toList();
    }

    /** {@code queries/tpch/q01.sql}, {@code tpch/q01.test.yaml} and {@code tpch/q01} all name tpch/q01. */
    private static String normalize(String arg) {
        String name = arg.replace('\\', '/');
        name = name.startsWith("queries/") ? name.substring("queries/".length()) : name;
        for (String suffix : List.of(TestFiles.SUFFIX, ".sql", "/")) {
            name = name.endsWith(suffix) ? name.substring(0, name.length() - suffix.length()) : name;
        }
        return name;
    }

    /** Whether a template is chosen: every one when none is named, else by its name or a folder holding it. */
    public boolean selects(String template) {
        return selection.isEmpty() || selection.stream().anyMatch(chosen -> template.equals(chosen) || template.startsWith(chosen + "/"));
    }
}

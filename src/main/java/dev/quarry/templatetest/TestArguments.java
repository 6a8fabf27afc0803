package dev.quarry.templatetest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code test [template or folder ...] [--strict] [--junit-xml FILE]}.
 *
 * @param selection template names ({@code analysis/top-customers}) or folders ({@code tpch}); empty for all
 * @param strict    whether an optional block or dimension no case exercises fails the run
 * @param junitXml  where to write the results as JUnit XML
 */
public record TestArguments(List<String> selection, boolean strict, Optional<Path> junitXml) {

    /** @throws IllegalArgumentException naming what is wrong */
    public static TestArguments parse(String... args) {
        List<String> selection = new ArrayList<>();
        boolean strict = false;
        Optional<Path> junitXml = Optional.empty();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--strict")) {
                strict = true;
            } else if (arg.equals("--junit-xml")) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("--junit-xml needs a file name");
                }
                junitXml = Optional.of(Path.of(args[++i]));
            } else if (arg.startsWith("-")) {
                throw new IllegalArgumentException(
                        "unknown option " + arg + "; usage: test [template or folder ...] [--strict] [--junit-xml FILE]");
            } else {
                selection.add(normalize(arg));
            }
        }
        return new TestArguments(List.copyOf(selection), strict, junitXml);
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

package dev.quarry.templatetest;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.quarry.template.TemplateTree;

/**
 * Finds the test files beside the templates, where {@link dev.quarry.template.TemplateFiles} finds
 * the templates: {@code queries/**}{@code /*.test.yaml} on the class path, then the configured
 * directory, whose files replace built-in ones of the same name.
 */
public final class TestFiles {

    static final String SUFFIX = ".test.yaml";

    private TestFiles() {
    }

    /** Template name to its test file, read and parsed, in name order. */
    public static Map<String, TestFile> load(Optional<Path> directory) {
        Map<String, TestFile> files = new TreeMap<>();
        for (TemplateTree.File file : TemplateTree.files(SUFFIX, directory)) {
            String template = file.relative().substring(0, file.relative().length() - SUFFIX.length());
            files.put(template, TestFileParser.parse(file.source(), template, file.text()));
        }
        return files;
    }
}

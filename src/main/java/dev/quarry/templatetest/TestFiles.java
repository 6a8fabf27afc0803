package dev.quarry.templatetest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Finds the test files beside the templates, where {@link dev.quarry.template.TemplateFiles} finds
 * the templates: {@code queries/**}{@code /*.test.yaml} on the class path, then the configured
 * directory, whose files replace built-in ones of the same name.
 */
public final class TestFiles {

    static final String SUFFIX = ".test.yaml";
    private static final String ROOT = "queries";

    private TestFiles() {
    }

    /** Template name to its test file, read and parsed, in name order. */
    public static Map<String, TestFile> load(Optional<Path> directory) {
        Map<String, TestFile> files = new TreeMap<>();
        try {
            Enumeration<URL> roots = Thread.currentThread().getContextClassLoader().getResources(ROOT);
            for (URL root : Collections.list(roots)) {
                URI uri = root.toURI();
                if (uri.getScheme().equals("jar")) {
                    FileSystem jar;
                    try {
                        jar = FileSystems.newFileSystem(uri, Map.of());
                    } catch (FileSystemAlreadyExistsException e) {
                        jar = FileSystems.getFileSystem(uri);
                    }
                    readTree(jar.provider().getPath(uri), ROOT + "/", files);
                } else {
                    readTree(Path.of(uri), ROOT + "/", files);
                }
            }
            if (directory.isPresent() && Files.isDirectory(directory.get())) {
                readTree(directory.get(), "", files);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the template tests: " + e.getMessage(), e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    private static void readTree(Path root, String sourcePrefix, Map<String, TestFile> into) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(file -> file.toString().endsWith(SUFFIX) && Files.isRegularFile(file)).sorted().toList()) {
                String relative = root.relativize(file).toString().replace('\\', '/');
                String template = relative.substring(0, relative.length() - SUFFIX.length());
                into.put(template, TestFileParser.parse(sourcePrefix + relative, template,
                        Files.readString(file, StandardCharsets.UTF_8)));
            }
        }
    }
}

package dev.quarry.template;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds template files: {@code queries/**}{@code /*.sql} on the class path, then the configured
 * directory, whose files replace built-in ones of the same name. A name is the path below the
 * root without {@code .sql}.
 */
public final class TemplateFiles {

    private static final String ROOT = "queries";

    private TemplateFiles() {
    }

    /** Every template, parsed and resolved; a bad one stops it with {@code file:line: reason}. */
    public static Map<String, Template> load(Optional<Path> directory) {
        Map<String, Template> parsed = new LinkedHashMap<>();
        try {
            Enumeration<URL> roots = Thread.currentThread().getContextClassLoader().getResources(ROOT);
            for (URL root : Collections.list(roots)) {
                readTree(root.toURI(), parsed);
            }
            if (directory.isPresent()) {
                if (!Files.isDirectory(directory.get())) {
                    throw new IllegalStateException("quarry.templates.directory " + directory.get() + " is not a directory");
                }
                readTree(directory.get(), "", parsed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the templates: " + e.getMessage(), e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return TemplateLibrary.resolve(parsed);
    }

    private static void readTree(URI root, Map<String, Template> into) throws IOException {
        if (root.getScheme().equals("jar")) {
            FileSystem jar;
            try {
                jar = FileSystems.newFileSystem(root, Map.of());
            } catch (FileSystemAlreadyExistsException e) {
                jar = FileSystems.getFileSystem(root);
            }
            readTree(jar.provider().getPath(root), ROOT + "/", into);
        } else {
            readTree(Path.of(root), ROOT + "/", into);
        }
    }

    private static void readTree(Path root, String sourcePrefix, Map<String, Template> into) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(file -> file.toString().endsWith(".sql") && Files.isRegularFile(file)).sorted().toList();
        }
        for (Path file : files) {
            String relative = root.relativize(file).toString().replace('\\', '/');
            String name = relative.substring(0, relative.length() - ".sql".length());
            String text = Files.readString(file, StandardCharsets.UTF_8);
            into.put(name, TemplateParser.parse(name, sourcePrefix + relative, text));
        }
    }
}

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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The files where templates live: under {@code queries/} on the class path (in the jar or a
 * folder), then under the configured directory. The templates and the test files beside them are
 * both found here, so they are found the same way.
 */
public final class TemplateTree {

    private static final String ROOT = "queries";

    /**
     * A file found.
     *
     * @param relative its path below its root, with {@code /} between names
     * @param source   where it is, for messages: {@code queries/...} on the class path, else the relative path
     * @param text     its contents
     */
    public record File(String relative, String source, String text) {
    }

    private TemplateTree() {
    }

    /**
     * Every file whose name ends with {@code suffix}: the class path's in path order, then the
     * directory's in path order, so a caller keeping the last file of a name lets the directory's win.
     *
     * @throws IllegalStateException when the directory is given but is not one
     */
    public static List<File> files(String suffix, Optional<Path> directory) {
        List<File> files = new ArrayList<>();
        try {
            for (URL root : Collections.list(Thread.currentThread().getContextClassLoader().getResources(ROOT))) {
                read(path(root.toURI()), ROOT + "/", suffix, files);
            }
            if (directory.isPresent()) {
                if (!Files.isDirectory(directory.get())) {
                    throw new IllegalStateException("quarry.templates.directory " + directory.get() + " is not a directory");
                }
                read(directory.get(), "", suffix, files);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the templates' files: " + e.getMessage(), e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return files;
    }

    private static Path path(URI root) throws IOException {
        if (!root.getScheme().equals("jar")) {
            return Path.of(root);
        }
        FileSystem jar;
        try {
            jar = FileSystems.newFileSystem(root, Map.of());
        } catch (FileSystemAlreadyExistsException e) {
            jar = FileSystems.getFileSystem(root);
        }
        return jar.provider().getPath(root);
    }

    private static void read(Path root, String sourcePrefix, String suffix, List<File> into) throws IOException {
        List<Path> found;
        try (Stream<Path> walk = Files.walk(root)) {
            found = walk.filter(file -> file.toString().endsWith(suffix) && Files.isRegularFile(file)).sorted().toList();
        }
        for (Path file : found) {
            String relative = root.relativize(file).toString().replace('\\', '/');
            into.add(new File(relative, sourcePrefix + relative, Files.readString(file, StandardCharsets.UTF_8)));
        }
    }
}

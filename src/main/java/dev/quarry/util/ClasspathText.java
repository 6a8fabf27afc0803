package dev.quarry.util;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The text of a file shipped on the class path, such as a statement kept in a {@code .sql} file:
 * one reader for the packages beside the pipeline (a load, the template tests) that cannot depend on
 * each other.
 */
public final class ClasspathText {

    private ClasspathText() {
    }

    /**
     * @param  path                  from the class path's root, such as {@code dataset/publish.sql}
     * @throws IllegalStateException when the build left it out
     */
    public static String read(String path) {
        try (InputStream in = ClasspathText.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

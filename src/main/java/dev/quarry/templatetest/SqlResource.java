package dev.quarry.templatetest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The text of a statement kept under {@code templatetest/} on the class path. */
final class SqlResource {

    private SqlResource() {
    }

    static String read(String name) {
        try (InputStream in = SqlResource.class.getResourceAsStream("/templatetest/" + name)) {
            if (in == null) {
                throw new IllegalStateException("templatetest/" + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

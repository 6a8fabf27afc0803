package dev.quarry.dataset;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The SQL files of a load, under {@code dataset/} on the class path. */
final class DatasetSql {

    private DatasetSql() {
    }

    static String resource(String name) {
        try (InputStream in = DatasetSql.class.getResourceAsStream("/dataset/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource dataset/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

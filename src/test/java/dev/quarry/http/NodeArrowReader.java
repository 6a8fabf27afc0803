package dev.quarry.http;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Apache Arrow's JavaScript reader (the {@code apache-arrow} package from the npm registry, at the
 * version src/test/resources/arrow-reader/package.json pins), installed with npm into
 * target/arrow-reader once and run by Node over one stream at a time: a reader of Arrow that Quarry
 * did not write. Without node and npm the tests that use it are skipped, except on CI, where they
 * must fail the build rather than hide.
 */
final class NodeArrowReader {

    private static final Path DIRECTORY = Path.of("target", "arrow-reader").toAbsolutePath();
    private static final String NODE = "/usr/bin/node";

    private NodeArrowReader() {
    }

    /** Installs the reader if it is not yet; skips (or on CI fails) the test when node or npm is missing. */
    static void install() throws IOException, InterruptedException {
        String npm = Files.isExecutable(Path.of("/usr/bin/npm")) ? "/usr/bin/npm" : "/usr/local/bin/npm";
        if (!Files.isExecutable(Path.of(NODE)) || !Files.isExecutable(Path.of(npm))) {
            String missing = "the Arrow reader tests need " + NODE + " and npm: apt-get install -y nodejs npm";
            if ("true".equals(System.getenv("CI"))) {
                fail(missing);
            }
            assumeTrue(false, missing);
        }
        Files.createDirectories(DIRECTORY);
        for (String file : List.of("package.json", "read-arrow.mjs")) {
            try (InputStream in = NodeArrowReader.class.getResourceAsStream("/arrow-reader/" + file)) {
                Files.copy(in, DIRECTORY.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        if (!Files.isDirectory(DIRECTORY.resolve("node_modules/apache-arrow"))) {
            Process install = new ProcessBuilder(npm, "install", "--no-audit", "--no-fund", "--no-package-lock")
                    .directory(DIRECTORY.toFile()).redirectErrorStream(true).start();
            String output = new String(install.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0) {
                fail("npm install of apache-arrow failed: " + output);
            }
        }
    }

    /** What the reader read of the stream, as read-arrow.mjs prints it; the reader's error when it could not read it. */
    static Result read(byte[] stream) throws IOException, InterruptedException {
        Process node = new ProcessBuilder(NODE, DIRECTORY.resolve("read-arrow.mjs").toString()).directory(DIRECTORY.toFile()).start();
        try (var in = node.getOutputStream()) {
            in.write(stream);
        }
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String errors = new String(node.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!node.waitFor(2, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            fail("the Arrow reader did not end");
        }
        return new Result(node.exitValue(), output, errors);
    }

    /** @param json the stream as JSON when status is 0 */
    record Result(int status, String json, String errors) {
    }
}

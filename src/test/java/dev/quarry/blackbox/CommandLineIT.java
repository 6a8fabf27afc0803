package dev.quarry.blackbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The command line of the packaged jar: help, the version and a mistyped command or option answer at once
 * and start nothing (no PostgreSQL data directory, no startup line, no server); a command that runs gets
 * the options it was given.
 */
class CommandLineIT {

    /** Where the embedded PostgreSQL would put its data, had anything started: it must not come to exist. */
    private final Path data = Path.of("target/command-line-it").toAbsolutePath();

    private record Answer(int exit, String out, String err) {
    }

    private Answer run(String name, String... arguments) throws Exception {
        Path dataDirectory = data.resolve(name);
        try (PackagedApp app = PackagedApp.startWithErrorsApart("command-line-it-" + name, Map.of(
                "QUARRY_EMBEDDED_DATA_DIRECTORY", dataDirectory.toString(),
                "QUARKUS_HTTP_PORT", Integer.toString(PackagedApp.freePort())), arguments)) {
            int exit = app.exitWithin(Duration.ofMinutes(2));
            Answer answer = new Answer(exit, app.output(), app.errors());
            assertThat(dataDirectory).as("the embedded PostgreSQL's data directory").doesNotExist();
            assertThat(answer.out() + answer.err()).as("what started")
                    .doesNotContain("Started the embedded PostgreSQL")
                    .doesNotContain("Listening on")
                    .doesNotContain("started in")
                    .doesNotContain("Exception");
            return answer;
        }
    }

    @Test
    void helpListsTheCommandsOnStandardOutput() throws Exception {
        Answer help = run("help", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: quarry [-hV] [COMMAND]")
                .contains("  serve  ").contains("  load   ").contains("  refresh  ").contains("  test   ").contains("  check  ");
        assertThat(help.err()).isEmpty();
    }

    @Test
    void versionIsTheProjects() throws Exception {
        Answer version = run("version", "--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).isEqualTo("quarry " + System.getProperty("quarry.version") + "\n");
        assertThat(version.err()).isEmpty();
    }

    @Test
    void aMistypedCommandPrintsTheUsageAndExits2() throws Exception {
        Answer typo = run("tset", "tset");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).startsWith("Unknown command: 'tset'\n\nUsage: quarry [-hV] [COMMAND]").contains("  test   ");
        assertThat(typo.out()).isEmpty();
    }

    @Test
    void aMistypedOptionPrintsTheCommandsUsageAndExits2() throws Exception {
        Answer typo = run("load-scael", "load", "--scael", "1");
        assertThat(typo.exit()).isEqualTo(2);
        assertThat(typo.err()).startsWith("Unknown option: '--scael'\nMissing required option: '--scale=N'\n\n"
                + "Usage: quarry load [-hV] [--force] --scale=N");
        assertThat(typo.out()).isEmpty();
    }

    @Test
    void aCommandsHelpStartsNothing() throws Exception {
        Answer help = run("serve-help", "serve", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: quarry serve [-hV]").contains("Serves the templates over HTTP");
        assertThat(help.err()).isEmpty();
    }

    /** Parsed before the start and again inside it: the template chosen and the report's file reach the run. */
    @Test
    void testRunsTheTemplateItNamesAndWritesTheReport() throws Exception {
        Path report = data.resolve("q01.xml");
        Files.deleteIfExists(report);
        try (PackagedApp app = PackagedApp.start("command-line-it-test", Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(PackagedApp.freePort())), "test", "queries/tpch/q01.sql", "--junit-xml",
                report.toString())) {
            assertThat(app.exitWithin(Duration.ofMinutes(5))).as(app::output).isZero();
            String output = app.output();
            assertThat(output.lines().filter(line -> line.startsWith("PASS ") || line.startsWith("FAIL ")))
                    .isNotEmpty().allMatch(line -> line.startsWith("PASS tpch/q01: "));
            assertThat(output).containsPattern("(?m)^\\d+ passed, 0 failed$").doesNotContain("Listening on");
            assertThat(Files.readString(report)).contains("tpch/q01").contains("failures=\"0\"");
        }
    }

    /** The rollup named is built in the database the jar uses, one line for it; a name no template declares exits 1. */
    @Test
    void refreshBuildsTheRollupItNamesAndRefusesAnUndeclaredOne() throws Exception {
        try (PackagedApp app = PackagedApp.start("command-line-it-refresh", Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(PackagedApp.freePort())), "refresh", "--template", "analysis/revenue-cube",
                "--rollup", "nations")) {
            assertThat(app.exitWithin(Duration.ofMinutes(5))).as(app::output).isZero();
            assertThat(app.output())
                    .containsPattern("(?m)^BUILT analysis/revenue-cube nations: 25 rows, [0-9,]+ bytes, built in [0-9.]+ s$")
                    .containsPattern("(?m)^1 rollups refreshed, 0 failed$").doesNotContain("Listening on");
        }
        try (PackagedApp app = PackagedApp.startWithErrorsApart("command-line-it-refresh-undeclared", Map.of(
                "QUARKUS_HTTP_PORT", Integer.toString(PackagedApp.freePort())), "refresh", "--rollup", "weekly")) {
            assertThat(app.exitWithin(Duration.ofMinutes(2))).as(app::output).isEqualTo(1);
            assertThat(app.errors()).contains("quarry refresh: no rollup is declared with the name weekly; declared: [")
                    .contains("analysis/revenue-cube nations");
        }
    }
}

package dev.quarry.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.quarry.templatetest.TestArguments;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The command line as picocli reads it. Only what starts nothing is executed here (help, version, usage
 * errors); a good command line is parsed, and the options it fills are read from the command.
 */
class QuarryCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        return QuarryCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    @Test
    void helpListsTheCommandsOnStandardOutput() {
        assertThat(execute("--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: quarry [-hV] [COMMAND]")
                .containsPattern("(?m)^  serve    Serves the templates over HTTP")
                .containsPattern("(?m)^  load     Loads TPC-H")
                .containsPattern("(?m)^  refresh  Builds the declared rollups again")
                .containsPattern("(?m)^  test     Runs the test files")
                .containsPattern("(?m)^  check    Checks every template");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void versionIsTheBuildsOwn() {
        assertThat(execute("--version")).isZero();
        // filtered from the pom by the build: a number, not the placeholder
        assertThat(out.toString()).matches("quarry \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void eachCommandHasItsHelp() {
        for (String command : List.of("serve", "load", "refresh", "test", "check")) {
            StringWriter help = new StringWriter();
            int exit = QuarryCommand.commandLine().setOut(new PrintWriter(help)).execute(command, "--help");
            assertThat(exit).as(command).isZero();
            assertThat(help.toString()).as(command).startsWith("Usage: quarry " + command + " [-hV]");
        }
        assertThat(execute("load", "--help")).isZero();
        assertThat(out.toString()).contains("--scale=N").contains("--force");
        assertThat(execute("test", "--help")).isZero();
        assertThat(out.toString()).contains("[--strict] [--junit-xml=FILE] [TEMPLATE...]");
        assertThat(execute("refresh", "--help")).isZero();
        assertThat(out.toString()).contains("[--full] [--rollup=R] [--template=T]");
    }

    @Test
    void anUnknownCommandIsNamedAndTheUsageFollowsOnStandardError() {
        assertThat(execute("tset")).isEqualTo(2);
        assertThat(err.toString()).startsWith("Unknown command: 'tset'\n\nUsage: quarry [-hV] [COMMAND]")
                .contains("  test     Runs the test files");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnknownOptionIsToldBeforeTheRequiredOneItHidMissing() {
        assertThat(execute("load", "--scael", "1")).isEqualTo(2);
        assertThat(err.toString()).startsWith("""
                Unknown option: '--scael'
                Missing required option: '--scale=N'

                Usage: quarry load [-hV] [--force] --scale=N
                """);
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnknownOptionOfTheTopIsAUsageError() {
        assertThat(execute("--verbose")).isEqualTo(2);
        assertThat(err.toString()).startsWith("Unknown option: '--verbose'\n\nUsage: quarry");
    }

    @Test
    void aBadScaleSaysWhyBeforeTheUsage() {
        assertThat(execute("load", "--scale", "abc")).isEqualTo(2);
        assertThat(err.toString()).startsWith("Invalid value for option '--scale': scale must be a number such as 0.01 or 1,"
                + " not 'abc'\n\nUsage: quarry load");
    }

    @Test
    void aScaleOutOfRangeOrMissingIsAUsageError() {
        assertThat(execute("load", "--scale", "5000")).isEqualTo(2);
        assertThat(err.toString()).startsWith("Invalid value for option '--scale': scale must be between 0.001 and 1000, not 5000\n");
        StringWriter missing = new StringWriter();
        assertThat(QuarryCommand.commandLine().setErr(new PrintWriter(missing)).execute("load", "--scale")).isEqualTo(2);
        assertThat(missing.toString()).startsWith("Missing required parameter for option '--scale' (N)\n");
    }

    @Test
    void checkTakesNoArgumentAndTestNeedsTheFileItWritesTo() {
        assertThat(execute("check", "extra")).isEqualTo(2);
        assertThat(err.toString()).startsWith("Unexpected argument: 'extra'\n\nUsage: quarry check [-hV]");
        assertThat(execute("test", "--junit-xml")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter for option '--junit-xml' (FILE)");
        assertThat(execute("test", "--lenient")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--lenient'");
    }

    @Test
    void loadReadsTheScaleAndForce() {
        LoadCommand load = (LoadCommand) parse("load", "--scale", "0.010", "--force");
        assertThat(load.scale.toString()).isEqualTo("0.01");
        assertThat(load.force).isTrue();
        LoadCommand again = (LoadCommand) parse("load", "--scale=1");
        assertThat(again.scale.value()).isEqualByComparingTo("1");
        assertThat(again.force).isFalse();
    }

    @Test
    void testReadsTheTemplatesAndFolders() {
        TestCommand test = (TestCommand) parse("test", "queries/tpch/q01.sql", "analysis/", "--strict", "--junit-xml",
                "target/results.xml");
        TestArguments arguments = new TestArguments(test.selection, test.strict, Optional.ofNullable(test.junitXml));
        assertThat(arguments.selection()).containsExactly("tpch/q01", "analysis");
        assertThat(arguments.strict()).isTrue();
        assertThat(arguments.junitXml()).contains(Path.of("target/results.xml"));
        assertThat(arguments.selects("analysis/top-customers")).isTrue();
        assertThat(arguments.selects("tpch/q02")).isFalse();

        TestCommand all = (TestCommand) parse("test");
        assertThat(all.selection).isEmpty();
        assertThat(all.junitXml).isNull();
    }

    @Test
    void noCommandIsServe() {
        ParseResult result = QuarryCommand.commandLine().parseArgs();
        assertThat(result.hasSubcommand()).isFalse();
        assertThat(result.commandSpec().userObject()).isInstanceOf(QuarryCommand.class);
    }

    private static Object parse(String... args) {
        CommandLine line = QuarryCommand.commandLine();
        return line.parseArgs(args).subcommand().commandSpec().userObject();
    }
}

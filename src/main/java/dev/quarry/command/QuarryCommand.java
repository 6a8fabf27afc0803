package dev.quarry.command;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Quarry's commands, defined in this one place: a command is a class of this package named in
 * {@code subcommands}. Without a command Quarry serves. Every command has {@code --help} and {@code --version};
 * an unknown command or option, or a bad value, prints the usage to standard error and exits 2 before
 * anything starts.
 */
@Command(name = "quarry", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, versionProvider = ProjectVersion.class, description = "Serves hand-written SQL templates over PostgreSQL as JSON pages and streams.", subcommands = {
        ServeCommand.class,
        LoadCommand.class,
        RefreshCommand.class,
        TestCommand.class,
        CheckCommand.class,
})
final class QuarryCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        return new ServeCommand().call();
    }

    static CommandLine commandLine() {
        return commandLine(CommandLine.defaultFactory());
    }

    /** The command line, with its commands made by this factory. */
    static CommandLine commandLine(IFactory factory) {
        return new CommandLine(new QuarryCommand(), factory).setParameterExceptionHandler(QuarryCommand::usageError);
    }

    /**
     * What is wrong, then the usage of the command it was given to. picocli tells a missing option before an
     * unknown one, yet the unknown one is the likelier typo ({@code --scael 1}), so it is told first.
     */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        List<String> unmatched = command.getUnmatchedArguments();
        if (!unmatched.isEmpty()) {
            err.println(unknown(command, unmatched.get(0)));
        }
        if (unmatched.isEmpty() || !(e instanceof UnmatchedArgumentException)) {
            err.println(e.getMessage());
        }
        err.println();
        command.usage(err);
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static String unknown(CommandLine command, String argument) {
        if (argument.startsWith("-")) {
            return "Unknown option: '" + argument + "'";
        }
        return (command.getSubcommands().isEmpty() ? "Unexpected argument: '" : "Unknown command: '") + argument + "'";
    }
}

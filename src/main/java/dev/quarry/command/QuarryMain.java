package dev.quarry.command;

import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The jar's entry: the command line is read before anything starts, so that {@code --help}, {@code --version}
 * and a mistyped command or option start no database and no server.
 */
@QuarkusMain
public class QuarryMain {

    public static void main(String... args) {
        // a command that starts Quarkus ends the JVM through Quarkus, with its own exit code; this exit is for
        // the ones that start nothing: help, version, usage errors
        System.exit(QuarryCommand.commandLine().execute(args));
    }
}

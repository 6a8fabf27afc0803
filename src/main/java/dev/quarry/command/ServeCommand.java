package dev.quarry.command;

import java.util.concurrent.Callable;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import picocli.CommandLine.Command;

/** {@code serve}, also what Quarry does without a command: the HTTP service, until it is stopped. */
@Command(name = "serve", description = "Serves the templates over HTTP until stopped (what Quarry does without a command).")
final class ServeCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        // returns only if Quarkus did not end the JVM itself when it stopped
        Quarkus.run();
        return ApplicationLifecycleManager.getExitCode();
    }
}

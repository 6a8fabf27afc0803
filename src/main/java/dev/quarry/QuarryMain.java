package dev.quarry;

import dev.quarry.dataset.LoadArguments;
import dev.quarry.dataset.LoadCommand;
import dev.quarry.templatetest.TestArguments;
import dev.quarry.templatetest.TestCommand;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Serves by default; {@code load --scale N} loads TPC-H into the configured database and exits.
 * The load's arguments are checked before anything starts, so a bad one changes nothing.
 * {@code test} runs the templates' tests and {@code check} checks the templates, both without serving.
 */
@QuarkusMain
public class QuarryMain {

    public static void main(String... args) {
        if (args.length > 0 && (args[0].equals("test") || args[0].equals("check"))) {
            runTemplateCommand(args);
            return;
        }
        if (args.length == 0 || !args[0].equals("load")) {
            Quarkus.run(args);
            return;
        }
        try {
            LoadArguments.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("quarry load: " + e.getMessage());
            System.exit(2);
        }
        batchJob();
        // no load of the default scale at startup
        System.setProperty("quarry.dataset.load-on-start", "none");
        System.setProperty("quarry.templates.check-on-start", "false");
        Quarkus.run(LoadCommand.class, args);
    }

    /** Checks every template, reporting each broken one rather than stopping at the first. */
    private static void runTemplateCommand(String... args) {
        if (args[0].equals("test")) {
            try {
                TestArguments.parse(args);
            } catch (IllegalArgumentException e) {
                System.err.println("quarry test: " + e.getMessage());
                System.exit(2);
            }
        } else if (args.length > 1) {
            System.err.println("quarry check: takes no arguments");
            System.exit(2);
        }
        batchJob();
        System.setProperty("quarkus.shutdown.delay-enabled", "false");
        System.setProperty("quarry.templates.on-error", "mark-broken");
        System.setProperty("quarkus.log.category.\"dev.quarry.execute.Catalog\".level", "OFF");
        Quarkus.run(args[0].equals("test") ? TestCommand.class : CheckCommand.class, args);
    }

    /**
     * A command rather than a server: no HTTP listener, no shutdown delay (no load balancer to tell),
     * and the output its own, without the banner or the "Listening on:" line.
     */
    private static void batchJob() {
        System.setProperty("quarkus.http.host-enabled", "false");
        System.setProperty("quarkus.shutdown.delay", "0s");
        System.setProperty("quarkus.banner.enabled", "false");
        System.setProperty("quarkus.log.category.\"io.quarkus\".level", "WARN");
    }
}

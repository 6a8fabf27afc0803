package dev.quarry.command;

import java.util.Map;
import java.util.concurrent.Callable;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that runs once inside Quarkus and exits with its own code: a batch job rather than a server, so
 * no HTTP listener, no shutdown delay (no load balancer to tell), and the output its own, without the banner
 * or the "Listening on:" line.
 * <p>
 * A subclass is made twice: by picocli before anything starts, from the arguments, which it checks; then
 * by Quarkus, with its injections, when picocli calls it. The same arguments fill the second one's options.
 */
abstract class BatchCommand implements Callable<Integer>, QuarkusApplication {

    private static final Map<String, String> BATCH_JOB = Map.of(
            "quarkus.http.host-enabled", "false",
            "quarkus.shutdown.delay", "0s",
            "quarkus.banner.enabled", "false",
            // a batch job builds the rollups it is told to, not those serve would build on its schedule
            "quarry.rollup.schedule.enabled", "false",
            "quarkus.log.category.\"io.quarkus\".level", "WARN");

    @Spec
    CommandSpec spec;

    /** What this command sets on top of a batch job's settings, as system properties before Quarkus starts. */
    abstract Map<String, String> settings();

    /** The command's work, inside Quarkus, with its options filled: the exit code. */
    abstract int execute();

    /** Before anything started: the arguments are good, so Quarkus starts and makes this command again. */
    @Override
    public final Integer call() {
        BATCH_JOB.forEach(System::setProperty);
        settings().forEach(System::setProperty);
        // Quarkus ends the JVM with the command's exit code; the return is reached only if it did not
        Quarkus.run(getClass(), spec.root().commandLine().getParseResult().originalArgs().toArray(String[]::new));
        return ApplicationLifecycleManager.getExitCode();
    }

    /** Inside Quarkus, as its bean: the options filled from the arguments checked before the start. */
    @Override
    public final int run(String... args) {
        QuarryCommand.commandLine(filling(this)).parseArgs(args);
        return execute();
    }

    /** picocli's factory, except for this command's class, for which it hands over the bean Quarkus made. */
    private static IFactory filling(BatchCommand bean) {
        return new IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == bean.getClass() ? type.cast(bean) : CommandLine.defaultFactory().create(type);
            }
        };
    }
}

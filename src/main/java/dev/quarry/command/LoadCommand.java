package dev.quarry.command;

import java.util.Map;

import jakarta.inject.Inject;

import dev.quarry.dataset.DatasetLoader;
import dev.quarry.dataset.PublishStep;
import dev.quarry.dataset.ScaleFactor;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code load --scale N [--force]}: TPC-H into whatever database is configured, telling progress per table. */
@Command(name = "load", description = "Loads TPC-H at a scale into the configured database (the embedded one unless another is set), then exits.")
final class LoadCommand extends BatchCommand {

    @Option(names = "--scale", required = true, paramLabel = "N", converter = ScaleConverter.class, description = "the scale factor, from 0.001 to 1000 (1 is about 1 GB, 8.7 million rows), e.g. 0.01 or 1")
    ScaleFactor scale;

    @Option(names = "--force", description = "loads it again if that scale is already loaded")
    boolean force;

    @Inject
    DatasetLoader loader;

    /** The rollups, built in the dataset's publish transaction. */
    @Inject
    PublishStep rollups;

    @Override
    Map<String, String> settings() {
        // no load of the default scale at startup, and no template check against tables not loaded yet
        return Map.of("quarry.dataset.load-on-start", "none", "quarry.templates.check-on-start", "false");
    }

    @Override
    int execute() {
        try {
            loader.load(scale, force, System.out::println, rollups);
            return 0;
        } catch (RuntimeException e) {
            System.err.println("quarry load: " + e.getMessage());
            return 1;
        }
    }

    /** A scale as a person types it, or the one line saying why not. */
    static final class ScaleConverter implements ITypeConverter<ScaleFactor> {

        @Override
        public ScaleFactor convert(String value) {
            try {
                return ScaleFactor.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}

package dev.quarry.dataset;

/** {@code load --scale N [--force]}: the scale to load, and whether to load it again if it is there. */
public record LoadArguments(ScaleFactor scale, boolean force) {

    static final String USAGE = "usage: load --scale N [--force]   (N from 0.001 to 1000, e.g. 0.01 or 1)";

    public static LoadArguments parse(String... args) {
        ScaleFactor scale = null;
        boolean force = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--scale" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--scale needs a value; " + USAGE);
                    }
                    scale = ScaleFactor.parse(args[++i]);
                }
                case "--force" -> force = true;
                default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'; " + USAGE);
            }
        }
        if (scale == null) {
            throw new IllegalArgumentException("--scale is required; " + USAGE);
        }
        return new LoadArguments(scale, force);
    }
}

package dev.quarry.blackbox;

import java.util.List;

/** What a replica logged during a soak: its ERROR and WARN lines, stack traces, and the lines of each change of a dependency's state. */
record SoakLog(List<String> errors, List<String> warnings, long stackTraceLines, long postgresAway, long postgresBack, long redisAway,
        long redisBack) {

    static final String POSTGRES_AWAY = "PostgreSQL did not answer";
    static final String POSTGRES_BACK = "PostgreSQL answers again";
    static final String REDIS_AWAY = "The shared cache (Redis) did not answer";
    static final String REDIS_BACK = "The shared cache (Redis) answers again";

    static SoakLog of(String output) {
        List<String> lines = output.lines().toList();
        return new SoakLog(lines.stream().filter(line -> line.contains(" ERROR [")).toList(),
                lines.stream().filter(line -> line.contains(" WARN  [")).toList(),
                lines.stream().filter(line -> line.startsWith("\tat ") || line.startsWith("Caused by:")).count(),
                count(lines, POSTGRES_AWAY), count(lines, POSTGRES_BACK), count(lines, REDIS_AWAY), count(lines, REDIS_BACK));
    }

    /** The ERROR lines other than the one that says PostgreSQL went away. */
    List<String> unexpectedErrors() {
        return errors.stream().filter(line -> !line.contains(POSTGRES_AWAY)).toList();
    }

    private static long count(List<String> lines, String text) {
        return lines.stream().filter(line -> line.contains(text)).count();
    }
}

package dev.quarry.blackbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A soak's findings in one markdown table, with the checks it must pass: every answer a 200, a 400
 * for each bad value and for nothing else, or a 503 while PostgreSQL was down; never a 500 or no
 * answer; in each replica's log one ERROR line (PostgreSQL went away), one line per change of a
 * dependency's state, no stack trace; memory flat after the warm-up; no session left in PostgreSQL.
 *
 * @param origin       the load's start, as System.nanoTime tells it
 * @param postgresDown from the stop of PostgreSQL to when it accepted connections again, in seconds of the load
 * @param redisDown    from the stop of Redis to its start, in seconds of the load
 * @param reconnect    how long after PostgreSQL is back a 503 still counts as its outage's (the pool's new connections)
 */
record SoakReport(Instant began, long origin, Duration load, int clients, Map<String, Replica> replicas, SoakAnswers answers,
        long leftBeforeHeaders,
        long leftAfterHeaders, Window postgresDown, Window redisDown, Duration reconnect, long busySessionsAfterLoad,
        long sessionsAfterStop) {

    /** A span of the load, in nanoseconds since the load began. */
    record Window(long from, long to) {

        String seconds() {
            return String.format("%.1f–%.1f s", from / 1e9, to / 1e9);
        }
    }

    /** A replica's log and memory readings. */
    record Replica(SoakLog log, List<SoakMemory.Sample> memory) {
    }

    /** Fewer readings than this after the warm-up, and memory is reported but not judged: a minute says nothing of a leak. */
    private static final int JUDGED_READINGS = 8;

    /** The 503s outside PostgreSQL's outage (with the reconnect after it). */
    List<SoakAnswers.Unavailable> unavailableOutsideOutage() {
        long from = origin + postgresDown.from();
        long to = origin + postgresDown.to() + reconnect.toNanos();
        return answers.unavailable().stream().filter(answer -> answer.ended() < from || answer.started() > to).toList();
    }

    List<String> failures() {
        List<String> failures = new ArrayList<>();
        if (answers.wrong() > 0) {
            failures.add(answers.wrong() + " wrong answers (500s, unanswered, wrong rows, bad values not refused)");
        }
        if (answers.badValuesRefused() != answers.badValues()) {
            failures.add((answers.badValues() - answers.badValuesRefused()) + " bad values not answered 400");
        }
        if (!unavailableOutsideOutage().isEmpty()) {
            failures.add(unavailableOutsideOutage().size() + " 503s while PostgreSQL was up");
        }
        replicas.forEach((name, replica) -> {
            SoakLog log = replica.log();
            if (!log.unexpectedErrors().isEmpty() || log.postgresAway() != 1 || log.postgresBack() != 1 || log.redisAway() != 1
                    || log.redisBack() != 1 || log.stackTraceLines() > 0) {
                failures.add(name + "'s log: " + log.unexpectedErrors().size() + " unexpected ERROR lines, " + log.stackTraceLines()
                        + " stack trace lines, state changes " + stateChanges(log) + " (expected 1/1, 1/1)");
            }
            if (!memoryFlat(replica.memory())) {
                failures.add(name + "'s resident memory grew after the warm-up: " + rss(replica.memory()));
            }
        });
        if (busySessionsAfterLoad > 0 || sessionsAfterStop > 0) {
            failures.add("sessions left in PostgreSQL: " + busySessionsAfterLoad + " busy after the load, " + sessionsAfterStop
                    + " after the replicas stopped");
        }
        return failures;
    }

    String table() {
        List<String> failures = failures();
        Map<Integer, Long> byStatus = answers.byStatus();
        long total = answers.total();
        StringBuilder table = new StringBuilder();
        table.append("Soak of ").append(began).append(": ").append(minutes(load)).append(" of load, ").append(clients)
                .append(" clients and a leaving SSE client a second over ").append(replicas.size())
                .append(" replicas (-Xmx128m, answers kept 5 s, Redis tier), PostgreSQL down ").append(postgresDown.seconds())
                .append(", Redis down ").append(redisDown.seconds()).append(" into the load.\n\n");
        table.append("| measure | value | expected |\n|---|---|---|\n");
        row(table, "answers by status", byStatus.entrySet().stream()
                .map(entry -> (entry.getKey() == SoakAnswers.NO_ANSWER ? "none" : entry.getKey()) + ": " + String.format("%,d", entry
                        .getValue()))
                .collect(Collectors.joining(", ")), "200, 400 and 503 only; never a 500");
        row(table, "bad values answered 400", String.format("%,d of %,d", answers.badValuesRefused(), answers.badValues()), "all");
        row(table, "503s outside PostgreSQL's outage (+" + reconnect.toSeconds() + " s to reconnect)", String.format("%,d of %,d",
                unavailableOutsideOutage().size(), answers.unavailable().size()), "0");
        row(table, "wrong answers (500, none, wrong rows)", String.format("%,d", answers.wrong()), "0");
        row(table, "SSE clients that left", String.format("%,d before the headers, %,d after", leftBeforeHeaders, leftAfterHeaders), "");
        replicas.forEach((name, replica) -> {
            SoakLog log = replica.log();
            row(table, name + ": ERROR lines", log.errors().size() + " (" + log.unexpectedErrors().size() + " other than PostgreSQL away), "
                    + log.stackTraceLines() + " stack trace lines", "1 (PostgreSQL away), 0");
            row(table, name + ": state changes PostgreSQL, Redis (away/back)", stateChanges(log), "1/1, 1/1");
            row(table, name + ": heap MiB every " + SoakMemory.EVERY.toSeconds() + " s", replica.memory().stream().map(sample -> Long
                    .toString(sample.heap())).collect(Collectors.joining(" ")), "bounded");
            row(table, name + ": RSS MiB every " + SoakMemory.EVERY.toSeconds() + " s", rss(replica.memory()), "flat after warm-up");
        });
        row(table, "service sessions in PostgreSQL: busy after the load, left after stop", busySessionsAfterLoad + ", " + sessionsAfterStop,
                "0, 0");
        row(table, "requests per second (answers / load time)", String.format("%,.0f", total / (load.toMillis() / 1000.0)), "");
        row(table, "result", failures.isEmpty() ? "pass" : "FAIL", "pass");
        for (String failure : failures) {
            table.append("\n- ").append(failure);
        }
        List<String> described = answers.wrongDescribed();
        if (!described.isEmpty()) {
            table.append("\n\nFirst wrong answers:\n");
            described.forEach(line -> table.append("\n    ").append(line));
        }
        replicas.forEach((name, replica) -> replica.log().unexpectedErrors().stream().limit(10)
                .forEach(line -> table.append("\n\n").append(name).append(": ").append(line)));
        return table.append('\n').toString();
    }

    private static String stateChanges(SoakLog log) {
        return log.postgresAway() + "/" + log.postgresBack() + ", " + log.redisAway() + "/" + log.redisBack();
    }

    private static String rss(List<SoakMemory.Sample> memory) {
        return memory.stream().map(sample -> Long.toString(sample.rss())).collect(Collectors.joining(" "));
    }

    /**
     * Flat: the resident set of the last quarter of the readings at most a fifth above the highest of
     * the readings between the warm-up (the first quarter) and then. Judged on long runs only.
     */
    private static boolean memoryFlat(List<SoakMemory.Sample> memory) {
        int quarter = memory.size() / 4;
        if (memory.size() - quarter < JUDGED_READINGS) {
            return true;
        }
        long settled = memory.subList(quarter, memory.size() - quarter).stream().mapToLong(SoakMemory.Sample::rss).max().orElseThrow();
        long last = memory.subList(memory.size() - quarter, memory.size()).stream().mapToLong(SoakMemory.Sample::rss).max().orElseThrow();
        return last <= settled * 6 / 5;
    }

    private static String minutes(Duration duration) {
        return duration.toSeconds() % 60 == 0 ? duration.toMinutes() + " min" : TimeUnit.MILLISECONDS.toSeconds(duration.toMillis()) + " s";
    }

    private static void row(StringBuilder table, String measure, String value, String expected) {
        table.append("| ").append(measure).append(" | ").append(value).append(" | ").append(expected).append(" |\n");
    }
}

package dev.quarry.blackbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The soak's steady load: clients that each send one request after the other, every one distinct
 * (random keys, values, groupings and periods), each to either replica at random: a point lookup
 * ({@code tpch/order}), {@code tpch/q06}, {@code tpch/q03} and {@code analysis/revenue-cube}, one in
 * ten with a bad value. Each answer is checked and tallied: 200 with the right rows for a good
 * request, 400 for a bad one, 503 (held against the outage later); anything else is wrong.
 */
final class SoakLoad implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> SEGMENTS = List.of("AUTOMOBILE", "BUILDING", "FURNITURE", "HOUSEHOLD", "MACHINERY");
    private static final List<String> DIMENSIONS = List.of("region", "nation", "segment", "year", "quarter", "month", "category",
            "ship_mode");
    private static final List<String> MEASURES = List.of("revenue", "orders", "customers", "quantity", "avg_discount");
    private static final LocalDate FIRST_ORDER_MONTH = LocalDate.of(1992, 1, 1);
    private static final int ORDER_MONTHS = 7 * 12;

    /** A request of the mix: its path and query, whether one of its values is bad, and the order key it asks for (0 if none). */
    private record Request(String pathAndQuery, boolean bad, long orderKey) {
    }

    private final List<URI> replicas;
    private final List<Long> orderKeys;
    private final SoakAnswers answers;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
            .build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ExecutorService clients;

    private SoakLoad(List<URI> replicas, List<Long> orderKeys, SoakAnswers answers, int clients) {
        this.replicas = replicas;
        this.orderKeys = orderKeys;
        this.answers = answers;
        this.clients = Executors.newFixedThreadPool(clients);
    }

    /** Starts this many clients; they send until closed. */
    static SoakLoad start(List<URI> replicas, List<Long> orderKeys, SoakAnswers answers, int clients) {
        SoakLoad load = new SoakLoad(replicas, orderKeys, answers, clients);
        for (int i = 0; i < clients; i++) {
            load.clients.submit(load::client);
        }
        return load;
    }

    private void client() {
        while (running.get()) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            Request request = next(random);
            URI replica = replicas.get(random.nextInt(replicas.size()));
            long started = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(replica.resolve(request.pathAndQuery())).timeout(TIMEOUT)
                        .build(), HttpResponse.BodyHandlers.ofString());
                answered(request, response, started);
            } catch (IOException e) {
                answers.status(SoakAnswers.NO_ANSWER);
                answers.wrong("no answer to " + request.pathAndQuery() + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void answered(Request request, HttpResponse<String> response, long started) {
        int status = response.statusCode();
        answers.status(status);
        if (request.bad()) {
            answers.badValue(status == 400);
        }
        if (status == 503) {
            answers.unavailable(started, System.nanoTime(), title(response.body()));
            return;
        }
        String problem = request.bad() ? refusal(response) : rows(request, response);
        if (problem != null) {
            answers.wrong(status + " to " + request.pathAndQuery() + ": " + problem);
        }
    }

    /** Null when the bad request got its 400 problem naming a parameter, else what is wrong. */
    private static String refusal(HttpResponse<String> response) {
        if (response.statusCode() != 400) {
            return "a bad value not refused: " + abbreviated(response.body());
        }
        JsonNode problem = json(response.body());
        return problem != null && problem.path("parameter").isTextual() ? null : "a 400 without its parameter: " + response.body();
    }

    /** Null when a good request got its rows (the order asked for, for a lookup), else what is wrong. */
    private static String rows(Request request, HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            return abbreviated(response.body());
        }
        JsonNode page = json(response.body());
        if (page == null || !page.path("rows").isArray()) {
            return "not a page: " + abbreviated(response.body());
        }
        if (request.orderKey() != 0 && (page.path("rows").size() != 1 || page.path("rows").get(0).path("o_orderkey").asLong() != request
                .orderKey())) {
            return "not the order asked for: " + abbreviated(response.body());
        }
        return null;
    }

    private Request next(ThreadLocalRandom random) {
        boolean bad = random.nextInt(10) == 0;
        return switch (random.nextInt(4)) {
            case 0 -> {
                long key = orderKeys.get(random.nextInt(orderKeys.size()));
                yield bad ? new Request("/queries/tpch/order?orderkey=" + key + "x", true, 0)
                        : new Request("/queries/tpch/order?orderkey=" + key, false, key);
            }
            case 1 -> new Request("/queries/tpch/q06?date=" + LocalDate.of(1993, 1, 1).plusDays(random.nextInt(4 * 365)) + "&discount=0.0"
                    + (bad ? "1" : 2 + random.nextInt(8)) + "&quantity=" + (24 + random.nextInt(2)), bad, 0);
            case 2 -> new Request("/queries/tpch/q03?segment=" + (bad ? "SPACESHIP" : SEGMENTS.get(random.nextInt(SEGMENTS.size())))
                    + "&date=1995-03-" + String.format("%02d", 1 + random.nextInt(31)), bad, 0);
            default -> {
                int since = random.nextInt(ORDER_MONTHS);
                int until = since + 1 + random.nextInt(ORDER_MONTHS - since);
                yield new Request("/queries/analysis/revenue-cube?_group=" + (bad ? "planet" : some(DIMENSIONS, 2, random)) + "&_measures="
                        + some(MEASURES, 3, random) + "&since=" + FIRST_ORDER_MONTH.plusMonths(since) + "&until="
                        + FIRST_ORDER_MONTH.plusMonths(until), bad, 0);
            }
        };
    }

    /** One to {@code most} of the names, distinct, comma-separated. */
    private static String some(List<String> names, int most, ThreadLocalRandom random) {
        List<String> left = new ArrayList<>(names);
        List<String> chosen = new ArrayList<>();
        for (int i = 1 + random.nextInt(most); i > 0; i--) {
            chosen.add(left.remove(random.nextInt(left.size())));
        }
        return String.join(",", chosen);
    }

    static String title(String body) {
        JsonNode problem = json(body);
        return problem == null ? "(not a problem: " + abbreviated(body) + ")" : problem.path("title").asText();
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    static String abbreviated(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "...";
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        clients.shutdown();
        if (!clients.awaitTermination(TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the soak's clients did not end");
        }
    }
}

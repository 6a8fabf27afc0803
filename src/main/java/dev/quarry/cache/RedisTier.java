package dev.quarry.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import dev.quarry.execute.Availability;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * The shared tier: kept answers in Redis, so that replicas run a query once between them. A replica
 * that misses reads Redis; if the answer is not there it takes the key's lease ({@code SET NX PX}),
 * runs the query and stores the answer for its time to live; the others, finding the lease taken,
 * wait for the answer to appear (or the lease to go, when its holder failed or died, and then take
 * it themselves). Failures are not stored. Redis being away never fails a request: the replica
 * runs the query itself, and says so once, not for every request.
 */
final class RedisTier {

    private static final Logger LOG = Logger.getLogger(RedisTier.class);
    private static final String ANSWERS = "quarry:answer:";
    private static final String LEASES = "quarry:lease:";
    private static final long POLL_MILLIS = 25;
    // deletes the lease only if it is still this replica's: one that expired may be another's by now
    private static final String RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private final Vertx vertx;
    private final Redis redis;
    private final Duration lease;
    private final String replica = UUID.randomUUID().toString();
    private final Availability availability = new Availability(LOG, Logger.Level.WARN, "The shared cache (Redis)",
            "this replica runs its queries itself until it is back", failure -> true);

    /** @param lease how long a replica may hold a key's lease: longer than any query runs */
    RedisTier(Vertx vertx, String url, Duration lease) {
        this.vertx = vertx;
        this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(url).setMaxPoolSize(8).setMaxPoolWaiting(1024));
        this.lease = lease;
    }

    /** The key's answer from Redis, or from {@code execution} run here under the key's lease and then stored. */
    CompletionStage<Answer> answer(AnswerKey key, Duration ttl, Supplier<CompletionStage<Answer>> execution) {
        String name = AnswerCodec.name(ANSWERS, key);
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        attempt(name, ttl, execution, answer, System.nanoTime() + lease.toNanos());
        return answer;
    }

    private void attempt(String name, Duration ttl, Supplier<CompletionStage<Answer>> execution, CompletableFuture<Answer> answer,
            long deadline) {
        Availability.Attempt reached = availability.attempt();
        redis.send(Request.cmd(Command.GET).arg(name)).compose(found -> {
            reached.ended(null);
            Answer stored = found == null ? null : AnswerCodec.decode(found.toBuffer().getBytes());
            if (stored != null) {
                answer.complete(stored);
                return Future.succeededFuture();
            }
            return redis.send(Request.cmd(Command.SET).arg(LEASES + name).arg(replica).arg("NX").arg("PX").arg(lease.toMillis()))
                    .map(taken -> {
                        if (taken != null) {
                            run(name, ttl, execution, answer);
                        } else if (System.nanoTime() > deadline) {
                            // the holder has run longer than any query may: run it here rather than wait on
                            execution.get().whenComplete((result, failure) -> complete(answer, result, failure));
                        } else {
                            vertx.setTimer(POLL_MILLIS, timer -> attempt(name, ttl, execution, answer, deadline));
                        }
                        return null;
                    });
        }).onFailure(failure -> {
            if (!answer.isDone()) {
                reached.ended(failure);
                execution.get().whenComplete((result, failed) -> complete(answer, result, failed));
            }
        });
    }

    private void run(String name, Duration ttl, Supplier<CompletionStage<Answer>> execution, CompletableFuture<Answer> answer) {
        execution.get().whenComplete((result, failure) -> {
            Future<?> stored = failure != null ? Future.succeededFuture()
                    : redis.send(Request.cmd(Command.SET).arg(name).arg(Buffer.buffer(AnswerCodec.encode(result))).arg("PX")
                            .arg(Math.max(1, ttl.toMillis())));
            // stored (or not) before the lease goes, so a replica that then finds no lease finds the answer
            stored.eventually(() -> redis.send(Request.cmd(Command.EVAL).arg(RELEASE).arg(1).arg(LEASES + name).arg(replica)))
                    .onComplete(done -> complete(answer, result, failure));
        });
    }

    /** Forgets the answers of one template, or of all, in Redis. */
    CompletionStage<Long> purge(Optional<String> template) {
        String pattern = ANSWERS + template.map(RedisTier::glob).map(name -> name + ":*").orElse("*");
        CompletableFuture<Long> purged = new CompletableFuture<>();
        scan("0", pattern, 0, purged);
        return purged;
    }

    private void scan(String cursor, String pattern, long deleted, CompletableFuture<Long> purged) {
        redis.send(Request.cmd(Command.SCAN).arg(cursor).arg("MATCH").arg(pattern).arg("COUNT").arg(1000)).compose(page -> {
            String next = page.get(0).toString();
            List<String> keys = new ArrayList<>();
            page.get(1).forEach(key -> keys.add(key.toString()));
            Future<Response> removed = keys.isEmpty() ? Future.succeededFuture(null) : redis.send(del(keys));
            return removed.map(count -> {
                long total = deleted + (count == null ? 0 : count.toLong());
                if (next.equals("0")) {
                    purged.complete(total);
                } else {
                    scan(next, pattern, total, purged);
                }
                return null;
            });
        }).onFailure(purged::completeExceptionally);
    }

    void close() {
        redis.close();
    }

    private static Request del(List<String> keys) {
        Request request = Request.cmd(Command.DEL);
        keys.forEach(request::arg);
        return request;
    }

    /** A template's name as a literal in a SCAN pattern. */
    private static String glob(String template) {
        return template.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
    }

    private static void complete(CompletableFuture<Answer> answer, Answer result, Throwable failure) {
        if (failure != null) {
            answer.completeExceptionally(failure);
        } else {
            answer.complete(result);
        }
    }
}

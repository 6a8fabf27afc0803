package dev.quarry.serve;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import dev.quarry.execute.Cancellation;
import dev.quarry.execute.Catalog;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Quotas per caller ({@link QuotaSettings}): at most N of a caller's requests run at once and M more
 * wait, in order, for one of them to end; beyond that a request is refused with
 * {@link QuotaExceededException} before anything of it runs. A request runs from its admission to the
 * end of its page or stream, however that ends; one whose client leaves while it waits leaves the queue.
 */
@Singleton
public class CallerQuotas {

    /** The quota a caller has: how many of its requests run, and how many more wait. */
    record Limits(int running, int waiting) {
    }

    private final QuotaSettings settings;
    private final Catalog catalog;
    private final QueryMeters meters;
    private final ConcurrentMap<String, Requests> callers = new ConcurrentHashMap<>();

    CallerQuotas(QuotaSettings settings, Catalog catalog, QueryMeters meters) {
        this.settings = settings;
        this.catalog = catalog;
        this.meters = meters;
    }

    /**
     * The page, asked for once the caller's quota admits it; refused with a {@link QuotaExceededException} beyond it.
     *
     * @param leaving said when the client leaves: a page still waiting for its turn gives up its place
     */
    public <T> CompletionStage<T> page(Caller caller, String template, Supplier<CompletionStage<T>> page, Cancellation leaving) {
        Limits limits = limits(caller);
        if (limits == null) {
            return page.get();
        }
        Ticket ticket = enter(caller, template, limits);
        CompletionStage<T> answer;
        if (ticket.admitted().isDone()) {
            answer = now(ticket, page);
        } else {
            leaving.whenCancelled(
                    () -> ticket.admitted().completeExceptionally(new CancellationException("its client left while it waited")));
            answer = Stages.then(ticket.admitted(), admitted -> page.get());
        }
        answer.whenComplete((answered, failure) -> ticket.done());
        return answer;
    }

    /**
     * The stream, built once the caller's quota admits it: at once when it has room to run (so a bad
     * parameter fails here), else when it is its turn; refused with a {@link QuotaExceededException} beyond the quota.
     */
    public <T> Multi<T> stream(Caller caller, String template, Supplier<Multi<T>> stream) {
        Limits limits = limits(caller);
        if (limits == null) {
            return stream.get();
        }
        Ticket ticket = enter(caller, template, limits);
        Multi<T> response;
        if (ticket.admitted().isDone()) {
            response = now(ticket, stream);
        } else {
            // not from the future itself: Mutiny would cancel it when the client leaves, and log the failure that makes
            response = Uni.createFrom().<Boolean>emitter(emitter -> ticket.admitted().thenAccept(emitter::complete)).onItem()
                    .transformToMulti(admitted -> stream.get());
        }
        return response.onTermination().invoke(ticket::done);
    }

    /** The work of an admitted request, started now: one that fails at once (a bad parameter) ends its ticket. */
    private static <R> R now(Ticket ticket, Supplier<R> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            ticket.done();
            throw e;
        }
    }

    /** The caller's quota: its roles' most generous one, else the global one; null when it has none. */
    Limits limits(Caller caller) {
        Integer running = null;
        Integer waiting = null;
        for (String role : caller.roles()) {
            QuotaSettings.RoleQuota quota = settings.roles().get(role);
            if (quota != null && quota.running().isPresent()) {
                running = Math.max(running == null ? 0 : running, quota.running().getAsInt());
                waiting = Math.max(waiting == null ? 0 : waiting, quota.waiting().orElse(settings.waiting()));
            }
        }
        if (running == null) {
            if (settings.running().isEmpty()) {
                return null;
            }
            running = settings.running().getAsInt();
            waiting = settings.waiting();
        }
        return new Limits(running, waiting);
    }

    private Ticket enter(Caller caller, String template, Limits limits) {
        while (true) {
            Requests requests = callers.computeIfAbsent(caller.id(), Requests::new);
            Ticket ticket = requests.enter(limits);
            if (ticket == Requests.RETIRED) {
                continue; // the entry just went away with the caller's last request: take a new one
            }
            if (ticket == null) {
                meters.refused(catalog.find(template).isPresent() ? template : "unknown", "quota");
                throw new QuotaExceededException(caller, limits, settings.retryAfter());
            }
            return ticket;
        }
    }

    /** A request's place: admitted once its future completes; done once, however it ends. */
    private record Ticket(Requests requests, CompletableFuture<Boolean> admitted, AtomicBoolean ended) {

        void done() {
            if (ended.compareAndSet(false, true)) {
                requests.leave(this);
            }
        }
    }

    /** One caller's running and waiting requests. */
    private final class Requests {

        static final Ticket RETIRED = new Ticket(null, null, null);

        private final String id;
        // guarded by this
        private int running;
        private final Queue<Ticket> waiting = new ArrayDeque<>();
        private boolean retired;

        Requests(String id) {
            this.id = id;
        }

        synchronized Ticket enter(Limits limits) {
            if (retired) {
                return RETIRED;
            }
            if (running < limits.running()) {
                running++;
                return new Ticket(this, CompletableFuture.completedFuture(true), new AtomicBoolean());
            }
            if (waiting.size() < limits.waiting()) {
                Ticket ticket = new Ticket(this, new CompletableFuture<>(), new AtomicBoolean());
                waiting.add(ticket);
                return ticket;
            }
            return null;
        }

        /** A request ended: its place goes to the first waiting, if any; a waiting one that ended leaves the queue. */
        void leave(Ticket ticket) {
            Ticket next = null;
            synchronized (this) {
                if (waiting.remove(ticket)) {
                    return;
                }
                next = waiting.poll();
                if (next == null) {
                    running--;
                    if (running == 0) {
                        retired = true;
                        callers.remove(id, this);
                    }
                }
            }
            if (next != null) {
                next.admitted().complete(true);
            }
        }
    }
}

package dev.rankcluster.server.membership.redis;

import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.server.session.SessionLeases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The leases of the members on a session with this server, renewed in Redis together: renewals wait for the next
 * flush, every {@link #FLUSH_INTERVAL}, and each flush renews them in one script call instead of one round trip per
 * frame. A member renewing twice before a flush is renewed once, and both renewals get that answer.
 * <p>
 * Renewals queue from the start; the flushes begin once the application has started. After it stops, each renewal
 * is flushed at once, so that none waits for a flush that never comes.
 */
final class BatchedSessionLeases implements SessionLeases, SmartLifecycle {

    /**
     * Safe for the lease rule (expired within one TTL plus at most 1 s, never before the TTL): a renewal waits at
     * most this long, so the lease it grants ends at most this much later, never sooner, and the sweeps add at most
     * another 100 ms. Members renew every third of a TTL, far more often than this.
     */
    static final Duration FLUSH_INTERVAL = Duration.ofMillis(100);

    /** Most leases one script call renews: Redis runs nothing else during a script, so each stays short. */
    static final int MAX_BATCH = 1000;

    private static final Logger log = LoggerFactory.getLogger(BatchedSessionLeases.class);

    /** Renews many leases in one call, answering each claim in order ({@link RedisMembership#renewLeases}). */
    @FunctionalInterface
    interface Store {
        List<CompletableFuture<LeaseRenewal>> renew(List<LeaseClaim> claims);
    }

    private final Store store;
    /** Answering may send on a member's connection, which may block: never on the flushing thread. */
    private final Executor answering = task -> Thread.ofVirtual().name("session-lease-answer").start(task);
    private Map<LeaseClaim, List<CompletableFuture<LeaseRenewal>>> pending = new LinkedHashMap<>(); // guarded by this
    private ScheduledExecutorService flusher; // guarded by this
    private boolean stopped; // guarded by this

    BatchedSessionLeases(Store store) {
        this.store = store;
    }

    @Override
    public CompletableFuture<LeaseRenewal> renew(String memberId, String leaseToken) {
        CompletableFuture<LeaseRenewal> renewal = new CompletableFuture<>();
        boolean flushNow;
        synchronized (this) {
            pending.computeIfAbsent(new LeaseClaim(memberId, leaseToken), claim -> new ArrayList<>(1)).add(renewal);
            flushNow = stopped;
        }
        if (flushNow) {
            flush();
        }
        return renewal;
    }

    /** Renews every renewal waiting now. */
    void flush() {
        Map<LeaseClaim, List<CompletableFuture<LeaseRenewal>>> batch;
        synchronized (this) {
            if (pending.isEmpty()) {
                return;
            }
            batch = pending;
            pending = new LinkedHashMap<>();
        }
        List<LeaseClaim> claims = List.copyOf(batch.keySet());
        for (int from = 0; from < claims.size(); from += MAX_BATCH) {
            renewTogether(claims.subList(from, Math.min(claims.size(), from + MAX_BATCH)), batch);
        }
    }

    private void renewTogether(List<LeaseClaim> claims, Map<LeaseClaim, List<CompletableFuture<LeaseRenewal>>> waiting) {
        List<CompletableFuture<LeaseRenewal>> answers;
        try {
            answers = store.renew(claims);
        } catch (RuntimeException failed) {
            // Redis did not answer (503) or failed the script: no lease of this batch was renewed, and each caller hears so.
            claims.forEach(claim -> answer(waiting.get(claim), CompletableFuture.failedFuture(failed)));
            return;
        }
        for (int i = 0; i < claims.size(); i++) {
            answer(waiting.get(claims.get(i)), answers.get(i));
        }
    }

    private void answer(List<CompletableFuture<LeaseRenewal>> callers, CompletableFuture<LeaseRenewal> answer) {
        answer.whenComplete((renewal, refusal) -> callers.forEach(caller -> answering.execute(() -> {
            if (refusal == null) {
                caller.complete(renewal);
            } else {
                caller.completeExceptionally(refusal);
            }
        })));
    }

    private void flushSafely() {
        try {
            flush();
        } catch (RuntimeException e) {
            // A failed flush must not end the schedule: the next one renews what comes.
            log.error("Renewing the session leases failed", e);
        }
    }

    @Override
    public synchronized void start() {
        stopped = false;
        flusher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("session-leases").daemon().factory());
        flusher.scheduleWithFixedDelay(this::flushSafely, FLUSH_INTERVAL.toMillis(), FLUSH_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        synchronized (this) {
            stopped = true;
            if (flusher != null) {
                flusher.shutdown(); // not interrupted: a flush under way answers its callers
                flusher = null;
            }
        }
        flush(); // what queued before the stop
    }

    @Override
    public synchronized boolean isRunning() {
        return flusher != null;
    }
}

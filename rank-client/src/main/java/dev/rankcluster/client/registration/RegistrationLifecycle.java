package dev.rankcluster.client.registration;

import dev.rankcluster.client.session.MemberSessionClient;
import dev.rankcluster.client.system.RankClientProperties;
import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.Registration;
import dev.rankcluster.model.RegistrationRequest;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Holds this client's place in the cluster: registers once the application is ready, opens a session, renews the
 * lease every TTL/3 (on the session, else with an HTTP heartbeat), registers again when the lease is lost, and
 * unregisters at shutdown. All of it runs on one scheduler thread, so registration and heartbeats never race; a
 * session that drops hands its work back to that thread, which renews over HTTP at once and reopens it. The command sender stops before this bean (higher phase),
 * so nothing is sent once the unregistration has begun.
 */
@Component
class RegistrationLifecycle implements SmartLifecycle {

    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 100;

    private static final Logger log = LoggerFactory.getLogger(RegistrationLifecycle.class);
    private static final Duration MIN_HEARTBEAT_PERIOD = Duration.ofMillis(50);

    private final RankServerClient server;
    private final RegistrationState state;
    private final RankClientProperties properties;
    private final MemberSessionClient sessions;
    private final Backoff backoff = new Backoff(RandomGenerator.getDefault());
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("rank-registration").daemon().factory());
    private volatile boolean running;
    private volatile RegistrationRequest request;
    /** The heartbeat scheduled next; only the scheduler thread touches it. */
    private ScheduledFuture<?> nextHeartbeat;

    RegistrationLifecycle(RankServerClient server, RegistrationState state, RankClientProperties properties,
                          MemberSessionClient sessions) {
        this.server = server;
        this.state = state;
        this.properties = properties;
        this.sessions = sessions;
    }

    @EventListener(ApplicationReadyEvent.class)
    void onReady(ApplicationReadyEvent event) {
        Integer localPort = event.getApplicationContext().getEnvironment().getProperty("local.server.port", Integer.class);
        int port = properties.advertisedPortIfSet().orElseGet(() -> {
            if (localPort == null || localPort <= 0) {
                throw new IllegalStateException("the port to advertise is unknown: no web server is running, "
                        + "set rank.client.advertised-port");
            }
            return localPort;
        });
        startRegistering(port);
    }

    /** Starts registering (in the background) the given port and the configured advertised host. */
    void startRegistering(int port) {
        request = new RegistrationRequest(port, properties.advertisedHost());
        log.info("Registering port {} with the rank server at {}", port, server.currentUrl());
        schedule(() -> register(0, "registration"), Duration.ZERO);
    }

    private void register(int attempt, String what) {
        long sentAt = System.nanoTime();
        try {
            Registration registration = server.register(request);
            sessions.registering();
            state.registered(registration);
            log.info("Registered {} with rank {}", registration.address(), registration.rank());
            openSession(registration);
            scheduleHeartbeat(0, nextHeartbeat(registration.leaseTtlMs(), sentAt));
        } catch (RankServerException e) {
            retryRegistration(attempt, what, e.getMessage(), backoff.delay(attempt, e.retryAfter()));
        } catch (RuntimeException e) {
            // Never end the task without a word: a surprise (a bad URL, a bug) is retried like a failed call.
            retryRegistration(attempt, what, describe(e), backoff.delay(attempt));
            log.debug("Unexpected failure of the {}", what, e);
        }
    }

    private void retryRegistration(int attempt, String what, String failure, Duration delay) {
        log.warn("{} at {} failed ({}), retrying in {} ms", capitalized(what), server.currentUrl(), failure,
                delay.toMillis());
        schedule(() -> register(attempt + 1, what), delay);
    }

    private void heartbeat(int failures) {
        Registration registration = state.current().orElse(null);
        if (registration == null) {
            return;
        }
        if (sessions.isOpen()) {
            sessions.renew();
            scheduleHeartbeat(0, heartbeatPeriod(registration.leaseTtlMs()));
            return;
        }
        long sentAt = System.nanoTime();
        try {
            LeaseRenewal renewal = server.renew(registration.id(), registration.leaseToken());
            renewed(renewal);
            log.debug("Renewed the lease of {} at rank {}", registration.address(), renewal.rank());
            if (sessions.shouldOpen()) {
                openSession(registration);
            }
            scheduleHeartbeat(0, nextHeartbeat(renewal.leaseTtlMs(), sentAt));
        } catch (RankServerException.LeaseLost e) {
            log.warn("Lease lost ({}), registering again", e.why());
            state.lost();
            register(0, "re-registration");
        } catch (RankServerException e) {
            retryHeartbeat(registration, failures, e.getMessage(), backoff.delay(failures, e.retryAfter()));
        } catch (RuntimeException e) {
            retryHeartbeat(registration, failures, describe(e), backoff.delay(failures));
            log.debug("Unexpected failure of a heartbeat", e);
        }
    }

    /** Keeps the registration: the server may only be paused, and a late heartbeat can still save the lease. */
    private void retryHeartbeat(Registration registration, int failures, String failure, Duration delay) {
        Duration period = heartbeatPeriod(registration.leaseTtlMs());
        Duration retryIn = delay.compareTo(period) < 0 ? delay : period;
        log.warn("Heartbeat to {} failed ({}), retrying in {} ms", server.currentUrl(), failure, retryIn.toMillis());
        scheduleHeartbeat(failures + 1, retryIn);
    }

    private void openSession(Registration registration) {
        if (sessions.shouldOpen()) {
            sessions.open(registration, server.currentUrl(), this::renewed,
                    why -> schedule(() -> scheduleHeartbeat(0, Duration.ZERO), Duration.ZERO));
        }
    }

    /** Takes a renewal's answer, over HTTP or on the session. */
    private void renewed(LeaseRenewal renewal) {
        Registration before = state.renewed(renewal);
        if (before != null && before.rank() != renewal.rank()) {
            log.info("Promoted to rank {}", renewal.rank());
        }
    }

    /** Replaces the heartbeat scheduled next, so that one chain of heartbeats runs, however it was restarted. */
    private void scheduleHeartbeat(int failures, Duration delay) {
        if (nextHeartbeat != null) {
            nextHeartbeat.cancel(false);
        }
        nextHeartbeat = schedule(() -> heartbeat(failures), delay);
    }

    private static String describe(RuntimeException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /**
     * The server's lease started when it handled our request, not when its slow answer reached us: count the
     * period from the moment the request was sent.
     */
    private static Duration nextHeartbeat(long leaseTtlMs, long sentAtNanos) {
        Duration delay = heartbeatPeriod(leaseTtlMs).minusNanos(System.nanoTime() - sentAtNanos);
        return delay.isNegative() ? Duration.ZERO : delay;
    }

    private static Duration heartbeatPeriod(long leaseTtlMs) {
        Duration period = Duration.ofMillis(leaseTtlMs / 3);
        return period.compareTo(MIN_HEARTBEAT_PERIOD) < 0 ? MIN_HEARTBEAT_PERIOD : period;
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return scheduler.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            log.debug("Not scheduling: shutting down");
            return null;
        }
    }

    private static String capitalized(String what) {
        return Character.toUpperCase(what.charAt(0)) + what.substring(1);
    }

    @Override
    public void start() {
        running = true;
    }

    /** Stops heartbeating, then unregisters within the unregister timeout; never blocks shutdown for longer. */
    @Override
    public void stop() {
        running = false;
        scheduler.shutdownNow();
        try {
            if (!scheduler.awaitTermination(properties.unregisterTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("A call to the rank server did not stop in time; unregistering anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        state.lost().ifPresent(this::unregister);
        sessions.close();
    }

    private void unregister(Registration registration) {
        try {
            server.unregister(registration.id(), registration.leaseToken());
            log.info("Unregistered {}", registration.address());
        } catch (RankServerException e) {
            log.warn("Could not unregister {} ({}); the server will drop it when its lease expires",
                    registration.address(), e.getMessage());
        } catch (RuntimeException e) {
            log.warn("Could not unregister {} ({}); the server will drop it when its lease expires",
                    registration.address(), describe(e));
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}

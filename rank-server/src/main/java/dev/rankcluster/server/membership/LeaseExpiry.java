package dev.rankcluster.server.membership;

import dev.rankcluster.server.system.PauseAwareTicker;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Removes members whose lease lapsed, promptly and with no request arriving: Caffeine alone only evicts
 * on access or on its own coarse schedule. Every sweep also reads the pause-aware ticker, which makes it
 * the watchdog that notices the server itself was frozen; then every lease gets one fresh TTL, so only
 * members that really stopped heartbeating are removed afterwards.
 */
@Component
class LeaseExpiry implements SmartLifecycle {

    static final Duration SWEEP_INTERVAL = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(LeaseExpiry.class);

    private final Membership membership;
    private final PauseAwareTicker ticker;
    private ScheduledExecutorService sweeper;

    LeaseExpiry(Membership membership, PauseAwareTicker ticker) {
        this.membership = membership;
        this.ticker = ticker;
    }

    void sweep() {
        Duration pause = ticker.takePause();
        if (!pause.isZero()) {
            log.warn("The server was paused for {} ms: the pause does not count against any lease", pause.toMillis());
            membership.renewAllLeases();
        }
        membership.expireLapsedLeases();
    }

    @Override
    public synchronized void start() {
        ticker.takePause(); // the time the application took to start is not a pause
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("lease-expiry").daemon().factory());
        sweeper.scheduleWithFixedDelay(this::sweepSafely, SWEEP_INTERVAL.toMillis(), SWEEP_INTERVAL.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // A failed sweep must not end the schedule: the next one retries.
            log.error("Lease sweep failed", e);
        }
    }

    @Override
    public synchronized void stop() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return sweeper != null;
    }
}

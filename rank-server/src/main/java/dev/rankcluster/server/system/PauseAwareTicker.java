package dev.rankcluster.server.system;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Monotonic time that stands still while the whole process was frozen (SIGSTOP, a long GC, a suspended VM).
 * <p>
 * Something reads this ticker every {@code 100 ms} (the lease sweep), so a gap of more than
 * {@link #PAUSE_THRESHOLD} between two consecutive reads means the process did not run: that gap is left out.
 * Leases measured with it therefore do not all lapse at once when the server resumes. The pauses seen are
 * kept for {@link #takePause()}, so that the sweep can log them and give every lease a fresh TTL.
 */
public final class PauseAwareTicker implements Ticker {

    public static final Duration PAUSE_THRESHOLD = Duration.ofSeconds(1);

    private final LongSupplier nanoSource;
    private final long thresholdNanos = PAUSE_THRESHOLD.toNanos();

    /** Guarded by this. */
    private long lastRaw;
    private long pausedNanos;
    private long unreportedPauseNanos;

    public PauseAwareTicker(LongSupplier nanoSource) {
        this.nanoSource = nanoSource;
        this.lastRaw = nanoSource.getAsLong();
    }

    public static PauseAwareTicker system() {
        return new PauseAwareTicker(System::nanoTime);
    }

    @Override
    public synchronized long read() {
        long raw = nanoSource.getAsLong();
        long gap = raw - lastRaw;
        if (gap > thresholdNanos) {
            pausedNanos += gap;
            unreportedPauseNanos += gap;
        }
        if (gap > 0) {
            lastRaw = raw;
        }
        return lastRaw - pausedNanos;
    }

    /** The time the process spent frozen since the last call; zero when it ran without a pause. */
    public synchronized Duration takePause() {
        read();
        Duration pause = Duration.ofNanos(unreportedPauseNanos);
        unreportedPauseNanos = 0;
        return pause;
    }
}

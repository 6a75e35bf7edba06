package dev.rankcluster.client.registration;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff of the contract: from 200 ms, doubling, capped at 5 s, with jitter so that clients
 * that lost the server together do not all come back in the same millisecond.
 */
final class Backoff {

    static final Duration INITIAL = Duration.ofMillis(200);
    static final Duration CAP = Duration.ofSeconds(5);

    private final RandomGenerator random;

    Backoff(RandomGenerator random) {
        this.random = random;
    }

    /** Delay before retry number {@code attempt} (0 for the first retry): in [base/2, base], base = min(cap, 200 ms * 2^attempt). */
    Duration delay(int attempt) {
        long base = Math.min(CAP.toMillis(), INITIAL.toMillis() << Math.min(Math.max(attempt, 0), 20));
        long half = base / 2;
        return Duration.ofMillis(half + random.nextLong(base - half + 1));
    }

    /** Like {@link #delay(int)}, but not sooner than a server's {@code Retry-After}, itself capped. */
    Duration delay(int attempt, Optional<Duration> retryAfter) {
        Duration delay = delay(attempt);
        return retryAfter.map(asked -> asked.compareTo(CAP) > 0 ? CAP : asked)
                .filter(asked -> asked.compareTo(delay) > 0)
                .orElse(delay);
    }
}

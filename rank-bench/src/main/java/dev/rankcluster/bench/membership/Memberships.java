package dev.rankcluster.bench.membership;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.rankcluster.server.membership.CaffeineMembership;
import java.time.Clock;
import java.time.Duration;

/** The server's in-memory membership as the benchmarks use it: no capacity limit, no expiry, no listeners. */
final class Memberships {

    /** Long enough that no lease lapses while a benchmark runs. */
    private static final Duration LEASE_TTL = Duration.ofHours(1);

    private Memberships() {
    }

    static CaffeineMembership empty() {
        return new CaffeineMembership(Integer.MAX_VALUE, LEASE_TTL, 3, Ticker.systemTicker(), Clock.systemUTC(),
                event -> { });
    }

    /** A distinct member address for every index: 16M addresses before they repeat. Cheap: register times it. */
    static String address(int index) {
        return "10." + ((index >>> 16) & 0xff) + "." + ((index >>> 8) & 0xff) + "." + (index & 0xff) + ":"
                + (8080 + (index >>> 24));
    }
}

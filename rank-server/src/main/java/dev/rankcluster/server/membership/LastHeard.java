package dev.rankcluster.server.membership;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.stereotype.Component;

/**
 * When this server last heard from each member (its registration or a lease renewal), so that the dashboard can
 * show a member that went quiet before its lease expires. Kept beside the stores, not in them: it costs a heartbeat
 * one map write, and with several servers on one store each knows only the heartbeats it received itself.
 */
@Component
public class LastHeard {

    private final Map<String, Long> nanosById = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    public LastHeard() {
        this(System::nanoTime);
    }

    LastHeard(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    public void heardFrom(String id) {
        nanosById.put(id, nanoClock.getAsLong());
    }

    /**
     * Milliseconds since each member was last heard from; entries older than {@code forgetAfter} (members long
     * gone) are dropped as they are read.
     */
    public Map<String, Long> millisSinceHeard(Duration forgetAfter) {
        long now = nanoClock.getAsLong();
        var ages = new HashMap<String, Long>();
        nanosById.forEach((id, at) -> {
            long ageNanos = now - at;
            if (ageNanos > forgetAfter.toNanos()) {
                nanosById.remove(id, at);
            } else {
                ages.put(id, ageNanos / 1_000_000);
            }
        });
        return ages;
    }
}

package dev.rankcluster.client.command;

import dev.rankcluster.client.system.ProblemException;
import dev.rankcluster.model.Delivery;
import dev.rankcluster.model.ExecutedCommand;
import dev.rankcluster.model.ProblemType;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Executes each delivered command at most once and remembers the last {@value #HISTORY} executed.
 * <p>
 * A command id is remembered for as long as a replay of its delivery could still be accepted (until the caller's
 * {@code rememberUntil}: after it, the deadline or the signature's age refuses the delivery anyway), by time and
 * never by a size policy that could forget a live id. When {@code maxRemembered} live ids are held, a new
 * delivery is refused with {@code 503} and not executed.
 */
@Component
class ExecutedCommands {

    static final int HISTORY = 100;
    /** Some 30 MB at most; a client gets a few thousand deliveries in a signature's 30 s life even at scale. */
    static final int MAX_REMEMBERED_IDS = 200_000;

    private static final Logger log = LoggerFactory.getLogger(ExecutedCommands.class);

    private record Remembered(String commandId, long untilMillis) {
    }

    private final Clock clock;
    private final int maxRemembered;
    /** Guarded by {@code this}: the ids still remembered, and the same in the order they may be forgotten. */
    private final Map<String, Remembered> remembered = new HashMap<>();
    private final PriorityQueue<Remembered> byForgetTime =
            new PriorityQueue<>(Comparator.comparingLong(Remembered::untilMillis));
    private final Deque<ExecutedCommand> newestFirst = new ArrayDeque<>(HISTORY);

    @Autowired
    ExecutedCommands(Clock clock) {
        this(clock, MAX_REMEMBERED_IDS);
    }

    ExecutedCommands(Clock clock, int maxRemembered) {
        this.clock = clock;
        this.maxRemembered = maxRemembered;
    }

    /**
     * Executes a valid delivery unless its command id was executed before; whether it ran now.
     *
     * @throws ProblemException {@code 503} when no more ids can be remembered: the delivery was not executed
     */
    boolean executeOnce(Delivery delivery, Instant rememberUntil) {
        synchronized (this) {
            long now = clock.millis();
            forgetUntil(now);
            if (remembered.containsKey(delivery.commandId())) {
                log.debug("Already executed command {}, not again", delivery.commandId());
                return false;
            }
            if (remembered.size() >= maxRemembered) {
                throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, ("this client already remembers %d "
                        + "commands it executed and cannot tell this one from a replay; it was not executed").formatted(
                        remembered.size()));
            }
            Remembered id = new Remembered(delivery.commandId(), Math.max(now, rememberUntil.toEpochMilli()));
            remembered.put(id.commandId(), id);
            byForgetTime.add(id);
            // Stamped under the lock, so that the history is newest first by executedAt too.
            newestFirst.addFirst(ExecutedCommand.of(delivery, clock.instant()));
            if (newestFirst.size() > HISTORY) {
                newestFirst.removeLast();
            }
        }
        log.info("Executed '{}' from {} (rank {}) at rank {}", delivery.command(), delivery.senderAddress(),
                delivery.senderRank(), delivery.receiverRank());
        return true;
    }

    /** How many command ids are remembered now. */
    synchronized int remembered() {
        forgetUntil(clock.millis());
        return remembered.size();
    }

    List<ExecutedCommand> newestFirst() {
        synchronized (this) {
            return List.copyOf(newestFirst);
        }
    }

    private void forgetUntil(long now) {
        for (Remembered oldest = byForgetTime.peek(); oldest != null && oldest.untilMillis() < now;
             oldest = byForgetTime.peek()) {
            byForgetTime.poll();
            remembered.remove(oldest.commandId());
        }
    }
}

package dev.rankcluster.client.command;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.rankcluster.model.Delivery;
import dev.rankcluster.model.ExecutedCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Executes each delivered command at most once and remembers the last {@value #HISTORY} executed.
 * Recent command ids are kept for {@link #REPLAY_MEMORY}, far longer than a signature stays fresh (30 s),
 * so a replayed delivery is recognised for as long as its signature would still be accepted.
 */
@Component
class ExecutedCommands {

    static final int HISTORY = 100;
    static final Duration REPLAY_MEMORY = Duration.ofMinutes(10);
    static final long MAX_REMEMBERED_IDS = 100_000;

    private static final Logger log = LoggerFactory.getLogger(ExecutedCommands.class);

    private final Cache<String, Boolean> executedIds = Caffeine.newBuilder()
            .expireAfterWrite(REPLAY_MEMORY)
            .maximumSize(MAX_REMEMBERED_IDS)
            .build();
    private final Deque<ExecutedCommand> newestFirst = new ArrayDeque<>(HISTORY);
    private final Clock clock;

    ExecutedCommands(Clock clock) {
        this.clock = clock;
    }

    /** Executes a valid delivery unless its command id was executed before; whether it ran now. */
    boolean executeOnce(Delivery delivery) {
        if (executedIds.asMap().putIfAbsent(delivery.commandId(), Boolean.TRUE) != null) {
            log.debug("Already executed command {}, not again", delivery.commandId());
            return false;
        }
        log.info("Executed '{}' from {} (rank {}) at rank {}", delivery.command(), delivery.senderAddress(),
                delivery.senderRank(), delivery.receiverRank());
        synchronized (newestFirst) {
            // Stamped under the lock, so that the history is newest first by executedAt too.
            newestFirst.addFirst(ExecutedCommand.of(delivery, clock.instant()));
            if (newestFirst.size() > HISTORY) {
                newestFirst.removeLast();
            }
        }
        return true;
    }

    List<ExecutedCommand> newestFirst() {
        synchronized (newestFirst) {
            return List.copyOf(newestFirst);
        }
    }
}

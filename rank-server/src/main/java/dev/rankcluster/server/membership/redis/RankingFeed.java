package dev.rankcluster.server.membership.redis;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.server.events.RankingChanged;
import dev.rankcluster.server.membership.Member;
import dev.rankcluster.server.membership.RankTree;
import dev.rankcluster.server.membership.TreeSnapshot;
import dev.rankcluster.server.system.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;

/**
 * This server's copy of the ranking, kept in step with Redis by the changes that every server's scripts publish,
 * and turned into local {@link RankingChanged} events in epoch order: the ranking log, the events stream and the
 * metrics see every change, whichever server made it, exactly as with the memory store.
 * <p>
 * A change that does not follow the copy's epoch (messages lost while the subscription was down), an epoch in
 * Redis below the copy's (Redis lost its data), or a copy that stays behind Redis for longer than
 * {@link #LAG_LIMIT} makes it read the whole ranking again and publish it as a {@code snapshot}.
 */
final class RankingFeed implements MessageListener, AutoCloseable {

    static final Duration LAG_LIMIT = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(RankingFeed.class);

    private final MembershipScripts scripts;
    private final ApplicationEventPublisher events;
    private final Ticker ticker;
    /** One thread applies the messages, so they stay in the order Redis published them. */
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().name("ranking-feed").daemon().factory());

    private volatile TreeSnapshot current = TreeSnapshot.INITIAL;
    /** Guarded by this. */
    private boolean synced;
    private long awaitedEpoch;
    private long awaitedSince;

    RankingFeed(MembershipScripts scripts, ApplicationEventPublisher events, Ticker ticker) {
        this.scripts = scripts;
        this.events = events;
        this.ticker = ticker;
    }

    /** The ranking as this server last saw it. */
    TreeSnapshot current() {
        return current;
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        String text = new String(message.getBody(), StandardCharsets.UTF_8);
        worker.execute(() -> apply(Change.parse(text)));
    }

    synchronized void apply(Change change) {
        if (synced && change.epoch() == current.epoch() + 1) {
            current = current.next(change.applyTo(current.tree()));
            events.publishEvent(new RankingChanged(current.epoch(), change.reason(), change.address(), current));
        } else if (!synced || change.epoch() > current.epoch()) {
            resync("epoch %d follows %d".formatted(change.epoch(), current.epoch()));
        }
        // else: the copy was read after this change, so it holds it already.
    }

    /** Compares the copy with the epoch Redis has now; every lease sweep calls this. */
    synchronized void check(long redisEpoch) {
        long now = ticker.read();
        if (!synced) {
            resync("first read");
        } else if (redisEpoch < current.epoch()) {
            resync("Redis is at epoch %d, behind this server's %d: it lost its data".formatted(redisEpoch, current.epoch()));
        } else if (current.epoch() >= awaitedEpoch) {
            awaitedEpoch = redisEpoch;
            awaitedSince = now;
        } else if (now - awaitedSince > LAG_LIMIT.toNanos()) {
            resync("no change arrived for epochs %d..%d".formatted(current.epoch() + 1, awaitedEpoch));
        }
    }

    private void resync(String why) {
        TreeSnapshot read;
        try {
            read = StoredMembers.snapshot(scripts.run(MembershipScripts.Script.RANKING));
        } catch (ProblemException unavailable) {
            synced = false; // the next message or sweep tries again
            return;
        }
        boolean first = !synced;
        boolean moved = read.epoch() != current.epoch();
        synced = true;
        awaitedEpoch = read.epoch();
        awaitedSince = ticker.read();
        current = read;
        if (!first) {
            log.info("Read the ranking from Redis again ({}): epoch {}", why, read.epoch());
        }
        if (moved) {
            events.publishEvent(new RankingChanged(read.epoch(), ChangeReason.SNAPSHOT, null, read));
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    /** One published change: {@code "epoch reason sequence id joinedAtMillis address"}. */
    record Change(long epoch, ChangeReason reason, long sequence, String id, Instant joinedAt, String address) {

        static Change parse(String text) {
            String[] fields = text.split(" ", 6);
            return new Change(Long.parseLong(fields[0]), ChangeReason.valueOf(fields[1].toUpperCase(Locale.ROOT)),
                    Long.parseLong(fields[2]), fields[3], Instant.ofEpochMilli(Long.parseLong(fields[4])), fields[5]);
        }

        RankTree applyTo(RankTree tree) {
            return reason == ChangeReason.JOINED
                    ? tree.with(new Member(id, address, joinedAt, sequence))
                    : tree.without(sequence);
        }
    }
}

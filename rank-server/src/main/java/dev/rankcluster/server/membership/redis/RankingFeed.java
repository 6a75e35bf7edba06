package dev.rankcluster.server.membership.redis;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.server.events.RankingChanged;
import dev.rankcluster.server.membership.Member;
import dev.rankcluster.server.membership.RankTree;
import dev.rankcluster.server.membership.TreeSnapshot;
import dev.rankcluster.server.membership.redis.MembershipScripts.Version;
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
 * A change that does not follow the copy (messages lost while the subscription was down), Redis at an epoch below
 * the copy's or at the copy's with another history (Redis lost changes, then maybe made others), or a copy that
 * stays behind Redis for longer than {@link #LAG_LIMIT} makes it read the whole ranking again and publish it as a
 * {@code snapshot}. After a loss, Redis's epoch is first moved past the copy's, so epochs never step back.
 */
final class RankingFeed implements MessageListener, AutoCloseable {

    static final Duration LAG_LIMIT = Duration.ofSeconds(1);
    /** What {@code ranking-after-loss.lua} publishes when it moved the epoch past a loss. */
    private static final String LOST = "lost ";

    private static final Logger log = LoggerFactory.getLogger(RankingFeed.class);

    private final MembershipScripts scripts;
    private final ApplicationEventPublisher events;
    private final Ticker ticker;
    /** One thread applies the messages, so they stay in the order Redis published them. */
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(Thread.ofPlatform().name("ranking-feed").daemon().factory());

    private volatile Copy current = Copy.NONE;
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
    Copy current() {
        return current;
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        String text = new String(message.getBody(), StandardCharsets.UTF_8);
        worker.execute(() -> receive(text));
    }

    private synchronized void receive(String text) {
        if (text.startsWith(LOST)) {
            resync("another server found that Redis lost changes");
            return;
        }
        Change change;
        try {
            change = Change.parse(text);
        } catch (IllegalArgumentException | IndexOutOfBoundsException unreadable) {
            // A server of another version, say: what it changed is in Redis all the same.
            resync("unreadable change \"%s\"".formatted(text));
            return;
        }
        apply(change);
    }

    private void apply(Change change) {
        Copy copy = current;
        if (synced && change.epoch() == copy.epoch() + 1 && change.previous().equals(copy.history())) {
            current = new Copy(change.history(), copy.ranking().next(change.applyTo(copy.ranking().tree())));
            events.publishEvent(new RankingChanged(change.epoch(), change.reason(), change.address(), current.ranking()));
        } else if (!synced || change.epoch() > copy.epoch()) {
            resync("epoch %d does not follow this server's %d".formatted(change.epoch(), copy.epoch()));
        } else if (change.epoch() == copy.epoch() && !change.history().equals(copy.history())) {
            resyncAfterLoss("Redis lost changes: its change %d is not the one this server holds"
                    .formatted(change.epoch()));
        }
        // else: the copy was read after this change, so it holds it already.
    }

    /** Compares the copy with where Redis stands now; every lease sweep calls this. */
    synchronized void check(Version redis) {
        long now = ticker.read();
        Copy copy = current;
        if (!synced) {
            resync("not read yet, or the last read failed");
        } else if (redis.epoch() < copy.epoch()) {
            // The sweep read Redis's epoch before a change that reached the copy since: only a fresh read, behind
            // the copy too, shows that Redis lost changes (resync then moves Redis's epoch past the copy's).
            resync("Redis was at epoch %d, behind this server's copy at epoch %d".formatted(redis.epoch(), copy.epoch()));
        } else if (redis.epoch() == copy.epoch() && !redis.history().equals(copy.history())) {
            resyncAfterLoss("Redis, at epoch %d, lost changes that this server's copy at epoch %d holds"
                    .formatted(redis.epoch(), copy.epoch()));
        } else if (copy.epoch() >= awaitedEpoch) {
            awaitedEpoch = redis.epoch();
            awaitedSince = now;
        } else if (now - awaitedSince > LAG_LIMIT.toNanos()) {
            resync("no change arrived for epochs %d..%d".formatted(copy.epoch() + 1, awaitedEpoch));
        }
    }

    private void resync(String why) {
        resync(why, MembershipScripts.Script.RANKING);
    }

    /**
     * Reads the ranking of a Redis that lost changes, first moving its epoch past this copy's: the snapshot that
     * follows, and every change after it, come at epochs above any this server published.
     */
    private void resyncAfterLoss(String why) {
        resync(why, MembershipScripts.Script.RANKING_AFTER_LOSS, current.epoch());
    }

    private void resync(String why, MembershipScripts.Script reading, Object... args) {
        Copy read;
        try {
            read = StoredMembers.copy(scripts.run(reading, args));
            if (read.epoch() < current.epoch()) { // Redis is behind this copy: it lost changes
                read = StoredMembers.copy(scripts.run(MembershipScripts.Script.RANKING_AFTER_LOSS, current.epoch()));
            }
        } catch (ProblemException unavailable) {
            synced = false; // the next message or sweep tries again
            return;
        }
        Copy before = current;
        synced = true;
        awaitedEpoch = read.epoch();
        awaitedSince = ticker.read();
        current = read;
        if (before != Copy.NONE) {
            log.info("Read the ranking from Redis again ({}): epoch {}", why, read.epoch());
        }
        if (!read.version().equals(before.version())) {
            events.publishEvent(new RankingChanged(read.epoch(), ChangeReason.SNAPSHOT, null, read.ranking()));
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    /** The ranking as this server holds it, with the history of the changes that made it in Redis. */
    record Copy(String history, TreeSnapshot ranking) {

        /** Before the first read: the empty ranking of a Redis that saw no change. */
        static final Copy NONE = new Copy(MembershipScripts.NO_HISTORY, TreeSnapshot.INITIAL);

        long epoch() {
            return ranking.epoch();
        }

        Version version() {
            return new Version(epoch(), history);
        }
    }

    /**
     * One published change: {@code "epoch previousHistory history reason sequence id joinedAtMillis address"},
     * the histories before and after it.
     */
    record Change(long epoch, String previous, String history, ChangeReason reason, long sequence, String id,
                  Instant joinedAt, String address) {

        static Change parse(String text) {
            String[] f = text.split(" ", 8);
            return new Change(Long.parseLong(f[0]), f[1], f[2], ChangeReason.valueOf(f[3].toUpperCase(Locale.ROOT)),
                    Long.parseLong(f[4]), f[5], Instant.ofEpochMilli(Long.parseLong(f[6])), f[7]);
        }

        RankTree applyTo(RankTree tree) {
            return reason == ChangeReason.JOINED
                    ? tree.with(new Member(id, address, joinedAt, sequence))
                    : tree.without(sequence);
        }
    }
}

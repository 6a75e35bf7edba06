package dev.rankcluster.server.events;

import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.model.SessionEvent;
import dev.rankcluster.server.membership.Membership;
import dev.rankcluster.server.membership.SessionPresence;
import dev.rankcluster.server.membership.RankingSnapshot;
import dev.rankcluster.server.membership.TreeSnapshot;
import dev.rankcluster.server.system.ProblemException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Feeds the events stream. Keeps the last {@value #HISTORY} ranking changes so that a watcher that reconnects
 * with {@code Last-Event-ID} gets every change it missed, in order, or the current snapshot when they are gone.
 * <p>
 * Publishing only records the change and wakes the subscribers: each subscriber sends on its own virtual
 * thread and keeps just a cursor (the last epoch it sent), so a slow or dead watcher never holds up a
 * membership change, and one that fell behind the history simply gets a fresh snapshot.
 */
@Component
class EventBroadcaster implements SmartLifecycle {

    static final int HISTORY = 1000;

    private final Membership membership;
    private final Object lock = new Object();
    private final ConcurrentSkipListMap<Long, RankingChanged> history = new ConcurrentSkipListMap<>();
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final RankingFrames frames;
    private volatile RankingChanged latest;
    private volatile boolean running;

    EventBroadcaster(Membership membership, SessionPresence sessions) {
        this.frames = new RankingFrames(sessions);
        this.membership = membership;
        RankingSnapshot snapshot = startingRanking(membership);
        this.latest = new RankingChanged(snapshot.epoch(), ChangeReason.SNAPSHOT, null, snapshot);
    }

    /** A shared store that does not answer yet starts the stream empty; its snapshot follows once it answers. */
    private static RankingSnapshot startingRanking(Membership membership) {
        try {
            return membership.snapshot();
        } catch (ProblemException unavailable) {
            return TreeSnapshot.INITIAL;
        }
    }

    SseEmitter subscribe(String lastEventId) {
        catchUpWith(startingRanking(membership));
        Subscriber subscriber;
        synchronized (lock) {
            RankingChanged current = latest;
            Long last = parseEpoch(lastEventId);
            boolean canReplay = last != null && last <= current.epoch()
                    && (last.equals(current.epoch()) || history.containsKey(last + 1));
            subscriber = canReplay ? Subscriber.resumingAfter(this, last) : Subscriber.startingWith(this, current);
            subscribers.add(subscriber);
        }
        subscriber.start();
        return subscriber.emitter();
    }

    /**
     * A shared store may be ahead of the changes this server has heard of (just after a start, say, while other
     * servers change the ranking): a new watcher then starts from the store's ranking, not from an older one.
     */
    private void catchUpWith(RankingSnapshot current) {
        if (current.epoch() > latest.epoch()) {
            on(new RankingChanged(current.epoch(), ChangeReason.SNAPSHOT, null, current));
        }
    }

    @EventListener
    void on(RankingChanged change) {
        synchronized (lock) {
            // A snapshot below the latest epoch: the shared store started again (Redis lost its data).
            boolean restarted = change.reason() == ChangeReason.SNAPSHOT && change.epoch() < latest.epoch();
            if (change.epoch() <= latest.epoch() && !restarted) {
                return;
            }
            if (restarted) {
                history.clear();
            }
            history.put(change.epoch(), change);
            while (history.size() > HISTORY) {
                history.pollFirstEntry();
            }
            latest = change;
        }
        subscribers.forEach(Subscriber::wake);
    }

    @EventListener
    void on(CommandFannedOut fannedOut) {
        subscribers.forEach(subscriber -> subscriber.offer("command", fannedOut.command()));
    }

    @EventListener
    void on(SessionEvent session) {
        subscribers.forEach(subscriber -> subscriber.offer("session", session));
    }

    RankingFrames frames() {
        return frames;
    }

    /** The latest change. */
    RankingChanged latest() {
        return latest;
    }

    /** The change that made {@code epoch}, or null when it left the history. */
    RankingChanged changeOf(long epoch) {
        return history.get(epoch);
    }

    void unsubscribe(Subscriber subscriber) {
        subscribers.remove(subscriber);
    }

    private static Long parseEpoch(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return null;
        }
        try {
            long epoch = Long.parseLong(lastEventId.trim());
            return epoch >= 0 ? epoch : null;
        } catch (NumberFormatException notAnEpoch) {
            return null;
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** Ends every stream first, so that a graceful shutdown does not wait for watchers to hang up. */
    @Override
    public void stop() {
        running = false;
        subscribers.forEach(Subscriber::close);
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}

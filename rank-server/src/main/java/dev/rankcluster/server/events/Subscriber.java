package dev.rankcluster.server.events;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One events stream. Its own virtual thread sends, in order: the first snapshot if any, every ranking change
 * after its cursor (or a fresh snapshot once the history no longer has the next one), and the queued command
 * reports and session events. Idle streams get a comment now and then so that proxies keep them open.
 */
final class Subscriber {

    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    static final int MAX_QUEUED_NOTICES = 256;

    private final EventBroadcaster broadcaster;
    private final SseEmitter emitter = new SseEmitter(0L);
    private final Semaphore wakeUp = new Semaphore(0);
    private final BlockingQueue<Notice> notices = new ArrayBlockingQueue<>(MAX_QUEUED_NOTICES);
    private final AtomicBoolean closed = new AtomicBoolean();
    private RankingChanged firstSnapshot;
    private long cursor;

    private Subscriber(EventBroadcaster broadcaster, RankingChanged firstSnapshot, long cursor) {
        this.broadcaster = broadcaster;
        this.firstSnapshot = firstSnapshot;
        this.cursor = cursor;
        emitter.onCompletion(this::close);
        emitter.onTimeout(this::close);
        emitter.onError(failure -> close());
    }

    static Subscriber startingWith(EventBroadcaster broadcaster, RankingChanged current) {
        return new Subscriber(broadcaster, current, current.epoch());
    }

    static Subscriber resumingAfter(EventBroadcaster broadcaster, long lastEpoch) {
        return new Subscriber(broadcaster, null, lastEpoch);
    }

    SseEmitter emitter() {
        return emitter;
    }

    void start() {
        Thread.ofVirtual().name("events-subscriber").start(this::run);
    }

    void wake() {
        wakeUp.release();
    }

    /** Queues an event other than a ranking ({@code command}, {@code session}); a watcher too slow to take them is dropped. */
    void offer(String name, Object data) {
        if (!notices.offer(new Notice(name, data))) {
            close();
        }
        wake();
    }

    void close() {
        if (closed.compareAndSet(false, true)) {
            broadcaster.unsubscribe(this);
            wake();
            try {
                emitter.complete();
            } catch (RuntimeException alreadyGone) {
                // the connection is gone anyway
            }
        }
    }

    private void run() {
        try {
            if (firstSnapshot != null) {
                sendSnapshot(firstSnapshot);
                firstSnapshot = null;
            }
            while (!closed.get()) {
                boolean sent = sendPending();
                if (!wakeUp.tryAcquire(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS) && !sent && !closed.get()) {
                    emitter.send(SseEmitter.event().comment("keep-alive"));
                }
                wakeUp.drainPermits();
            }
        } catch (IOException | IllegalStateException gone) {
            // The watcher hung up: nothing to tell anyone.
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } finally {
            close();
        }
    }

    private boolean sendPending() throws IOException {
        boolean sent = false;
        for (RankingChanged latest = broadcaster.latest(); cursor != latest.epoch() && !closed.get();
             latest = broadcaster.latest()) {
            // Ahead of the latest epoch: the store started again, so the watcher gets the ranking afresh.
            RankingChanged next = cursor < latest.epoch() ? broadcaster.changeOf(cursor + 1) : null;
            if (next == null) {
                sendSnapshot(latest);
            } else {
                send(next, broadcaster.frames().change(next));
            }
            sent = true;
        }
        for (Notice notice = notices.poll(); notice != null && !closed.get(); notice = notices.poll()) {
            emitter.send(SseEmitter.event().name(notice.name()).data(notice.data(), MediaType.APPLICATION_JSON));
            sent = true;
        }
        return sent;
    }

    private void sendSnapshot(RankingChanged change) throws IOException {
        send(change, broadcaster.frames().snapshot(change));
    }

    private void send(RankingChanged change, String data) throws IOException {
        emitter.send(SseEmitter.event().name("ranking").id(Long.toString(change.epoch()))
                .data(data, MediaType.APPLICATION_JSON));
        cursor = change.epoch();
    }

    private record Notice(String name, Object data) {
    }
}

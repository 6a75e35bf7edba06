package dev.rankcluster.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.server.events.RankingChanged;
import dev.rankcluster.server.support.FakeTicker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ApplicationEventPublisher;

/** Listeners (the console log, streams, metrics) run after a change is committed, never inside the lock. */
class SlowListenerTests {

    /** Blocks on the first ranking change until released, as a stalled stdout would; records every change. */
    static final class StalledListener implements ApplicationEventPublisher {
        final CountDownLatch stalled = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Long> epochs = new CopyOnWriteArrayList<>();

        @Override
        public void publishEvent(Object event) {
            if (event instanceof RankingChanged change) {
                if (stalled.getCount() > 0) {
                    stalled.countDown();
                    await(release);
                }
                epochs.add(change.epoch());
            }
        }
    }

    final StalledListener listener = new StalledListener();
    final CaffeineMembership membership = new CaffeineMembership(100, Duration.ofSeconds(10), 3, new FakeTicker(),
            Clock.systemUTC(), listener);

    final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        listener.release.countDown();
        threads.shutdownNow();
    }

    @Test
    void register_whileAListenerIsStalled_othersRegisterAndRenewAtOnce() throws Exception {
        CompletableFuture<RegistrationOutcome> first = CompletableFuture.supplyAsync(() -> membership.register("10.0.0.1:1"), threads);
        assertThat(listener.stalled.await(5, TimeUnit.SECONDS)).as("the listener got the first change").isTrue();

        // With the listener stuck, the membership still takes registrations and heartbeats without waiting.
        RegistrationOutcome second = CompletableFuture.supplyAsync(() -> membership.register("10.0.0.2:1"), threads)
                .get(2, TimeUnit.SECONDS);
        membership.renewLease(second.registration().id(), second.registration().leaseToken());
        assertThat(membership.snapshot().size()).isEqualTo(2);
        assertThat(listener.epochs).as("nothing published past the stalled listener").isEmpty();

        listener.release.countDown();
        first.get(5, TimeUnit.SECONDS);

        // The stalled publisher publishes what was committed meanwhile, in epoch order.
        assertThat(listener.epochs).containsExactly(1L, 2L);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

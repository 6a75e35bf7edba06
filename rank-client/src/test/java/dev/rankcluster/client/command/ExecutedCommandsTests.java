package dev.rankcluster.client.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankcluster.client.support.MutableClock;
import dev.rankcluster.client.system.ProblemException;
import dev.rankcluster.model.Delivery;
import dev.rankcluster.model.ExecutedCommand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class ExecutedCommandsTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T21:00:00Z"));
    private final ExecutedCommands executed = new ExecutedCommands(clock);

    /** Replays of the deliveries below are refused by their deadline from then on. */
    private static final Instant REMEMBER_UNTIL = Instant.parse("2026-11-23T21:00:30Z");

    private static Delivery aDelivery(String commandId) {
        return new Delivery(commandId, "rotate-logs", "m-1", "10.0.0.2:8080", 0, "m-4", 3, 9L,
                Instant.parse("2026-11-23T20:59:59Z"), Instant.parse("2026-11-23T21:00:29Z"));
    }

    @Test
    void executeOnce_newId_logsAndRecordsIt(CapturedOutput output) {
        assertThat(executed.executeOnce(aDelivery("c-1"), REMEMBER_UNTIL)).isTrue();

        assertThat(output.getOut()).contains("Executed 'rotate-logs' from 10.0.0.2:8080 (rank 0) at rank 3");
        assertThat(executed.newestFirst()).containsExactly(new ExecutedCommand("c-1", "rotate-logs", "10.0.0.2:8080",
                0, 3, 9L, Instant.parse("2026-11-23T21:00:00Z")));
    }

    @Test
    void executeOnce_sameIdAgain_notExecutedAgain(CapturedOutput output) {
        executed.executeOnce(aDelivery("c-1"), REMEMBER_UNTIL);

        assertThat(executed.executeOnce(aDelivery("c-1"), REMEMBER_UNTIL)).isFalse();

        assertThat(executed.newestFirst()).hasSize(1);
        assertThat(output.getOut()).containsOnlyOnce("Executed 'rotate-logs'");
    }

    @Test
    void executeOnce_replayAfter150000OtherIds_stillNotExecutedAgain() {
        // A size-bounded cache forgets fresh ids first once full; ids must be kept by time alone.
        executed.executeOnce(aDelivery("the-first"), REMEMBER_UNTIL);
        for (int i = 0; i < 150_000; i++) {
            executed.executeOnce(aDelivery("other-" + i), REMEMBER_UNTIL);
        }

        assertThat(executed.executeOnce(aDelivery("the-first"), REMEMBER_UNTIL)).isFalse();
        assertThat(executed.executeOnce(aDelivery("other-0"), REMEMBER_UNTIL)).isFalse();
        assertThat(executed.executeOnce(aDelivery("other-149999"), REMEMBER_UNTIL)).isFalse();
        assertThat(executed.remembered()).isEqualTo(150_001);
    }

    @Test
    void executeOnce_afterItsRememberTime_idForgotten() {
        executed.executeOnce(aDelivery("c-1"), Instant.parse("2026-11-23T21:00:05Z"));
        executed.executeOnce(aDelivery("c-2"), REMEMBER_UNTIL);

        clock.set(Instant.parse("2026-11-23T21:00:05Z"));
        assertThat(executed.remembered()).as("kept up to its time").isEqualTo(2);
        clock.set(Instant.parse("2026-11-23T21:00:05.001Z"));
        assertThat(executed.remembered()).as("forgotten after it").isOne();
    }

    @Test
    void executeOnce_fullOfLiveIds_refusedWith503AndNotExecuted(CapturedOutput output) {
        var small = new ExecutedCommands(clock, 3);
        for (int i = 0; i < 3; i++) {
            small.executeOnce(aDelivery("c-" + i), REMEMBER_UNTIL);
        }

        assertThatThrownBy(() -> small.executeOnce(aDelivery("one-too-many"), REMEMBER_UNTIL))
                .isInstanceOfSatisfying(ProblemException.class,
                        problem -> assertThat(problem.getStatusCode().value()).isEqualTo(503));
        assertThat(small.newestFirst()).extracting(ExecutedCommand::commandId).doesNotContain("one-too-many");
        assertThat(output.getOut()).doesNotContain("one-too-many");

        clock.set(REMEMBER_UNTIL.plusMillis(1));
        assertThat(small.executeOnce(aDelivery("once-there-is-room"), REMEMBER_UNTIL.plusSeconds(30))).isTrue();
    }

    @Test
    void newestFirst_over100Executed_keepsLast100NewestFirst() {
        for (int i = 0; i < 250; i++) {
            clock.advance(Duration.ofMillis(100));
            executed.executeOnce(aDelivery("c-" + i), REMEMBER_UNTIL);
        }

        List<ExecutedCommand> last = executed.newestFirst();
        assertThat(last).hasSize(ExecutedCommands.HISTORY);
        assertThat(last.getFirst().commandId()).isEqualTo("c-249");
        assertThat(last.getLast().commandId()).isEqualTo("c-150");
        assertThat(last).extracting(ExecutedCommand::executedAt).isSortedAccordingTo((a, b) -> b.compareTo(a));
    }

    @Test
    void executeOnce_concurrentDuplicates_eachIdExecutedExactlyOnce() throws Exception {
        int threads = 8;
        int ids = 500;
        int rounds = 4;
        var barrier = new CyclicBarrier(threads);
        var executions = new AtomicInteger();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            tasks.add(() -> {
                barrier.await(10, TimeUnit.SECONDS);
                for (int round = 0; round < rounds; round++) {
                    for (int i = 0; i < ids; i++) {
                        if (executed.executeOnce(aDelivery("c-" + i), REMEMBER_UNTIL)) {
                            executions.incrementAndGet();
                        }
                    }
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (Future<Void> done : pool.invokeAll(tasks, 30, TimeUnit.SECONDS)) {
                done.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(executions.get()).isEqualTo(ids);
        assertThat(executed.newestFirst()).hasSize(ExecutedCommands.HISTORY)
                .extracting(ExecutedCommand::commandId).doesNotHaveDuplicates();
    }
}

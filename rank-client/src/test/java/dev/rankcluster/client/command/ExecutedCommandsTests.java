package dev.rankcluster.client.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.client.support.MutableClock;
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

    private static Delivery aDelivery(String commandId) {
        return new Delivery(commandId, "rotate-logs", "m-1", "10.0.0.2:8080", 0, 3, 9L, Instant.parse("2026-11-23T20:59:59Z"));
    }

    @Test
    void executeOnce_newId_logsAndRecordsIt(CapturedOutput output) {
        assertThat(executed.executeOnce(aDelivery("c-1"))).isTrue();

        assertThat(output.getOut()).contains("Executed 'rotate-logs' from 10.0.0.2:8080 (rank 0) at rank 3");
        assertThat(executed.newestFirst()).containsExactly(new ExecutedCommand("c-1", "rotate-logs", "10.0.0.2:8080",
                0, 3, 9L, Instant.parse("2026-11-23T21:00:00Z")));
    }

    @Test
    void executeOnce_sameIdAgain_notExecutedAgain(CapturedOutput output) {
        executed.executeOnce(aDelivery("c-1"));

        assertThat(executed.executeOnce(aDelivery("c-1"))).isFalse();

        assertThat(executed.newestFirst()).hasSize(1);
        assertThat(output.getOut()).containsOnlyOnce("Executed 'rotate-logs'");
    }

    @Test
    void newestFirst_over100Executed_keepsLast100NewestFirst() {
        for (int i = 0; i < 250; i++) {
            clock.advance(Duration.ofSeconds(1));
            executed.executeOnce(aDelivery("c-" + i));
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
                        if (executed.executeOnce(aDelivery("c-" + i))) {
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

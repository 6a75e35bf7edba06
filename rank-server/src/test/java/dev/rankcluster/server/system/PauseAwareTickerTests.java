package dev.rankcluster.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PauseAwareTickerTests {

    final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    final PauseAwareTicker ticker = new PauseAwareTicker(nanos::get);

    void run(Duration duration) {
        // The sweep reads the ticker every 100 ms while the process runs.
        for (long step = 0; step < duration.toMillis() / 100; step++) {
            nanos.addAndGet(Duration.ofMillis(100).toNanos());
            ticker.read();
        }
    }

    @Test
    void read_processRunning_followsTheNanoSource() {
        long start = ticker.read();

        run(Duration.ofSeconds(5));

        assertThat(ticker.read() - start).isEqualTo(Duration.ofSeconds(5).toNanos());
        assertThat(ticker.takePause()).isZero();
    }

    @Test
    void read_afterFreezeLongerThanThreshold_timeStoodStill() {
        run(Duration.ofSeconds(1));
        long beforeFreeze = ticker.read();

        nanos.addAndGet(Duration.ofSeconds(30).toNanos());

        assertThat(ticker.read()).isEqualTo(beforeFreeze);
        assertThat(ticker.takePause()).isEqualTo(Duration.ofSeconds(30));
        assertThat(ticker.takePause()).as("a pause is reported once").isZero();
    }

    @Test
    void read_gapBelowThreshold_counted() {
        long start = ticker.read();

        nanos.addAndGet(Duration.ofMillis(900).toNanos());

        assertThat(ticker.read() - start).isEqualTo(Duration.ofMillis(900).toNanos());
        assertThat(ticker.takePause()).isZero();
    }

    @Test
    void read_sourceGoesBackwards_neverDecreases() {
        long start = ticker.read();

        nanos.addAndGet(-1_000);

        assertThat(ticker.read()).isEqualTo(start);
    }
}

package dev.rankcluster.client.registration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTests {

    /** Always draws the smallest or the largest value a bound allows. */
    private static RandomGenerator extreme(boolean largest) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public long nextLong(long bound) {
                return largest ? bound - 1 : 0;
            }
        };
    }

    private final Backoff lowest = new Backoff(extreme(false));
    private final Backoff highest = new Backoff(extreme(true));

    @Test
    void delay_attempts_doubleFrom200MsUpTo5sWithJitterInTheUpperHalf() {
        long[] expectedBase = {200, 400, 800, 1600, 3200, 5000, 5000};
        for (int attempt = 0; attempt < expectedBase.length; attempt++) {
            assertThat(highest.delay(attempt)).isEqualTo(Duration.ofMillis(expectedBase[attempt]));
            assertThat(lowest.delay(attempt)).isEqualTo(Duration.ofMillis(expectedBase[attempt] / 2));
        }
    }

    @Test
    void delay_manyAttempts_staysCappedWithoutOverflow() {
        assertThat(highest.delay(Integer.MAX_VALUE)).isEqualTo(Backoff.CAP);
        assertThat(lowest.delay(10_000)).isEqualTo(Backoff.CAP.dividedBy(2));
    }

    @Test
    void delay_realRandom_alwaysWithinHalfAndFullBase() {
        var backoff = new Backoff(RandomGenerator.getDefault());
        for (int i = 0; i < 10_000; i++) {
            assertThat(backoff.delay(2)).isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
        }
    }

    @Test
    void delay_retryAfterLongerThanBackoff_honouredUpToTheCap() {
        assertThat(highest.delay(0, Optional.of(Duration.ofSeconds(3)))).isEqualTo(Duration.ofSeconds(3));
        assertThat(highest.delay(0, Optional.of(Duration.ofMinutes(10)))).isEqualTo(Backoff.CAP);
    }

    @Test
    void delay_retryAfterShorterThanBackoff_backoffWins() {
        assertThat(highest.delay(4, Optional.of(Duration.ZERO))).isEqualTo(Duration.ofMillis(3200));
    }
}

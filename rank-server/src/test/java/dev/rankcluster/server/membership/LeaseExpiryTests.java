package dev.rankcluster.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.model.Registration;
import dev.rankcluster.server.support.RecordedEvents;
import dev.rankcluster.server.system.PauseAwareTicker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class LeaseExpiryTests {

    static final Duration TTL = Duration.ofSeconds(2);

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final PauseAwareTicker ticker = new PauseAwareTicker(nanos::get);
    final RecordedEvents events = new RecordedEvents();
    final CaffeineMembership membership = new CaffeineMembership(100, TTL, 3, ticker, Clock.systemUTC(), events);
    final LeaseExpiry expiry = new LeaseExpiry(membership, ticker);

    /** The server running normally: a sweep every 100 ms. */
    void run(Duration duration) {
        for (long step = 0; step < duration.toMillis() / 100; step++) {
            nanos.addAndGet(Duration.ofMillis(100).toNanos());
            expiry.sweep();
        }
    }

    @Test
    void sweep_noRequestArrives_unrenewedMemberRemovedWithinTtlPlusOneSweep() {
        membership.register("10.0.0.1:8080");

        run(TTL.minusMillis(100));
        assertThat(membership.snapshot().size()).as("never before the TTL").isEqualTo(1);
        run(Duration.ofMillis(100));

        assertThat(membership.snapshot().size()).isZero();
        assertThat(events.lastRankingChange().reason()).isEqualTo(ChangeReason.EXPIRED);
    }

    @Test
    void sweep_afterServerFrozenLongerThanTtl_nobodyEvictedAndPauseLogged(CapturedOutput output) {
        Registration alive = membership.register("10.0.0.1:8080").registration();
        membership.register("10.0.0.2:8080");
        run(Duration.ofSeconds(1));

        nanos.addAndGet(Duration.ofSeconds(30).toNanos());
        expiry.sweep();

        assertThat(membership.snapshot().size()).isEqualTo(2);
        assertThat(output).contains("The server was paused for 30000 ms");

        // After the pause only the member that keeps heartbeating stays.
        for (int i = 0; i < 4; i++) {
            run(Duration.ofMillis(700));
            membership.renewLease(alive.id(), alive.leaseToken());
        }
        assertThat(membership.snapshot().members()).singleElement()
                .satisfies(member -> assertThat(member.address()).isEqualTo("10.0.0.1:8080"));
    }
}

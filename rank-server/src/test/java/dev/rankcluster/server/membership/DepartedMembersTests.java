package dev.rankcluster.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.server.support.RecordedEvents;
import dev.rankcluster.server.system.PauseAwareTicker;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DepartedMembersTests {

    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final PauseAwareTicker ticker = new PauseAwareTicker(nanos::get);
    final RecordedEvents events = new RecordedEvents();
    final CaffeineMembership membership = new CaffeineMembership(100, Duration.ofSeconds(2), 3, ticker,
            Clock.systemUTC(), events);
    final LeaseExpiry expiry = new LeaseExpiry(membership, ticker);
    final DepartedMembers departed = new DepartedMembers();

    @Test
    void reasonFor_leaseExpired_expired() {
        String expired = membership.register("10.0.0.1:8080").registration().id();
        String removed = membership.register("10.0.0.2:8080").registration().id();
        membership.remove(removed);
        for (int step = 0; step < 25; step++) {
            nanos.addAndGet(Duration.ofMillis(100).toNanos());
            expiry.sweep();
        }

        events.rankingChanges().forEach(departed::on);

        assertThat(departed.reasonFor(expired)).contains(ChangeReason.EXPIRED);
        assertThat(departed.reasonFor(removed)).contains(ChangeReason.REMOVED);
        assertThat(departed.reasonFor("never-seen")).isEmpty();
    }
}

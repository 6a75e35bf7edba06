package dev.rankcluster.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.server.support.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The membership contract against the memory store, and what only it does: its own clock and pause rule. */
class CaffeineMembershipTests extends MembershipContractTests {

    final FakeTicker ticker = new FakeTicker();

    @Override
    protected Membership newMembership(int maxMembers) {
        return new CaffeineMembership(maxMembers, TTL, MAX_FAILED_DELIVERIES, ticker, CLOCK, events);
    }

    @Override
    protected void elapse(Duration duration) {
        ticker.advance(duration);
    }

    @Test
    void sweep_oneNanosecondBeforeTtl_memberStays() {
        join("10.0.0.1:8080");
        elapse(TTL.minusNanos(1));

        membership.expireLapsedLeases();

        assertThat(membership.snapshot().size()).isEqualTo(1);
    }

    @Test
    void renewAllLeases_afterPause_everyLeaseGetsFreshTtl() {
        join("10.0.0.1:8080");
        elapse(Duration.ofSeconds(9));

        membership.renewAllLeases();
        elapse(Duration.ofSeconds(9));
        membership.expireLapsedLeases();

        assertThat(membership.snapshot().size()).isEqualTo(1);
    }
}

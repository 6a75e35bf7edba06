package dev.rankcluster.server.membership;

import dev.rankcluster.server.support.FakeTicker;
import java.time.Duration;

class CaffeineMembershipContractTests extends MembershipContractTests {

    final FakeTicker ticker = new FakeTicker();

    @Override
    protected Membership newMembership(int maxMembers) {
        return new CaffeineMembership(maxMembers, TTL, MAX_FAILED_DELIVERIES, ticker, CLOCK, events);
    }

    @Override
    protected void elapse(Duration duration) {
        ticker.advance(duration);
    }
}

package dev.rankcluster.client.registration;

import dev.rankcluster.client.session.MemberSessionClient;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code registration} health: UP only while this client holds a rank and is not in the middle of opening its
 * session (so that a client reported ready renews and receives the way it will from then on); part of the readiness
 * group.
 */
@Component
class RegistrationHealthIndicator implements HealthIndicator {

    private final RegistrationState state;
    private final MemberSessionClient sessions;

    RegistrationHealthIndicator(RegistrationState state, MemberSessionClient sessions) {
        this.state = state;
        this.sessions = sessions;
    }

    @Override
    public Health health() {
        String session = sessions.describe();
        return state.current()
                .map(r -> (sessions.isOpening() ? Health.outOfService() : Health.up())
                        .withDetail("address", r.address()).withDetail("rank", r.rank()).withDetail("session", session)
                        .build())
                .orElseGet(() -> Health.outOfService().withDetail("reason", "not registered with the rank server").build());
    }
}

package dev.rankcluster.client.registration;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** {@code registration} health: UP only while this client holds a rank; part of the readiness group. */
@Component
class RegistrationHealthIndicator implements HealthIndicator {

    private final RegistrationState state;

    RegistrationHealthIndicator(RegistrationState state) {
        this.state = state;
    }

    @Override
    public Health health() {
        return state.current()
                .map(r -> Health.up().withDetail("address", r.address()).withDetail("rank", r.rank()).build())
                .orElseGet(() -> Health.outOfService().withDetail("reason", "not registered with the rank server").build());
    }
}

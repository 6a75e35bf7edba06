package dev.rankcluster.server.membership.redis;

import dev.rankcluster.server.system.ProblemException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** DOWN while Redis does not answer: this server then refuses membership requests with {@code 503}. */
final class RedisStoreHealth implements HealthIndicator {

    private final MembershipScripts scripts;

    RedisStoreHealth(MembershipScripts scripts) {
        this.scripts = scripts;
    }

    @Override
    public Health health() {
        try {
            return Health.up().withDetail("store", "redis").withDetail("epoch", scripts.version().epoch()).build();
        } catch (ProblemException unavailable) {
            return Health.down().withDetail("store", "redis").withDetail("error", "Redis does not answer").build();
        }
    }
}

package dev.rankcluster.server.membership.redis;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Redis store's durability settings ({@code rank.server.redis.*}), checked at start-up.
 *
 * @param minReplicasAcknowledged replicas that must confirm each change of the ranking before it is acknowledged
 *                                ({@code WAIT}); 0 acknowledges once the primary has it, and a failover may lose it
 * @param replicaAckTimeout       how long a change waits for those replicas before it is answered with {@code 503}
 */
@Validated
@ConfigurationProperties("rank.server.redis")
public record RedisStoreProperties(
        @DefaultValue("0") @PositiveOrZero @Max(100) int minReplicasAcknowledged,
        @DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration replicaAckTimeout) {
}

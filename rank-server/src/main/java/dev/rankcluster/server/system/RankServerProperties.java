package dev.rankcluster.server.system;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The rank server's settings ({@code rank.server.*}), checked at start-up.
 *
 * @param maxMembers           members beyond this are refused with {@code 503 cluster-full}
 * @param leaseTtl             a member that does not renew its lease for this long is removed
 * @param deliveryTimeout      bound of one delivery of a command to one member: without an answer by then it is
 *                             reported {@code timed out} and its connection closed
 * @param maxClockSkew         how far members' clocks may be from the server's: a delivery expires (members refuse
 *                             to execute it) this long before the server's delivery timeout
 * @param maxConcurrentDeliveries deliveries in flight at once, across all commands; more wait, within their timeout
 * @param maxFailedDeliveries  consecutive failed deliveries after which a member is removed as unreachable
 * @param maxCommandsPerSecond commands one member may send per second
 * @param trustAdvertisedHost  whether a registration's {@code host} replaces the address the request came from
 * @param adminToken           bearer token that may remove any member; unset (or blank) disables removal by operators
 * @param store                where the membership lives: {@code memory} (this server alone) or {@code redis}
 *                             (shared by every server on one Redis, {@code spring.data.redis.*})
 * @param sessionProbeTimeout  how long the TCP probe of a member whose session broke may wait: no answer by then
 *                             and the member is removed as {@code disconnected}
 */
@Validated
@ConfigurationProperties("rank.server")
public record RankServerProperties(
        @DefaultValue("10000") @Positive int maxMembers,
        @DefaultValue("10s") @NotNull @DurationMin(millis = 100) Duration leaseTtl,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 1) Duration deliveryTimeout,
        @DefaultValue("500ms") @NotNull @DurationMin(millis = 0) Duration maxClockSkew,
        @DefaultValue("512") @Positive int maxConcurrentDeliveries,
        @DefaultValue("3") @Positive int maxFailedDeliveries,
        @DefaultValue("5") @Positive int maxCommandsPerSecond,
        @DefaultValue("false") boolean trustAdvertisedHost,
        String adminToken,
        @DefaultValue("memory") @NotNull Store store,
        @DefaultValue("500ms") @NotNull @DurationMin(millis = 1) Duration sessionProbeTimeout) {

    public enum Store { MEMORY, REDIS }

    public RankServerProperties {
        if (adminToken != null && adminToken.isBlank()) {
            adminToken = null;
        }
        // A timeout that is not positive is Bean Validation's to report, with the others.
        if (deliveryTimeout != null && deliveryTimeout.isPositive() && maxClockSkew != null
                && maxClockSkew.compareTo(deliveryTimeout) >= 0) {
            throw new IllegalArgumentException(("rank.server.max-clock-skew (%s) must be shorter than "
                    + "rank.server.delivery-timeout (%s): every delivery would expire before it is sent")
                    .formatted(maxClockSkew, deliveryTimeout));
        }
    }

    /** How long a delivery may be executed after it was issued: {@code delivery-timeout − max-clock-skew}. */
    public Duration deliveryLifetime() {
        return deliveryTimeout.minus(maxClockSkew);
    }

    @Override
    public String toString() {
        return "RankServerProperties[maxMembers=%d, leaseTtl=%s, deliveryTimeout=%s, maxClockSkew=%s, "
                .formatted(maxMembers, leaseTtl, deliveryTimeout, maxClockSkew)
                + "maxConcurrentDeliveries=%d, maxFailedDeliveries=%d, ".formatted(maxConcurrentDeliveries, maxFailedDeliveries)
                + "maxCommandsPerSecond=%d, trustAdvertisedHost=%s, adminToken=%s, store=%s, sessionProbeTimeout=%s]"
                .formatted(maxCommandsPerSecond, trustAdvertisedHost, adminToken == null ? "unset" : "set", store,
                        sessionProbeTimeout);
    }
}

package dev.rankcluster.client.command;

import dev.rankcluster.client.system.ClusterProperties;
import dev.rankcluster.client.system.ProblemException;
import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.RankHeaders;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Checks that a delivery comes from the rank server: with a cluster token set, its signature over the raw
 * body must match and its timestamp be within 30 s of our clock; without one every delivery is accepted.
 */
@Component
class DeliveryAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(DeliveryAuthenticator.class);

    private final Optional<DeliverySignature> signature;
    private final Clock clock;

    DeliveryAuthenticator(ClusterProperties cluster, Clock clock) {
        this.signature = cluster.tokenIfSet().map(DeliverySignature::new);
        this.clock = clock;
        if (signature.isEmpty()) {
            log.warn("rank.cluster.token is not set: deliveries are accepted unsigned and registrations carry no token");
        }
    }

    void verify(String timestampHeader, String signatureHeader, byte[] body) {
        if (signature.isEmpty()) {
            return;
        }
        if (timestampHeader == null || signatureHeader == null) {
            throw refused("the delivery must carry %s and %s headers".formatted(RankHeaders.TIMESTAMP, RankHeaders.SIGNATURE));
        }
        long timestamp = parseTimestamp(timestampHeader);
        long now = clock.millis();
        if (!DeliverySignature.isFresh(timestamp, now)) {
            throw refused("%s is %d ms from this client's clock, at most %d ms are accepted".formatted(
                    RankHeaders.TIMESTAMP, Math.abs(now - timestamp), DeliverySignature.MAX_CLOCK_SKEW.toMillis()));
        }
        if (!signature.get().matches(timestamp, body, signatureHeader)) {
            throw refused("%s does not match the body and timestamp".formatted(RankHeaders.SIGNATURE));
        }
    }

    private static long parseTimestamp(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw refused("%s must be epoch milliseconds".formatted(RankHeaders.TIMESTAMP));
        }
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(ProblemType.INVALID_SIGNATURE, detail);
    }
}

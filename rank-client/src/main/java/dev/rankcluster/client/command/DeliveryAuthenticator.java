package dev.rankcluster.client.command;

import dev.rankcluster.client.system.ProblemException;
import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.Registration;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * Checks that a delivery was signed for this client's current registration: with the delivery key derived from
 * its lease token, which only the rank server and this client know, over the raw body, with a timestamp within
 * 30 s of our clock. A delivery meant for another member, or forged by one, does not match.
 */
@Component
class DeliveryAuthenticator {

    private final Clock clock;
    /** The key of the registration last seen: derived once per registration, not per delivery. */
    private volatile Keyed keyed;

    private record Keyed(String leaseToken, DeliverySignature signature) {
    }

    DeliveryAuthenticator(Clock clock) {
        this.clock = clock;
    }

    /** Returns the signature's timestamp, in epoch millis. */
    long verify(Registration registration, String timestampHeader, String signatureHeader, byte[] body) {
        if (timestampHeader == null || signatureHeader == null) {
            throw refused("the delivery must carry %s and %s headers".formatted(RankHeaders.TIMESTAMP, RankHeaders.SIGNATURE));
        }
        long timestamp = parseTimestamp(timestampHeader);
        long now = clock.millis();
        if (!DeliverySignature.isFresh(timestamp, now)) {
            throw refused("%s is %d ms from this client's clock, at most %d ms are accepted".formatted(
                    RankHeaders.TIMESTAMP, Math.abs(now - timestamp), DeliverySignature.MAX_CLOCK_SKEW.toMillis()));
        }
        if (!signatureOf(registration).matches(timestamp, body, signatureHeader)) {
            throw refused("%s is not this member's signature of the body and timestamp".formatted(RankHeaders.SIGNATURE));
        }
        return timestamp;
    }

    private DeliverySignature signatureOf(Registration registration) {
        Keyed current = keyed;
        if (current == null || !current.leaseToken().equals(registration.leaseToken())) {
            current = new Keyed(registration.leaseToken(), DeliverySignature.forLeaseToken(registration.leaseToken()));
            keyed = current;
        }
        return current.signature();
    }

    private static long parseTimestamp(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw refused("%s must be epoch milliseconds".formatted(RankHeaders.TIMESTAMP));
        }
    }

    static ProblemException refused(String detail) {
        return new ProblemException(ProblemType.INVALID_SIGNATURE, detail);
    }
}

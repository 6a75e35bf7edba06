package dev.rankcluster.client.command;

import dev.rankcluster.client.registration.RegistrationState;
import dev.rankcluster.client.session.DeliveryHandler;
import dev.rankcluster.client.system.ProblemException;
import dev.rankcluster.model.Delivery;
import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.Registration;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Checks and executes one delivery, however it came (posted, or on the session): only when it is signed for this
 * registration, addressed to it, not past its deadline and from a higher rank; each command id once. Every refusal
 * is a {@link ProblemException} and executes nothing.
 */
@Component
public class DeliveryReceiver implements DeliveryHandler {

    /** How far past its deadline a command id is still remembered, should this client's clock step back. */
    static final Duration REPLAY_ALLOWANCE = Duration.ofMillis(500);

    private static final Logger log = LoggerFactory.getLogger(DeliveryReceiver.class);

    private final RegistrationState registration;
    private final DeliveryAuthenticator authenticator;
    private final DeliveryParser parser;
    private final ExecutedCommands executed;
    private final Clock clock;

    DeliveryReceiver(RegistrationState registration, DeliveryAuthenticator authenticator, DeliveryParser parser,
                     ExecutedCommands executed, Clock clock) {
        this.registration = registration;
        this.authenticator = authenticator;
        this.parser = parser;
        this.executed = executed;
        this.clock = clock;
    }

    /**
     * @param timestamp what {@code X-Rank-Timestamp} holds: epoch millis at which the server signed
     * @param signature what {@code X-Rank-Signature} holds: {@code sha256=<hex HMAC>}
     * @param body      the delivery's JSON, the exact bytes signed
     */
    @Override
    public void receive(String timestamp, String signature, byte[] body) {
        Registration current = registration.current().orElseThrow(() -> DeliveryAuthenticator.refused(
                "this client is not registered, so no delivery can be signed for it"));
        long signedAt = authenticator.verify(current, timestamp, signature, body);
        Delivery delivery = parser.parse(body);
        if (!delivery.receiverId().equals(current.id())) {
            throw new ProblemException(ProblemType.MISADDRESSED, "the delivery is for member %s, this client is %s"
                    .formatted(delivery.receiverId(), current.id()));
        }
        Instant now = clock.instant();
        if (now.isAfter(delivery.expiresAt())) {
            long late = Duration.between(delivery.expiresAt(), now).toMillis();
            log.warn("Not executing '{}' from {} (rank {}): it arrived {} ms after its deadline", delivery.command(),
                    delivery.senderAddress(), delivery.senderRank(), late);
            throw new ProblemException(ProblemType.DELIVERY_EXPIRED,
                    "the delivery expired at %s, %d ms before it arrived: not executed".formatted(delivery.expiresAt(), late));
        }
        if (delivery.senderRank() >= delivery.receiverRank()) {
            throw new ProblemException(ProblemType.RANK_VIOLATION,
                    "sender rank %d does not outrank receiver rank %d".formatted(delivery.senderRank(), delivery.receiverRank()));
        }
        // Remembered for as long as a replay could pass the checks above: until the deadline, or until the
        // signature is too old, whichever comes first.
        Instant replayable = Instant.ofEpochMilli(signedAt).plus(DeliverySignature.MAX_CLOCK_SKEW);
        Instant lastAccepted = delivery.expiresAt().isBefore(replayable) ? delivery.expiresAt() : replayable;
        executed.executeOnce(delivery, lastAccepted.plus(REPLAY_ALLOWANCE));
    }
}

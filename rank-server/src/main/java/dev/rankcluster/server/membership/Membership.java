package dev.rankcluster.server.membership;

import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.MemberDetails;
import java.util.List;
import java.util.Optional;

/**
 * The ranking of live members and their leases. Everything above it (API, fan-out, events, metrics)
 * uses only this interface, so that another store can replace the in-memory one. Every change of the
 * ranking bumps the epoch by one and publishes one {@code RankingChanged}; failures are
 * {@link dev.rankcluster.server.system.ProblemException}s of the contract's types, raised before
 * anything changed.
 */
public interface Membership {

    /** Appends the address at the lowest rank, or renews the lease of the member that already has it. */
    RegistrationOutcome register(String address);

    LeaseRenewal renewLease(String id, String leaseToken);

    /** The member leaves on its own (reason {@code left}). */
    void leave(String id, String leaseToken);

    /** An operator removes the member (reason {@code removed}). */
    void remove(String id);

    /**
     * The member's session broke and nothing answers at its address: it is removed (reason {@code disconnected}),
     * unless its lease is no longer held by this token (it registered again meanwhile).
     *
     * @return whether it was removed
     */
    boolean disconnect(String id, String leaseToken);

    /** Authenticates the sender and lists the targets of its command: every lower rank, or the one target. */
    CommandTargets commandTargets(String senderId, String leaseToken, String targetId);

    /**
     * Counts consecutive failed deliveries, for all of a fan-out's outcomes at once; a member that reaches the
     * limit is removed as unreachable. Unknown members are ignored.
     */
    void recordDeliveries(List<DeliveryOutcome> outcomes);

    default void recordDelivery(String memberId, boolean delivered) {
        recordDeliveries(List.of(new DeliveryOutcome(memberId, delivered)));
    }

    Optional<MemberDetails> find(String id);

    RankingSnapshot snapshot();

    /** Removes the members whose lease has lapsed (reason {@code expired}). */
    void expireLapsedLeases();

    /** Gives every lease one fresh TTL, after the server itself was frozen. */
    void renewAllLeases();
}

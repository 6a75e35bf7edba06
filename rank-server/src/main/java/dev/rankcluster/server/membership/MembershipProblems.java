package dev.rankcluster.server.membership;

import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.server.system.ProblemException;
import java.time.Duration;
import java.util.Optional;

/** The problems every membership store answers alike, whichever store runs. */
public final class MembershipProblems {

    private MembershipProblems() {
    }

    public static ProblemException gone(String id) {
        return ProblemException.notFound(
                "no member with id %s: it left, its lease expired or it never registered; register again".formatted(id));
    }

    /**
     * The answer to a heartbeat of a member that is gone, saying why in {@code detail} and, for programs, in
     * {@code cause}: {@code expired}, {@code removed}, {@code unreachable}, {@code left}, {@code disconnected} or
     * {@code unknown} (this
     * server never saw it go: it restarted or its store was emptied).
     */
    public static ProblemException leaseGone(String id, Optional<ChangeReason> reason) {
        String why = reason.map(r -> switch (r) {
            case EXPIRED -> "its lease expired: no heartbeat arrived within the lease TTL";
            case REMOVED -> "an operator removed it";
            case UNREACHABLE -> "it was removed as unreachable: deliveries to it kept failing";
            case LEFT -> "it unregistered";
            case DISCONNECTED -> "its session broke and nothing answered at its address";
            case JOINED, SNAPSHOT -> "it is not registered";
        }).orElse("this server does not know it: the server restarted or its store was emptied");
        ProblemException problem = ProblemException.notFound(
                "no member with id %s: %s; register again".formatted(id, why));
        problem.getBody().setProperty("cause", reason.map(ChangeReason::wireName).orElse("unknown"));
        return problem;
    }

    public static ProblemException wrongLeaseToken(String id) {
        return ProblemException.forbidden(("the lease token does not match member %s's current lease: a newer "
                + "registration of the same address holds it").formatted(id));
    }

    public static ProblemException clusterFull(int maxMembers) {
        return ProblemException.retryLater(ProblemType.CLUSTER_FULL,
                "the cluster already has its maximum of %d members".formatted(maxMembers), Duration.ofSeconds(5));
    }

    public static ProblemException unknownTarget(String targetId) {
        return ProblemException.notFound("no member with id %s: the target is not registered".formatted(targetId));
    }

    public static ProblemException rankViolation(int targetRank, int senderRank) {
        return new ProblemException(ProblemType.RANK_VIOLATION,
                "target rank %d is not below sender rank %d".formatted(targetRank, senderRank));
    }
}

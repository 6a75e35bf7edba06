package dev.rankcluster.server.membership;

import dev.rankcluster.model.ProblemType;
import dev.rankcluster.server.system.ProblemException;
import java.time.Duration;

/** The problems every membership store answers alike, whichever store runs. */
public final class MembershipProblems {

    private MembershipProblems() {
    }

    public static ProblemException gone(String id) {
        return ProblemException.notFound(
                "no member with id %s: it left, its lease expired or it never registered; register again".formatted(id));
    }

    public static ProblemException wrongLeaseToken(String id) {
        return ProblemException.forbidden("the lease token does not match member %s's current lease".formatted(id));
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

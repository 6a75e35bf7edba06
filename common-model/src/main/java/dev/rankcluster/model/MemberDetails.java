package dev.rankcluster.model;

import java.time.Instant;

/** Answer to {@code GET /api/v1/members/{id}}. */
public record MemberDetails(int rank, String id, String address, Instant joinedAt, long epoch, boolean session) {

    public MemberDetails(int rank, String id, String address, Instant joinedAt, long epoch) {
        this(rank, id, address, joinedAt, epoch, false);
    }

    public MemberDetails withSession(boolean onSession) {
        return new MemberDetails(rank, id, address, joinedAt, epoch, onSession);
    }
}

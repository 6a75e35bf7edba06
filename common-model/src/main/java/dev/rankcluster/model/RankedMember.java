package dev.rankcluster.model;

import java.time.Instant;

/**
 * One row of a ranking.
 *
 * @param session whether the member is on a session with the server that answers (see {@link SessionProtocol})
 */
public record RankedMember(int rank, String id, String address, Instant joinedAt, boolean session) {

    /** A row as the ranking holds it, before the server says which members are on a session. */
    public RankedMember(int rank, String id, String address, Instant joinedAt) {
        this(rank, id, address, joinedAt, false);
    }

    public RankedMember withSession(boolean onSession) {
        return onSession == session ? this : new RankedMember(rank, id, address, joinedAt, onSession);
    }
}

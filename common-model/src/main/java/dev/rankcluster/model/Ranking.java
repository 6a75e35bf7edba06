package dev.rankcluster.model;

import java.util.List;

/** Answer to {@code GET /api/v1/members}: every member by rank, all read at one epoch. */
public record Ranking(long epoch, List<RankedMember> members) {

    public Ranking {
        members = List.copyOf(members);
    }
}

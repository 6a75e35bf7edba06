package dev.rankcluster.server.membership;

import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.Ranking;
import java.util.List;

/** The whole ranking as it was at one epoch; never changes once taken. */
public interface RankingSnapshot {

    long epoch();

    int size();

    /** Up to {@code limit} members from rank {@code fromRank} on, in rank order. */
    List<RankedMember> members(int fromRank, int limit);

    default List<RankedMember> members() {
        return members(0, size());
    }

    default Ranking toRanking() {
        return new Ranking(epoch(), members());
    }
}

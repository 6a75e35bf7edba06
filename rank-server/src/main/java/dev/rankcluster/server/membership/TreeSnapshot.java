package dev.rankcluster.server.membership;

import dev.rankcluster.model.RankedMember;
import java.util.List;

/** One epoch of the in-memory ranking: an immutable tree, so taking it costs nothing. */
public record TreeSnapshot(long epoch, RankTree tree) implements RankingSnapshot {

    public static final TreeSnapshot INITIAL = new TreeSnapshot(0, RankTree.EMPTY);

    @Override
    public int size() {
        return tree.size();
    }

    @Override
    public List<RankedMember> members(int fromRank, int limit) {
        return tree.ranked(fromRank, limit);
    }

    public TreeSnapshot next(RankTree changed) {
        return new TreeSnapshot(epoch + 1, changed);
    }
}

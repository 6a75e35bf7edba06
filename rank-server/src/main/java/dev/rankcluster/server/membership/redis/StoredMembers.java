package dev.rankcluster.server.membership.redis;

import dev.rankcluster.model.RankedMember;
import dev.rankcluster.server.membership.Member;
import dev.rankcluster.server.membership.RankTree;
import dev.rankcluster.server.membership.TreeSnapshot;
import java.time.Instant;

/**
 * Members as the ranking's sorted set holds them: {@code "id joinedAtMillis address"}, scored by join sequence.
 * Keeping the fields a listing shows in the entry lets one {@code ZRANGE} read a whole ranking.
 */
final class StoredMembers {

    private StoredMembers() {
    }

    static Member member(String entry, long sequence) {
        String[] fields = entry.split(" ", 3);
        return new Member(fields[0], fields[2], Instant.ofEpochMilli(Long.parseLong(fields[1])), sequence);
    }

    static RankedMember ranked(String entry, int rank) {
        Member member = member(entry, -1);
        return new RankedMember(rank, member.id(), member.address(), member.joinedAt());
    }

    /** The answer of {@code ranking.lua} (epoch, history, then entry and sequence of every member by rank). */
    static RankingFeed.Copy copy(MembershipScripts.Reply ranking) {
        RankTree tree = RankTree.EMPTY;
        for (int i = 2; i + 1 < ranking.size(); i += 2) {
            tree = tree.with(member(ranking.text(i), ranking.number(i + 1)));
        }
        return new RankingFeed.Copy(ranking.text(1), new TreeSnapshot(ranking.number(0), tree));
    }
}

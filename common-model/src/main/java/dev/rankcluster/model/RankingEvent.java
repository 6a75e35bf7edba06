package dev.rankcluster.model;

import java.util.List;

/**
 * Data of a {@code ranking} server-sent event: the whole ranking after one change.
 *
 * @param reason  one of {@link ChangeReason}'s wire names
 * @param address the member that changed, null for a snapshot
 */
public record RankingEvent(long epoch, String reason, String address, List<RankedMember> members) {

    public RankingEvent {
        members = List.copyOf(members);
    }
}

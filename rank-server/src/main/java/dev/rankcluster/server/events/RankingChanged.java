package dev.rankcluster.server.events;

import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.server.membership.RankingSnapshot;

/**
 * Published once per change of the ranking, in epoch order.
 *
 * @param address the member that joined or went
 * @param ranking the whole ranking at {@code epoch}
 */
public record RankingChanged(long epoch, ChangeReason reason, String address, RankingSnapshot ranking) {

    public RankingChanged {
        if (ranking.epoch() != epoch) {
            throw new IllegalArgumentException("ranking of epoch %d given for epoch %d".formatted(ranking.epoch(), epoch));
        }
    }
}

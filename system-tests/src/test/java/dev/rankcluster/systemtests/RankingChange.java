package dev.rankcluster.systemtests;

import dev.rankcluster.model.RankingEvent;

/** One change of the ranking as an events watcher sees it: why, and which member. */
record RankingChange(String reason, String address) {

    static RankingChange from(RankingEvent event) {
        return new RankingChange(event.reason(), event.address());
    }

    static RankingChange of(RankClient client, String reason) {
        return new RankingChange(reason, client.address());
    }
}

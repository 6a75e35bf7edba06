package dev.rankcluster.server.events;

import dev.rankcluster.model.RankedMember;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Prints the ranking on every change, one line an operator can follow:
 * {@code Ranking epoch=7 members=3 (left 10.0.0.5:8080): 0=10.0.0.2:8080 1=10.0.0.3:8080 2=10.0.0.4:8080}; beyond
 * {@value #SHOWN} members it ends with {@code … and 180 more}, so that it stays short at any size.
 */
@Component
class RankingLog {

    static final int SHOWN = 20;

    private static final Logger log = LoggerFactory.getLogger(RankingLog.class);

    @EventListener
    void log(RankingChanged change) {
        if (!log.isInfoEnabled()) {
            return;
        }
        StringBuilder ranks = new StringBuilder();
        for (RankedMember member : change.ranking().members(0, SHOWN)) {
            ranks.append(' ').append(member.rank()).append('=').append(member.address());
        }
        if (change.ranking().size() > SHOWN) {
            ranks.append(" … and ").append(change.ranking().size() - SHOWN).append(" more");
        }
        log.info("Ranking epoch={} members={} ({} {}):{}", change.epoch(), change.ranking().size(),
                change.reason().wireName(), change.address(), ranks);
    }
}

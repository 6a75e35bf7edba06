package dev.rankcluster.server.support;

import dev.rankcluster.server.events.RankingChanged;
import java.util.List;
import java.util.ArrayList;
import java.util.Collections;
import org.springframework.context.ApplicationEventPublisher;

/** Keeps what a component published, in order. */
public final class RecordedEvents implements ApplicationEventPublisher {

    private final List<Object> events = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void publishEvent(Object event) {
        events.add(event);
    }

    public List<RankingChanged> rankingChanges() {
        synchronized (events) {
            return events.stream().filter(RankingChanged.class::isInstance).map(RankingChanged.class::cast).toList();
        }
    }

    public RankingChanged lastRankingChange() {
        List<RankingChanged> changes = rankingChanges();
        return changes.get(changes.size() - 1);
    }
}

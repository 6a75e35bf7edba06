package dev.rankcluster.server.membership;

import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.server.events.RankingChanged;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Remembers why the most recent members went (expired, removed by an operator, unreachable, left), so that a
 * member whose heartbeat is answered {@code 404} learns why; an id this server never saw go means the server
 * restarted or its store was emptied. Fed by the ranking events alone, so it works alike for every store.
 */
@Component
public class DepartedMembers {

    static final int REMEMBERED = 10_000;

    private final Map<String, String> liveIdByAddress = new HashMap<>();
    private final Map<String, ChangeReason> departedById = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ChangeReason> eldest) {
            return size() > REMEMBERED;
        }
    };

    @EventListener
    public synchronized void on(RankingChanged change) {
        switch (change.reason()) {
            case SNAPSHOT -> {
                liveIdByAddress.clear();
                change.ranking().members().forEach(member -> liveIdByAddress.put(member.address(), member.id()));
            }
            // A newcomer always takes the lowest rank: the last one.
            case JOINED -> joinedMember(change).ifPresent(member -> liveIdByAddress.put(member.address(), member.id()));
            default -> {
                String id = liveIdByAddress.remove(change.address());
                if (id != null) {
                    departedById.put(id, change.reason());
                }
            }
        }
    }

    /** Why member {@code id} went, if this server saw it go. */
    public synchronized Optional<ChangeReason> reasonFor(String id) {
        return Optional.ofNullable(departedById.get(id));
    }

    private static Optional<RankedMember> joinedMember(RankingChanged change) {
        int size = change.ranking().size();
        List<RankedMember> last = size == 0 ? List.of() : change.ranking().members(size - 1, 1);
        if (!last.isEmpty() && last.getFirst().address().equals(change.address())) {
            return Optional.of(last.getFirst());
        }
        return change.ranking().members().stream().filter(m -> m.address().equals(change.address())).findFirst();
    }
}

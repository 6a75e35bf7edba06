package dev.rankcluster.server.events;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.RankingEvent;
import dev.rankcluster.server.membership.SessionPresence;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code ranking} events' data, serialised once per change however many watchers get it: with a thousand
 * watchers, a ranking of thousands of members is not written a thousand times.
 */
final class RankingFrames {

    private final JsonMapper json = JsonMapper.builder().build();
    private final SessionPresence sessions;
    /** Keyed by the change itself (identity): every watcher sends the very instances the broadcaster holds. */
    private final Cache<RankingChanged, String> asChange = frames();

    RankingFrames(SessionPresence sessions) {
        this.sessions = sessions;
    }

    private static Cache<RankingChanged, String> frames() {
        return Caffeine.newBuilder().weakKeys().maximumSize(2L * EventBroadcaster.HISTORY).build();
    }

    String change(RankingChanged change) {
        return asChange.get(change, c -> write(c, c.reason().wireName(), c.address()));
    }

    /**
     * Written afresh for each watcher that needs one (a new one, or one that fell behind the history): unlike a
     * change, a snapshot stands for "now", so its members' session flags must be those of now.
     */
    String snapshot(RankingChanged change) {
        return write(change, ChangeReason.SNAPSHOT.wireName(), null);
    }

    private String write(RankingChanged change, String reason, String address) {
        List<RankedMember> members = change.ranking().members().stream()
                .map(member -> member.withSession(sessions.isOnSession(member.id()))).toList();
        return json.writeValueAsString(new RankingEvent(change.epoch(), reason, address, members));
    }
}

package dev.rankcluster.server.dashboard;

import dev.rankcluster.server.membership.LastHeard;
import dev.rankcluster.server.system.RankServerProperties;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the dashboard page reads besides the events stream; open like the ranking itself. */
@RestController
class DashboardController {

    /**
     * @param adminRemoval whether the server has an admin token, so that removing members from the page can work
     * @param leaseTtlMs   the lease TTL: a member not heard from for a third of it has missed a heartbeat
     * @param lastHeard    whether {@code /api/v1/dashboard/last-heard} knows every member's heartbeats: only with
     *                     the memory store, where every heartbeat reaches this server
     */
    record DashboardSettings(boolean adminRemoval, long leaseTtlMs, boolean lastHeard) {
    }

    /** @param members milliseconds since each member (by id) was last heard from */
    record LastHeardAnswer(long leaseTtlMs, Map<String, Long> members) {
    }

    private final RankServerProperties properties;
    private final LastHeard lastHeard;

    DashboardController(RankServerProperties properties, LastHeard lastHeard) {
        this.properties = properties;
        this.lastHeard = lastHeard;
    }

    @GetMapping("/api/v1/dashboard")
    DashboardSettings settings() {
        return new DashboardSettings(properties.adminToken() != null, properties.leaseTtl().toMillis(),
                tracksEveryHeartbeat());
    }

    @GetMapping("/api/v1/dashboard/last-heard")
    LastHeardAnswer lastHeard() {
        return new LastHeardAnswer(properties.leaseTtl().toMillis(), tracksEveryHeartbeat()
                ? lastHeard.millisSinceHeard(properties.leaseTtl().multipliedBy(2)) : Map.of());
    }

    private boolean tracksEveryHeartbeat() {
        return properties.store() == RankServerProperties.Store.MEMORY;
    }
}

package dev.rankcluster.server.dashboard;

import dev.rankcluster.model.CommandReport;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.Ranking;
import dev.rankcluster.model.Registration;
import dev.rankcluster.model.RegistrationRequest;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.RestClient;

/** The rank server's REST API over real HTTP on loopback, as clients and operators use it. */
final class RankServerApi {

    private final RestClient http;
    private final String adminToken;

    RankServerApi(String baseUrl, String adminToken) {
        this.http = RestClient.create(baseUrl);
        this.adminToken = adminToken;
    }

    Registration register(int port) {
        return http.post().uri("/api/v1/members").body(RegistrationRequest.forPort(port))
                .retrieve().body(Registration.class);
    }

    void unregister(Registration member) {
        http.delete().uri("/api/v1/members/{id}", member.id())
                .header(RankHeaders.LEASE_TOKEN, member.leaseToken())
                .retrieve().toBodilessEntity();
    }

    void renew(Registration member) {
        http.put().uri("/api/v1/members/{id}/lease", member.id())
                .header(RankHeaders.LEASE_TOKEN, member.leaseToken())
                .retrieve().toBodilessEntity();
    }

    CommandReport send(Registration sender, String command) {
        return http.post().uri("/api/v1/commands")
                .header(RankHeaders.LEASE_TOKEN, sender.leaseToken())
                .body(Map.of("senderId", sender.id(), "command", command))
                .retrieve().body(CommandReport.class);
    }

    Ranking members() {
        return http.get().uri("/api/v1/members").retrieve().body(Ranking.class);
    }

    /** Removes every member with the admin token, so that each test starts from an empty ranking. */
    void removeEveryone() {
        for (var member : members().members()) {
            http.delete().uri("/api/v1/members/{id}", member.id())
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + adminToken)
                    .retrieve()
                    .onStatus(status -> status.value() == 404, (request, response) -> { /* gone meanwhile */ })
                    .toBodilessEntity();
        }
    }
}

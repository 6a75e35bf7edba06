package dev.rankcluster.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.server.support.RankServerTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "rank.server.admin-token=" + RankServerTestBase.ADMIN_TOKEN)
class DashboardApiTests extends RankServerTestBase {

    @Test
    void settings_adminTokenSet_removalOnAndTtl() {
        JsonNode settings = http.get("/api/v1/dashboard").json();

        assertThat(settings.path("adminRemoval").asBoolean()).isTrue();
        assertThat(settings.path("leaseTtlMs").asLong()).isEqualTo(10_000);
        assertThat(settings.path("lastHeard").asBoolean()).isTrue();
    }

    @Test
    void lastHeard_registeredMember_heardJustNow() {
        String id = http.postJson("/api/v1/members", "{\"port\": 9201}").json().path("id").asString();

        JsonNode answer = http.get("/api/v1/dashboard/last-heard").json();

        assertThat(answer.path("leaseTtlMs").asLong()).isEqualTo(10_000);
        assertThat(answer.path("members").path(id).asLong(-1)).isBetween(0L, 5_000L);
    }
}

package dev.rankcluster.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Talks to the rank server of a {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} over real HTTP,
 * and starts every test from an empty ranking (members removed through the operator's API).
 */
public abstract class RankServerTestBase {

    public static final String ADMIN_TOKEN = "test-admin-token";

    @LocalServerPort
    protected int port;

    protected ServerHttp http;

    @BeforeEach
    void emptyRanking() {
        http = new ServerHttp(port);
        for (JsonNode member : ranking().path("members")) {
            http.delete("/api/v1/members/" + member.path("id").asString(), "Authorization", "Bearer " + ADMIN_TOKEN);
        }
        assertThat(ranking().path("members").size()).isZero();
    }

    /** Headers every registration sends, such as the cluster token. */
    protected String[] registrationHeaders() {
        return new String[0];
    }

    protected JsonNode register(int memberPort) {
        ServerHttp.Response response = http.postJson("/api/v1/members", "{\"port\": %d}".formatted(memberPort),
                registrationHeaders());
        assertThat(response.status()).as("registration %s", response).isIn(200, 201);
        return response.json();
    }

    protected JsonNode ranking() {
        ServerHttp.Response response = http.get("/api/v1/members");
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    protected long epoch() {
        return ranking().path("epoch").asLong();
    }
}

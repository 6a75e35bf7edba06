package dev.rankcluster.server.membership.redis;

import static dev.rankcluster.server.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rankcluster.model.ProblemType;
import dev.rankcluster.server.support.RankServerTestBase;
import dev.rankcluster.server.support.RedisServer;
import dev.rankcluster.server.support.ServerHttp.Response;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code rank.server.redis.min-replicas-acknowledged=1} on a real primary and replica: a change is acknowledged
 * only once the replica holds it, and answered {@code 503} when the replica does not confirm in time.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rank.server.store=redis", "rank.server.admin-token=" + RankServerTestBase.ADMIN_TOKEN,
        "rank.server.redis.min-replicas-acknowledged=1", "rank.server.redis.replica-ack-timeout=300ms"})
class ReplicaAcknowledgementTests extends RankServerTestBase {

    static final RedisServer primary = RedisServer.startOnFreePort();
    static final RedisServer replica = RedisServer.startReplicaOf(primary);

    @DynamicPropertySource
    static void redisPort(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", primary::port);
    }

    @BeforeEach
    void replicaInSync() {
        replica.awaitInSync();
    }

    @AfterAll
    static void stopRedis() {
        replica.stop();
        primary.stop();
    }

    @Test
    void register_replicaConfirms_acknowledged() {
        JsonNode member = register(9401);

        assertThat(member.path("rank").asInt()).isZero();
        assertThat(ranking().path("epoch").asLong()).isEqualTo(member.path("epoch").asLong());
    }

    @Test
    void changes_replicaAway_503UntilItReturnsWhileHeartbeatsAndListingsGoOn() {
        JsonNode member = register(9402);
        String lease = member.path("leaseToken").asString();
        String path = "/api/v1/members/" + member.path("id").asString();
        replica.stop();
        try {
            Response refused = http.postJson("/api/v1/members", "{\"port\": 9403}");
            assertProblem(refused, ProblemType.SERVICE_UNAVAILABLE);
            assertThat(refused.header("Retry-After")).hasValue("1");
            assertThat(refused.json().path("detail").asString()).contains("0 of the 1 replicas");
            assertThat(http.put(path + "/lease", "X-Lease-Token", lease).status()).isEqualTo(200);
            assertThat(http.get("/api/v1/members").status()).isEqualTo(200);
            assertProblem(http.delete(path, "X-Lease-Token", lease), ProblemType.SERVICE_UNAVAILABLE);
        } finally {
            replica.start();
        }

        // The replica copies the primary again; then the refused registration, sent again, is acknowledged.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(http.postJson("/api/v1/members", "{\"port\": 9403}").status()).isIn(200, 201));
    }
}

package dev.rankcluster.server.membership.redis;

import static dev.rankcluster.server.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.SessionProtocol;
import dev.rankcluster.server.session.SessionLeases;
import dev.rankcluster.server.support.RankServerTestBase;
import dev.rankcluster.server.support.Receiver;
import dev.rankcluster.server.support.RedisServer;
import dev.rankcluster.server.support.SseClient;
import dev.rankcluster.server.support.ServerHttp.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** The whole server with {@code rank.server.store=redis}, over real HTTP, while its Redis goes away and returns. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"rank.server.store=redis", "rank.server.admin-token=" + RankServerTestBase.ADMIN_TOKEN})
class RedisStoreApiTests extends RankServerTestBase {

    static final RedisServer redis = RedisServer.startOnFreePort();

    @DynamicPropertySource
    static void redisPort(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", redis::port);
    }

    @Autowired
    SessionLeases sessionLeases;

    @AfterAll
    static void stopRedis() {
        redis.stop();
    }

    @Test
    void session_redisStore_renewFrameAnsweredThroughTheBatches() throws Exception {
        JsonNode member = register(9307);
        CompletableFuture<String> answer = new CompletableFuture<>();
        WebSocket session = HttpClient.newHttpClient().newWebSocketBuilder()
                .header(RankHeaders.LEASE_TOKEN, member.path("leaseToken").asString())
                .buildAsync(URI.create("ws://127.0.0.1:%d%s".formatted(port,
                        SessionProtocol.path(member.path("id").asString()))), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        answer.complete(data.toString());
                        return null;
                    }
                })
                .get(10, TimeUnit.SECONDS);
        try {
            session.sendText(SessionProtocol.RENEW_FRAME, true);

            assertThat(sessionLeases).isInstanceOf(BatchedSessionLeases.class);
            assertThat(answer).succeedsWithin(Duration.ofSeconds(10)).satisfies(frame -> assertThat(frame)
                    .contains("\"type\":\"renewed\"", "\"rank\":0", "\"epoch\":" + member.path("epoch").asLong()));
        } finally {
            // Leaving closes the session (1000): no probe of the member's address runs into the next test.
            http.delete("/api/v1/members/" + member.path("id").asString(),
                    RankHeaders.LEASE_TOKEN, member.path("leaseToken").asString());
            session.abort();
        }
    }

    @Test
    void register_redisStore_listedWithRankAndHealthUp() {
        JsonNode member = register(9301);

        assertThat(member.path("rank").asInt()).isZero();
        assertThat(ranking().path("members").get(0).path("id").asString()).isEqualTo(member.path("id").asString());
        assertThat(ranking().path("epoch").asLong()).isEqualTo(member.path("epoch").asLong());
        Response health = http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
    }

    @Test
    void command_redisStore_deliveredToLowerRanksUntilRateLimited() {
        try (Receiver lower = new Receiver()) {
            JsonNode sender = register(9306);
            register(lower.port());
            String body = "{\"senderId\": \"%s\", \"command\": \"%%s\"}".formatted(sender.path("id").asString());
            String lease = sender.path("leaseToken").asString();

            Response report = http.postJson("/api/v1/commands", body.formatted("go"), "X-Lease-Token", lease);

            assertThat(report.status()).isEqualTo(200);
            assertThat(report.json().path("targets").asInt()).isEqualTo(1);
            assertThat(report.json().path("delivered").asInt()).isEqualTo(1);
            assertThat(lower.received()).singleElement().satisfies(delivery -> assertThat(delivery.body()).contains("\"go\""));
            Response limited = null;
            for (int i = 0; i < 10 && limited == null; i++) {
                Response next = http.postJson("/api/v1/commands", body.formatted("again"), "X-Lease-Token", lease);
                limited = next.status() == 429 ? next : null;
            }
            assertThat(limited).as("refused within 10 commands").isNotNull();
            assertProblem(limited, ProblemType.RATE_LIMITED);
        }
    }

    @Test
    void events_redisLostItsData_watcherGetsTheEmptySnapshotAtAHigherEpochThenEveryChange() throws Exception {
        register(9304);
        try (SseClient events = new SseClient(port, null)) {
            assertThat(events.next().json().path("members").size()).isEqualTo(1);
            redis.stop();
            redis.start(); // empty: the server moves its epoch past the one watchers saw (1), never back to 0

            SseClient.Event snapshot = events.next();
            assertThat(snapshot.id()).isEqualTo("2");
            assertThat(snapshot.json().path("reason").asString()).isEqualTo("snapshot");
            assertThat(snapshot.json().path("members").size()).isZero();
            register(9305);
            SseClient.Event joined = events.next();
            assertThat(joined.id()).isEqualTo("3");
            assertThat(joined.json().path("reason").asString()).isEqualTo("joined");
            assertThat(joined.json().path("address").asString()).isEqualTo("127.0.0.1:9305");
        }
    }

    @Test
    void requests_whileRedisDown_503ProblemsAndHealthDownThenServedAgainWithoutRestart() {
        JsonNode member = register(9302);
        long epochBefore = ranking().path("epoch").asLong();
        String lease = member.path("leaseToken").asString();
        String path = "/api/v1/members/" + member.path("id").asString();
        redis.stop();
        try {
            assertProblem(http.postJson("/api/v1/members", "{\"port\": 9303}"), ProblemType.SERVICE_UNAVAILABLE);
            assertProblem(http.put(path + "/lease", "X-Lease-Token", lease), ProblemType.SERVICE_UNAVAILABLE);
            Response listing = http.get("/api/v1/members");
            assertProblem(listing, ProblemType.SERVICE_UNAVAILABLE);
            assertThat(listing.header("Retry-After")).hasValue("1");
            Response health = http.get("/actuator/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().path("status").asString()).isEqualTo("DOWN");
        } finally {
            redis.start(); // empty: this test's Redis keeps nothing on disk
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(http.get("/actuator/health").status()).isEqualTo(200));
        assertThat(http.put(path + "/lease", "X-Lease-Token", lease).status()).as("its registration was lost with Redis's data")
                .isEqualTo(404);
        // The server notices the loss and moves the epoch past the one it had seen; then it answers as before.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(ranking().path("epoch").asLong()).isGreaterThan(epochBefore));
        JsonNode again = register(9302);
        assertThat(again.path("rank").asInt()).isZero();
        assertThat(ranking().path("epoch").asLong()).isEqualTo(again.path("epoch").asLong());
    }
}

package dev.rankcluster.client.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.rankcluster.client.support.FakeRankServer;
import dev.rankcluster.client.session.MemberSessionClient;
import dev.rankcluster.client.support.TestProperties;
import dev.rankcluster.client.system.RankClientProperties;
import tools.jackson.databind.json.JsonMapper;
import dev.rankcluster.client.system.ClusterProperties;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.Registration;
import dev.rankcluster.model.RegistrationRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.client.RestClient;

@ExtendWith(OutputCaptureExtension.class)
class RegistrationLifecycleTests {

    private static final int PORT = 18080;
    private static final Duration WITHIN = Duration.ofSeconds(10);

    private FakeRankServer server;
    private RegistrationLifecycle lifecycle;
    private final RegistrationState state = new RegistrationState();

    @AfterEach
    void stop() {
        if (lifecycle != null) {
            lifecycle.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    private RegistrationLifecycle lifecycleFor(FakeRankServer target) {
        var properties = TestProperties.clientOf(target.url());
        var client = new RankServerClient(RestClient.builder(), properties, new ClusterProperties(null));
        lifecycle = new RegistrationLifecycle(client, state, properties, sessionsOf(properties));
        lifecycle.start();
        return lifecycle;
    }

    /** The fake server speaks HTTP only: its clients' sessions are refused and they renew over HTTP. */
    private static MemberSessionClient sessionsOf(RankClientProperties properties) {
        return new MemberSessionClient(properties, (timestamp, signature, body) -> {
        }, JsonMapper.shared());
    }

    private Registration awaitRegistered() {
        return await().atMost(WITHIN).until(state::current, r -> r.isPresent()).orElseThrow();
    }

    @Test
    void register_serverDownThenUp_retriesUntilRegisteredAndLogsRank(CapturedOutput output) throws IOException {
        int serverPort;
        try (var reserved = new ServerSocket(0)) {
            serverPort = reserved.getLocalPort();
        }
        var down = FakeRankServer.start();
        down.close();
        var properties = TestProperties.clientOf(java.net.URI.create("http://127.0.0.1:" + serverPort));
        lifecycle = new RegistrationLifecycle(new RankServerClient(RestClient.builder(), properties, new ClusterProperties(null)), state, properties, sessionsOf(properties));
        lifecycle.start();

        lifecycle.startRegistering(PORT);
        await().atMost(WITHIN).until(() -> countMatches(output.getOut(), "Registration at .* failed") >= 3);
        assertThat(state.current()).isEmpty();

        server = FakeRankServer.start(serverPort);
        Registration registration = awaitRegistered();

        assertThat(registration.address()).isEqualTo("127.0.0.1:" + PORT);
        assertThat(output.getOut()).contains("Registered 127.0.0.1:" + PORT + " with rank 0");
        assertThat(server.count("POST", "/api/v1/members")).isEqualTo(1);
    }

    @Test
    void register_clusterFullOrFailing_retriesUntilAccepted(CapturedOutput output) {
        server = FakeRankServer.start();
        server.failNext("POST", "/api/v1/members", 2, 503, "0");
        server.failNext("POST", "/api/v1/members", 1, 500, null);
        lifecycleFor(server).startRegistering(PORT);

        awaitRegistered();

        assertThat(server.count("POST", "/api/v1/members")).isEqualTo(4);
        assertThat(output.getOut()).contains("failed (server answered 503)").contains("failed (server answered 500)");
    }

    /** A server (or a proxy) that does not upgrade to WebSocket: the client says why once and renews over HTTP. */
    @Test
    void session_cannotBeOpened_loggedOnce_leaseRenewedWithHttpHeartbeats(CapturedOutput output) {
        server = FakeRankServer.start().leaseTtl(Duration.ofMillis(600)).expireLeases(true);
        lifecycleFor(server).startRegistering(PORT);
        Registration registration = awaitRegistered();

        await().atMost(WITHIN).until(() -> server.count("PUT", "/api/v1/members/") >= 5);

        assertThat(server.requests("GET", "/api/v1/members/" + registration.id() + "/session"))
                .as("one attempt per registration").hasSize(1);
        assertThat(countMatches(output.getOut(), "Could not open a session with " + Pattern.quote(server.url().toString())
                + " \\(the server answered the upgrade with HTTP \\d{3}\\): renewing the lease with HTTP heartbeats "
                + "until this client registers again")).isOne();
        assertThat(server.count("POST", "/api/v1/members")).as("the lease was kept").isEqualTo(1);
        assertThat(output.getOut()).doesNotContain("Session opened");
    }

    @Test
    void register_body_carriesPortAndNoBearerWithoutClusterToken() {
        server = FakeRankServer.start();
        lifecycleFor(server).startRegistering(PORT);

        awaitRegistered();

        var request = server.requests("POST", "/api/v1/members").getFirst();
        assertThat(request.json().get("port").asInt()).isEqualTo(PORT);
        assertThat(request.header("Authorization")).isEmpty();
    }

    @Test
    void heartbeat_leaseKept_renewsWithLeaseTokenEveryThirdOfTheTtl(CapturedOutput output) {
        server = FakeRankServer.start().leaseTtl(Duration.ofSeconds(3)).expireLeases(true);
        lifecycleFor(server).startRegistering(PORT);
        Registration registration = awaitRegistered();

        await().atMost(WITHIN).until(() -> server.count("PUT", "/api/v1/members/") >= 3);

        // Not much sooner than every TTL/3 (1 s; a scheduler never fires early, the margin is for HTTP) ...
        var times = server.requests("PUT", "/api/v1/members/").stream()
                .mapToLong(FakeRankServer.Request::receivedAtNanos).toArray();
        for (int i = 1; i < times.length; i++) {
            assertThat(Duration.ofNanos(times[i] - times[i - 1])).isGreaterThan(Duration.ofMillis(500));
        }
        // ... and in time: the fake server drops a lease not renewed within 3 s.
        assertThat(server.count("POST", "/api/v1/members")).isEqualTo(1);
        assertThat(output.getOut()).doesNotContain("Lease lost");
        assertThat(server.requests("PUT", "/api/v1/members/"))
                .allSatisfy(r -> {
                    assertThat(r.path()).isEqualTo("/api/v1/members/" + registration.id() + "/lease");
                    assertThat(r.header(RankHeaders.LEASE_TOKEN)).contains(registration.leaseToken());
                });
    }

    @Test
    void heartbeat_leaseUnknown404_registersAgainAndLogsIt(CapturedOutput output) {
        server = FakeRankServer.start().leaseTtl(Duration.ofMillis(300));
        lifecycleFor(server).startRegistering(PORT);
        Registration first = awaitRegistered();

        server.addMember("10.0.0.9:8080");
        server.forgetAll();
        server.addMember("10.0.0.1:8080");

        Registration second = await().atMost(WITHIN)
                .until(() -> state.current().filter(r -> !r.id().equals(first.id())), r -> r.isPresent()).orElseThrow();
        assertThat(second.rank()).isEqualTo(1);
        assertThat(output.getOut())
                .contains("Lease lost (the server does not know this client: it restarted or lost its store), "
                        + "registering again")
                .contains("Registered 127.0.0.1:" + PORT + " with rank 1");
    }

    @Test
    void heartbeat_leaseTakenOver403_registersAgain(CapturedOutput output) {
        server = FakeRankServer.start().leaseTtl(Duration.ofMillis(300));
        lifecycleFor(server).startRegistering(PORT);
        Registration first = awaitRegistered();

        server.reissueTokens();

        await().atMost(WITHIN).until(() -> server.count("POST", "/api/v1/members") >= 2);
        Registration second = await().atMost(WITHIN)
                .until(() -> state.current().filter(r -> !r.leaseToken().equals(first.leaseToken())), r -> r.isPresent())
                .orElseThrow();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(output.getOut()).contains("Lease lost (another registration took this client's address), "
                + "registering again");
    }

    @Test
    void heartbeat_memberAboveLeft_logsPromotion(CapturedOutput output) {
        server = FakeRankServer.start().leaseTtl(Duration.ofMillis(300));
        server.addMember("10.0.0.1:8080");
        server.addMember("10.0.0.2:8080");
        lifecycleFor(server).startRegistering(PORT);
        assertThat(awaitRegistered().rank()).isEqualTo(2);

        server.removeRank(0);

        await().atMost(WITHIN).until(() -> state.current().orElseThrow().rank() == 1);
        assertThat(output.getOut()).contains("Promoted to rank 1");
    }

    @Test
    void heartbeat_serverFailing_keepsRegistrationAndRetries(CapturedOutput output) {
        server = FakeRankServer.start().leaseTtl(Duration.ofSeconds(3));
        lifecycleFor(server).startRegistering(PORT);
        Registration registration = awaitRegistered();
        server.failNext("PUT", "/api/v1/members/", 3, 500, null);

        await().atMost(WITHIN).until(() -> server.count("PUT", "/api/v1/members/") >= 4);

        assertThat(output.getOut()).contains("Heartbeat to " + server.url() + " failed (server answered 500)");
        assertThat(state.current()).get().extracting(Registration::id).isEqualTo(registration.id());
        assertThat(server.count("POST", "/api/v1/members")).isEqualTo(1);
    }

    @Test
    void stop_registered_unregistersWithLeaseTokenAndLogs(CapturedOutput output) {
        server = FakeRankServer.start();
        lifecycleFor(server).startRegistering(PORT);
        Registration registration = awaitRegistered();

        lifecycle.stop();

        var delete = server.requests("DELETE", "/api/v1/members/");
        assertThat(delete).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("/api/v1/members/" + registration.id());
            assertThat(r.header(RankHeaders.LEASE_TOKEN)).contains(registration.leaseToken());
        });
        assertThat(server.memberCount()).isZero();
        assertThat(state.current()).isEmpty();
        assertThat(output.getOut()).contains("Unregistered 127.0.0.1:" + PORT);
    }

    @Test
    void stop_serverHangs_givesUpAfterUnregisterTimeout(CapturedOutput output) {
        server = FakeRankServer.start();
        lifecycleFor(server).startRegistering(PORT);
        awaitRegistered();
        server.hang("DELETE");

        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> lifecycle.stop());

        assertThat(output.getOut()).contains("Could not unregister 127.0.0.1:" + PORT);
    }

    @Test
    void logs_wholeLifecycle_neverShowLeaseToken(CapturedOutput output) {
        server = FakeRankServer.start().leaseTtl(Duration.ofMillis(300));
        lifecycleFor(server).startRegistering(PORT);
        Registration registration = awaitRegistered();
        await().atMost(WITHIN).until(() -> server.count("PUT", "/api/v1/members/") >= 2);

        lifecycle.stop();

        assertThat(output.getAll()).doesNotContain(registration.leaseToken());
    }

    @Test
    void register_unexpectedException_loggedAndRetriedUntilRegistered(CapturedOutput output) {
        server = FakeRankServer.start();
        var properties = TestProperties.clientOf(server.url());
        var failures = new AtomicInteger(2);
        var client = new RankServerClient(RestClient.builder(), properties, new ClusterProperties(null)) {
            @Override
            public Registration register(RegistrationRequest request) {
                if (failures.getAndDecrement() > 0) {
                    throw new IllegalArgumentException("invalid port 99999");
                }
                return super.register(request);
            }
        };
        lifecycle = new RegistrationLifecycle(client, state, properties, sessionsOf(properties));
        lifecycle.start();

        lifecycle.startRegistering(PORT);

        awaitRegistered();
        assertThat(countMatches(output.getOut(), "Registration at " + Pattern.quote(server.url().toString())
                + " failed \\(IllegalArgumentException: invalid port 99999\\), retrying in \\d+ ms")).isEqualTo(2);
    }

    @Test
    void heartbeat_unexpectedException_loggedAndRetriedKeepingTheRegistration(CapturedOutput output) {
        server = FakeRankServer.start().leaseTtl(Duration.ofSeconds(3));
        var properties = TestProperties.clientOf(server.url());
        var failures = new AtomicInteger(2);
        var client = new RankServerClient(RestClient.builder(), properties, new ClusterProperties(null)) {
            @Override
            public LeaseRenewal renew(String memberId, String leaseToken) {
                if (failures.getAndDecrement() > 0) {
                    throw new IllegalStateException("surprise");
                }
                return super.renew(memberId, leaseToken);
            }
        };
        lifecycle = new RegistrationLifecycle(client, state, properties, sessionsOf(properties));
        lifecycle.start();
        lifecycle.startRegistering(PORT);
        Registration registration = awaitRegistered();

        await().atMost(WITHIN).until(() -> server.count("PUT", "/api/v1/members/") >= 2);

        assertThat(output.getOut()).contains("Heartbeat to " + server.url() + " failed (IllegalStateException: surprise)");
        assertThat(state.current()).get().extracting(Registration::id).isEqualTo(registration.id());
        assertThat(server.count("POST", "/api/v1/members")).isEqualTo(1);
    }

    private static long countMatches(String text, String regex) {
        return Pattern.compile(regex).matcher(text).results().count();
    }
}

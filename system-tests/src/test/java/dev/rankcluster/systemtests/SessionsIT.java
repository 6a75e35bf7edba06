package dev.rankcluster.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.SessionEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Member sessions between real processes: a client on a session next to one renewing over plain REST, a session
 * dropped under a live client, and sessions that misbehave. The test plays the top-ranked member itself, so that
 * its commands reach every client.
 */
class SessionsIT {

    private static final Duration LEASE_TTL = Duration.ofSeconds(3);

    @RegisterExtension
    static final Cluster cluster = new Cluster(LEASE_TTL);

    private static RankServer server;
    private static ScriptedMember top;
    private static RankClient onSession;
    private static RankClient restOnly;

    private ServerEvents events;

    @BeforeAll
    static void startCluster() {
        server = cluster.startServer();
        top = ScriptedMember.register(server, cluster.clusterToken(), Cluster.freePort());
        onSession = cluster.startClient();
        restOnly = cluster.startClient("--rank.client.session-enabled=false");
    }

    @BeforeEach
    void watch() {
        await().atMost(Duration.ofSeconds(10)).until(() -> member(onSession).session());
        events = server.subscribeToEvents();
        await().atMost(Duration.ofSeconds(5)).until(() -> !events.rankings().isEmpty());
    }

    @AfterEach
    void stopWatching() {
        events.close();
    }

    @Test
    void listing_saysWhoIsOnASession() {
        assertThat(member(onSession).session()).as("client with sessions on").isTrue();
        assertThat(member(restOnly).session()).as("client with sessions off").isFalse();
        assertThat(onSession.process().linesContaining("Session opened with http://127.0.0.1:" + server.port())).isPositive();
        assertThat(restOnly.process().linesContaining("Session opened")).isZero();
    }

    @Test
    void command_reachesTheSessionMemberAndTheRestOnlyMember_eachOverItsOwnTransport() {
        double onSessions = deliveredMetric("session");
        double overHttp = deliveredMetric("http");

        var report = top.command("mixed-transports");

        assertThat(report.targets()).isEqualTo(2);
        assertThat(report.failed()).isEmpty();
        assertThat(report.delivered()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(onSession.executedCommandId(report.commandId())).isTrue();
            assertThat(restOnly.executedCommandId(report.commandId())).isTrue();
        });
        assertThat(deliveredMetric("session")).isEqualTo(onSessions + 1);
        assertThat(deliveredMetric("http")).isEqualTo(overHttp + 1);
    }

    /** The server drops the session as a broken connection would; the process lives, so it keeps its place. */
    @Test
    void droppedSession_liveClient_keepsItsRankAndOpensANewSession() throws Exception {
        long epochBefore = server.ranking().epoch();
        long opened = onSession.process().linesContaining("Session opened with");
        String id = member(onSession).id();

        var answer = server.http().client().send(HttpRequest.newBuilder(server.uri("/api/v1/sessions/" + id))
                .header("Authorization", "Bearer " + cluster.adminToken()).DELETE().build(), BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(204);
        onSession.process().awaitPrinted("Session opened with", opened + 1, Duration.ofSeconds(5));
        server.process().awaitPrinted(onSession.address() + " still answers after its session ended");
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(events.sessions())
                .extracting(SessionEvent::memberId, SessionEvent::open, SessionEvent::cause)
                .contains(org.assertj.core.groups.Tuple.tuple(id, false, "operator"),
                        org.assertj.core.groups.Tuple.tuple(id, true, null)));
        assertThat(member(onSession).session()).isTrue();
        assertThat(member(onSession).id()).isEqualTo(id);
        assertThat(server.ranking().epoch()).as("no change of the ranking").isEqualTo(epochBefore);
    }

    @Test
    void garbageFrame_closesTheSessionWithAReason_andChangesNothing() throws Exception {
        long epochBefore = server.ranking().epoch();
        try (var session = SessionSocket.open(server, top.id(), top.leaseToken())) {
            session.send("{\"type\":\"renew\"}");
            await().atMost(Duration.ofSeconds(2)).until(() -> session.received().stream()
                    .anyMatch(frame -> frame.contains("\"type\":\"renewed\"") && frame.contains("\"rank\":0")));

            session.send("this is not a frame");

            var closed = session.closed().get(5, TimeUnit.SECONDS);
            assertThat(closed.code()).isEqualTo(4400);
            assertThat(closed.reason()).isEqualTo("not a JSON frame");
        }
        assertThat(server.ranking().epoch()).isEqualTo(epochBefore);
        assertThat(server.ranking().members()).first().extracting(RankedMember::id).isEqualTo(top.id());
    }

    @Test
    void unknownFrameType_closesTheSessionWithAReason() throws Exception {
        try (var session = SessionSocket.open(server, top.id(), top.leaseToken())) {
            session.send("{\"type\":\"promote-me\"}");

            var closed = session.closed().get(5, TimeUnit.SECONDS);
            assertThat(closed.code()).isEqualTo(4400);
            assertThat(closed.reason()).isEqualTo("unknown frame type: promote-me");
        }
        assertThat(server.ranking().members()).first().extracting(RankedMember::id).isEqualTo(top.id());
    }

    @Test
    void anotherMembersToken_isRefusedBeforeTheUpgrade_andChangesNothing() {
        long epochBefore = server.ranking().epoch();
        String victimId = member(onSession).id();

        assertThatThrownBy(() -> SessionSocket.open(server, victimId, top.leaseToken()))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(WebSocketHandshakeException.class, refused ->
                        assertThat(refused.getResponse().statusCode()).isEqualTo(403));
        assertThat(server.ranking().epoch()).isEqualTo(epochBefore);
        assertThat(member(onSession).session()).as("the real member's session is untouched").isTrue();
    }

    private static RankedMember member(RankClient client) {
        return server.ranking().members().stream().filter(m -> m.address().equals(client.address())).findFirst()
                .orElseThrow(() -> new AssertionError(client + " is not ranked"));
    }

    private static double deliveredMetric(String transport) {
        String metrics;
        try {
            metrics = server.http().client().send(HttpRequest.newBuilder(server.uri("/actuator/prometheus")).build(),
                    BodyHandlers.ofString()).body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("no metrics", e);
        }
        var name = "rank_deliveries_total{outcome=\"delivered\",transport=\"%s\"} ".formatted(transport);
        return metrics.lines().filter(line -> line.startsWith(name)).mapToDouble(line ->
                Double.parseDouble(line.substring(name.length()))).findFirst().orElse(0);
    }
}

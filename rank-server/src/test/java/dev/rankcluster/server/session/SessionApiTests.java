package dev.rankcluster.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.server.support.RankServerTestBase;
import dev.rankcluster.server.support.Receiver;
import dev.rankcluster.server.support.ServerHttp.Response;
import dev.rankcluster.server.support.SseClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Member sessions over a real WebSocket: the handshake's refusals, renewals, deliveries and their
 * acknowledgements, and what the server does when a session ends. Tiny HTTP receivers stand in for the members'
 * own ports, which the server posts to and probes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rank.server.admin-token=" + RankServerTestBase.ADMIN_TOKEN,
        "rank.server.delivery-timeout=1500ms",
        "rank.server.max-clock-skew=100ms",
        "rank.server.max-failed-deliveries=100",
        "rank.server.session-probe-timeout=200ms",
        // Long, so that members set up on busy cores do not expire before the test uses them.
        "rank.server.lease-ttl=60s"})
@ExtendWith(OutputCaptureExtension.class)
class SessionApiTests extends RankServerTestBase {

    static final JsonMapper JSON = JsonMapper.builder().build();

    final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    Receiver receiver() {
        Receiver receiver = new Receiver();
        opened.add(receiver);
        return receiver;
    }

    TestSession session(JsonNode member) throws Exception {
        TestSession session = TestSession.open(port, id(member), token(member));
        opened.add(session);
        await().atMost(Duration.ofSeconds(5)).until(() -> onSession(member));
        return session;
    }

    boolean onSession(JsonNode member) {
        for (JsonNode row : ranking().path("members")) {
            if (row.path("id").asString().equals(id(member))) {
                return row.path("session").asBoolean();
            }
        }
        return false;
    }

    static String id(JsonNode member) {
        return member.path("id").asString();
    }

    static String token(JsonNode member) {
        return member.path("leaseToken").asString();
    }

    CompletableFuture<Response> commandAsync(JsonNode sender, String command) {
        return CompletableFuture.supplyAsync(() -> http.postJson("/api/v1/commands",
                "{\"senderId\": \"%s\", \"command\": \"%s\"}".formatted(id(sender), command),
                "X-Lease-Token", token(sender)));
    }

    static int portNothingListensOn() throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static int handshakeStatus(Throwable failure) {
        Throwable cause = failure instanceof ExecutionException ? failure.getCause() : failure;
        return ((WebSocketHandshakeException) cause).getResponse().statusCode();
    }

    @Nested
    class Handshake {

        @Test
        void withoutToken_401() {
            JsonNode member = register(receiver().port());
            assertThatThrownBy(() -> TestSession.open(port, id(member), null))
                    .satisfies(failure -> assertThat(handshakeStatus(failure)).isEqualTo(401));
        }

        @Test
        void anotherMembersToken_403_andNothingChanges() {
            JsonNode member = register(receiver().port());
            JsonNode other = register(receiver().port());
            long epoch = epoch();
            assertThatThrownBy(() -> TestSession.open(port, id(member), token(other)))
                    .satisfies(failure -> assertThat(handshakeStatus(failure)).isEqualTo(403));
            assertThat(epoch()).isEqualTo(epoch);
            assertThat(onSession(member)).isFalse();
        }

        @Test
        void unknownMember_404() {
            assertThatThrownBy(() -> TestSession.open(port, "no-such-member", "whatever"))
                    .satisfies(failure -> assertThat(handshakeStatus(failure)).isEqualTo(404));
        }

        @Test
        void plainGet_400Problem() {
            JsonNode member = register(receiver().port());
            Response response = http.get("/api/v1/members/" + id(member) + "/session", "X-Lease-Token", token(member));
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.json().path("type").asString()).endsWith("/problems/invalid-request");
        }
    }

    @Nested
    class Renewal {

        @Test
        void renewFrame_answeredWithRankEpochAndTtl_andTheListingShowsTheSession() throws Exception {
            register(receiver().port());
            JsonNode member = register(receiver().port());
            TestSession session = session(member);

            session.send("{\"type\":\"renew\"}");

            JsonNode renewed = JSON.readTree(session.next());
            assertThat(renewed.path("type").asString()).isEqualTo("renewed");
            assertThat(renewed.path("rank").asInt()).isEqualTo(1);
            assertThat(renewed.path("epoch").asLong()).isEqualTo(epoch());
            assertThat(renewed.path("leaseTtlMs").asLong()).isEqualTo(60_000);
            assertThat(http.get("/api/v1/members/" + id(member)).json().path("session").asBoolean()).isTrue();
        }

        /** The ranking has not changed since the session opened: a new watcher's snapshot still says it is on one. */
        @Test
        void newWatcher_snapshotSaysWhoIsOnASessionNow() throws Exception {
            JsonNode member = register(receiver().port());
            try (var before = new SseClient(port, null)) {
                assertThat(before.next().json().path("members").get(0).path("session").asBoolean()).isFalse();
            }
            session(member);

            try (var after = new SseClient(port, null)) {
                SseClient.Event snapshot = after.next();
                assertThat(snapshot.json().path("reason").asString()).isEqualTo("snapshot");
                assertThat(snapshot.json().path("members").get(0).path("session").asBoolean()).isTrue();
            }
        }

        @Test
        void eventsStream_saysWhenASessionOpensAndCloses() throws Exception {
            JsonNode member = register(receiver().port());
            try (var events = new SseClient(port, null)) {
                assertThat(events.next().name()).isEqualTo("ranking");
                TestSession session = session(member);
                SseClient.Event open = events.poll(Duration.ofSeconds(5));
                assertThat(open.name()).isEqualTo("session");
                assertThat(open.json().path("memberId").asString()).isEqualTo(id(member));
                assertThat(open.json().path("open").asBoolean()).isTrue();

                session.send("garbage");

                SseClient.Event closed = events.poll(Duration.ofSeconds(5));
                assertThat(closed.name()).isEqualTo("session");
                assertThat(closed.json().path("open").asBoolean()).isFalse();
                assertThat(closed.json().path("cause").asString()).isEqualTo("invalid-frame");
            }
        }
    }

    @Nested
    class Deliveries {

        @Test
        void delivery_onTheSession_signedForTheMember_ackedDelivered_nothingOverHttp() throws Exception {
            JsonNode sender = register(receiver().port());
            Receiver memberPort = receiver();
            JsonNode member = register(memberPort.port());
            TestSession session = session(member);

            CompletableFuture<Response> sent = commandAsync(sender, "flush-cache");
            JsonNode frame = JSON.readTree(session.next());
            assertThat(frame.path("type").asString()).isEqualTo("delivery");
            String body = frame.path("body").asString();
            JsonNode delivery = JSON.readTree(body);
            assertThat(delivery.path("receiverId").asString()).isEqualTo(id(member));
            assertThat(delivery.path("command").asString()).isEqualTo("flush-cache");
            assertThat(DeliverySignature.forLeaseToken(token(member)).matches(frame.path("timestamp").asLong(),
                    body.getBytes(StandardCharsets.UTF_8), frame.path("signature").asString()))
                    .as("signed for this member alone").isTrue();
            session.send("{\"type\":\"ack\",\"commandId\":\"%s\",\"status\":204}"
                    .formatted(delivery.path("commandId").asString()));

            JsonNode report = sent.get().json();
            assertThat(report.path("delivered").asInt()).isOne();
            assertThat(report.path("failed")).isEmpty();
            assertThat(memberPort.received()).as("nothing posted over HTTP").isEmpty();
        }

        /** Sent from several threads, a chunk each: every one of them still reaches its member and is counted. */
        @Test
        void largeFanOut_everySessionMemberGetsItsDelivery() throws Exception {
            JsonNode sender = register(receiver().port());
            List<TestSession> members = new ArrayList<>();
            java.util.Set<Integer> ports = new java.util.HashSet<>();
            while (members.size() < 200) {
                int memberPort = portNothingListensOn();
                if (!ports.add(memberPort)) {
                    continue; // the system handed out a port again: that address is a member already
                }
                JsonNode member = register(memberPort);
                TestSession session = TestSession.open(port, id(member), token(member)).acknowledgingAll();
                opened.add(session);
                members.add(session);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                for (JsonNode row : ranking().path("members")) {
                    if (row.path("rank").asInt() > 0 && !row.path("session").asBoolean()) {
                        return false;
                    }
                }
                return true;
            });

            JsonNode report = commandAsync(sender, "to-all").get().json();

            assertThat(report.path("targets").asInt()).as("report %s", report).isEqualTo(200);
            assertThat(report.path("failed")).isEmpty();
            assertThat(report.path("delivered").asInt()).isEqualTo(200);
        }

        @Test
        void refusedAck_reportedAsTheHttpAnswerWouldBe() throws Exception {
            JsonNode sender = register(receiver().port());
            JsonNode member = register(receiver().port());
            TestSession session = session(member);

            CompletableFuture<Response> sent = commandAsync(sender, "late");
            JsonNode delivery = JSON.readTree(JSON.readTree(session.next()).path("body").asString());
            session.send("{\"type\":\"ack\",\"commandId\":\"%s\",\"status\":410,\"problem\":\"delivery-expired\"}"
                    .formatted(delivery.path("commandId").asString()));

            JsonNode report = sent.get().json();
            assertThat(report.path("delivered").asInt()).isZero();
            assertThat(report.path("failed").get(0).path("reason").asString()).isEqualTo("HTTP 410 delivery-expired");
        }

        @Test
        void noAck_reportedTimedOut_andNotResentOverHttp() throws Exception {
            JsonNode sender = register(receiver().port());
            Receiver memberPort = receiver();
            JsonNode member = register(memberPort.port());
            TestSession session = session(member);

            JsonNode report = commandAsync(sender, "unanswered").get().json();

            assertThat(session.next()).contains("\"type\":\"delivery\"");
            assertThat(report.path("failed").get(0).path("reason").asString()).isEqualTo("timed out after 1500 ms");
            assertThat(memberPort.received()).isEmpty();
        }

        @Test
        void sessionDropsBeforeTheAck_deliveryPostedOverHttpInstead_memberKeepsItsRank(CapturedOutput output)
                throws Exception {
            JsonNode sender = register(receiver().port());
            Receiver memberPort = receiver();
            JsonNode member = register(memberPort.port());
            TestSession session = session(member);

            CompletableFuture<Response> sent = commandAsync(sender, "resent");
            assertThat(session.next()).contains("\"type\":\"delivery\"");
            session.abort();

            JsonNode report = sent.get().json();
            assertThat(report.path("delivered").asInt()).isOne();
            assertThat(memberPort.received()).hasSize(1);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output.getOut())
                    .contains("127.0.0.1:" + memberPort.port() + " still answers after its session ended"));
            assertThat(http.get("/api/v1/members/" + id(member)).status()).isEqualTo(200);
        }
    }

    @Nested
    class Ending {

        @Test
        void droppedConnection_nothingAnswersAtTheAddress_removedAsDisconnectedAtOnce() throws Exception {
            JsonNode above = register(receiver().port());
            JsonNode member = register(portNothingListensOn());
            JsonNode below = register(receiver().port());
            TestSession session = session(member);
            try (var events = new SseClient(port, null)) {
                long epoch = events.next().json().path("epoch").asLong();

                session.abort();

                await().atMost(Duration.ofSeconds(2)).until(() -> http.get("/api/v1/members/" + id(member)).status() == 404);
                SseClient.Event change = nextRanking(events);
                assertThat(change.json().path("epoch").asLong()).isEqualTo(epoch + 1);
                assertThat(change.json().path("reason").asString()).isEqualTo("disconnected");
                assertThat(http.get("/api/v1/members/" + id(below)).json().path("rank").asInt()).isEqualTo(1);
                assertThat(http.get("/api/v1/members/" + id(above)).json().path("rank").asInt()).isZero();
            }
            Response heartbeat = http.put("/api/v1/members/" + id(member) + "/lease", "X-Lease-Token", token(member));
            assertThat(heartbeat.status()).isEqualTo(404);
            assertThat(heartbeat.json().path("cause").asString()).isEqualTo("disconnected");
        }

        /**
         * A killed process may still accept a connection while the kernel closes its sockets, its session's first:
         * one answer to the probe is not proof of life. Here the address answers once, then never again.
         */
        @Test
        void addressAnswersOnceThenNoMore_removedAsDisconnected() throws Exception {
            var dying = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().start(() -> {
                try (dying; var accepted = dying.accept()) {
                    // accepted once; closing the listener now makes every later probe refused
                } catch (IOException closed) {
                    // the test is over
                }
            });
            JsonNode member = register(dying.getLocalPort());
            TestSession session = session(member);

            session.abort();

            await().atMost(Duration.ofSeconds(3)).until(() -> http.get("/api/v1/members/" + id(member)).status() == 404);
            assertThat(dying.isClosed()).as("the first probe was answered").isTrue();
        }

        @Test
        void memberLeaves_sessionClosedNormally() throws Exception {
            JsonNode member = register(receiver().port());
            TestSession session = session(member);

            http.delete("/api/v1/members/" + id(member), "X-Lease-Token", token(member));

            assertThat(session.awaitClosed()).isEqualTo(new TestSession.Closed(1000, "unregistered"));
        }

        @Test
        void operatorRemovesTheMember_sessionClosedAsGone() throws Exception {
            JsonNode member = register(receiver().port());
            TestSession session = session(member);

            http.delete("/api/v1/members/" + id(member), "Authorization", "Bearer " + ADMIN_TOKEN);

            assertThat(session.awaitClosed()).isEqualTo(new TestSession.Closed(4404, "no longer registered: removed"));
        }

        @Test
        void newRegistrationOfTheAddress_oldSessionReplaced_deliveriesGoOverHttp() throws Exception {
            JsonNode sender = register(receiver().port());
            Receiver memberPort = receiver();
            JsonNode first = register(memberPort.port());
            TestSession session = session(first);
            JsonNode again = register(memberPort.port());

            session.send("{\"type\":\"renew\"}");

            assertThat(session.awaitClosed()).isEqualTo(new TestSession.Closed(4403, "a newer registration took the address"));
            JsonNode report = commandAsync(sender, "to-the-new-registration").get().json();
            assertThat(report.path("delivered").asInt()).as("report %s", report).isOne();
            assertThat(memberPort.received()).hasSize(1);
            assertThat(id(again)).isEqualTo(id(first));
        }

        /** Watchers hear of the old session's close before the new one's open, so they end with the truth. */
        @Test
        void secondSession_replacesTheFirst() throws Exception {
            JsonNode member = register(receiver().port());
            TestSession first = session(member);
            TestSession second;
            try (var events = new SseClient(port, null)) {
                assertThat(events.next().name()).isEqualTo("ranking");
                second = TestSession.open(port, id(member), token(member));
                opened.add(second);

                SseClient.Event closed = events.poll(Duration.ofSeconds(5));
                SseClient.Event open = events.poll(Duration.ofSeconds(5));
                assertThat(closed.json().path("open").asBoolean()).isFalse();
                assertThat(closed.json().path("cause").asString()).isEqualTo("replaced");
                assertThat(open.json().path("open").asBoolean()).isTrue();
                assertThat(events.poll(Duration.ofMillis(500))).as("the close is told once").isNull();
            }

            assertThat(first.awaitClosed()).isEqualTo(new TestSession.Closed(4403, "replaced by a newer session"));
            second.send("{\"type\":\"renew\"}");
            assertThat(second.next()).contains("\"type\":\"renewed\"");
        }

        @Test
        void garbage_textOrBinaryOrIncompleteAck_closedWith4400_andNothingChanges() throws Exception {
            JsonNode member = register(receiver().port());
            long epoch = epoch();
            TestSession text = session(member);
            text.send("{\"type\":\"renew\"");
            assertThat(text.awaitClosed()).isEqualTo(new TestSession.Closed(4400, "not a JSON frame"));

            TestSession binary = session(member);
            binary.sendBinary(new byte[] {1, 2, 3});
            assertThat(binary.awaitClosed()).isEqualTo(new TestSession.Closed(4400, "binary frames are not part of the protocol"));

            TestSession ack = session(member);
            ack.send("{\"type\":\"ack\",\"status\":204}");
            assertThat(ack.awaitClosed()).isEqualTo(new TestSession.Closed(4400, "an ack needs commandId and status"));

            assertThat(epoch()).isEqualTo(epoch);
            assertThat(http.get("/api/v1/members/" + id(member)).status()).isEqualTo(200);
        }

        @Test
        void operatorDropsASession_memberProbedAndKept_metricsCountTheClose() throws Exception {
            JsonNode member = register(receiver().port());
            TestSession session = session(member);
            String path = "/api/v1/sessions/" + id(member);

            assertThat(http.delete(path).status()).isEqualTo(401);
            assertThat(http.delete(path, "Authorization", "Bearer wrong").status()).isEqualTo(403);
            assertThat(http.delete("/api/v1/sessions/nobody", "Authorization", "Bearer " + ADMIN_TOKEN).status())
                    .isEqualTo(404);
            assertThat(http.delete(path, "Authorization", "Bearer " + ADMIN_TOKEN).status()).isEqualTo(204);

            assertThat(session.awaitClosed()).isEqualTo(new TestSession.Closed(4000, "dropped by an operator"));
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(http.get("/actuator/prometheus").body())
                    .contains("rank_session_closes_total{cause=\"operator\"}"));
            assertThat(http.get("/api/v1/members/" + id(member)).status()).isEqualTo(200);
        }
    }

    private static SseClient.Event nextRanking(SseClient events) throws InterruptedException {
        for (SseClient.Event event = events.poll(Duration.ofSeconds(5)); event != null;
             event = events.poll(Duration.ofSeconds(5))) {
            if (event.name().equals("ranking")) {
                return event;
            }
        }
        throw new AssertionError("no ranking event");
    }
}

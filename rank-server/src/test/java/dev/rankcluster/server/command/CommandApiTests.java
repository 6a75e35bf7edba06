package dev.rankcluster.server.command;

import static dev.rankcluster.server.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.server.support.RankServerTestBase;
import dev.rankcluster.server.support.Receiver;
import dev.rankcluster.server.support.ServerHttp.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The command API over real HTTP, with tiny real receivers on loopback standing in for clients. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rank.server.admin-token=" + RankServerTestBase.ADMIN_TOKEN,
        "rank.cluster.token=" + CommandApiTests.CLUSTER_TOKEN,
        "rank.server.delivery-timeout=500ms",
        "rank.server.max-clock-skew=100ms",
        "rank.server.max-failed-deliveries=2"})
@ExtendWith(OutputCaptureExtension.class)
class CommandApiTests extends RankServerTestBase {

    static final String CLUSTER_TOKEN = "test-cluster-token";
    static final JsonMapper JSON = JsonMapper.builder().build();

    final List<Receiver> receivers = new ArrayList<>();
    final CountDownLatch releaseSlowReceivers = new CountDownLatch(1);

    @Override
    protected String[] registrationHeaders() {
        return new String[] {"Authorization", "Bearer " + CLUSTER_TOKEN};
    }

    @AfterEach
    void stopReceivers() {
        releaseSlowReceivers.countDown();
        receivers.forEach(Receiver::close);
    }

    Receiver receiver() {
        Receiver receiver = new Receiver();
        receivers.add(receiver);
        return receiver;
    }

    JsonNode join(Receiver receiver) {
        return register(receiver.port());
    }

    Response command(JsonNode sender, String command) {
        return http.postJson("/api/v1/commands",
                "{\"senderId\": \"%s\", \"command\": \"%s\"}".formatted(sender.path("id").asString(), command),
                "X-Lease-Token", sender.path("leaseToken").asString());
    }

    static String id(JsonNode member) {
        return member.path("id").asString();
    }

    @Nested
    class FanOut {

        @Test
        void send_fromRankZero_everyLowerRankGetsASignedDelivery(CapturedOutput output) {
            Receiver a = receiver();
            Receiver b = receiver();
            Receiver c = receiver();
            JsonNode sender = join(a);
            JsonNode second = join(b);
            JsonNode third = join(c);
            long epoch = epoch();

            Response response = command(sender, "flush-cache");

            assertThat(response.status()).isEqualTo(200);
            JsonNode report = response.json();
            assertThat(report.path("senderRank").asInt()).isZero();
            assertThat(report.path("epoch").asLong()).isEqualTo(epoch);
            assertThat(report.path("targets").asInt()).isEqualTo(2);
            assertThat(report.path("delivered").asInt()).isEqualTo(2);
            assertThat(report.path("failed")).isEmpty();
            assertThat(a.received()).as("the sender is never a target").isEmpty();
            assertThat(b.received()).hasSize(1);
            assertThat(c.received()).hasSize(1);

            Receiver.Received delivery = b.received().get(0);
            JsonNode body = JSON.readTree(delivery.body());
            assertThat(body.path("commandId").asString()).isEqualTo(report.path("commandId").asString());
            assertThat(body.path("command").asString()).isEqualTo("flush-cache");
            assertThat(body.path("senderId").asString()).isEqualTo(id(sender));
            assertThat(body.path("senderAddress").asString()).isEqualTo("127.0.0.1:" + a.port());
            assertThat(body.path("senderRank").asInt()).isZero();
            assertThat(body.path("receiverId").asString()).isEqualTo(id(second));
            assertThat(body.path("receiverRank").asInt()).isEqualTo(1);
            JsonNode toThird = JSON.readTree(c.received().get(0).body());
            assertThat(toThird.path("receiverId").asString()).isEqualTo(id(third));
            assertThat(toThird.path("receiverRank").asInt()).isEqualTo(2);
            assertThat(body.path("epoch").asLong()).isEqualTo(epoch);
            Instant issuedAt = Instant.parse(body.path("issuedAt").asString());
            assertThat(Instant.parse(body.path("expiresAt").asString()))
                    .as("expiresAt = issuedAt + delivery-timeout - max-clock-skew").isEqualTo(issuedAt.plusMillis(400));
            long timestamp = Long.parseLong(delivery.header("X-Rank-Timestamp"));
            byte[] signed = delivery.body().getBytes(StandardCharsets.UTF_8);
            assertThat(DeliverySignature.forLeaseToken(second.path("leaseToken").asString()).matches(timestamp, signed,
                    delivery.header("X-Rank-Signature"))).as("signed with the receiver's own key").isTrue();
            assertThat(DeliverySignature.forLeaseToken(third.path("leaseToken").asString()).matches(timestamp, signed,
                    delivery.header("X-Rank-Signature"))).as("no other member's key fits").isFalse();
            assertThat(DeliverySignature.isFresh(timestamp, System.currentTimeMillis())).isTrue();

            assertThat(output).contains("Command %s 'flush-cache' from 127.0.0.1:%d rank 0 to 2 clients"
                    .formatted(report.path("commandId").asString(), a.port()));
            assertThat(output).doesNotContain(sender.path("leaseToken").asString(), delivery.header("X-Rank-Signature"));
            assertThat(id(second)).isNotBlank();
        }

        @Test
        void send_fromLowestRank_reachesNobody() {
            Receiver a = receiver();
            Receiver b = receiver();
            join(a);
            JsonNode last = join(b);

            JsonNode report = command(last, "noop").json();

            assertThat(report.path("senderRank").asInt()).isEqualTo(1);
            assertThat(report.path("targets").asInt()).isZero();
            assertThat(report.path("delivered").asInt()).isZero();
            assertThat(a.received()).isEmpty();
        }

        @Test
        void send_withTargetBelow_onlyThatTarget() {
            Receiver a = receiver();
            Receiver b = receiver();
            Receiver c = receiver();
            JsonNode sender = join(a);
            join(b);
            JsonNode target = join(c);

            Response response = http.postJson("/api/v1/commands",
                    "{\"senderId\": \"%s\", \"command\": \"ping\", \"targetId\": \"%s\"}".formatted(id(sender), id(target)),
                    "X-Lease-Token", sender.path("leaseToken").asString());

            assertThat(response.json().path("targets").asInt()).isEqualTo(1);
            assertThat(b.received()).isEmpty();
            assertThat(c.received()).hasSize(1);
        }

        @Test
        void send_receiversWaitForEachOther_deliveriesRunConcurrently() {
            CountDownLatch bothArrived = new CountDownLatch(2);
            Receiver.Behaviour meetTheOther = delivery -> {
                bothArrived.countDown();
                return bothArrived.await(5, TimeUnit.SECONDS) ? 204 : 503;
            };
            JsonNode sender = join(receiver());
            join(receiver().answering(meetTheOther));
            join(receiver().answering(meetTheOther));

            JsonNode report = command(sender, "together").json();

            assertThat(report.path("delivered").asInt()).as("sequential deliveries would time out: %s", report).isEqualTo(2);
        }

        @Test
        void send_oneReceiverHangs_othersDeliveredAndItFailsWithTimeout(CapturedOutput output) {
            Receiver hanging = receiver().answering(delivery -> {
                releaseSlowReceivers.await(30, TimeUnit.SECONDS);
                return 204;
            });
            JsonNode sender = join(receiver());
            JsonNode slow = join(hanging);
            Receiver fast = receiver();
            join(fast);

            JsonNode report = command(sender, "hurry").json();

            assertThat(releaseSlowReceivers.getCount()).as("answered while the slow receiver still hangs").isOne();
            assertThat(report.path("delivered").asInt()).isEqualTo(1);
            assertThat(fast.received()).hasSize(1);
            JsonNode failure = report.path("failed").get(0);
            assertThat(failure.path("memberId").asString()).isEqualTo(id(slow));
            assertThat(failure.path("address").asString()).isEqualTo("127.0.0.1:" + hanging.port());
            assertThat(failure.path("reason").asString()).isEqualTo("timed out after 500 ms");
            assertThat(output).contains("Delivery of command %s to 127.0.0.1:%d failed: timed out after 500 ms"
                    .formatted(report.path("commandId").asString(), hanging.port()));
        }

        @Test
        void send_receiverAnswers500_failedWithStatus() {
            JsonNode sender = join(receiver());
            join(receiver().answering(delivery -> 500));

            JsonNode report = command(sender, "boom").json();

            assertThat(report.path("failed").get(0).path("reason").asString()).isEqualTo("HTTP 500");
        }

        @Test
        void send_receiverGoneTwice_removedAsUnreachable(CapturedOutput output) {
            JsonNode sender = join(receiver());
            Receiver gone = receiver();
            JsonNode target = join(gone);
            gone.close();

            JsonNode first = command(sender, "one").json();
            assertThat(first.path("failed").get(0).path("reason").asString()).isEqualTo("connection refused");
            assertThat(http.get("/api/v1/members/" + id(target)).status()).isEqualTo(200);

            command(sender, "two");

            assertProblem(http.get("/api/v1/members/" + id(target)), ProblemType.NOT_FOUND);
            assertThat(output).contains("(unreachable 127.0.0.1:%d)".formatted(gone.port()));
        }

        @Test
        void send_successBetweenFailures_memberStays() {
            JsonNode sender = join(receiver());
            int[] answers = {500, 204, 500};
            int[] calls = {0};
            JsonNode target = join(receiver().answering(delivery -> answers[calls[0]++]));

            command(sender, "a");
            command(sender, "b");
            command(sender, "c");

            assertThat(http.get("/api/v1/members/" + id(target)).status()).isEqualTo(200);
        }

        @Test
        void send_moreThanFivePerSecond_rateLimitedWithRetryAfter() {
            join(receiver());
            JsonNode last = join(receiver());

            List<Response> responses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                responses.add(command(last, "spam-" + i));
            }

            assertThat(responses.subList(0, 5)).allSatisfy(response -> assertThat(response.status()).isEqualTo(200));
            Response limited = responses.stream().filter(response -> response.status() == 429).findFirst().orElseThrow();
            assertProblem(limited, ProblemType.RATE_LIMITED);
            assertThat(limited.header("Retry-After")).hasValueSatisfying(value -> assertThat(Integer.parseInt(value)).isPositive());
        }
    }

    @Nested
    class Refused {

        @Test
        void send_noLeaseToken_unauthorized() {
            JsonNode sender = join(receiver());

            assertProblem(http.postJson("/api/v1/commands", "{\"senderId\": \"%s\", \"command\": \"x\"}".formatted(id(sender))),
                    ProblemType.UNAUTHORIZED);
        }

        @Test
        void send_wrongLeaseToken_forbidden() {
            JsonNode sender = join(receiver());
            JsonNode other = join(receiver());

            assertProblem(http.postJson("/api/v1/commands", "{\"senderId\": \"%s\", \"command\": \"x\"}".formatted(id(sender)),
                    "X-Lease-Token", other.path("leaseToken").asString()), ProblemType.FORBIDDEN);
        }

        @Test
        void send_unknownSender_notFound() {
            assertProblem(http.postJson("/api/v1/commands", "{\"senderId\": \"nobody\", \"command\": \"x\"}",
                    "X-Lease-Token", "whatever"), ProblemType.NOT_FOUND);
        }

        @Test
        void send_unknownTarget_notFound() {
            JsonNode sender = join(receiver());

            assertProblem(http.postJson("/api/v1/commands",
                    "{\"senderId\": \"%s\", \"command\": \"x\", \"targetId\": \"nobody\"}".formatted(id(sender)),
                    "X-Lease-Token", sender.path("leaseToken").asString()), ProblemType.NOT_FOUND);
        }

        @Test
        void send_targetAboveSender_rankViolationAndNothingDelivered() {
            Receiver top = receiver();
            JsonNode above = join(top);
            JsonNode sender = join(receiver());

            assertProblem(http.postJson("/api/v1/commands",
                    "{\"senderId\": \"%s\", \"command\": \"x\", \"targetId\": \"%s\"}".formatted(id(sender), id(above)),
                    "X-Lease-Token", sender.path("leaseToken").asString()), ProblemType.RANK_VIOLATION);
            assertThat(top.received()).isEmpty();
        }

        @Test
        void send_invalidCommand_invalidRequest() {
            JsonNode sender = join(receiver());

            assertProblem(command(sender, ""), ProblemType.INVALID_REQUEST);
            assertProblem(command(sender, "x".repeat(257)), ProblemType.INVALID_REQUEST);
            assertProblem(command(sender, "tab\\there"), ProblemType.INVALID_REQUEST);
        }
    }

    @Nested
    class ClusterToken {

        @Test
        void register_withoutClusterToken_unauthorizedAndNothingChanges() {
            long epoch = epoch();

            Response response = http.postJson("/api/v1/members", "{\"port\": 9201}");

            assertProblem(response, ProblemType.UNAUTHORIZED);
            assertThat(response.header("WWW-Authenticate")).hasValue("Bearer");
            assertThat(epoch()).isEqualTo(epoch);
        }

        @Test
        void register_wrongClusterToken_unauthorized() {
            assertProblem(http.postJson("/api/v1/members", "{\"port\": 9201}", "Authorization", "Bearer wrong"),
                    ProblemType.UNAUTHORIZED);
            assertProblem(http.postJson("/api/v1/members", "not even json", "Authorization", "Bearer wrong"),
                    ProblemType.UNAUTHORIZED);
        }

        @Test
        void register_rightClusterToken_created() {
            Response response = http.postJson("/api/v1/members", "{\"port\": 9201}", registrationHeaders());

            assertThat(response.status()).isEqualTo(201);
        }
    }

    @Test
    void prometheus_afterCommands_showsMeters() {
        JsonNode sender = join(receiver());
        JsonNode other = join(receiver());
        command(sender, "measure");
        http.delete("/api/v1/members/" + id(other), "Authorization", "Bearer " + ADMIN_TOKEN);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(http.get("/actuator/prometheus").body())
                .contains("rank_members ", "rank_registrations_total", "rank_removals_total{reason=\"removed\"}",
                        "rank_commands_total", "rank_deliveries_total{outcome=\"delivered\",transport=\"http\"}",
                        "rank_fanout_seconds_count"));
    }

    @Test
    void prometheus_afterACommand_countsEachRegistrationRemovalCommandAndDeliveryOnce() {
        Map<String, Double> before = meters();
        JsonNode sender = join(receiver());
        JsonNode reached = join(receiver());
        join(receiver().answering(delivery -> 500));
        command(sender, "measure");
        http.delete("/api/v1/members/" + id(reached), "Authorization", "Bearer " + ADMIN_TOKEN);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, Double> after = meters();
            assertThat(after.get("rank_members")).isEqualTo(before.get("rank_members") + 2);
            assertThat(delta(before, after, "rank_registrations_total")).isEqualTo(3);
            assertThat(delta(before, after, "rank_removals_total{reason=\"removed\"}")).isEqualTo(1);
            assertThat(delta(before, after, "rank_commands_total")).isEqualTo(1);
            assertThat(delta(before, after, "rank_deliveries_total{outcome=\"delivered\",transport=\"http\"}")).isEqualTo(1);
            assertThat(delta(before, after, "rank_deliveries_total{outcome=\"failed\",transport=\"http\"}")).isEqualTo(1);
            assertThat(delta(before, after, "rank_fanout_seconds_count")).isEqualTo(1);
        });
    }

    /** Every sample of {@code /actuator/prometheus}, by name and labels. */
    Map<String, Double> meters() {
        Map<String, Double> samples = new HashMap<>();
        for (String line : http.get("/actuator/prometheus").body().split("\n")) {
            int space = line.lastIndexOf(' ');
            if (!line.startsWith("#") && space > 0) {
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    static double delta(Map<String, Double> before, Map<String, Double> after, String sample) {
        assertThat(after).as("meters").containsKey(sample);
        return after.get(sample) - before.getOrDefault(sample, 0.0);
    }
}

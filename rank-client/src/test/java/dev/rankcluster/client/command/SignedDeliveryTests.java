package dev.rankcluster.client.command;

import static dev.rankcluster.client.command.DeliveryControllerTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.client.registration.RegistrationState;
import dev.rankcluster.client.support.MutableClock;
import dev.rankcluster.client.system.ClusterProperties;
import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.RankHeaders;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The receive endpoint's signature checks: the independent vectors, tampering, replay to another member, forgery by
 * a member that holds the cluster token, and skew.
 */
@WebMvcTest(controllers = DeliveryController.class, properties = "rank.cluster.token=" + SignedDeliveryTests.CLUSTER_TOKEN)
@Import({SignedDeliveryTests.Wiring.class, DeliveryParser.class, DeliveryAuthenticator.class, DeliveryReceiver.class, ExecutedCommands.class,
        RegistrationState.class})
@ExtendWith(OutputCaptureExtension.class)
class SignedDeliveryTests {

    static final String CLUSTER_TOKEN = "s3cret";

    record Vector(String note, String leaseToken, long timestamp, String body, String signature) {
    }

    @TestConfiguration
    @EnableConfigurationProperties(ClusterProperties.class)
    static class Wiring {
        @Bean
        MutableClock clock() {
            return new MutableClock(Instant.EPOCH);
        }
    }

    private static final List<Vector> VECTORS = vectors();
    private static final Vector TYPICAL = VECTORS.get(0);
    private static final Vector ONE_MS_LATER = VECTORS.get(1);
    private static final Vector OTHER_TOKEN = VECTORS.get(2);
    private static final Vector BYTE_CHANGED = VECTORS.get(3);

    @Autowired
    MockMvcTester mvc;

    @Autowired
    MutableClock clock;

    @Autowired
    ExecutedCommands executed;

    @Autowired
    RegistrationState registration;

    @BeforeEach
    void registeredAtTheVectorsTime() {
        clock.set(Instant.ofEpochMilli(TYPICAL.timestamp()));
        // The vectors' first member: lease token A, id m-3 (the receiverId of their deliveries).
        registration.registered(Deliveries.registration());
    }

    @Test
    void receive_contractVector_executedOnceThenReplayIgnored(CapturedOutput output) {
        // The vectors share one command id, so this test alone sends it.
        assertThat(post(TYPICAL.body(), TYPICAL.timestamp(), TYPICAL.signature())).hasStatus(204);
        assertThat(post(ONE_MS_LATER.body(), ONE_MS_LATER.timestamp(), ONE_MS_LATER.signature())).hasStatus(204);
        assertThat(post(TYPICAL.body(), TYPICAL.timestamp(), TYPICAL.signature())).hasStatus(204);

        assertThat(executed.newestFirst()).filteredOn(c -> c.commandId().equals("c-1")).hasSize(1);
        assertThat(output.getOut()).containsOnlyOnce("Executed 'flush-cache' from 10.0.0.2:8080 (rank 0) at rank 2");
    }

    @Test
    void receive_deliveryForTheMemberWithAnotherLeaseToken_refused() {
        // The same delivery signed for another member (lease token B): captured on the way to it and replayed here.
        assertRefused(post(OTHER_TOKEN.body(), OTHER_TOKEN.timestamp(), OTHER_TOKEN.signature()));
    }

    @Test
    void receive_forgedByAMemberHoldingTheClusterToken_refused() {
        // Every member holds the cluster token; a delivery "from rank 0" keyed with it, or with the forger's own
        // lease token, is not this member's signature.
        String id = uniqueId();
        String body = Deliveries.aDelivery(id);
        long now = clock.millis();

        assertRefused(post(body, now, DeliverySignature.withKey(java.util.Arrays.copyOf(
                CLUSTER_TOKEN.getBytes(java.nio.charset.StandardCharsets.UTF_8), DeliverySignature.KEY_LENGTH)).sign(now, body)));
        assertRefused(post(body, now, DeliverySignature.forLeaseToken(CLUSTER_TOKEN).sign(now, body)));
        assertRefused(post(body, now, DeliverySignature.forLeaseToken("the-forgers-own-lease-token").sign(now, body)));
        assertThat(executed.newestFirst()).noneMatch(c -> c.commandId().equals(id));
    }

    @Test
    void receive_validlySignedForThisMemberButAddressedToAnother_refusedAsMisaddressed() {
        String body = Deliveries.aDelivery(Deliveries.REFUSED_ID, 0, "m-4", 2, Deliveries.EXPIRES_AT);

        assertProblem(post(body, clock.millis(), sign(body, clock.millis())), ProblemType.MISADDRESSED);
        assertThat(executed.newestFirst()).noneMatch(c -> c.commandId().equals(Deliveries.REFUSED_ID));
    }

    @Test
    void receive_tamperedBody_refused() {
        assertRefused(post(BYTE_CHANGED.body(), TYPICAL.timestamp(), TYPICAL.signature()));
    }

    @Test
    void receive_signatureOfAnotherTimestamp_refused() {
        assertRefused(post(TYPICAL.body(), ONE_MS_LATER.timestamp(), TYPICAL.signature()));
    }

    @Test
    void receive_validSignatureOverInvalidDelivery_refusedAsInvalidRequest() {
        String incomplete = "{\"command\":\"flush-cache\"}";

        assertProblem(post(incomplete, clock.millis(), sign(incomplete, clock.millis())), ProblemType.INVALID_REQUEST);
    }

    @Test
    void receive_missingHeaders_refused() {
        String body = Deliveries.aDelivery(uniqueId());
        long now = clock.millis();

        assertRefused(post(body, null, null));
        assertRefused(post(body, now, null));
        assertRefused(post(body, null, sign(body, now)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "1.5", "0x10", "99999999999999999999"})
    void receive_timestampNotEpochMillis_refused(String timestamp) {
        String body = Deliveries.aDelivery(uniqueId());

        MvcTestResult result = mvc.post().uri("/api/v1/commands").contentType(MediaType.APPLICATION_JSON)
                .header(RankHeaders.TIMESTAMP, timestamp).header(RankHeaders.SIGNATURE, sign(body, clock.millis()))
                .content(body).exchange();

        assertRefused(result);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sha256=", "sha256=zz", "md5=00", "SHA256=abc"})
    void receive_malformedSignature_refused(String signature) {
        assertRefused(post(Deliveries.aDelivery(uniqueId()), clock.millis(), signature));
    }

    @ParameterizedTest
    @ValueSource(longs = {30_001, -30_001, 3_600_000, -3_600_000})
    void receive_timestampTooFarFromOurClock_refused(long skewMillis) {
        String id = uniqueId();
        String body = Deliveries.aDelivery(id);
        long signedAt = clock.millis() + skewMillis;

        assertRefused(post(body, signedAt, sign(body, signedAt)));
        assertThat(executed.newestFirst()).noneMatch(c -> c.commandId().equals(id));
    }

    @ParameterizedTest
    @ValueSource(longs = {30_000, -30_000, 0})
    void receive_timestampWithin30Seconds_executed(long skewMillis) {
        String id = uniqueId();
        String body = Deliveries.aDelivery(id);
        long signedAt = clock.millis() + skewMillis;

        assertThat(post(body, signedAt, sign(body, signedAt))).hasStatus(204);
        assertThat(executed.newestFirst()).anyMatch(c -> c.commandId().equals(id));
    }

    @Test
    void receive_signedRankViolation_refusedWithRankViolation() {
        String body = Deliveries.aDelivery(uniqueId(), 3, 3);

        assertProblem(post(body, clock.millis(), sign(body, clock.millis())), ProblemType.RANK_VIOLATION);
    }

    @Test
    void receive_refusedSignature_neverLogsTheSignatureOrToken(CapturedOutput output) {
        post(OTHER_TOKEN.body(), OTHER_TOKEN.timestamp(), OTHER_TOKEN.signature());

        assertThat(output.getAll()).doesNotContain(OTHER_TOKEN.signature().substring(7))
                .doesNotContain(Deliveries.LEASE_TOKEN).doesNotContain(OTHER_TOKEN.leaseToken());
    }

    private void assertRefused(MvcTestResult result) {
        assertProblem(result, ProblemType.INVALID_SIGNATURE);
    }

    private MvcTestResult post(String body, Long timestamp, String signature) {
        var request = mvc.post().uri("/api/v1/commands").contentType(MediaType.APPLICATION_JSON).content(body);
        if (timestamp != null) {
            request.header(RankHeaders.TIMESTAMP, Long.toString(timestamp));
        }
        if (signature != null) {
            request.header(RankHeaders.SIGNATURE, signature);
        }
        return request.exchange();
    }

    private static String sign(String body, long timestamp) {
        return Deliveries.sign(body, timestamp);
    }

    private static String uniqueId() {
        return "c-" + UUID.randomUUID();
    }

    private static List<Vector> vectors() {
        try (InputStream in = SignedDeliveryTests.class.getResourceAsStream("/delivery-signature-v2.json")) {
            List<Vector> vectors = new ArrayList<>();
            for (JsonNode c : JsonMapper.builder().build().readTree(in).get("cases")) {
                vectors.add(new Vector(c.get("note").asString(), c.get("leaseToken").asString(), c.get("timestamp").asLong(),
                        c.get("body").asString(), c.get("signature").asString()));
            }
            assertThat(vectors).hasSize(5);
            assertThat(vectors.subList(0, 4)).extracting(Vector::leaseToken).containsExactly(Deliveries.LEASE_TOKEN,
                    Deliveries.LEASE_TOKEN, "Qm9yZWQtYnV0LXJhbmRvbS1sZWFzZS10b2tlbi1CQkI", Deliveries.LEASE_TOKEN);
            return vectors;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

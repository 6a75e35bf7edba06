package dev.rankcluster.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DeliverySignatureTests {

    /** A case of {@code delivery-signature-v2.json}, computed independently of this code. */
    record Vector(String note, String leaseToken, long timestamp, String body, String deliveryKeyHex, String signature) {
        @Override
        public String toString() {
            return note;
        }
    }

    static Stream<Vector> vectors() throws IOException {
        try (InputStream in = DeliverySignatureTests.class.getResourceAsStream("/delivery-signature-v2.json")) {
            JsonNode cases = JsonMapper.builder().build().readTree(in).get("cases");
            List<Vector> vectors = new ArrayList<>();
            for (JsonNode c : cases) {
                vectors.add(new Vector(c.get("note").asString(), c.get("leaseToken").asString(),
                        c.get("timestamp").asLong(), c.get("body").asString(), c.get("deliveryKeyHex").asString(),
                        c.get("signature").asString()));
            }
            assertThat(vectors).hasSize(5);
            return vectors.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void deliveryKey_independentVector_matchesExpectedKey(Vector vector) {
        assertThat(HexFormat.of().formatHex(DeliverySignature.deliveryKey(vector.leaseToken())))
                .isEqualTo(vector.deliveryKeyHex());
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void sign_independentVector_matchesExpectedSignature(Vector vector) {
        var byToken = DeliverySignature.forLeaseToken(vector.leaseToken());
        var byKey = DeliverySignature.withKey(HexFormat.of().parseHex(vector.deliveryKeyHex()));

        assertThat(byToken.sign(vector.timestamp(), vector.body())).isEqualTo(vector.signature());
        assertThat(byKey.sign(vector.timestamp(), vector.body())).isEqualTo(vector.signature());
        assertThat(byKey.matches(vector.timestamp(), vector.body().getBytes(StandardCharsets.UTF_8),
                vector.signature())).isTrue();
    }

    @Test
    void matches_tamperedBodyOtherMembersKeyOrOtherTimestamp_refused() {
        var signature = DeliverySignature.forLeaseToken("member-a-token");
        byte[] body = "{\"command\":\"flush-cache\"}".getBytes(StandardCharsets.UTF_8);
        String valid = signature.sign(1000, body);

        assertThat(signature.matches(1000, body, valid)).isTrue();
        assertThat(signature.matches(1000, "{\"command\":\"flush-cachf\"}".getBytes(StandardCharsets.UTF_8), valid)).isFalse();
        assertThat(DeliverySignature.forLeaseToken("member-b-token").matches(1000, body, valid)).isFalse();
        assertThat(signature.matches(1001, body, valid)).isFalse();
    }

    @Test
    void sign_withTheLeaseTokenItselfAsKey_isNotAValidSignature() {
        // The key is derived from the lease token, never the token itself: a signature keyed by the raw token
        // (as a hand-rolled forger would try) is refused.
        String token = "lFvdG-NCqHFIqtFEmKX7-B3E1GyHhHYhmHionyZKgLo";
        byte[] rawTokenAsKey = java.util.Arrays.copyOf(token.getBytes(StandardCharsets.UTF_8), DeliverySignature.KEY_LENGTH);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        String forged = DeliverySignature.withKey(rawTokenAsKey).sign(1, body);

        assertThat(DeliverySignature.forLeaseToken(token).matches(1, body, forged)).isFalse();
    }

    @Test
    void matches_malformedSignature_refusedWithoutException() {
        var signature = DeliverySignature.forLeaseToken("s3cret");
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        assertThat(signature.matches(1, body, null)).isFalse();
        assertThat(signature.matches(1, body, "")).isFalse();
        assertThat(signature.matches(1, body, "sha256=")).isFalse();
        assertThat(signature.matches(1, body, "sha256=zz")).isFalse();
        assertThat(signature.matches(1, body, "md5=" + signature.sign(1, body).substring(7))).isFalse();
    }

    @Test
    void isFresh_within30SecondsEitherWay() {
        assertThat(DeliverySignature.isFresh(100_000, 130_000)).isTrue();
        assertThat(DeliverySignature.isFresh(130_000, 100_000)).isTrue();
        assertThat(DeliverySignature.isFresh(100_000, 130_001)).isFalse();
        assertThat(DeliverySignature.isFresh(130_001, 100_000)).isFalse();
    }

    @Test
    void factories_emptyTokenOrShortKey_refused() {
        assertThatThrownBy(() -> DeliverySignature.forLeaseToken("")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> DeliverySignature.withKey(new byte[16])).hasMessageContaining("32 bytes");
    }

    @Test
    void toString_hidesTheKey() {
        assertThat(DeliverySignature.forLeaseToken("s3cret").toString()).doesNotContain("s3cret");
    }
}

package dev.rankcluster.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DeliverySignatureTests {

    record Vector(String note, String token, long timestamp, String body, String signature) {
        @Override
        public String toString() {
            return note;
        }
    }

    static Stream<Vector> vectors() throws IOException {
        try (InputStream in = DeliverySignatureTests.class.getResourceAsStream("/delivery-signature.json")) {
            JsonNode cases = JsonMapper.builder().build().readTree(in).get("cases");
            List<Vector> vectors = new java.util.ArrayList<>();
            for (JsonNode c : cases) {
                vectors.add(new Vector(c.get("note").asString(), c.get("token").asString(),
                        c.get("timestamp").asLong(), c.get("body").asString(), c.get("signature").asString()));
            }
            assertThat(vectors).hasSize(5);
            return vectors.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void sign_independentVector_matchesExpectedSignature(Vector vector) {
        var signature = new DeliverySignature(vector.token());

        assertThat(signature.sign(vector.timestamp(), vector.body())).isEqualTo(vector.signature());
        assertThat(signature.matches(vector.timestamp(), vector.body().getBytes(StandardCharsets.UTF_8),
                vector.signature())).isTrue();
    }

    @Test
    void matches_tamperedBodyWrongKeyOrOtherTimestamp_refused() {
        var signature = new DeliverySignature("s3cret");
        byte[] body = "{\"command\":\"flush-cache\"}".getBytes(StandardCharsets.UTF_8);
        String valid = signature.sign(1000, body);

        assertThat(signature.matches(1000, body, valid)).isTrue();
        assertThat(signature.matches(1000, "{\"command\":\"flush-cachf\"}".getBytes(StandardCharsets.UTF_8), valid)).isFalse();
        assertThat(new DeliverySignature("other").matches(1000, body, valid)).isFalse();
        assertThat(signature.matches(1001, body, valid)).isFalse();
    }

    @Test
    void matches_malformedSignature_refusedWithoutException() {
        var signature = new DeliverySignature("s3cret");
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
    void constructor_emptyToken_refused() {
        assertThatThrownBy(() -> new DeliverySignature("")).hasMessageContaining("must not be empty");
    }

    @Test
    void toString_hidesTheKey() {
        assertThat(new DeliverySignature("s3cret").toString()).doesNotContain("s3cret");
    }
}

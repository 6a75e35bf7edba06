package dev.rankcluster.client.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.client.RankClientApplication;
import dev.rankcluster.client.registration.RegistrationState;
import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.RankHeaders;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Random bodies, most of them correctly signed so that they reach the parser, to the real client over HTTP:
 * never a 5xx, every refusal is a problem, and a refused delivery executes nothing.
 */
class DeliveryFuzzProperties {

    private static final String TOKEN = "fuzz-token";
    private static final DeliverySignature SIGNATURE = DeliverySignature.forLeaseToken(Deliveries.LEASE_TOKEN);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static ConfigurableApplicationContext client;
    static URI commands;

    @BeforeContainer
    static void startClient() {
        // No rank server: the client keeps retrying its registration in the background, which is fine here.
        client = new SpringApplicationBuilder(RankClientApplication.class).run("--server.port=0",
                "--rank.client.server-url=http://127.0.0.1:9", "--rank.client.send-enabled=false",
                "--rank.cluster.token=" + TOKEN, "--spring.main.banner-mode=off");
        commands = URI.create("http://127.0.0.1:" + client.getEnvironment().getProperty("local.server.port")
                + "/api/v1/commands");
        // As if registered: deliveries are signed for this registration, so most of them reach the parser.
        client.getBean(RegistrationState.class).registered(Deliveries.registration());
    }

    @AfterContainer
    static void stopClient() {
        client.close();
    }

    @Property(tries = 200)
    void randomDelivery_neverServerErrorAndNothingExecutedWhenRefused(@ForAll("bodies") String body,
                                                                      @ForAll("signed") boolean signed) throws Exception {
        String before = executed();

        HttpResponse<String> response = post(body, signed);

        assertThat(response.statusCode()).as("status for %s", body).isLessThan(500);
        if (response.statusCode() != 204) {
            assertThat(response.statusCode()).isBetween(400, 499);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
            assertThat(response.body()).contains("\"type\":\"https://rank-cluster.dev/problems/");
            assertThat(executed()).as("executed after refusing %s", body).isEqualTo(before);
        }
    }

    @Provide
    Arbitrary<Boolean> signed() {
        return Arbitraries.frequency(Tuple.of(9, true), Tuple.of(1, false));
    }

    @Provide
    Arbitrary<String> bodies() {
        return Arbitraries.oneOf(mutatedDeliveries(), truncatedDeliveries(), Arbitraries.strings().ofMaxLength(200),
                Arbitraries.of("", "{}", "[]", "null", "0", "\"x\"", "{\"commandId\":", "{" + "\"a\":{".repeat(500)));
    }

    private static Arbitrary<String> mutatedDeliveries() {
        Arbitrary<String> field = Arbitraries.of("commandId", "command", "senderId", "senderAddress", "senderRank",
                "receiverId", "receiverRank", "epoch", "issuedAt", "expiresAt");
        Arbitrary<String> value = Arbitraries.oneOf(
                Arbitraries.of("null", "true", "-1", "0", "1.5", "1e400", "\"\"", "\"9\"", "[]", "{}", "\"\\u0000\"",
                        "99999999999999999999", "\"" + "x".repeat(300) + "\"", "\"2026-13-45T99:00:00Z\""),
                Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(20).map(s -> "\"" + s.replace("\\", "").replace("\"", "") + "\""),
                Arbitraries.integers().map(String::valueOf));
        Arbitrary<Boolean> drop = Arbitraries.of(true, false);
        return Combinators.combine(field, value, drop).as((name, json, remove) -> {
            String valid = unexpired("fuzz-" + name + json.hashCode());
            String pattern = "\"" + name + "\":(\"[^\"]*\"|-?\\d+)";
            return remove ? valid.replaceFirst(pattern + ",?", "").replace(",}", "}")
                    : valid.replaceFirst(pattern, java.util.regex.Matcher.quoteReplacement("\"" + name + "\":" + json));
        });
    }

    private static Arbitrary<String> truncatedDeliveries() {
        String valid = unexpired("fuzz-truncated");
        return Arbitraries.integers().between(0, valid.length() - 1).map(end -> valid.substring(0, end));
    }

    /** A valid delivery for this client that expires an hour from now. */
    private static String unexpired(String commandId) {
        return Deliveries.aDelivery(commandId, 0, Deliveries.RECEIVER_ID, 2, java.time.Instant.now().plusSeconds(3600));
    }

    private static HttpResponse<String> post(String body, boolean signed) throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        var request = HttpRequest.newBuilder(commands).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (signed) {
            long now = System.currentTimeMillis();
            request.header(RankHeaders.TIMESTAMP, Long.toString(now)).header(RankHeaders.SIGNATURE, SIGNATURE.sign(now, bytes));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String executed() throws IOException, InterruptedException {
        var response = HTTP.send(HttpRequest.newBuilder(commands).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}

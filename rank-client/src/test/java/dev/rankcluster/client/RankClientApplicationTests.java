package dev.rankcluster.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rankcluster.client.support.FakeRankServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The packaged application over real HTTP, against a fake rank server: readiness, actuator, hostile requests. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "rank.client.send-enabled=false")
class RankClientApplicationTests {

    private static final FakeRankServer server = FakeRankServer.start().leaseTtl(Duration.ofMillis(600));
    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Duration WITHIN = Duration.ofSeconds(15);

    static {
        // Closed until the readiness test opens it, so that the client starts unregistered.
        server.failAlways("POST", "/api/v1/members", 503);
    }

    @DynamicPropertySource
    static void serverUrl(DynamicPropertyRegistry registry) {
        registry.add("rank.client.server-url", () -> server.url().toString());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @LocalServerPort
    int port;

    @Test
    void readiness_followsRegistration_upOnlyWhileRegistered() {
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(503);
        assertThat(get("/actuator/health").statusCode()).isEqualTo(503);
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);

        server.recover();
        await().atMost(WITHIN).until(() -> get("/actuator/health/readiness").statusCode() == 200);
        assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        assertThat(server.requests("POST", "/api/v1/members").getLast().json().get("port").asInt())
                .as("advertises the port it really listens on").isEqualTo(port);

        server.failAlways("POST", "/api/v1/members", 503);
        server.forgetAll();
        await().atMost(WITHIN).until(() -> get("/actuator/health/readiness").statusCode() == 503);
        assertThat(get("/actuator/health").body()).contains("OUT_OF_SERVICE");

        server.recover();
        await().atMost(WITHIN).until(() -> get("/actuator/health/readiness").statusCode() == 200);
    }

    @Test
    void actuator_onlyHealthInfoAndPrometheusOthersNotFoundProblems() {
        assertThat(get("/actuator/info").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(200);
        for (String hidden : new String[] {"/actuator/env", "/actuator/beans", "/actuator/configprops", "/actuator/heapdump",
                "/actuator/loggers", "/actuator/shutdown", "/actuator/health/nothing-here", "/error"}) {
            var response = get(hidden);
            assertThat(response.statusCode()).as(hidden).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
    }

    @Test
    void receive_chunkedBodyOver16KiB_refusedWith413() throws Exception {
        byte[] oversized = ("{\"command\":\"" + "x".repeat(20_000) + "\"}").getBytes();
        var request = HttpRequest.newBuilder(uri("/api/v1/commands"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(oversized)))
                .build();

        var response = http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("https://rank-cluster.dev/problems/payload-too-large");
    }

    @Test
    void request_malformedUrl_problemFromTomcatToo() throws IOException {
        // A URL no HTTP client library would send, so written on a raw socket.
        String response = raw("GET /api/v1/commands%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400").containsIgnoringCase("Content-Type: application/problem+json")
                .contains("\"type\":\"https://rank-cluster.dev/problems/invalid-request\"", "\"status\":400",
                        "\"title\":\"Invalid request\"",
                        "\"detail\":\"malformed request: check the URL, the headers and the body's framing\"")
                .doesNotContain("<html");
    }

    private String raw(String request) throws IOException {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> get(String path) {
        try {
            return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.rankcluster.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rankcluster.client.support.FakeRankServer;
import dev.rankcluster.model.RankHeaders;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** The whole client from start to shutdown, with a cluster token, sending commands against a fake server. */
@ExtendWith(OutputCaptureExtension.class)
class RankClientShutdownTests {

    private static final Duration WITHIN = Duration.ofSeconds(20);

    private final FakeRankServer server = FakeRankServer.start();
    private ConfigurableApplicationContext client;

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    @Test
    void close_whileSending_stopsSendingThenUnregisters(CapturedOutput output) {
        server.addMember("10.0.0.1:8080");
        client = SpringApplication.run(RankClientApplication.class, "--server.port=0",
                "--rank.client.server-url=" + server.url(), "--rank.cluster.token=s3cret",
                "--rank.client.send-interval-min=20ms", "--rank.client.send-interval-max=50ms",
                "--spring.main.banner-mode=off");
        await().atMost(WITHIN).until(() -> server.count("POST", "/api/v1/commands") >= 3);

        client.close();

        List<FakeRankServer.Request> requests = server.requests();
        int unregister = indexOf(requests, "DELETE");
        assertThat(unregister).as("unregistered").isNotNegative();
        assertThat(requests.subList(unregister, requests.size()))
                .as("nothing sent once unregistering began").noneMatch(r -> r.path().equals("/api/v1/commands"));
        var registration = server.requests("POST", "/api/v1/members").getFirst();
        assertThat(registration.header("Authorization")).contains("Bearer s3cret");
        assertThat(requests.get(unregister).header(RankHeaders.LEASE_TOKEN)).isPresent();
        assertThat(server.memberCount()).isEqualTo(1);
        assertThat(output.getOut()).contains("Registered 127.0.0.1:").contains("with rank 1")
                .containsPattern("Sent '[a-z-]+' to 0 clients: 0 delivered, 0 failed")
                .contains("Unregistered 127.0.0.1:")
                .doesNotContain("rank.cluster.token is not set");
        assertThat(output.getAll()).doesNotContain("s3cret")
                .doesNotContain(requests.get(unregister).header(RankHeaders.LEASE_TOKEN).orElseThrow());
    }

    @Test
    void start_withoutClusterToken_warnsThatItRunsOpen(CapturedOutput output) {
        client = SpringApplication.run(RankClientApplication.class, "--server.port=0",
                "--rank.client.server-url=" + server.url(), "--rank.client.send-enabled=false",
                "--spring.main.banner-mode=off");

        assertThat(output.getOut()).contains("rank.cluster.token is not set: this client registers without a token");
        await().atMost(WITHIN).until(() -> server.memberCount() == 1);
        assertThat(server.requests("POST", "/api/v1/members").getFirst().header("Authorization")).isEmpty();
    }

    private static int indexOf(List<FakeRankServer.Request> requests, String method) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).method().equals(method)) {
                return i;
            }
        }
        return -1;
    }
}

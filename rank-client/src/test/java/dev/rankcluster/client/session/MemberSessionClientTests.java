package dev.rankcluster.client.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rankcluster.client.support.TestProperties;
import dev.rankcluster.model.Registration;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.json.JsonMapper;

@ExtendWith(OutputCaptureExtension.class)
class MemberSessionClientTests {

    private static final Registration REGISTRATION =
            new Registration("member-1", "127.0.0.1:18081", 1, "token", 10_000, 1);

    @Test
    void sessionsKeepDropping_givenUpAfterThreeInARow_loggedOnce_untilTheNextRegistration(CapturedOutput output)
            throws Exception {
        try (var server = new DroppingSessionServer()) {
            var sessions = new MemberSessionClient(TestProperties.clientOf(server.url()), (t, s, b) -> {
            }, JsonMapper.shared());
            var drops = new AtomicInteger();

            for (int attempt = 1; attempt <= MemberSessionClient.MAX_SHORT_SESSIONS; attempt++) {
                assertThat(sessions.shouldOpen()).as("attempt %d", attempt).isTrue();
                assertThat(sessions.open(REGISTRATION, server.url(), renewal -> {
                }, why -> drops.incrementAndGet())).isTrue();
                int expected = attempt;
                await().atMost(Duration.ofSeconds(5)).until(() -> drops.get() == expected);
            }

            assertThat(sessions.shouldOpen()).as("given up").isFalse();
            assertThat(output.getOut()).containsOnlyOnce("keep dropping (3 in a row within a lease TTL");
            assertThat(output.getOut()).contains("renewing the lease with HTTP heartbeats until this client registers again");
            sessions.registering();
            assertThat(sessions.shouldOpen()).as("another chance after registering again").isTrue();
            sessions.close();
        }
    }

    @Test
    void sessionUri_followsTheServerUrl() {
        assertThat(MemberSessionClient.sessionUri(URI.create("http://rank:8080"), "m1"))
                .isEqualTo(URI.create("ws://rank:8080/api/v1/members/m1/session"));
        assertThat(MemberSessionClient.sessionUri(URI.create("https://rank.example/base/"), "m1"))
                .isEqualTo(URI.create("wss://rank.example/base/api/v1/members/m1/session"));
    }
}

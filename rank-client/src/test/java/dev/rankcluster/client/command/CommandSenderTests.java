package dev.rankcluster.client.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rankcluster.client.registration.RankServerClient;
import dev.rankcluster.client.registration.RegistrationState;
import dev.rankcluster.client.support.FakeRankServer;
import dev.rankcluster.client.support.TestProperties;
import dev.rankcluster.client.system.ClusterProperties;
import dev.rankcluster.client.system.RankClientProperties;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.Registration;
import dev.rankcluster.model.RegistrationRequest;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.client.RestClient;

@ExtendWith(OutputCaptureExtension.class)
class CommandSenderTests {

    private static final List<String> COMMANDS = List.of("flush-cache", "rotate-logs", "ping");

    private final FakeRankServer server = FakeRankServer.start();
    private final RegistrationState state = new RegistrationState();
    private CommandSender sender;

    @AfterEach
    void stop() {
        if (sender != null) {
            sender.stop();
        }
        server.close();
    }

    private CommandSender senderWith(RankClientProperties properties) {
        sender = new CommandSender(new RankServerClient(RestClient.builder(), properties, new ClusterProperties(null)),
                state, properties);
        return sender;
    }

    private CommandSender fastSender() {
        return senderWith(TestProperties.sendingTo(server.url(), Duration.ofMillis(20), Duration.ofMillis(60), COMMANDS));
    }

    /** Registers with the fake server at rank 1, with one member below. */
    private Registration registerAtRankOne() {
        server.addMember("10.0.0.1:8080");
        var registration = new RankServerClient(RestClient.builder(), TestProperties.clientOf(server.url()),
                new ClusterProperties(null)).register(RegistrationRequest.forPort(9001));
        server.addMember("10.0.0.3:8080");
        state.registered(registration);
        return registration;
    }

    @Test
    void nextInterval_manyDraws_withinMinAndMaxAndSpread() {
        var sender = senderWith(TestProperties.sendingTo(server.url(), Duration.ofMillis(100), Duration.ofMillis(300), COMMANDS));

        Set<Duration> drawn = new HashSet<>();
        IntStream.range(0, 10_000).forEach(i -> drawn.add(sender.nextInterval()));

        assertThat(drawn).allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(100), Duration.ofMillis(300)))
                .hasSizeGreaterThan(100);
    }

    @Test
    void nextInterval_minEqualsMax_alwaysThatInterval() {
        var sender = senderWith(TestProperties.sendingTo(server.url(), Duration.ofSeconds(2), Duration.ofSeconds(2), COMMANDS));

        assertThat(IntStream.range(0, 100).mapToObj(i -> sender.nextInterval())).containsOnly(Duration.ofSeconds(2));
    }

    @Test
    void nextCommand_manyDraws_everyCommandOfTheListAndNothingElse() {
        var sender = fastSender();

        assertThat(IntStream.range(0, 1_000).mapToObj(i -> sender.nextCommand()).distinct())
                .containsExactlyInAnyOrderElementsOf(COMMANDS);
    }

    @Test
    void start_registered_sendsCommandsFromTheListAndLogsReports(CapturedOutput output) {
        Registration registration = registerAtRankOne();

        fastSender().start();

        await().atMost(Duration.ofSeconds(10)).until(() -> server.count("POST", "/api/v1/commands") >= 3);
        assertThat(server.requests("POST", "/api/v1/commands")).allSatisfy(request -> {
            assertThat(request.header(RankHeaders.LEASE_TOKEN)).contains(registration.leaseToken());
            assertThat(request.json().get("senderId").asString()).isEqualTo(registration.id());
            assertThat(request.json().get("command").asString()).isIn(COMMANDS);
            assertThat(request.json().path("targetId").isMissingNode() || request.json().get("targetId").isNull()).isTrue();
            assertThat(request.header("Content-Length")).isPresent();
        });
        assertThat(output.getOut()).containsPattern("Sent '(flush-cache|rotate-logs|ping)' to 1 client: 1 delivered, 0 failed");
    }

    @Test
    void start_lowestRank_sendsButLogsNoLineForNoTargets(CapturedOutput output) {
        server.addMember("10.0.0.1:8080");
        state.registered(new RankServerClient(RestClient.builder(), TestProperties.clientOf(server.url()),
                new ClusterProperties(null)).register(RegistrationRequest.forPort(9001)));

        fastSender().start();

        await().atMost(Duration.ofSeconds(10)).until(() -> server.count("POST", "/api/v1/commands") >= 3);
        assertThat(output.getOut()).doesNotContain("Sent '");
    }

    @Test
    void start_notRegistered_sendsNothingUntilRegistered() {
        fastSender().start();

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> server.count("POST", "/api/v1/commands") == 0);

        registerAtRankOne();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.count("POST", "/api/v1/commands") >= 1);
    }

    @Test
    void start_sendDisabled_sendsNothing(CapturedOutput output) {
        registerAtRankOne();
        var properties = TestProperties.clientOf(server.url());
        assertThat(properties.sendEnabled()).isFalse();

        senderWith(properties).start();

        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2))
                .until(() -> server.count("POST", "/api/v1/commands") == 0);
        assertThat(output.getOut()).contains("Sending commands is disabled");
    }

    @Test
    void send_rateLimitedOrFailing_logsWarningAndKeepsSending(CapturedOutput output) {
        registerAtRankOne();
        server.failNext("POST", "/api/v1/commands", 1, 429, "1");
        server.failNext("POST", "/api/v1/commands", 1, 500, null);

        fastSender().start();

        await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("Sent '"));
        assertThat(output.getOut()).contains("failed (server answered 429); trying again later")
                .contains("failed (server answered 500); trying again later");
    }

    @Test
    void stop_running_noMoreCommands() {
        registerAtRankOne();
        fastSender().start();
        await().atMost(Duration.ofSeconds(10)).until(() -> server.count("POST", "/api/v1/commands") >= 1);

        sender.stop();
        long sent = server.count("POST", "/api/v1/commands");

        assertThat(sender.isRunning()).isFalse();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> server.count("POST", "/api/v1/commands") == sent);
    }
}

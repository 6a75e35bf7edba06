package dev.rankcluster.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.rankcluster.model.CommandEvent;
import dev.rankcluster.model.ExecutedCommand;
import dev.rankcluster.model.Ranking;
import dev.rankcluster.model.RankingEvent;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.core.type.TypeReference;

/**
 * The README's Docker quick start, run as a user runs it, on the real images: each step runs the README's own
 * command lines with the Docker and Compose CLIs and checks what the user sees through the published port.
 * The steps share one cluster and run in order, as a session at a terminal does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeSmokeIT {

    /** Short, so that expiries come quickly; long enough that a client starved of CPU for a second keeps its lease. */
    private static final Duration LEASE_TTL = Duration.ofSeconds(4);

    /**
     * Every client sends a command every 2.5 s: a frozen client at the lowest rank then gets a delivery before its
     * lease lapses (at least 2/3 of a TTL after its last heartbeat), yet no sender can fail three deliveries to it
     * (which would remove it as "unreachable" rather than "expired") before the TTL: that needs two sends from one
     * sender within TTL minus the 2 s delivery timeout.
     */
    private static final Duration SEND_INTERVAL = Duration.ofMillis(2500);

    /** The server's default delivery timeout: a fan-out reports a delivery to a frozen client as failed after it. */
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(2);

    /** Clients start in parallel JVMs on two busy cores. */
    private static final Duration START = Duration.ofMinutes(3);

    /** A client opens its session right after it registers; a margin for two busy cores. */
    private static final Duration SESSION_OPEN = Duration.ofSeconds(15);

    /**
     * A killed client's session breaks, the server finds nothing at its address (a probe bounded by 500 ms) and
     * removes it at once: well within a second, and long before its lease would expire.
     */
    private static final Duration DISCONNECTED = Duration.ofSeconds(1);

    private static final String SERVER_PORT = "RANK_SERVER_PORT";
    private static final String SERVER_ONLY_CHANGE = "rank-server/src/main/resources/application.properties";

    @RegisterExtension
    static final ComposeProject compose = new ComposeProject("rankci", Map.of(
            "RANK_SERVER_LEASE_TTL", LEASE_TTL.toMillis() + "ms",
            "RANK_CLIENT_SEND_INTERVAL_MIN", SEND_INTERVAL.toMillis() + "ms",
            "RANK_CLIENT_SEND_INTERVAL_MAX", SEND_INTERVAL.toMillis() + "ms"))
            .withFreePort(SERVER_PORT);

    private static final TypeReference<List<ExecutedCommand>> EXECUTED = new TypeReference<>() {
    };

    private static FollowedOutput serverLog;

    private final JsonHttp http = new JsonHttp();

    @Test
    @Order(1)
    void upBuild_threeClientsRanked_eachAClientContainerOnPort8080() {
        long start = System.nanoTime();
        compose.run(readme().line("docker compose up --build -d"), ComposeProject.BUILD);
        long built = System.nanoTime();
        serverLog = compose.follow(readme().line("docker compose logs -f server | grep --line-buffered Ranking"));

        awaitMembersAreTheClientContainers(3);
        System.out.printf("up --build: %.1f s to build and start, then %.1f s until 3 clients were ranked%n",
                seconds(built - start), seconds(System.nanoTime() - built));
        serverLog.awaitPrinted("Ranking epoch=", Duration.ofSeconds(10));
        awaitEveryMemberOnASession();
    }

    @Test
    @Order(2)
    void dashboardAndHealth_answerThroughThePublishedPort() {
        assertThat(body("/")).contains("<title>rank-cluster dashboard</title>");
        assertThat(body("/actuator/health")).contains("\"UP\"");
    }

    @Test
    @Order(3)
    void serverOnlyChange_upBuild_leavesTheClientImageAndContainersAsTheyAre() {
        var clients = compose.containers("client");
        var clientImage = compose.imageId(clients.getFirst());
        var server = compose.containers("server").getFirst();
        var serverImage = compose.imageId(server);

        compose.append(SERVER_ONLY_CHANGE, "# a server-only change, made by ComposeSmokeIT");
        long start = System.nanoTime();
        compose.run(readme().line("docker compose up --build -d"), ComposeProject.BUILD);
        System.out.printf("up --build after a server-only change: %.1f s%n", seconds(System.nanoTime() - start));

        var rebuiltServer = compose.containers("server").getFirst();
        assertThat(compose.imageId(rebuiltServer)).as("server image rebuilt").isNotEqualTo(serverImage);
        assertThat(compose.containers("client")).as("client containers, not recreated").isEqualTo(clients);
        assertThat(clients).allSatisfy(client -> {
            assertThat(compose.isRunning(client)).as("%s still running", client).isTrue();
            assertThat(compose.imageId(client)).as("image of %s", client).isEqualTo(clientImage);
        });
        // The new server starts with an empty ranking (the memory store): the running clients register again.
        serverLog.close();
        serverLog = compose.follow(readme().line("docker compose logs -f server | grep --line-buffered Ranking"));
        awaitMembersAreTheClientContainers(3);
        awaitEveryMemberOnASession();
    }

    @Test
    @Order(4)
    void scaleToFive_fiveClientsRanked() {
        long start = System.nanoTime();
        compose.run(readme().line("docker compose up -d --scale client=5"), START);
        awaitMembersAreTheClientContainers(5);
        System.out.printf("--scale client=5: %.1f s until 5 clients were ranked%n", seconds(System.nanoTime() - start));
        awaitEveryMemberOnASession();
    }

    @Test
    @Order(5)
    void dockerStop_clientLeaves_othersPromotedWithinOneSecond() {
        var victim = compose.containers("client").getLast();
        var address = compose.memberAddress(victim);
        var before = addresses();

        long start = System.nanoTime();
        assertThat(compose.run(readme().line("docker stop $(docker compose ps -q client | tail -n 1)")))
                .contains(victim);
        long stopped = System.nanoTime();

        await("ranking without " + address).atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(addresses()).isEqualTo(without(before, address)));
        System.out.printf("docker stop: ranking without it %.2f s after the command was typed (docker stop took %.1f s)%n",
                seconds(System.nanoTime() - start), seconds(stopped - start));
        serverLog.awaitPrinted("(left " + address + ")", Duration.ofSeconds(5));
    }

    /**
     * A killed client's session breaks; the server probes its address, finds nothing there, and removes it as
     * {@code disconnected} at once: within a second, where its lease would have lasted {@link #LEASE_TTL}.
     */
    @Test
    @Order(6)
    void dockerKill_clientOnASessionIsRemovedAsDisconnectedWithinOneSecond_othersPromoted() {
        var victim = compose.containers("client").getFirst();
        var address = compose.memberAddress(victim);
        var ranking = ranking();
        assertThat(ranking.members()).as("members before the kill").allSatisfy(member ->
                assertThat(member.session()).as("%s on a session", member.address()).isTrue());
        var before = RankServer.addressesOf(ranking);
        assertThat(before).contains(address);
        try (var events = ServerEvents.subscribe(http, compose.published(SERVER_PORT, "/api/v1/events"))) {
            await("events stream open").atMost(Duration.ofSeconds(5)).until(() -> !events.rankings().isEmpty());

            long typed = System.nanoTime();
            assertThat(compose.run(readme().line("docker kill $(docker compose ps -q client | head -n 1)")))
                    .contains(victim);
            long killed = System.nanoTime();

            await("ranking without " + address).atMost(DISCONNECTED).pollInterval(Duration.ofMillis(20))
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(addresses()).isEqualTo(without(before, address)));
            long removed = System.nanoTime();
            System.out.printf("docker kill: ranking without it %.2f s after docker kill returned "
                            + "(%.2f s after the command was typed; lease TTL %s)%n",
                    seconds(removed - killed), seconds(removed - typed), LEASE_TTL);

            serverLog.awaitPrinted("(disconnected " + address + ")", Duration.ofSeconds(5));
            await("the ranking event of its removal").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(events.rankings().stream().filter(event -> address.equals(event.address()))
                            .map(RankingEvent::reason))
                            .as("why %s left the ranking", address).containsExactly("disconnected"));
            assertThat(serverLog.printed("(expired " + address + ")")).as("%s expired", address).isFalse();
        }
    }

    /**
     * A paused client's lease lapses; once unpaused it registers again at the lowest rank, and does not execute the
     * deliveries that reached it while it was frozen (they wait, unread, in its socket). A round proves that only if
     * a delivery reached it while frozen (a client at rank 0 gets none): up to three rounds; the first leaves it at
     * the lowest rank, where every other client sends to it.
     */
    @Test
    @Order(7)
    void dockerPause_clientExpires_afterUnpauseRegistersAgainAtTheLowestRankAndRunsNothingSentWhileFrozen() {
        for (int round = 1; round <= 3; round++) {
            var sentWhileFrozen = pauseUntilExpired_thenUnpause();
            if (!sentWhileFrozen.isEmpty()) {
                return;
            }
            System.out.printf("docker pause, round %d: no delivery reached the frozen client; again%n", round);
        }
        throw new AssertionError("in three rounds, no delivery reached the paused client while it was frozen");
    }

    /** One pause and unpause; returns the IDs of the commands sent to the client while it was frozen. */
    private List<String> pauseUntilExpired_thenUnpause() {
        var victim = compose.containers("client").getLast();
        var address = compose.memberAddress(victim);
        var before = addresses();
        try (var events = ServerEvents.subscribe(http, compose.published(SERVER_PORT, "/api/v1/events"))) {
            await("events stream open").atMost(Duration.ofSeconds(5)).until(() -> !events.rankings().isEmpty());

            assertThat(compose.run(readme().line("docker pause $(docker compose ps -q client | tail -n 1)")))
                    .contains(victim);
            long paused = System.nanoTime();
            await("ranking without " + address).atMost(LEASE_TTL.plusSeconds(1)).pollInterval(Duration.ofMillis(50))
                    .ignoreExceptions()
                .untilAsserted(() -> assertThat(addresses()).isEqualTo(without(before, address)));
            System.out.printf("docker pause: expired after %.2f s (lease TTL %s)%n",
                    seconds(System.nanoTime() - paused), LEASE_TTL);
            serverLog.awaitPrinted("(expired " + address + ")", Duration.ofSeconds(5));
            // Every fan-out that tried it before it expired reports within the delivery timeout; it stays frozen.
            await().during(DELIVERY_TIMEOUT.plusMillis(500)).atMost(DELIVERY_TIMEOUT.plusSeconds(3))
                    .until(() -> compose.isPaused(victim));
            var sentWhileFrozen = events.commands().stream()
                    .filter(event -> event.failed().stream().anyMatch(failed -> failed.address().equals(address)))
                    .map(CommandEvent::commandId).toList();

            assertThat(compose.run(readme().line("docker unpause $(docker compose ps -q client | tail -n 1)"))).contains(victim);
            var rejoined = Stream.concat(without(before, address).stream(), Stream.of(address)).toList();
            await("registered again at the lowest rank").atMost(Duration.ofSeconds(15))
                    .ignoreExceptions()
                .untilAsserted(() -> assertThat(addresses()).isEqualTo(rejoined));

            // Once unpaused, the client reads them from its socket, past their deadline: it must refuse them (410).
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(executedCommandIds(victim))
                            .as("commands sent to the client while it was paused (each delivery timed out) must not "
                                    + "run once it is unpaused")
                            .doesNotContainAnyElementsOf(sentWhileFrozen));
            return sentWhileFrozen;
        }
    }

    @Test
    @Order(8)
    void down_leavesNothingRunning() {
        compose.run(readme().line("docker compose down"));
        assertThat(compose.allContainers()).as("containers of the project").isEmpty();
    }

    private void awaitMembersAreTheClientContainers(int count) {
        // Ignores failed requests too: the server may still be starting (up returns once the containers run).
        await(count + " clients ranked, each at its container's IP").atMost(START).ignoreExceptions()
                .untilAsserted(() -> {
                    var clients = compose.containers("client");
                    assertThat(clients).hasSize(count);
                    assertThat(addresses()).containsExactlyInAnyOrderElementsOf(
                            clients.stream().map(compose::memberAddress).toList());
                });
    }

    /** Every member the server lists is on a session with it, as a client is right after it registers. */
    private void awaitEveryMemberOnASession() {
        long start = System.nanoTime();
        await("every member on a session").atMost(SESSION_OPEN).ignoreExceptions().untilAsserted(() ->
                assertThat(ranking().members()).isNotEmpty().allSatisfy(member ->
                        assertThat(member.session()).as("%s on a session", member.address()).isTrue()));
        System.out.printf("every member on a session after %.2f s more%n", seconds(System.nanoTime() - start));
    }

    /** Member addresses by rank, as the server lists them through the published port. */
    private List<String> addresses() {
        return RankServer.addressesOf(ranking());
    }

    private Ranking ranking() {
        return http.get(compose.published(SERVER_PORT, "/api/v1/members"), Ranking.class);
    }

    private List<String> executedCommandIds(String client) {
        return http.mapper().readValue(compose.getInside(client, "/api/v1/commands"), EXECUTED).stream()
                .map(ExecutedCommand::commandId).toList();
    }

    private String body(String path) {
        var uri = compose.published(SERVER_PORT, path);
        try {
            var response = http.client().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET " + uri).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> without(List<String> addresses, String address) {
        return addresses.stream().filter(member -> !member.equals(address)).toList();
    }

    private static ReadmeCommands readme() {
        return compose.readme();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}

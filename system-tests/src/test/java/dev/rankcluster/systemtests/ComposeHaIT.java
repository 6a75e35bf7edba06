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
import java.util.concurrent.atomic.AtomicLong;

import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.Ranking;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's {@code ha} profile as a user runs it: two rank servers behind the balancer, clients that go through
 * it. What a user relies on: one ranking whichever server answers, and a server crash that callers do not notice.
 * Each client keeps its session (a WebSocket, docs/sessions.md) with one server through the balancer, and opens
 * it again with the other when its server dies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ComposeHaIT {

    private static final String BALANCER_PORT = "RANK_BALANCER_PORT";

    /** The servers' lease TTL (the default): a member whose renewals stopped would be gone after it. */
    private static final Duration LEASE_TTL = Duration.ofSeconds(10);

    /** The balancer's connect timeout to a server (2 s), and a margin for two busy cores. */
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(5);

    /** What a client behind the balancer logs once its session is open (its first server URL is the balancer). */
    private static final String SESSION_THROUGH_THE_BALANCER = "Session opened with http://balancer:8080";

    private static final List<String> SERVERS = List.of("server-a", "server-b");

    @RegisterExtension
    static final ComposeProject compose = new ComposeProject("rankci-ha", Map.of()).withFreePort(BALANCER_PORT);

    private final JsonHttp http = new JsonHttp();

    @Test
    @Order(1)
    void upHaProfile_bothServersShowOneRankingThroughTheBalancer() {
        long start = System.nanoTime();
        compose.run(compose.readme().lineStartingWith("docker compose --profile ha up"), ComposeProject.BUILD);
        await("3 clients ranked through the balancer").atMost(Duration.ofMinutes(3)).ignoreExceptions().untilAsserted(() -> {
            var clients = compose.containers("ha-client");
            assertThat(clients).hasSize(3);
            assertThat(balancerAddresses()).containsExactlyInAnyOrderElementsOf(
                    clients.stream().map(compose::memberAddress).toList());
        });
        System.out.printf("ha profile: %.1f s from up to 3 clients ranked%n", (System.nanoTime() - start) / 1e9);

        var ranking = balancerAddresses();
        for (var server : SERVERS) {
            await(server + " lists the same ranking").atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(RankServer.addressesOf(rankingOf(server))).isEqualTo(ranking));
        }
    }

    /**
     * Each client's session went through the balancer (nginx passes the WebSocket upgrade), and is with one of
     * the servers: the one that lists it with {@code "session": true}.
     */
    @Test
    @Order(2)
    void everyClientHasASessionThroughTheBalancer_withOneServer() {
        var clients = compose.containers("ha-client");
        await("every client's session open through the balancer").atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                assertThat(clients).allSatisfy(client -> assertThat(compose.run("docker logs " + client))
                        .as("log of %s", client).contains(SESSION_THROUGH_THE_BALANCER)));
        var expected = clients.stream().map(compose::memberAddress).toList();
        await("each client on a session with one server").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(onASession(SERVERS)).containsExactlyInAnyOrderElementsOf(expected));
        for (var server : SERVERS) {
            System.out.printf("ha profile: %s holds the sessions of %s%n", server, onASession(List.of(server)));
        }
    }

    @Test
    @Order(3)
    void killServerA_requestsKeepAnswering_noMemberLost_sessionsMoveToServerB() {
        var ranking = balancerAddresses();
        compose.run(compose.readme().line("docker compose kill server-a"));

        // Every request through the balancer answers, with every member, for longer than a lease lasts. A request
        // that the balancer first sends to the dead server waits for its connect timeout (2 s) before the other
        // server answers it, hence the longer timeout here.
        var slowest = new AtomicLong();
        await().during(LEASE_TTL.plusSeconds(2)).atMost(LEASE_TTL.plusSeconds(10)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    long start = System.nanoTime();
                    assertThat(balancerAddresses(FAILOVER_TIMEOUT)).isEqualTo(ranking);
                    slowest.accumulateAndGet(System.nanoTime() - start, Math::max);
                });
        System.out.printf("ha profile, server-a killed: every request answered, the slowest in %.2f s%n",
                slowest.get() / 1e9);

        // The clients whose session was with server-a opened it again, through the balancer, with server-b.
        await("every client on a session with server-b").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .untilAsserted(() -> assertThat(onASession(List.of("server-b")))
                        .containsExactlyInAnyOrderElementsOf(ranking));
    }

    /** The ranking as {@code server} lists it (asked inside its container: the servers publish no port). */
    private Ranking rankingOf(String server) {
        var container = compose.containers(server).getFirst();
        return http.mapper().readValue(compose.getInside(container, "/api/v1/members"), Ranking.class);
    }

    /** The addresses of the members on a session with one of {@code servers}. */
    private List<String> onASession(List<String> servers) {
        return servers.stream().flatMap(server -> rankingOf(server).members().stream())
                .filter(RankedMember::session).map(RankedMember::address).toList();
    }

    private List<String> balancerAddresses() {
        return balancerAddresses(Duration.ofSeconds(2));
    }

    private List<String> balancerAddresses(Duration timeout) {
        var uri = compose.published(BALANCER_PORT, "/api/v1/members");
        try {
            var response = http.client().send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET " + uri).isEqualTo(200);
            return RankServer.addressesOf(http.mapper().readValue(response.body(), Ranking.class));
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package dev.rankcluster.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.Ranking;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Two rank servers sharing one real Redis ({@code rank.server.store=redis}) and real clients that know both:
 * what one server changes the other shows, commands cross servers, leases are reaped once, Redis may lose its
 * data, and a server killed with SIGKILL costs no client its rank. One cluster, its steps in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HighAvailabilityIT {

    private static final Duration LEASE_TTL = Duration.ofSeconds(4);
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final String TOKEN = Cluster.randomToken();

    private static final JsonHttp http = new JsonHttp();
    private static final List<JavaProcess> processes = new CopyOnWriteArrayList<>();
    private static RedisProcess redis;
    private static RankServer a;
    private static RankServer b;
    private static RankClient sender;
    private static List<RankClient> throughA;

    @RegisterExtension
    static final TestWatcher printOutputsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            for (var process : processes) {
                var output = process.output();
                System.out.printf("---- %s, %s%n%s%n", process.name(), process.describeExit(),
                        String.join("\n", output.subList(Math.max(0, output.size() - 150), output.size())));
            }
        }
    };

    @BeforeAll
    static void startRedisServersAndClients() {
        redis = RedisProcess.startOnFreePort();
        var serverA = startServer("server-a");
        var serverB = startServer("server-b");
        a = awaitHealthy(serverA);
        b = awaitHealthy(serverB);
        // The sender registers, and sends, through B first; the others through A first. It sends seldom enough
        // that a killed client's lease lapses before three failed deliveries would remove it as unreachable.
        sender = startClient("client-1", List.of(b, a), "--rank.client.send-enabled=true",
                "--rank.client.send-interval-min=3s", "--rank.client.send-interval-max=4s",
                "--rank.client.commands=via-b");
        await("client-1 ranked").atMost(STARTUP).until(() -> b.addresses().contains(sender.address()));
        throughA = List.of(startClient("client-2", List.of(a, b)), startClient("client-3", List.of(a, b)));
        await("clients 2 and 3 ranked").atMost(STARTUP).until(() -> a.addresses().size() == 3);
    }

    @AfterAll
    static void stopEverything() {
        processes.forEach(JavaProcess::close);
        if (redis != null) {
            redis.stop();
        }
    }

    @Test
    @Order(1)
    void registeredThroughA_listedByBWithSameRanksAndEpoch() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(b.sharedRanking()).isEqualTo(a.sharedRanking()));
        assertThat(b.addresses().getFirst()).isEqualTo(sender.address());
        assertThat(b.addresses()).containsExactlyInAnyOrder(sender.address(), throughA.get(0).address(),
                throughA.get(1).address());
        for (var client : throughA) {
            assertThat(client.process().output()).anyMatch(line ->
                    line.contains("with the rank server at http://127.0.0.1:" + a.port()));
        }
    }

    @Test
    @Order(2)
    void commandSentThroughB_reachesMembersRegisteredThroughA() {
        for (var client : throughA) {
            await().atMost(Duration.ofSeconds(15)).until(() -> !client.executed("via-b").isEmpty());
        }
        assertThat(b.process().output()).anyMatch(line -> line.contains("'via-b' from " + sender.address()));
        assertThat(a.process().output()).noneMatch(line -> line.contains("'via-b'"));
    }

    @Test
    @Order(3)
    void clientKilled_removedOnceAsDisconnectedByTheServerOfItsSession() {
        var killed = throughA.get(1);
        long epochBefore = b.ranking().epoch();

        killed.process().kill();

        await().atMost(Duration.ofSeconds(2)).until(() -> !b.addresses().contains(killed.address()));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(a.sharedRanking()).isEqualTo(b.sharedRanking()));
        assertThat(b.ranking().epoch()).as("one removal, one epoch").isEqualTo(epochBefore + 1);
        for (var server : List.of(a, b)) {
            assertThat(server.process().linesContaining("(disconnected " + killed.address() + ")"))
                    .as("%s logs the removal once", server.process().name()).isEqualTo(1);
        }
    }

    @Test
    @Order(4)
    void redisRestartedEmpty_503WhileDownThenEveryLiveClientRankedAgain() throws Exception {
        var live = List.of(sender.address(), throughA.get(0).address());
        redis.stop();
        try {
            HttpResponse<String> refused = register(b);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("/problems/service-unavailable");
            assertThat(http.status(a.uri("/actuator/health"))).isEqualTo(503);
        } finally {
            redis.start();
        }

        // Until Lettuce has reconnected, the servers still answer 503: keep asking.
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(b.addresses()).containsExactlyInAnyOrderElementsOf(live);
            assertThat(a.sharedRanking()).isEqualTo(b.sharedRanking());
        });
        assertThat(http.status(a.uri("/actuator/health"))).isEqualTo(200);
    }

    @Test
    @Order(5)
    void serverAKilled_clientsFailOverToBAndKeepTheirRanks() {
        Ranking before = b.sharedRanking();

        a.process().kill();

        await().during(LEASE_TTL.multipliedBy(2)).atMost(LEASE_TTL.multipliedBy(3))
                .untilAsserted(() -> assertThat(b.sharedRanking()).isEqualTo(before));
        var client = throughA.get(0);
        assertThat(client.process().output()).anyMatch(line -> line.contains("Failed over to the rank server at http://127.0.0.1:" + b.port()));
        assertThat(before.members()).extracting(RankedMember::address)
                .containsExactlyInAnyOrder(sender.address(), client.address());
    }


    private static HttpResponse<String> register(RankServer server) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(server.uri("/api/v1/members")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"port\": 9999}")).build();
        return http.client().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static RankServer startServer(String name) {
        int port = Cluster.freePort();
        var process = JavaProcess.start(name, Cluster.jar("rank.server.jar"), List.of(
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--rank.server.lease-ttl=" + LEASE_TTL.toMillis() + "ms",
                "--rank.cluster.token=" + TOKEN,
                "--rank.server.store=redis",
                "--spring.data.redis.host=127.0.0.1",
                "--spring.data.redis.port=" + redis.port()));
        processes.add(process);
        return new RankServer(process, port, http);
    }

    private static RankServer awaitHealthy(RankServer server) {
        await(server.process().name() + " healthy").atMost(STARTUP).until(() -> {
            assertThat(server.process().isAlive()).as("%s runs", server.process().name()).isTrue();
            return server.isHealthy();
        });
        return server;
    }

    private static RankClient startClient(String name, List<RankServer> servers, String... overrides) {
        int port = Cluster.freePort();
        var arguments = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--rank.client.server-url=" + String.join(",",
                        servers.stream().map(server -> "http://127.0.0.1:" + server.port()).toList()),
                "--rank.cluster.token=" + TOKEN));
        if (overrides.length == 0) {
            arguments.add("--rank.client.send-enabled=false");
        }
        arguments.addAll(List.of(overrides));
        var process = JavaProcess.start(name, Cluster.jar("rank.client.jar"), arguments);
        processes.add(process);
        return new RankClient(process, port, http);
    }

}

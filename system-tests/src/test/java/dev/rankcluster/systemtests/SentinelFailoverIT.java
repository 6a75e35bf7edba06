package dev.rankcluster.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.Ranking;
import dev.rankcluster.model.RankingEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import tools.jackson.databind.JsonNode;

/**
 * Two rank servers that find Redis through three real {@code redis-sentinel}s, a primary with two replicas, and
 * three real clients that heartbeat and send commands. Server B waits for one replica on every change
 * ({@code rank.server.redis.min-replicas-acknowledged=1}), server A does not. One set-up, its steps in order:
 * a restarted server's first snapshot, a failover, the old primary rejoining, and a failover to replicas that
 * lagged behind.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SentinelFailoverIT {

    private static final String MASTER = "mymaster";
    private static final Duration DOWN_AFTER = Duration.ofSeconds(1);
    private static final Duration SERVED_AGAIN_WITHIN = Duration.ofSeconds(10);
    private static final Duration LEASE_TTL = Duration.ofSeconds(8);
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final String TOKEN = Cluster.randomToken();
    private static final String ADMIN_TOKEN = Cluster.randomToken();
    private static final AtomicInteger probePorts = new AtomicInteger(20_000);

    private static final JsonHttp http = new JsonHttp();
    private static final List<JavaProcess> processes = new CopyOnWriteArrayList<>();
    private static final List<RedisProcess> redisNodes = new CopyOnWriteArrayList<>();
    private static final List<RedisProcess> sentinels = new CopyOnWriteArrayList<>();
    private static Path sentinelDir;
    private static RankServer a;
    private static RankServer b;
    private static List<RankClient> clients;

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
    static void startRedisSentinelsServersAndClients() throws IOException {
        var primary = RedisProcess.startOnFreePort();
        redisNodes.add(primary);
        redisNodes.add(RedisProcess.startReplicaOf(primary));
        redisNodes.add(RedisProcess.startReplicaOf(primary));
        sentinelDir = Files.createTempDirectory("sentinels");
        for (int i = 0; i < 3; i++) {
            sentinels.add(RedisProcess.startSentinel(primary, MASTER, DOWN_AFTER, sentinelDir));
        }
        await("the sentinels know each other and both replicas").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> sentinels.stream().allMatch(sentinel -> {
                    var fields = sentinel.call("SENTINEL", "MASTER", MASTER);
                    return "2".equals(field(fields, "num-other-sentinels")) && "2".equals(field(fields, "num-slaves"));
                }));
        a = startServer("server-a", Cluster.freePort(), 0);
        b = startServer("server-b", Cluster.freePort(), 1);
        awaitHealthy(a);
        awaitHealthy(b);
        // The sender registers first, so that it outranks the other two and its commands reach them.
        var sender = startClient("client-1", List.of(b, a), "--rank.client.send-enabled=true",
                "--rank.client.send-interval-min=1s", "--rank.client.send-interval-max=2s", "--rank.client.commands=go");
        await("client-1 ranked").atMost(STARTUP).until(() -> b.addresses().contains(sender.address()));
        clients = List.of(sender, startClient("client-2", List.of(a, b)), startClient("client-3", List.of(b, a)));
        await("three clients ranked").atMost(STARTUP).ignoreExceptions()
                .untilAsserted(() -> assertThat(liveAddresses()).hasSize(3));
    }

    @AfterAll
    static void stopEverything() {
        processes.forEach(JavaProcess::close);
        sentinels.forEach(RedisProcess::kill);
        redisNodes.forEach(RedisProcess::kill);
    }

    /**
     * While server A restarts, server B changes the ranking every 250 ms: the first snapshot a new watcher of A
     * gets right after A starts is at least at the epoch B had when the watcher subscribed.
     */
    @Test
    @Order(1)
    void restartedServer_newWatchersFirstSnapshotIsCurrent() throws Exception {
        var changing = new AtomicBoolean(true);
        var changer = Thread.ofVirtual().start(() -> {
            while (changing.get()) {
                try {
                    var probe = register(b, probePorts.incrementAndGet());
                    if (probe.statusCode() == 201) {
                        Thread.sleep(250);
                        leave(b, json(probe));
                    }
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    // the next round tries again
                }
            }
        });
        try {
            a.process().terminate();
            assertThat(a.process().awaitExit(Duration.ofSeconds(30))).isTrue();
            a = startServer("server-a-restarted", a.port(), 0);
            await("server A listens").atMost(STARTUP).pollInterval(Duration.ofMillis(5)).until(() -> listens(a.port()));

            long epochOfB = b.ranking().epoch();
            try (var watcher = a.subscribeToEvents()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !watcher.rankings().isEmpty());
                RankingEvent first = watcher.rankings().getFirst();
                assertThat(first.reason()).isEqualTo("snapshot");
                assertThat(first.epoch()).as("the first snapshot's epoch (B was at %d)", epochOfB)
                        .isGreaterThanOrEqualTo(epochOfB);
            }
        } finally {
            changing.set(false);
            changer.join(Duration.ofSeconds(10));
        }
        awaitHealthy(a);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(liveAddresses()).hasSize(3));
    }

    /**
     * SIGKILL of the primary while the clients heartbeat and send commands: Sentinel promotes a replica, both
     * servers serve reads and writes again within 10 s, answering nothing but 503 meanwhile, and the ranking is
     * exactly the live clients.
     */
    @Test
    @Order(2)
    void primaryKilled_bothServersServeAgainWithin10sAndTheRankingIsTheLiveClients() throws Exception {
        var clientAddresses = clients.stream().map(RankClient::address).toList();
        var statuses = new ConcurrentHashMap<Integer, Integer>();
        var polling = new AtomicBoolean(true);
        var poller = Thread.ofVirtual().start(() -> pollStatuses(polling, statuses));
        try {
            var primary = currentPrimary();
            long killedAt = System.nanoTime();
            primary.kill();

            await("both servers serve again").atMost(SERVED_AGAIN_WITHIN).pollInterval(Duration.ofMillis(100))
                    .until(() -> servesReadsAndWrites(a) && servesReadsAndWrites(b));
            long servedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
            System.out.printf("Both servers served reads and writes again %d ms after the primary was killed%n",
                    servedAfterMs);
            assertThat(currentPrimary()).isNotSameAs(primary);
        } finally {
            polling.set(false);
            poller.join(Duration.ofSeconds(5));
        }
        assertThat(statuses.keySet()).as("statuses seen during the failover: %s", statuses)
                .allMatch(status -> status < 500 || status == 503);
        await().atMost(LEASE_TTL.plusSeconds(5)).ignoreExceptions().untilAsserted(() -> {
            assertThat(liveAddresses()).containsExactlyInAnyOrderElementsOf(clientAddresses);
            assertThat(a.sharedRanking()).isEqualTo(b.sharedRanking());
        });
        var executedBefore = executedCommandIds();
        await("commands reach both lower ranks again").atMost(Duration.ofSeconds(20)).until(() ->
                clients.subList(1, 3).stream().allMatch(client -> client.executed("go").stream()
                        .anyMatch(executed -> !executedBefore.contains(executed.commandId()))));
    }

    /** The killed primary starts again, empty: Sentinel makes it a replica of the new primary, the ranking stays. */
    @Test
    @Order(3)
    void oldPrimaryRestarted_rejoinsAsReplicaAndNothingChangesForMembers() {
        var oldPrimary = redisNodes.stream().filter(node -> !answers(node)).findFirst().orElseThrow();
        var primary = currentPrimary();
        Ranking before = b.sharedRanking();

        oldPrimary.start();

        await("the old primary replicates the new one").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(oldPrimary.replicationInfo("role")).isEqualTo("slave");
            assertThat(oldPrimary.replicationInfo("master_port")).isEqualTo(Integer.toString(primary.port()));
            assertThat(oldPrimary.replicationInfo("master_link_status")).isEqualTo("up");
        });
        assertThat(currentPrimary()).isSameAs(primary);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(a.sharedRanking()).isEqualTo(before);
            assertThat(b.sharedRanking()).isEqualTo(before);
        });
    }

    /**
     * Both replicas stop replicating, then the primary dies: Sentinel promotes a replica that lacks the last
     * changes. What server A acknowledged meanwhile is lost, and the servers notice: watchers get a fresh snapshot,
     * a lost member's next heartbeat gets 404 and it registers again, and the ranking converges to exactly the live
     * members. Server B, which waits for a replica, acknowledged none of its registrations meanwhile (503), and
     * every registration it did acknowledge survives.
     */
    @Test
    @Order(4)
    void replicasLagWhenThePrimaryDies_lostChangesNoticedAndRepaired_acknowledgedByBNeverLost() throws Exception {
        var clientAddresses = clients.stream().map(RankClient::address).toList();
        var primary = currentPrimary();
        var replicas = redisNodes.stream().filter(node -> node != primary && answers(node)).toList();
        var acknowledgedByA = new CopyOnWriteArrayList<JsonNode>();
        var acknowledgedByB = new CopyOnWriteArrayList<JsonNode>();
        var statusesOfB = new ConcurrentHashMap<Integer, Integer>();
        try (var watcher = b.subscribeToEvents()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !watcher.rankings().isEmpty());
            acknowledgedByB.add(json(registerExpecting(b, 201)));

            replicas.forEach(SentinelFailoverIT::stopReplicating);
            for (int i = 0; i < 3; i++) {
                acknowledgedByA.add(json(registerExpecting(a, 201)));
                var throughB = register(b, probePorts.incrementAndGet());
                statusesOfB.merge(throughB.statusCode(), 1, Integer::sum);
                if (throughB.statusCode() == 201) {
                    acknowledgedByB.add(json(throughB));
                }
            }
            int eventsBeforeLoss = watcher.rankings().size();
            var rereadsBeforeLoss = List.of(rereads(a), rereads(b));
            long killedAt = System.nanoTime();
            primary.kill();
            replicas.forEach(SentinelFailoverIT::resumeReplicating);

            await("both servers serve again").atMost(SERVED_AGAIN_WITHIN.multipliedBy(2))
                    .pollInterval(Duration.ofMillis(100)).until(() -> servesReadsAndWrites(a) && servesReadsAndWrites(b));
            System.out.printf("After the lagging failover both servers served reads and writes again %d ms after the kill%n",
                    (System.nanoTime() - killedAt) / 1_000_000);
            assertThat(statusesOfB).as("B does not acknowledge what no replica holds").containsOnlyKeys(503);

            await("both servers read the ranking again").atMost(Duration.ofSeconds(10))
                    .until(() -> rereads(a) > rereadsBeforeLoss.get(0) && rereads(b) > rereadsBeforeLoss.get(1));
            var lostAddresses = acknowledgedByA.stream().map(member -> member.path("address").asString()).toList();
            await("B's watcher gets a snapshot without the lost members").atMost(Duration.ofSeconds(10)).until(() ->
                    watcher.rankings().stream().anyMatch(event -> event.reason().equals("snapshot")
                            && event.members().stream().map(RankedMember::address).noneMatch(lostAddresses::contains)
                            && event.members().stream().map(RankedMember::address).toList().containsAll(clientAddresses)));
            for (var lost : acknowledgedByA) {
                assertThat(heartbeat(a, lost).statusCode()).as("heartbeat of %s, lost in the failover", lost).isEqualTo(404);
                var again = register(a, lost.path("address").asString().split(":")[1]);
                assertThat(again.statusCode()).isEqualTo(201);
                leave(a, json(again));
            }
            for (var kept : acknowledgedByB) {
                assertThat(heartbeat(b, kept).statusCode()).as("heartbeat of %s, acknowledged by B", kept).isEqualTo(200);
                leave(b, kept);
            }
            await().atMost(LEASE_TTL.plusSeconds(5)).ignoreExceptions().untilAsserted(() -> {
                assertThat(liveAddresses()).containsExactlyInAnyOrderElementsOf(clientAddresses);
                assertThat(a.sharedRanking()).isEqualTo(b.sharedRanking());
            });
            var events = watcher.rankings();
            var afterSnapshot = events.subList(eventsBeforeLoss, events.size()).stream()
                    .dropWhile(event -> !event.reason().equals("snapshot")
                            || event.members().stream().map(RankedMember::address).anyMatch(lostAddresses::contains))
                    .map(RankingEvent::epoch).toList();
            assertThat(afterSnapshot).as("epochs after the snapshot of the promoted replica").isSorted()
                    .doesNotHaveDuplicates().hasSizeGreaterThan(1);
            assertThat(events.stream().map(RankingEvent::epoch).toList())
                    .as("a watcher's epochs never step back, the loss included").isSorted();
        }
    }

    /** Cuts a replica off its primary: it offers a password ({@code masterauth}) that the primary refuses. */
    private static void stopReplicating(RedisProcess replica) {
        replica.call("CONFIG", "SET", "masterauth", "not-the-primary's-password");
        replica.call("CLIENT", "KILL", "TYPE", "master");
        await().atMost(Duration.ofSeconds(5)).until(() -> replica.replicationInfo("master_link_status").equals("down"));
    }

    private static void resumeReplicating(RedisProcess replica) {
        replica.call("CONFIG", "SET", "masterauth", "");
    }

    private static RedisProcess currentPrimary() {
        for (var sentinel : sentinels) {
            try {
                var address = sentinel.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER);
                int port = Integer.parseInt(address.get(1));
                return redisNodes.stream().filter(node -> node.port() == port).findFirst().orElseThrow();
            } catch (RuntimeException sentinelAway) {
                // ask the next one
            }
        }
        throw new IllegalStateException("no sentinel answers");
    }

    private static Set<String> executedCommandIds() {
        return clients.stream().flatMap(client -> client.executedCommands().stream())
                .map(executed -> executed.commandId()).collect(Collectors.toSet());
    }

    private static long rereads(RankServer server) {
        return server.process().linesContaining("Read the ranking from Redis again");
    }

    private static boolean answers(RedisProcess node) {
        return listens(node.port());
    }

    private static String field(List<String> flattened, String name) {
        int index = flattened.indexOf(name);
        return index < 0 || index + 1 >= flattened.size() ? null : flattened.get(index + 1);
    }

    /** The ranking through both servers, once they agree; the addresses of the members by rank. */
    private static List<String> liveAddresses() {
        var ranking = b.sharedRanking();
        assertThat(a.sharedRanking()).isEqualTo(ranking);
        return RankServer.addressesOf(ranking);
    }


    /** A listing and a registration (then its removal) both succeed. */
    private static boolean servesReadsAndWrites(RankServer server) {
        try {
            if (http.status(server.uri("/api/v1/members")) != 200) {
                return false;
            }
            var probe = register(server, probePorts.incrementAndGet());
            if (probe.statusCode() != 201) {
                return false;
            }
            leave(server, json(probe));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void pollStatuses(AtomicBoolean polling, Map<Integer, Integer> statuses) {
        while (polling.get()) {
            for (var server : List.of(a, b)) {
                try {
                    statuses.merge(http.status(server.uri("/api/v1/members")), 1, Integer::sum);
                } catch (RuntimeException e) {
                    statuses.merge(-1, 1, Integer::sum); // no answer at all
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static HttpResponse<String> registerExpecting(RankServer server, int status) throws IOException {
        var response = register(server, probePorts.incrementAndGet());
        assertThat(response.statusCode()).as("registration through %s: %s", server.process().name(), response.body())
                .isEqualTo(status);
        return response;
    }

    private static HttpResponse<String> register(RankServer server, Object port) throws IOException {
        return send(HttpRequest.newBuilder(server.uri("/api/v1/members"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString("{\"port\": %s}".formatted(port))));
    }

    private static HttpResponse<String> heartbeat(RankServer server, JsonNode member) throws IOException {
        return send(HttpRequest.newBuilder(server.uri("/api/v1/members/" + member.path("id").asString() + "/lease"))
                .header("X-Lease-Token", member.path("leaseToken").asString())
                .PUT(HttpRequest.BodyPublishers.noBody()));
    }

    private static void leave(RankServer server, JsonNode member) throws IOException {
        send(HttpRequest.newBuilder(server.uri("/api/v1/members/" + member.path("id").asString()))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).DELETE());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException {
        try {
            return http.client().send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        return http.mapper().readTree(response.body());
    }

    private static RankServer startServer(String name, int port, int minReplicasAcknowledged) {
        var process = JavaProcess.start(name, Cluster.jar("rank.server.jar"), List.of(
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--rank.server.lease-ttl=" + LEASE_TTL.toMillis() + "ms",
                "--rank.cluster.token=" + TOKEN,
                "--rank.server.admin-token=" + ADMIN_TOKEN,
                "--rank.server.store=redis",
                "--rank.server.redis.min-replicas-acknowledged=" + minReplicasAcknowledged,
                "--spring.data.redis.sentinel.master=" + MASTER,
                "--spring.data.redis.sentinel.nodes=" + String.join(",",
                        sentinels.stream().map(RedisProcess::address).toList())));
        processes.add(process);
        return new RankServer(process, port, http);
    }

    private static void awaitHealthy(RankServer server) {
        await(server.process().name() + " healthy").atMost(STARTUP).until(() -> {
            assertThat(server.process().isAlive()).as("%s runs", server.process().name()).isTrue();
            return server.isHealthy();
        });
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

    private static boolean listens(int port) {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

}

package dev.rankcluster.systemtests;

import static dev.rankcluster.systemtests.Cluster.without;
import static java.util.stream.Collectors.toMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.function.Function;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What happens to the server process: a restart on the same port, and a freeze longer than the lease TTL
 * (a long GC, a suspended VM). The clients must get through both with no manual step, and a server that was
 * frozen must not blame its clients for its own pause.
 */
class ServerFaultsIT {

    /** Short, so that the freeze is quick; long enough that a client starved of CPU for a second keeps its lease. */
    private static final Duration LEASE_TTL = Duration.ofSeconds(3);
    private static final String LEASE_LOST = "Lease lost (";
    private static final String FORGOTTEN = "Lease lost (the server does not know this client: it restarted or lost its store), registering again";

    @RegisterExtension
    static final Cluster cluster = new Cluster(LEASE_TTL);

    @BeforeAll
    static void startServerAndClients() {
        cluster.startServer();
        cluster.startClients(3);
    }

    @BeforeEach
    void threeRankedClients() {
        cluster.ensureLiveClients(3);
        var live = cluster.liveClients().stream().map(RankClient::address).toList();
        await().atMost(LEASE_TTL.plusSeconds(2)).untilAsserted(() ->
                assertThat(cluster.server().addresses()).containsExactlyInAnyOrderElementsOf(live));
    }

    @Test
    void restart_onTheSamePort_everyClientRegistersAgain() {
        var clients = cluster.liveClients();
        var lostLeases = clients.stream().collect(toMap(Function.identity(), c -> c.process().linesContaining(FORGOTTEN)));

        var restarted = cluster.restartServer();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(restarted.addresses())
                .containsExactlyInAnyOrderElementsOf(clients.stream().map(RankClient::address).toList()));
        for (var client : clients) {
            client.process().awaitPrinted(FORGOTTEN, lostLeases.get(client) + 1, Duration.ofSeconds(5));
        }
    }

    @Test
    void freezeLongerThanTheLeaseTtl_noClientLosesItsRank_clientKilledMeanwhileRemovedAfterwards() {
        var server = cluster.server();
        try (var events = server.subscribeToEvents()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> !events.rankings().isEmpty());
            var ranking = server.ranking();
            long epochBefore = ranking.epoch();
            var before = RankServer.addressesOf(ranking);
            var victim = cluster.client(before.get(1));
            var survivors = cluster.liveClients().stream().filter(client -> client != victim).toList();
            var lostLeases = survivors.stream()
                    .collect(toMap(Function.identity(), c -> c.process().linesContaining(LEASE_LOST)));

            server.process().freeze();
            victim.process().kill();
            var frozenFor = LEASE_TTL.plusSeconds(1);
            await("server frozen for " + frozenFor).during(frozenFor).atMost(frozenFor.plusSeconds(2))
                    .until(server.process()::isFrozen);
            server.process().resume();

            // Only the killed client goes: its session broke while the server was frozen, and once the server
            // runs again nothing answers at its address. No one else is removed or has to register again.
            await().atMost(LEASE_TTL.plusSeconds(3)).until(() -> !events.rankingsAfter(epochBefore).isEmpty());
            await("the killed client's removal, then no change for one lease TTL")
                    .during(LEASE_TTL).atMost(LEASE_TTL.plusSeconds(2))
                    .untilAsserted(() -> assertThat(events.rankingsAfter(epochBefore)).extracting(RankingChange::from)
                            .containsExactly(RankingChange.of(victim, "disconnected")));
            assertThat(server.addresses()).isEqualTo(without(before, victim));
            for (var survivor : survivors) {
                assertThat(survivor.process().linesContaining(LEASE_LOST)).as("%s kept its lease", survivor)
                        .isEqualTo(lostLeases.get(survivor));
            }
        }
    }
}

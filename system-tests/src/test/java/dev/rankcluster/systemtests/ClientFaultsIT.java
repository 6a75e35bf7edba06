package dev.rankcluster.systemtests;

import static dev.rankcluster.systemtests.Cluster.without;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a container runtime does to client processes: {@code docker stop} (SIGTERM), {@code docker kill}
 * (SIGKILL), {@code docker pause} or a long GC (SIGSTOP, then SIGCONT). The tests share one server; each starts
 * from three ranked clients, starting new ones for those a previous test stopped, and hits the middle one so
 * that the one below it must be promoted.
 */
class ClientFaultsIT {

    /** What a frozen client says once it runs again: the server tells it why its lease is gone. */
    private static final String EXPIRED_LEASE = "Lease lost (it expired: no heartbeat reached the server within the lease TTL), registering again";

    /** Short, so that expiries come quickly; long enough that a client starved of CPU for a second keeps its lease. */
    private static final Duration LEASE_TTL = Duration.ofSeconds(3);

    /** The contract's bound for a silent client (one TTL + 1 s), plus a second for polling on busy cores. */
    private static final Duration EXPIRY = LEASE_TTL.plusSeconds(2);

    @RegisterExtension
    static final Cluster cluster = new Cluster(LEASE_TTL);

    private static RankServer server;

    private ServerEvents events;
    private List<String> before;
    private long epochBefore;
    private RankClient victim;
    private RankClient below;

    @BeforeAll
    static void startServer() {
        server = cluster.startServer();
    }

    @BeforeEach
    void threeRankedClients() {
        cluster.ensureLiveClients(3);
        var live = cluster.liveClients().stream().map(RankClient::address).toList();
        await().atMost(EXPIRY).untilAsserted(() -> assertThat(server.addresses()).containsExactlyInAnyOrderElementsOf(live));
        events = server.subscribeToEvents();
        await().atMost(Duration.ofSeconds(5)).until(() -> !events.rankings().isEmpty());
        var ranking = server.ranking();
        epochBefore = ranking.epoch();
        before = RankServer.addressesOf(ranking);
        victim = cluster.client(before.get(1));
        below = cluster.client(before.get(2));
    }

    @AfterEach
    void stopWatchingAndThaw() {
        if (events != null) {
            events.close();
        }
        if (victim != null && victim.process().isFrozen()) {
            victim.process().resume();
        }
    }

    @Test
    void sigterm_clientLeavesTheRankingWithinTwoSeconds_othersDense() {
        victim.process().terminate();

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(server.addresses()).isEqualTo(without(before, victim)));
        assertThat(victim.process().awaitExit(Duration.ofSeconds(10))).as("exited after SIGTERM").isTrue();
        awaitChanges(RankingChange.of(victim, "left"));
    }

    /** Its session breaks with the process, and nothing answers at its address: removed at once, not at the TTL. */
    @Test
    void sigkill_clientOnASession_removedAsDisconnectedWithinOneSecond_lowerRankPromoted() {
        long promotions = below.process().linesContaining("Promoted to rank 1");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.ranking().members().stream()
                .allMatch(member -> member.session()));
        victim.process().kill();

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(server.addresses()).isEqualTo(without(before, victim)));
        awaitChanges(RankingChange.of(victim, "disconnected"));
        below.process().awaitPrinted("Promoted to rank 1", promotions + 1, LEASE_TTL);
    }

    /** A frozen client's connection stays open, but it renews nothing: the lease rule applies, never sooner. */
    @Test
    void sigstop_frozenClientEvicted_afterSigcontRegistersAgainAtTheLowestRank() {
        long lostLeases = victim.process().linesContaining(EXPIRED_LEASE);
        victim.process().freeze();

        // Renewed at most a third of a TTL before the freeze, so listed for at least two thirds of one after it.
        await().during(LEASE_TTL.multipliedBy(2).dividedBy(3).minusMillis(300)).atMost(LEASE_TTL)
                .untilAsserted(() -> assertThat(server.addresses()).isEqualTo(before));
        await().atMost(EXPIRY).untilAsserted(() -> assertThat(server.addresses()).isEqualTo(without(before, victim)));
        assertThat(victim.process().isFrozen()).as("still frozen when evicted").isTrue();

        victim.process().resume();
        var rejoined = Stream.concat(without(before, victim).stream(), Stream.of(victim.address())).toList();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(server.addresses()).isEqualTo(rejoined));
        victim.process().awaitPrinted(EXPIRED_LEASE, lostLeases + 1, Duration.ofSeconds(5));
        awaitChanges(RankingChange.of(victim, "expired"), RankingChange.of(victim, "joined"));
    }

    @Test
    void sigstop_deliveryWhileFrozen_reportedTimedOutAndNeverExecutedAfterSigcont() {
        // The test plays a member ranked above a new client, so that its commands reach only that client.
        try (var sender = ScriptedMember.register(server, cluster.clusterToken(), Cluster.freePort())) {
            var frozen = cluster.startClient();
            frozen.process().freeze();
            try {
                deliveryWhileFrozen(sender, frozen);
            } finally {
                frozen.process().resume();
            }
        }
    }

    private void deliveryWhileFrozen(ScriptedMember sender, RankClient frozen) {
        var report = sender.command("while-frozen");

        assertThat(report.targets()).isOne();
        assertThat(report.delivered()).isZero();
        assertThat(report.failed()).singleElement().satisfies(failed ->
                assertThat(failed.reason()).isEqualTo("timed out after 2000 ms"));
        await().atMost(EXPIRY).untilAsserted(() -> assertThat(server.addresses()).doesNotContain(frozen.address()));

        frozen.process().resume();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(server.addresses()).last().isEqualTo(frozen.address()));
        // On SIGCONT the delivery still waiting in its socket is read, and refused: it is past its deadline, or the
        // client already knows its registration is gone. Either way it must never run.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            assertThat(frozen.executedCommandId(report.commandId())).as("executed though reported failed").isFalse();
            assertThat(frozen.process().linesContaining("Executed 'while-frozen'")).isZero();
        });
    }

    /** What a watcher of the event stream sees: exactly these changes since the test began, in order. */
    private void awaitChanges(RankingChange... expected) {
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(events.rankingsAfter(epochBefore))
                .extracting(RankingChange::from)
                .containsExactly(expected));
    }
}

package dev.rankcluster.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.rankcluster.model.CommandEvent;
import dev.rankcluster.model.RankedMember;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole system through real processes and real HTTP: a server, then clients started one after the other,
 * each sending its own command on its own schedule. The tests share this one cluster and run in order, since
 * each builds on the ranking the previous one left: three clients, then five, then one stopped.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterEndToEndIT {

    /** No test here waits for an expiry: a longer TTL keeps a client starved of CPU from losing its place. */
    private static final Duration LEASE_TTL = Duration.ofSeconds(5);

    /** Long enough for a few rounds of every client's sender, which sends every 300 to 600 ms. */
    private static final Duration SENDING = Duration.ofSeconds(10);

    @RegisterExtension
    static final Cluster cluster = new Cluster(LEASE_TTL);

    private static RankServer server;
    private static ServerEvents events;
    private static RankClient first;
    private static RankClient second;
    private static RankClient third;
    private static RankClient fourth;
    private static RankClient fifth;
    private static long threeMembersEpoch;

    @BeforeAll
    static void startServerThenClientsOneAfterTheOther() {
        server = cluster.startServer();
        events = server.subscribeToEvents();
        first = cluster.startClient(sending("from-first"));
        second = cluster.startClient(sending("from-second"));
        third = cluster.startClient(sending("from-third"));
        threeMembersEpoch = server.ranking().epoch();
    }

    @AfterAll
    static void stopWatching() {
        if (events != null) {
            events.close();
        }
    }

    private static String[] sending(String command) {
        return new String[] {"--rank.client.send-enabled=true", "--rank.client.commands=" + command,
                "--rank.client.send-interval-min=300ms", "--rank.client.send-interval-max=600ms"};
    }

    @Test
    @Order(1)
    void ranks_followStartOrder() {
        assertThat(server.ranking().members())
                .extracting(RankedMember::rank, RankedMember::address)
                .containsExactly(tuple(0, first.address()), tuple(1, second.address()), tuple(2, third.address()));
        first.process().awaitPrinted("Registered " + first.address() + " with rank 0");
        second.process().awaitPrinted("Registered " + second.address() + " with rank 1");
        third.process().awaitPrinted("Registered " + third.address() + " with rank 2");
    }

    @Test
    @Order(2)
    void commandFromRankZero_executedByBothLowerRanks_notBySender() {
        await().atMost(SENDING).untilAsserted(() -> {
            assertExecutedFromFirst(second, 1);
            assertExecutedFromFirst(third, 2);
        });
        assertThat(first.executed("from-first")).isEmpty();
        assertThat(events.commands("from-first"))
                .filteredOn(report -> report.epoch() >= threeMembersEpoch)
                .isNotEmpty()
                .allSatisfy(report -> assertReport(report, 0, 2));
    }

    private static void assertExecutedFromFirst(RankClient receiver, int receiverRank) {
        assertThat(receiver.executed("from-first")).isNotEmpty().allSatisfy(executed -> {
            assertThat(executed.senderAddress()).isEqualTo(first.address());
            assertThat(executed.senderRank()).isZero();
            assertThat(executed.receiverRank()).isEqualTo(receiverRank);
        });
    }

    @Test
    @Order(3)
    void commandFromLowestRank_reachesNobody() {
        await().atMost(SENDING).until(() -> !events.commands("from-third").isEmpty());
        assertThat(events.commands("from-third")).allSatisfy(report -> assertReport(report, 2, 0));
        server.process().awaitPrinted("'from-third' from " + third.address() + " rank 2 to 0 clients");
        for (var client : List.of(first, second, third)) {
            assertThat(client.executed("from-third")).as("commands %s executed", client).isEmpty();
        }
    }

    @Test
    @Order(4)
    void scaleUp_laterClientsGetTheLowestRanks_commandFromRankOneReachesExactlyRanksTwoToFour() {
        fourth = cluster.startClient();
        fifth = cluster.startClient();
        assertThat(server.addresses()).containsExactly(
                first.address(), second.address(), third.address(), fourth.address(), fifth.address());
        long fiveMembersEpoch = server.ranking().epoch();

        var report = await().atMost(SENDING).until(() -> events.commands("from-second").stream()
                .filter(command -> command.epoch() >= fiveMembersEpoch && command.delivered() == 3)
                .findFirst(), Optional::isPresent).orElseThrow();

        assertThat(events.commands("from-second")).filteredOn(command -> command.epoch() >= fiveMembersEpoch)
                .allSatisfy(command -> assertReport(command, 1, 3));
        var receivers = List.of(third, fourth, fifth);
        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            for (int i = 0; i < receivers.size(); i++) {
                assertThat(receivers.get(i).executedCommands())
                        .as("commands %s executed", receivers.get(i))
                        .filteredOn(executed -> executed.commandId().equals(report.commandId()))
                        .singleElement()
                        .satisfies(executed -> assertThat(executed.senderRank()).isEqualTo(1))
                        .extracting(executed -> executed.receiverRank()).isEqualTo(2 + i);
            }
        });
        assertThat(first.executedCommandId(report.commandId())).isFalse();
        assertThat(second.executedCommandId(report.commandId())).isFalse();
    }

    /** The server's report of one fan-out. A delivery may time out on a busy machine, but every target is counted. */
    private static void assertReport(CommandEvent report, int senderRank, int targets) {
        assertThat(report.senderRank()).as("sender rank of %s", report).isEqualTo(senderRank);
        assertThat(report.targets()).as("targets of %s", report).isEqualTo(targets);
        assertThat(report.delivered() + report.failed().size()).as("outcomes of %s", report).isEqualTo(targets);
    }

    @Test
    @Order(5)
    void gracefulShutdown_clientDisappears_lowerRanksPromoted() {
        second.process().terminate();

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(server.addresses())
                .containsExactly(first.address(), third.address(), fourth.address(), fifth.address()));
        // Each learns its new rank from its next heartbeat, every TTL/3.
        third.process().awaitPrinted("Promoted to rank 1", 1, LEASE_TTL);
        fourth.process().awaitPrinted("Promoted to rank 2", 1, LEASE_TTL);
        fifth.process().awaitPrinted("Promoted to rank 3", 1, LEASE_TTL);
        assertThat(second.process().awaitExit(Duration.ofSeconds(10))).isTrue();
        second.process().awaitPrinted("Unregistered " + second.address());
    }
}

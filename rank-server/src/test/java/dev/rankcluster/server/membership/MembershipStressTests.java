package dev.rankcluster.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.Registration;
import dev.rankcluster.server.events.RankingChanged;
import dev.rankcluster.server.support.FakeTicker;
import dev.rankcluster.server.support.RecordedEvents;
import dev.rankcluster.server.system.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Many threads change the membership at once; afterwards every epoch must tell one consistent story. */
class MembershipStressTests {

    static final int THREADS = 8;
    static final int OPERATIONS_PER_THREAD = 3_000;
    static final int ADDRESSES = 64;

    final FakeTicker ticker = new FakeTicker();
    final RecordedEvents events = new RecordedEvents();
    final CaffeineMembership membership = new CaffeineMembership(48, Duration.ofMillis(200), 3, ticker,
            Clock.systemUTC(), events);
    final Map<String, Registration> latestByAddress = new ConcurrentHashMap<>();

    @Test
    void mixedOperations_eightThreads_everyEpochIsOneConsistentRanking() throws Exception {
        List<Callable<Void>> workers = IntStream.range(0, THREADS).<Callable<Void>>mapToObj(worker -> () -> {
            for (int i = 0; i < OPERATIONS_PER_THREAD; i++) {
                try {
                    operate(ThreadLocalRandom.current());
                } catch (ProblemException expected) {
                    // not found, forbidden, cluster full: the caller is told, nothing changes
                }
            }
            return null;
        }).toList();

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<Void>> done;
        try {
            done = pool.invokeAll(workers, 60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        for (Future<Void> worker : done) {
            assertThat(worker.isCancelled()).as("finished before the deadline").isFalse();
            worker.get();
        }

        assertEveryEpochReplaysToItsRanking();
    }

    private void operate(ThreadLocalRandom random) {
        String address = "10.0.0.%d:8080".formatted(random.nextInt(ADDRESSES));
        Registration known = latestByAddress.get(address);
        switch (random.nextInt(10)) {
            case 0, 1, 2 -> latestByAddress.put(address, membership.register(address).registration());
            case 3, 4 -> {
                if (known != null) {
                    membership.renewLease(known.id(), known.leaseToken());
                }
            }
            case 5 -> {
                if (known != null) {
                    membership.leave(known.id(), known.leaseToken());
                }
            }
            case 6 -> {
                if (known != null) {
                    membership.recordDelivery(known.id(), random.nextBoolean());
                }
            }
            case 7 -> {
                if (known != null) {
                    CommandTargets targets = membership.commandTargets(known.id(), known.leaseToken(), null);
                    assertThat(targets.targets()).allSatisfy(target -> assertThat(target.rank()).isGreaterThan(targets.sender().rank()));
                }
            }
            case 8 -> ticker.advance(Duration.ofMillis(random.nextInt(20)));
            default -> membership.expireLapsedLeases();
        }
    }

    private void assertEveryEpochReplaysToItsRanking() {
        List<RankingChanged> changes = events.rankingChanges();
        assertThat(changes).isNotEmpty();
        List<String> model = new ArrayList<>();
        long expectedEpoch = 1;
        for (RankingChanged change : changes) {
            assertThat(change.epoch()).as("epochs grow by one per change").isEqualTo(expectedEpoch++);
            if (change.reason() == ChangeReason.JOINED) {
                if (model.contains(change.address())) {
                    assertThat(model).as("joined twice at epoch %d", change.epoch()).doesNotContain(change.address());
                }
                model.add(change.address());
            } else if (!model.remove(change.address())) {
                assertThat(model).as("removed at epoch %d but not a member", change.epoch()).contains(change.address());
            }
            List<RankedMember> members = change.ranking().members();
            List<String> addresses = members.stream().map(RankedMember::address).toList();
            List<Integer> ranks = members.stream().map(RankedMember::rank).toList();
            // Plain equality first: thousands of epochs are checked.
            if (!addresses.equals(model) || !ranks.equals(IntStream.range(0, members.size()).boxed().toList())) {
                assertThat(addresses).as("ranking at epoch %d", change.epoch()).containsExactlyElementsOf(model);
                assertThat(ranks).as("dense ranks at epoch %d", change.epoch()).isSorted().doesNotHaveDuplicates();
            }
        }
        RankingSnapshot last = membership.snapshot();
        assertThat(last.epoch()).isEqualTo(changes.size());
        assertThat(last.members()).extracting(RankedMember::address).containsExactlyElementsOf(model).doesNotHaveDuplicates();
    }
}

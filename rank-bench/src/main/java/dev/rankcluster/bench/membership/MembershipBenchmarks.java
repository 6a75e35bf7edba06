package dev.rankcluster.bench.membership;

import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.MemberDetails;
import dev.rankcluster.model.Ranking;
import dev.rankcluster.model.Registration;
import dev.rankcluster.server.membership.CaffeineMembership;
import dev.rankcluster.server.membership.RankingSnapshot;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The membership alone, single-threaded, at a steady size of {@code members}: every benchmark leaves the
 * membership as large as it found it, so the size it reports is the size it measured.
 * <p>
 * Run by {@code scripts/bench.sh}; by hand:
 * {@code java -cp "rank-bench/target/classes:$(cat rank-bench/target/classpath.txt)" org.openjdk.jmh.Main MembershipBenchmarks}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
// Pre-touched heap: on this VM a first touch of a page is dear, and the figures should be the code's, not the VM's.
@Fork(value = 2, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class MembershipBenchmarks {

    /** A membership of {@code members} members, their ids and lease tokens by join order. */
    @State(Scope.Thread)
    public static class Steady {

        @Param({"1000", "100000", "1000000"})
        int members;

        CaffeineMembership membership;
        String[] ids;
        String[] tokens;
        int nextAddress;

        @Setup(Level.Trial)
        public void fill() {
            membership = Memberships.empty();
            ids = new String[members];
            tokens = new String[members];
            for (int i = 0; i < members; i++) {
                Registration registration = join();
                ids[i] = registration.id();
                tokens[i] = registration.leaseToken();
            }
        }

        Registration join() {
            return membership.register(Memberships.address(nextAddress++)).registration();
        }

        int randomIndex() {
            return ThreadLocalRandom.current().nextInt(members);
        }
    }

    /** Takes away, untimed, the member that {@link #register} added. */
    public static class Joining extends Steady {

        Registration joined;

        @TearDown(Level.Invocation)
        public void leave() {
            membership.remove(joined.id());
        }
    }

    /** Picks, untimed, the member in the middle, and replaces it with a new one after {@link #removeFromMiddle}. */
    public static class Leaving extends Steady {

        String middleId;

        @Setup(Level.Invocation)
        public void pickMiddle() {
            middleId = membership.snapshot().members(members / 2, 1).getFirst().id();
        }

        @TearDown(Level.Invocation)
        public void replace() {
            join();
        }
    }

    /** A new member joins at the lowest rank: a new lease, one tree path copied, a new epoch. */
    @Benchmark
    public Registration register(Joining state) {
        state.joined = state.join();
        return state.joined;
    }

    /** The member in the middle is removed: everyone below moves up one rank, a new epoch. */
    @Benchmark
    public void removeFromMiddle(Leaving state) {
        state.membership.remove(state.middleId);
    }

    /** A member's rank and details, as {@code GET /api/v1/members/{id}} reads them. */
    @Benchmark
    public Optional<MemberDetails> find(Steady state) {
        return state.membership.find(state.ids[state.randomIndex()]);
    }

    /** A heartbeat: checks the token against the lease, renews it and answers the current rank. */
    @Benchmark
    public LeaseRenewal renewLease(Steady state) {
        int i = state.randomIndex();
        return state.membership.renewLease(state.ids[i], state.tokens[i]);
    }

    /** The ranking at the current epoch, as fan-out and the events take it: immutable, so O(1). */
    @Benchmark
    public RankingSnapshot snapshot(Steady state) {
        return state.membership.snapshot();
    }

    /** The whole ranking as a list, as {@code GET /api/v1/members} answers it: O(n), shown for scale. */
    @Benchmark
    public Ranking fullRanking(Steady state) {
        return state.membership.snapshot().toRanking();
    }
}

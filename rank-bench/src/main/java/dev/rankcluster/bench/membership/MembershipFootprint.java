package dev.rankcluster.bench.membership;

import dev.rankcluster.server.membership.CaffeineMembership;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Heap the membership retains per member: the live heap after a full GC with {@code n} members, less the live
 * heap with none, divided by {@code n}. Prints one line per size, e.g. {@code members=100000 bytesPerMember=612}.
 * <p>
 * Usage: {@code java -Xmx2g -cp … dev.rankcluster.bench.membership.MembershipFootprint [members…]}
 * (default 100000).
 */
public final class MembershipFootprint {

    private MembershipFootprint() {
    }

    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {100_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        for (int members : sizes) {
            System.out.println(String.format(Locale.ROOT, "members=%d bytesPerMember=%.0f", members, bytesPerMember(members)));
        }
    }

    static double bytesPerMember(int members) {
        CaffeineMembership membership = Memberships.empty();
        long before = liveHeap();
        for (int i = 0; i < members; i++) {
            membership.register(Memberships.address(i));
        }
        long after = liveHeap();
        if (membership.snapshot().size() != members) {
            throw new IllegalStateException("expected %d members, found %d".formatted(members, membership.snapshot().size()));
        }
        return (double) (after - before) / members;
    }

    /** Used heap after full collections, once it stops shrinking: what is reachable. */
    private static long liveHeap() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return now;
            }
            used = now;
        }
        return used;
    }
}

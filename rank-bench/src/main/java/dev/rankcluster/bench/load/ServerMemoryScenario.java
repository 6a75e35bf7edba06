package dev.rankcluster.bench.load;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Heap the server holds per member at 100,000 members: live objects (a full GC, then the class histogram)
 * with them, less without them. One address can hold at most 65,535 ports, so the members advertise hosts
 * 10.x.y.z, which needs {@code rank.server.trust-advertised-host=true}; the lease TTL is an hour so that
 * none lapses while they register.
 */
final class ServerMemoryScenario implements Scenario {

    private static final int MEMBERS = 100_000;
    private static final int THREADS = 8;

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void run(BenchSettings settings, Results results) {
        int members = settings.quick() ? 5_000 : MEMBERS;
        try (ServerProcess server = ServerProcess.start(settings, "memory-server",
                List.of("--rank.server.trust-advertised-host=true", "--rank.server.lease-ttl=1h"))) {
            RankApi api = server.api();
            // One member joins and leaves first, so that the code paths it loads count as baseline.
            api.leave(api.register("10.255.255.255", 8080));
            long before = server.process().liveHeapBytes();
            double registrationsPerSecond = fill(api, members);
            int size = api.ranking().members().size();
            if (size != members) {
                throw new IllegalStateException("expected %d members, the server has %d".formatted(members, size));
            }
            long after = server.process().liveHeapBytes();
            results.add("memory.serverBytesPerMember", "B", "server heap per member at %,d members".formatted(members),
                    (double) (after - before) / members);
            results.add("memory.serverRss", "MB", "server resident memory at %,d members".formatted(members),
                    server.process().statusKib("VmRSS") / 1024.0);
            results.add("memory.registrations", "/s", "registrations/s while filling to %,d, 8 threads".formatted(members),
                    registrationsPerSecond);
        }
    }

    /** Registers members 10.0.0.0:8080, 10.0.0.1:8080, … from {@link #THREADS} threads; answers registrations/s. */
    private static double fill(RankApi api, int members) {
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Thread> threads = IntStream.range(0, THREADS).mapToObj(t -> Thread.ofPlatform().start(() -> {
            for (int i = next.getAndIncrement(); i < members; i = next.getAndIncrement()) {
                api.register("10.%d.%d.%d".formatted(i >>> 16 & 0xff, i >>> 8 & 0xff, i & 0xff), 8080);
            }
        })).toList();
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        return members / ((System.nanoTime() - start) / 1e9);
    }
}

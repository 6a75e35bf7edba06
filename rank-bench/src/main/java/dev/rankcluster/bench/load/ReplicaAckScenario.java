package dev.rankcluster.bench.load;

import java.time.Duration;
import java.util.List;

/**
 * What waiting for a replica costs: register + unregister cycles (4 threads) against a server on the Redis store
 * with a primary and one replica, first acknowledging changes once the primary has them
 * ({@code rank.server.redis.min-replicas-acknowledged=0}), then once the replica has them too ({@code =1}).
 * Each cycle is two changes of the ranking, so with {@code =1} two {@code WAIT}s.
 */
final class ReplicaAckScenario implements Scenario {

    private static final int THREADS = 4;
    private static final Duration WARM_UP = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "replica-ack";
    }

    @Override
    public void run(BenchSettings settings, Results results) {
        if (!RedisPair.installed()) {
            System.out.println("replica-ack skipped: " + RedisPair.BINARY + " is not installed (apt-get install redis-server)");
            return;
        }
        for (int replicas : new int[] {0, 1}) {
            try (RedisPair redis = RedisPair.start();
                 ServerProcess server = ServerProcess.start(settings, "replica-ack-" + replicas + "-server", List.of(
                         "--rank.server.store=redis", "--spring.data.redis.host=127.0.0.1",
                         "--spring.data.redis.port=" + redis.primaryPort(),
                         "--rank.server.redis.min-replicas-acknowledged=" + replicas))) {
                RankApi api = server.api();
                Throughput.Measured cycles = Throughput.measure(THREADS, settings.measure(WARM_UP),
                        settings.measure(Duration.ofSeconds(10)), server.process(),
                        settings.recording("replica-ack-" + replicas), thread -> () -> {
                            api.leave(api.register(31_000 + thread));
                            return 1;
                        });
                results.add("replicaAck.cycles" + replicas, "/s",
                        "Redis store, register + unregister cycles/s, 4 threads, min-replicas-acknowledged=" + replicas,
                        cycles.operationsPerSecond());
                results.add("replicaAck.serverCpuPerCycle" + replicas, "µs",
                        "Redis store, server CPU per cycle, min-replicas-acknowledged=" + replicas,
                        cycles.serverCpuMicrosPerOp());
            }
        }
    }
}

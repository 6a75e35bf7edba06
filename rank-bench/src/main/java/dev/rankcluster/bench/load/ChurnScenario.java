package dev.rankcluster.bench.load;

import dev.rankcluster.model.Registration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Register + unregister cycles (4 threads, each registering and unregistering its own address), then lease
 * renewals (heartbeats) of 1,000 members by 8 threads, each renewing its members in turn.
 */
final class ChurnScenario implements Scenario {

    private static final int CYCLE_THREADS = 4;
    private static final int HEARTBEAT_MEMBERS = 1000;
    private static final int HEARTBEAT_THREADS = 8;

    /**
     * Long enough for the server's JIT compilers to finish with the hot paths: on 2 cores they compete for CPU.
     * The cycles come first after the server starts and touch the most code (registration, removal, the ranking
     * log): after 15 s the server still spent ~1 ms of CPU per cycle, most of it in the C2 compiler.
     */
    private static final Duration WARM_UP = Duration.ofSeconds(40);
    /** The heartbeats' own warm-up: the server is warm by then, their path is short. */
    private static final Duration HEARTBEAT_WARM_UP = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "churn";
    }

    @Override
    public void run(BenchSettings settings, Results results) {
        try (ServerProcess server = ServerProcess.start(settings, "churn-server", List.of())) {
            RankApi api = server.api();
            Throughput.Measured cycles = Throughput.measure(CYCLE_THREADS, settings.measure(WARM_UP),
                    settings.measure(Duration.ofSeconds(10)), server.process(), settings.recording("cycles"), thread -> () -> {
                        api.leave(api.register(30_000 + thread));
                        return 1;
                    });
            results.add("churn.cycles", "/s", "register + unregister cycles/s, 4 threads", cycles.operationsPerSecond());
            results.add("churn.serverCpuPerCycle", "µs", "server CPU per register + unregister cycle",
                    cycles.serverCpuMicrosPerOp());

            // Ports nobody listens on: these members get no commands, they only renew their leases.
            List<Registration> members = new ArrayList<>();
            for (int i = 0; i < HEARTBEAT_MEMBERS; i++) {
                members.add(api.register(40_000 + i));
            }
            Throughput.Measured heartbeats = Throughput.measure(HEARTBEAT_THREADS, settings.measure(HEARTBEAT_WARM_UP),
                    settings.measure(Duration.ofSeconds(10)), server.process(), settings.recording("heartbeats"), thread -> {
                        int[] next = {thread};
                        return () -> {
                            api.renew(members.get(next[0]));
                            next[0] = (next[0] + HEARTBEAT_THREADS) % HEARTBEAT_MEMBERS;
                            return 1;
                        };
                    });
            results.add("churn.heartbeats", "/s", "heartbeats (lease renewals)/s, 1,000 members, 8 threads",
                    heartbeats.operationsPerSecond());
            results.add("churn.serverCpuPerHeartbeat", "µs", "server CPU per heartbeat", heartbeats.serverCpuMicrosPerOp());
            results.add("churn.generatorCpuPerHeartbeat", "µs", "load generator CPU per heartbeat",
                    heartbeats.generatorCpuMicrosPerOp());
        }
    }
}

package dev.rankcluster.bench.load;

import dev.rankcluster.model.Registration;
import java.time.Duration;
import java.util.List;

/** Deliveries per second at 50 simulated members while the four highest ranks send commands without pause. */
final class SustainedScenario implements Scenario {

    private static final int MEMBERS = 50;
    private static final int SENDERS = 4;

    /** Long enough for the server's JIT compilers to finish with the hot paths: on 2 cores they compete for CPU. */
    private static final Duration WARM_UP = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "sustained";
    }

    @Override
    public void run(BenchSettings settings, Results results) {
        try (ServerProcess server = ServerProcess.start(settings, "sustained-server", List.of());
             SimulatedMembers members = new SimulatedMembers(server.api())) {
            members.growTo(MEMBERS);
            Throughput.Measured measured = Throughput.measure(SENDERS, settings.measure(WARM_UP),
                    settings.measure(Duration.ofSeconds(15)), server.process(), settings.recording("sustained"), sender -> {
                        Registration member = members.atRank(sender);
                        int[] sent = {0};
                        return () -> server.api().command(member, "sustained-" + sent[0]++).delivered();
                    });
            results.add("sustained.deliveries", "/s", "sustained deliveries/s, 50 members, 4 senders",
                    measured.itemsPerSecond());
            results.add("sustained.commands", "/s", "sustained commands/s, 50 members, 4 senders",
                    measured.operationsPerSecond());
            results.add("sustained.serverCpuPerDelivery", "µs", "server CPU per delivery, sustained",
                    measured.serverCpuMicrosPerOp() * measured.operationsPerSecond() / measured.itemsPerSecond());
        }
    }
}

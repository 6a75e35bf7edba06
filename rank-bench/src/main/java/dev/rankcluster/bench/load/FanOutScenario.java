package dev.rankcluster.bench.load;

import java.nio.file.Path;
import java.util.List;

/**
 * Fan-out latency to 10, 50, 200 and 1,000 members simulated in this JVM: the member of rank 0 sends,
 * every other member receives. The same server grows from one size to the next.
 */
final class FanOutScenario implements Scenario {

    static final List<Integer> SIZES = List.of(10, 50, 200, 1000);

    @Override
    public String name() {
        return "fanout";
    }

    @Override
    public void run(BenchSettings settings, Results results) {
        try (ServerProcess server = ServerProcess.start(settings, "fanout-server", List.of());
             SimulatedMembers members = new SimulatedMembers(server.api())) {
            members.growTo(1);
            results.latencies("fanout.simulated.1", "command with no lower rank (1 member): the fixed cost",
                    FanOut.measure(server.api(), members.atRank(0), 0, settings.count(100), settings.count(200)));
            for (int size : SIZES) {
                members.growTo(size);
                int count = settings.count(size >= 1000 ? 100 : 200);
                int warmUp = settings.count(size >= 1000 ? 50 : 100);
                FanOut.measure(server.api(), members.atRank(0), size - 1, warmUp, 0);
                Path recording = settings.recording("fanout-" + size);
                if (recording != null) {
                    server.process().startRecording();
                }
                Latencies latencies = FanOut.measure(server.api(), members.atRank(0), size - 1, 0, count);
                if (recording != null) {
                    server.process().stopRecording(recording);
                }
                results.latencies(key(size), "fan-out to %,d members (%,d targets), simulated".formatted(size, size - 1), latencies);
            }
            if (members.failedRenewals() > 0) {
                throw new IllegalStateException(members.failedRenewals() + " lease renewals failed during the fan-out");
            }
        }
    }

    static String key(int size) {
        return "fanout.simulated." + size;
    }
}

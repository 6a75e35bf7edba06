package dev.rankcluster.bench.load;

import dev.rankcluster.model.CommandReport;
import dev.rankcluster.model.Registration;

/** Commands sent one after another by one sender, each timed from request to the server's report. */
final class FanOut {

    private FanOut() {
    }

    /**
     * Sends {@code warmUp} untimed commands, then times {@code count} more; every one must reach all
     * {@code targets} lower ranks.
     */
    static Latencies measure(RankApi api, Registration sender, int targets, int warmUp, int count) {
        for (int i = 0; i < warmUp; i++) {
            send(api, sender, targets, "warm-up-" + i);
        }
        Latencies latencies = new Latencies();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            send(api, sender, targets, "bench-" + i);
            latencies.add(System.nanoTime() - start);
        }
        return latencies;
    }

    private static void send(RankApi api, Registration sender, int targets, String command) {
        CommandReport report = api.command(sender, command);
        if (report.targets() != targets || report.delivered() != targets) {
            throw new IllegalStateException("command %s reached %d of %d targets, expected %d; first failures: %s".formatted(
                    command, report.delivered(), report.targets(), targets,
                    report.failed().subList(0, Math.min(3, report.failed().size()))));
        }
    }
}

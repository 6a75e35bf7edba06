package dev.rankcluster.bench.load;

import java.time.Duration;
import java.util.List;

/**
 * What one real client costs to run: time from its process start to its {@code Registered} log line, and
 * its resident memory (RSS) once it has executed 200 commands. It runs alone beside the server, so the
 * start-up figure is that of an otherwise idle machine.
 */
final class ClientFootprintScenario implements Scenario {

    @Override
    public String name() {
        return "client";
    }

    @Override
    public void run(BenchSettings settings, Results results) {
        try (ServerProcess server = ServerProcess.start(settings, "client-server", List.of());
             SimulatedMembers sender = new SimulatedMembers(server.api())) {
            sender.growTo(1);
            // The server has served a registration and a few commands before the client's start is timed.
            FanOut.measure(server.api(), sender.atRank(0), 0, 20, 0);
            try (ClientProcess client = ClientProcess.start(settings, "client", server.uri())) {
                Duration registered = client.awaitRegistered(Duration.ofMinutes(2));
                results.add("client.startToRegistered", "s", "client: start to registered", registered.toMillis() / 1000.0);
                results.add("client.rssRegistered", "MB", "client resident memory when registered",
                        client.process().statusKib("VmRSS") / 1024.0);
                Latencies latencies = FanOut.measure(server.api(), sender.atRank(0), 1, 0, settings.count(200));
                results.latencies("fanout.clients.1", "command to 1 real client (its first 200)", latencies);
                results.add("client.rss", "MB", "client resident memory after 200 commands",
                        client.process().statusKib("VmRSS") / 1024.0);
                results.add("client.rssPeak", "MB", "client peak resident memory (VmHWM)",
                        client.process().statusKib("VmHWM") / 1024.0);
            }
        }
    }
}

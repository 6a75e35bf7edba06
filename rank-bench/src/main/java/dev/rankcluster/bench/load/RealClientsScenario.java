package dev.rankcluster.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fan-out latency to 10 and then 50 real client processes: the benchmark holds rank 0 (a simulated member)
 * and sends; the clients receive, check and execute each delivery. Clients start a few at a time so that
 * start-up does not starve the ones already running. A client's first deliveries are slow (its JIT is cold while
 * the others still start): the delivery timeout is 10 s here, so that none is dropped as unreachable before the
 * warm-up commands have warmed it.
 */
final class RealClientsScenario implements Scenario {

    static final List<Integer> SIZES = List.of(10, 50);
    private static final int STARTING_AT_ONCE = 5;

    @Override
    public String name() {
        return "clients";
    }

    @Override
    public void run(BenchSettings settings, Results results) {
        try (ServerProcess server = ServerProcess.start(settings, "clients-server",
                List.of("--rank.server.delivery-timeout=10s"));
             SimulatedMembers sender = new SimulatedMembers(server.api())) {
            sender.growTo(1);
            List<ClientProcess> clients = new ArrayList<>();
            try {
                for (int size : SIZES) {
                    startUntil(settings, server, clients, size);
                    Latencies latencies = FanOut.measure(server.api(), sender.atRank(0), size, settings.count(50),
                            settings.count(200));
                    results.latencies(key(size), "fan-out to %d real clients".formatted(size), latencies);
                }
                results.add("clients.rss", "MB", "resident memory per client, mean of %d".formatted(clients.size()),
                        clients.stream().mapToLong(client -> client.process().statusKib("VmRSS")).average().orElseThrow() / 1024);
                results.add("clients.pss", "MB", "proportional memory (PSS) per client, mean of %d".formatted(clients.size()),
                        clients.stream().mapToLong(client -> client.process().pssKib()).average().orElseThrow() / 1024);
            } finally {
                clients.parallelStream().forEach(ClientProcess::close);
            }
        }
    }

    private static void startUntil(BenchSettings settings, ServerProcess server, List<ClientProcess> clients, int size) {
        while (clients.size() < size) {
            List<ClientProcess> batch = new ArrayList<>();
            for (int i = 0; i < STARTING_AT_ONCE && clients.size() + batch.size() < size; i++) {
                batch.add(ClientProcess.start(settings, "client-" + (clients.size() + batch.size() + 1), server.uri()));
            }
            clients.addAll(batch);
            batch.forEach(client -> client.awaitRegistered(Duration.ofMinutes(3)));
        }
    }

    static String key(int clients) {
        return "fanout.clients." + clients;
    }
}

package dev.rankcluster.bench.load;

import dev.rankcluster.model.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/**
 * What loopback HTTP costs here, as a ceiling for the figures above: the benchmark's HTTP client against
 * one of its own receivers (answering {@code 204}, as wrk against a tiny static file), and against the rank
 * server's cheapest read ({@code GET /api/v1/members/{id}}); 4 threads each.
 */
final class LoopbackScenario implements Scenario {

    private static final int THREADS = 4;

    /** Long enough for the server's JIT compilers to finish with the hot paths: on 2 cores they compete for CPU. */
    private static final Duration WARM_UP = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "loopback";
    }

    @Override
    public void run(BenchSettings settings, Results results) {
        try (ServerProcess server = ServerProcess.start(settings, "loopback-server", List.of());
             Receivers receivers = new Receivers();
             SimulatedMembers members = new SimulatedMembers(server.api());
             HttpConnections http = new HttpConnections("127.0.0.1", receivers.open())) {
            byte[] get = HttpConnection.request("GET", http.host(), "/api/v1/commands", null);
            Throughput.Measured ceiling = Throughput.measure(THREADS, settings.measure(WARM_UP),
                    settings.measure(Duration.ofSeconds(10)), server.process(), null, thread -> () -> {
                        expect204(http, get);
                        return 1;
                    });
            results.add("loopback.ceiling", "/s", "loopback ceiling: the benchmark's HTTP client → its receivers, 4 threads",
                    ceiling.operationsPerSecond());

            members.growTo(1);
            Registration member = members.atRank(0);
            Throughput.Measured reads = Throughput.measure(THREADS, settings.measure(WARM_UP),
                    settings.measure(Duration.ofSeconds(10)), server.process(), settings.recording("reads"), thread -> () -> {
                        server.api().member(member.id());
                        return 1;
                    });
            results.add("loopback.serverReads", "/s", "rank server GET /api/v1/members/{id}/s, 4 threads",
                    reads.operationsPerSecond());
            results.add("loopback.serverCpuPerRead", "µs", "server CPU per GET /api/v1/members/{id}",
                    reads.serverCpuMicrosPerOp());
        }
    }

    private static void expect204(HttpConnections http, byte[] request) {
        try {
            int status = http.exchange(request).status();
            if (status != 204) {
                throw new IllegalStateException("receiver answered " + status);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

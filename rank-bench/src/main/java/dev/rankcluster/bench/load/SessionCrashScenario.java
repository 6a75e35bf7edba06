package dev.rankcluster.bench.load;

import dev.rankcluster.model.RankedMember;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How soon the ranking drops a client whose process dies: real client processes, started
 * {@value #STARTING_AT_ONCE} at a time, each killed with SIGKILL once it has registered and opened its session,
 * one after another; the time from the kill until {@code GET /api/v1/members} no longer lists its address, polled
 * every 10 ms. {@value #KILLS} kills per run: the median and the worst. For contrast, the same with clients whose
 * sessions are disabled, whose death shows only when their lease lapses (default TTL, 10 s): those of a batch are
 * killed together, since each lease lapses on its own.
 */
final class SessionCrashScenario implements Scenario {

    private static final int KILLS = 20;
    private static final int STARTING_AT_ONCE = 5;
    private static final Duration POLL = Duration.ofMillis(10);
    /** A removal that takes longer is a failure of the measurement, not a figure. */
    private static final Duration ON_SESSION_BOUND = Duration.ofSeconds(15);
    private static final Duration LEASE_BOUND = Duration.ofSeconds(40);
    /** The client's setting that keeps it on HTTP heartbeats (rank-client's RankClientProperties). */
    private static final List<String> SESSIONS_DISABLED = List.of("--rank.client.session-enabled=false");

    @Override
    public String name() {
        return "session-crash";
    }

    @Override
    public void run(BenchSettings settings, Results results) {
        try (ServerProcess server = ServerProcess.start(settings, "session-crash-server", List.of())) {
            int kills = settings.quick() ? STARTING_AT_ONCE : KILLS;
            RuntimeException failed = null;
            try {
                record("session", "a client on a session", crashes(settings, server, kills, true), kills, results);
            } catch (RuntimeException e) {
                // The contrast still measures; the failure is told after it.
                System.err.println("  failed: " + e);
                failed = e;
            }
            record("lease", "a client without a session", crashes(settings, server, kills, false), kills, results);
            if (failed != null) {
                throw failed;
            }
        }
    }

    private static void record(String key, String client, Latencies gone, int kills, Results results) {
        results.add("sessionCrash.%s.p50".formatted(key), "ms", "SIGKILL of %s to gone from the ranking, median"
                .formatted(client), gone.percentileMillis(50));
        results.add("sessionCrash.%s.max".formatted(key), "ms", "SIGKILL of %s to gone from the ranking, worst of %d"
                .formatted(client, kills), gone.percentileMillis(100));
    }

    private static Latencies crashes(BenchSettings settings, ServerProcess server, int kills, boolean onSessions) {
        Latencies gone = new Latencies();
        while (gone.count() < kills) {
            List<ClientProcess> batch = new ArrayList<>();
            try {
                for (int i = 0; i < Math.min(STARTING_AT_ONCE, kills - gone.count()); i++) {
                    String name = "crash-%s-%d".formatted(onSessions ? "session" : "lease", gone.count() + i + 1);
                    batch.add(ClientProcess.start(settings, name, server.uri(), onSessions ? List.of() : SESSIONS_DISABLED));
                }
                List<String> addresses = new ArrayList<>();
                for (ClientProcess client : batch) {
                    addresses.add(client.address(Duration.ofMinutes(3)));
                    if (onSessions) {
                        client.awaitSessionOpened(Duration.ofMinutes(1));
                    }
                }
                if (onSessions) {
                    for (int i = 0; i < batch.size(); i++) {
                        long killed = System.nanoTime();
                        batch.get(i).kill();
                        awaitGone(server, Map.of(addresses.get(i), killed), ON_SESSION_BOUND, gone);
                    }
                } else {
                    Map<String, Long> killed = new HashMap<>();
                    for (int i = 0; i < batch.size(); i++) {
                        killed.put(addresses.get(i), System.nanoTime());
                        batch.get(i).kill();
                    }
                    awaitGone(server, killed, LEASE_BOUND, gone);
                }
            } finally {
                batch.forEach(ClientProcess::close);
            }
        }
        return gone;
    }

    /** Polls the ranking until none of the killed addresses is in it, and adds each one's time from kill to gone. */
    private static void awaitGone(ServerProcess server, Map<String, Long> killedAt, Duration bound, Latencies gone) {
        Map<String, Long> listed = new HashMap<>(killedAt);
        long deadline = System.nanoTime() + bound.toNanos();
        while (!listed.isEmpty()) {
            long polled = System.nanoTime();
            Set<String> ranked = server.api().ranking().members().stream().map(RankedMember::address)
                    .collect(Collectors.toSet());
            listed.entrySet().removeIf(killed -> {
                boolean removed = !ranked.contains(killed.getKey());
                if (removed) {
                    gone.add(polled - killed.getValue());
                }
                return removed;
            });
            if (!listed.isEmpty() && polled > deadline) {
                throw new IllegalStateException("%s still ranked %s after the kill".formatted(listed.keySet(), bound));
            }
            Pause.forNanos(POLL.toNanos() - (System.nanoTime() - polled));
        }
    }
}

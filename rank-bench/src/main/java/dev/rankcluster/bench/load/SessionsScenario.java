package dev.rankcluster.bench.load;

import dev.rankcluster.model.Registration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Member sessions (docs/sessions.md) beside HTTP, in the same run and on the same server: simulated members
 * registered over REST are measured first as they are, receiving deliveries and renewing their leases over HTTP;
 * then each opens its session and the same is measured again, now on the sessions. One server per measurement:
 * fan-out to 999 members; sustained deliveries at 50 members, 4 senders (as {@link SustainedScenario}); lease
 * renewals of 1,000 members, as HTTP {@code PUT} heartbeats by 8 threads (as {@link ChurnScenario}) and as
 * {@code renew} frames pipelined on every session, {@value #RENEWALS_IN_FLIGHT} in flight on each.
 * HTTP goes first: the sessions would otherwise have to be closed again, and a session that closes makes the
 * server probe its member.
 */
final class SessionsScenario implements Scenario {

    private static final int FANOUT_MEMBERS = 1000;
    private static final int SUSTAINED_MEMBERS = 50;
    private static final int SENDERS = 4;
    private static final int RENEWING_MEMBERS = 1000;
    private static final int HEARTBEAT_THREADS = 8;
    /** Enough to keep the server busy without a queue of thousands per session. */
    private static final int RENEWALS_IN_FLIGHT = 4;
    /** Long enough for the server's JIT compilers to finish with each transport's hot path: they share 2 cores. */
    private static final Duration WARM_UP = Duration.ofSeconds(15);

    @Override
    public String name() {
        return "sessions";
    }

    @Override
    public void run(BenchSettings settings, Results results) {
        // Each measurement has its own server: one that fails leaves the others' figures.
        List<RuntimeException> failures = new ArrayList<>();
        for (BiConsumer<BenchSettings, Results> measurement : List.<BiConsumer<BenchSettings, Results>>of(
                SessionsScenario::fanOut, SessionsScenario::sustained, SessionsScenario::renewals)) {
            try {
                measurement.accept(settings, results);
            } catch (RuntimeException e) {
                System.err.println("  failed: " + e);
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            IllegalStateException failed = new IllegalStateException(failures.size() + " of 3 measurements failed");
            failures.forEach(failed::addSuppressed);
            throw failed;
        }
    }

    private static void fanOut(BenchSettings settings, Results results) {
        try (ServerProcess server = ServerProcess.start(settings, "sessions-fanout-server", List.of());
             SimulatedMembers members = new SimulatedMembers(server.api());
             SessionMembers sessions = new SessionMembers(server.uri())) {
            Registration sender = warmedUp(settings, server, members);
            int targets = FANOUT_MEMBERS - 1;
            int warmUp = settings.count(50);
            int count = settings.count(100);
            warmUp(server, sender, warmUp);
            fanOuts(server, sender, count, "http", "HTTP", results);
            OnSessions opened = OnSessions.open(members, sessions);
            warmUp(server, sender, warmUp);
            OnSessions check = opened.countingFromNow();
            fanOuts(server, sender, count, "session", "session", results);
            check.allDelivered("the fan-out", (long) count * targets);
        }
    }

    /** Times {@code count} fan-outs to 999, and what they cost the server and this generator in CPU per delivery. */
    private static void fanOuts(ServerProcess server, Registration sender, int count, String key, String transport,
                                Results results) {
        long deliveries = (long) count * (FANOUT_MEMBERS - 1);
        Duration serverCpu = server.process().cpu();
        Duration generatorCpu = Throughput.ownCpu();
        Latencies latencies = FanOut.measure(server.api(), sender, FANOUT_MEMBERS - 1, 0, count);
        results.latencies("sessions.fanout999." + key, "fan-out to 999 members, %s deliveries".formatted(transport),
                latencies);
        results.add("sessions.fanout999.serverCpuPerDelivery." + key, "µs",
                "server CPU per %s delivery, fan-out to 999".formatted(transport),
                server.process().cpu().minus(serverCpu).toNanos() / 1e3 / deliveries);
        results.add("sessions.fanout999.generatorCpuPerDelivery." + key, "µs",
                "load generator CPU per %s delivery (its members), fan-out to 999".formatted(transport),
                Throughput.ownCpu().minus(generatorCpu).toNanos() / 1e3 / deliveries);
    }

    /** Commands whose reports are not checked: until its JIT has compiled them, a busy server times some out. */
    private static void warmUp(ServerProcess server, Registration sender, int commands) {
        for (int i = 0; i < commands; i++) {
            server.api().command(sender, "warm-up-" + i);
        }
    }

    /**
     * Grows to {@value #FANOUT_MEMBERS} members through smaller fan-outs, as {@link FanOutScenario} does: the first
     * fan-outs to 999 of a cold server time out, more of them the busier the machine.
     */
    private static Registration warmedUp(BenchSettings settings, ServerProcess server, SimulatedMembers members) {
        for (int size : FanOutScenario.SIZES) {
            members.growTo(size);
            if (size < FANOUT_MEMBERS) {
                warmUp(server, members.atRank(0), settings.count(50));
            }
        }
        return members.atRank(0);
    }

    private static void sustained(BenchSettings settings, Results results) {
        try (ServerProcess server = ServerProcess.start(settings, "sessions-sustained-server", List.of());
             SimulatedMembers members = new SimulatedMembers(server.api());
             SessionMembers sessions = new SessionMembers(server.uri())) {
            members.growTo(1); // starts the heartbeats before the others register: see renewals
            members.growTo(SUSTAINED_MEMBERS);
            recordSustained("http", "HTTP", sustainedDeliveries(settings, server, members), results);
            OnSessions check = OnSessions.open(members, sessions);
            Throughput.Measured onSessions = sustainedDeliveries(settings, server, members);
            check.noneOverHttp("the sustained deliveries");
            recordSustained("session", "session", onSessions, results);
        }
    }

    private static Throughput.Measured sustainedDeliveries(BenchSettings settings, ServerProcess server,
                                                           SimulatedMembers members) {
        return Throughput.measure(SENDERS, settings.measure(WARM_UP), settings.measure(Duration.ofSeconds(15)),
                server.process(), null, sender -> {
                    Registration member = members.atRank(sender);
                    int[] sent = {0};
                    return () -> server.api().command(member, "sustained-" + sent[0]++).delivered();
                });
    }

    private static void recordSustained(String key, String transport, Throughput.Measured sustained, Results results) {
        results.add("sessions.sustained." + key, "/s", "sustained deliveries/s, 50 members, 4 senders, %s deliveries"
                .formatted(transport), sustained.itemsPerSecond());
        results.add("sessions.sustained.serverCpuPerDelivery." + key, "µs", "server CPU per %s delivery, sustained"
                .formatted(transport), sustained.serverCpuMicrosPerOp() * sustained.operationsPerSecond() / sustained.itemsPerSecond());
        results.add("sessions.sustained.generatorCpuPerDelivery." + key, "µs", "load generator CPU per %s delivery, sustained"
                .formatted(transport), sustained.generatorCpuMicrosPerOp() * sustained.operationsPerSecond() / sustained.itemsPerSecond());
    }

    private static void renewals(BenchSettings settings, Results results) {
        try (ServerProcess server = ServerProcess.start(settings, "sessions-renewals-server", List.of());
             SimulatedMembers members = new SimulatedMembers(server.api());
             SessionMembers sessions = new SessionMembers(server.uri())) {
            // The heartbeats start with the first member: registering a thousand on a busy machine can take longer
            // than a lease TTL.
            members.growTo(1);
            members.growTo(RENEWING_MEMBERS);
            List<Registration> renewing = members.all();
            Throughput.Measured heartbeats = Throughput.measure(HEARTBEAT_THREADS, settings.measure(WARM_UP),
                    settings.measure(Duration.ofSeconds(10)), server.process(), null, thread -> {
                        int[] next = {thread};
                        return () -> {
                            server.api().renew(renewing.get(next[0]));
                            next[0] = (next[0] + HEARTBEAT_THREADS) % RENEWING_MEMBERS;
                            return 1;
                        };
                    });
            recordRenewals("http", "HTTP PUT heartbeats, 8 threads", heartbeats, results);
            OnSessions check = OnSessions.open(members, sessions);
            sessions.pumpRenewals(RENEWALS_IN_FLIGHT);
            Throughput.Measured renewFrames = Throughput.ofCounter(sessions::renewed, settings.measure(WARM_UP),
                    settings.measure(Duration.ofSeconds(10)), server.process());
            sessions.stopPumping();
            check.noneOverHttp("the renewals");
            recordRenewals("session", "renew frames on sessions, %d in flight each".formatted(RENEWALS_IN_FLIGHT), renewFrames,
                    results);
        }
    }

    private static void recordRenewals(String key, String how, Throughput.Measured renewals, Results results) {
        results.add("sessions.renewals." + key, "/s", "lease renewals/s, 1,000 members, " + how,
                renewals.operationsPerSecond());
        results.add("sessions.renewals.serverCpuPerRenewal." + key, "µs", "server CPU per renewal, " + how,
                renewals.serverCpuMicrosPerOp());
        results.add("sessions.renewals.generatorCpuPerRenewal." + key, "µs", "load generator CPU per renewal, " + how,
                renewals.generatorCpuMicrosPerOp());
    }

    /**
     * Every member on its session, and what says that the measurement after it really went over the sessions: no
     * delivery reached an HTTP receiver meanwhile, every one was acknowledged on a session, none refused, and no
     * session closed under the measurement.
     */
    private record OnSessions(SimulatedMembers members, SessionMembers sessions, long overHttpBefore,
                              long acknowledgedBefore) {

        static OnSessions open(SimulatedMembers members, SessionMembers sessions) {
            sessions.open(members.all());
            // The sessions renew the leases from now on, as a client on a session does.
            members.stopHeartbeatsOverHttp();
            return new OnSessions(members, sessions, members.received(), sessions.acknowledged());
        }

        /** Counts the acknowledgements from now on: those of the measured commands, not of the warm-up's. */
        OnSessions countingFromNow() {
            return new OnSessions(members, sessions, overHttpBefore, sessions.acknowledged());
        }

        void noneOverHttp(String measurement) {
            long overHttp = members.received() - overHttpBefore;
            if (overHttp > 0 || sessions.refused() > 0 || sessions.troubles() > 0 || members.failedRenewals() > 0) {
                throw new IllegalStateException("%s on sessions: %d deliveries over HTTP, %d refused on sessions, %d "
                        + "sessions closed or frames not sent, %d HTTP renewals failed".formatted(measurement, overHttp,
                        sessions.refused(), sessions.troubles(), members.failedRenewals()));
            }
        }

        void allDelivered(String measurement, long expected) {
            noneOverHttp(measurement);
            long acknowledged = sessions.acknowledged() - acknowledgedBefore;
            if (acknowledged != expected) {
                throw new IllegalStateException("%s on sessions: %d deliveries acknowledged on sessions, expected %d"
                        .formatted(measurement, acknowledged, expected));
            }
        }
    }
}

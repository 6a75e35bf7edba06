package dev.rankcluster.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Drives the real rank server jar (and real client jars) over HTTP on loopback and reports what users feel:
 * fan-out latency, throughput, memory and start-up. Every scenario runs {@code --runs} times against a fresh
 * server; the summary gives each figure's median and range over the runs.
 * <p>
 * Usage (from the repository root; {@code scripts/bench.sh} builds the jars and runs this):
 * {@code java -cp … dev.rankcluster.bench.load.LoadGenerator [--runs=3] [--scenarios=fanout,clients] [--quick=true]
 * [--server-jvm-flags="-XX:StartFlightRecording=filename=server.jfr"] [--client-jvm-flags="…"]}
 */
public final class LoadGenerator {

    static final List<Scenario> ALL = List.of(new ClientFootprintScenario(), new FanOutScenario(),
            new SustainedScenario(), new ChurnScenario(), new LoopbackScenario(), new ServerMemoryScenario(),
            new RealClientsScenario(), new ReplicaAckScenario(), new TransportScenario(),
            new SessionsScenario(), new SessionCrashScenario());
    static final List<String> SCENARIOS = ALL.stream().map(Scenario::name).toList();

    private LoadGenerator() {
    }

    public static void main(String[] args) {
        BenchSettings settings = BenchSettings.from(args);
        Results results = new Results();
        Map<String, Scenario> byName = ALL.stream().collect(Collectors.toMap(Scenario::name, Function.identity()));
        int failures = 0;
        for (int run = 1; run <= settings.runs(); run++) {
            for (String name : settings.scenarios()) {
                double load = loadAverage();
                results.load(name, run, load);
                System.out.printf("run %d/%d: %s (load average %.2f)%n", run, settings.runs(), name, load);
                try {
                    byName.get(name).run(settings, results);
                } catch (RuntimeException e) {
                    // The other scenarios still measure; the exit status tells that one failed.
                    failures++;
                    System.err.printf("run %d of %s failed: %s%n", run, name, e);
                    e.printStackTrace();
                }
                results.write(settings.outDirectory(), machine(), settings);
            }
        }
        // The chart draws the fanout scenario's figures: without them it would replace the last one with an empty one.
        if (settings.scenarios().contains("fanout")) {
            FanOutChart.write(results, settings.chart());
        }
        System.out.println();
        System.out.print(results.markdown());
        System.out.printf("%nResults in %s%s%n", settings.outDirectory(),
                settings.scenarios().contains("fanout") ? ", chart in " + settings.chart() : "");
        if (failures > 0) {
            System.err.printf("%d scenario runs failed: see above and the logs in %s%n", failures, settings.logDirectory());
            System.exit(1);
        }
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static Map<String, Object> machine() {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memory", firstValue(Path.of("/proc/meminfo"), "MemTotal"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        return machine;
    }

    private static String firstValue(Path file, String key) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).strip())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.rankcluster.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What {@link LoadGenerator} runs, from {@code --name=value} arguments.
 *
 * @param runs             how often each scenario runs, each time against a fresh server
 * @param scenarios        the scenarios to run, by name
 * @param quick            far fewer requests and shorter measurements: to try the harness, not to measure
 * @param clientJvmFlags   JVM flags of real clients: those of the client's Docker image
 */
record BenchSettings(Path serverJar, Path clientJar, Path outDirectory, Path chart, int runs, Set<String> scenarios,
                     boolean quick, List<String> clientJvmFlags, String clusterToken) {

    /** The client image's flags (Dockerfile, target {@code client}). */
    static final String CLIENT_IMAGE_FLAGS = "-Xmx48m -Xss256k -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    static BenchSettings from(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("arguments are --name=value, got " + arg);
            }
            given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        BenchSettings settings = new BenchSettings(
                Path.of(given.getOrDefault("server-jar", "rank-server/target/rank-server-1.0.0-SNAPSHOT.jar")),
                Path.of(given.getOrDefault("client-jar", "rank-client/target/rank-client-1.0.0-SNAPSHOT.jar")),
                Path.of(given.getOrDefault("out", "rank-bench/results")),
                Path.of(given.getOrDefault("chart", "images/fanout-latency.png")),
                Integer.parseInt(given.getOrDefault("runs", "3")),
                Arrays.stream(given.getOrDefault("scenarios", String.join(",", LoadGenerator.SCENARIOS)).split(","))
                        .map(String::strip).collect(Collectors.toCollection(java.util.LinkedHashSet::new)),
                Boolean.parseBoolean(given.getOrDefault("quick", "false")),
                List.of(given.getOrDefault("client-jvm-flags", CLIENT_IMAGE_FLAGS).strip().split("\\s+")),
                given.getOrDefault("cluster-token", "bench-cluster-token"));
        settings.check();
        return settings;
    }

    private void check() {
        boolean needsClient = scenarios.contains("client") || scenarios.contains("clients");
        for (Path jar : needsClient ? List.of(serverJar, clientJar) : List.of(serverJar)) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException("no jar at %s: build it first (./mvnw -B -DskipTests package)".formatted(jar));
            }
        }
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, got " + runs);
        }
        for (String scenario : scenarios) {
            if (!LoadGenerator.SCENARIOS.contains(scenario)) {
                throw new IllegalArgumentException("unknown scenario %s; known: %s".formatted(scenario, LoadGenerator.SCENARIOS));
            }
        }
    }

    Path logDirectory() {
        return outDirectory.resolve("logs");
    }

    /** A measured duration, or a short one in quick mode. */
    Duration measure(Duration full) {
        return quick ? Duration.ofSeconds(2) : full;
    }

    /** A number of requests, or a few in quick mode. */
    int count(int full) {
        return quick ? Math.min(full, 10) : full;
    }
}

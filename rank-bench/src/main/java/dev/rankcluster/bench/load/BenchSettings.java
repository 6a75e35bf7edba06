package dev.rankcluster.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
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
 * @param serverJvmExtra   JVM flags added to the server's, e.g. to record a flight recording while it is measured
 * @param profile          whether to record the server with JFR while each throughput is measured
 * @param clientImage      how real clients run: as the client's Docker image runs them, unless
 *                         {@code --client-jvm-flags} says otherwise; null when no scenario starts a client
 */
record BenchSettings(Path serverJar, Path outDirectory, Path chart, int runs, Set<String> scenarios,
                     boolean quick, List<String> serverJvmExtra, boolean profile, ClientImage clientImage, String clusterToken) {

    static BenchSettings from(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("arguments are --name=value, got " + arg);
            }
            given.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Path serverJar = existing(Path.of(given.getOrDefault("server-jar", "rank-server/target/rank-server-1.0.0-SNAPSHOT.jar")));
        Set<String> scenarios = Arrays.stream(given.getOrDefault("scenarios", String.join(",", LoadGenerator.SCENARIOS)).split(","))
                .map(String::strip).collect(Collectors.toCollection(LinkedHashSet::new));
        ClientImage clientImage = null;
        if (scenarios.contains("client") || scenarios.contains("clients") || scenarios.contains("session-crash")) {
            Path clientJar = existing(Path.of(given.getOrDefault("client-jar", "rank-client/target/rank-client-1.0.0-SNAPSHOT.jar")));
            clientImage = given.containsKey("client-jvm-flags")
                    ? ClientImage.withFlags(List.of(given.get("client-jvm-flags").strip().split("\\s+")), clientJar, Path.of("Dockerfile"))
                    : ClientImage.fromDockerfile(Path.of("Dockerfile"), clientJar, Path.of("rank-bench/target/client-image"));
        }
        BenchSettings settings = new BenchSettings(serverJar,
                Path.of(given.getOrDefault("out", "rank-bench/results")),
                Path.of(given.getOrDefault("chart", "images/fanout-latency.png")),
                Integer.parseInt(given.getOrDefault("runs", "3")),
                scenarios,
                Boolean.parseBoolean(given.getOrDefault("quick", "false")),
                given.containsKey("server-jvm-flags") ? List.of(given.get("server-jvm-flags").strip().split("\\s+")) : List.of(),
                Boolean.parseBoolean(given.getOrDefault("profile", "false")),
                clientImage,
                given.getOrDefault("cluster-token", "bench-cluster-token"));
        settings.check();
        return settings;
    }

    private static Path existing(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no jar at %s: build it first (./mvnw -B -DskipTests package)".formatted(jar));
        }
        return jar;
    }

    private void check() {
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

    /** Where the flight recording of a measurement goes, or null when the server is not profiled. */
    Path recording(String measurement) {
        return profile ? outDirectory.resolve("profiles").resolve(measurement + ".jfr") : null;
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

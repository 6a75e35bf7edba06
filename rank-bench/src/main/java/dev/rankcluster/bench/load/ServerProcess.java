package dev.rankcluster.bench.load;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The real rank server jar as a process on a free loopback port, with the JVM flags of its Docker image.
 * The per-member command rate limit and the capacity are raised so that they do not cap what is measured.
 */
final class ServerProcess implements AutoCloseable {

    /** As the server's Docker image runs it. */
    static final List<String> JVM_FLAGS = List.of("-XX:MaxRAMPercentage=75");
    static final List<String> BENCH_PROPERTIES = List.of(
            "--rank.server.max-commands-per-second=1000000",
            "--rank.server.max-members=1000000");

    private final JavaProcess java;
    private final RankApi api;
    private final URI uri;

    private ServerProcess(JavaProcess java, URI uri, String clusterToken) {
        this.java = java;
        this.uri = uri;
        this.api = new RankApi(uri, clusterToken);
    }

    static ServerProcess start(BenchSettings settings, String name, List<String> extraProperties) {
        int port = JavaProcess.freePort();
        List<String> arguments = new ArrayList<>(JVM_FLAGS);
        arguments.addAll(settings.serverJvmExtra());
        arguments.addAll(List.of("-jar", settings.serverJar().toString(), "--server.port=" + port,
                "--server.address=127.0.0.1", "--rank.cluster.token=" + settings.clusterToken()));
        arguments.addAll(BENCH_PROPERTIES);
        arguments.addAll(extraProperties);
        Path log = settings.logDirectory().resolve(name + ".log");
        ServerProcess server = new ServerProcess(JavaProcess.start(arguments, log), URI.create("http://127.0.0.1:" + port), settings.clusterToken());
        server.awaitUp(log);
        return server;
    }

    private void awaitUp(Path log) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!api.isUp()) {
            if (!java.isAlive() || System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("the rank server did not come up; see " + log);
            }
            Pause.briefly();
        }
    }

    RankApi api() {
        return api;
    }

    URI uri() {
        return uri;
    }

    JavaProcess process() {
        return java;
    }

    @Override
    public void close() {
        api.close();
        java.close();
    }
}

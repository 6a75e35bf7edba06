package dev.rankcluster.systemtests;

import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (or {@code redis-sentinel}) on a free loopback port without persistence: stopping
 * and starting it again is a Redis that lost its data. Missing binary: skipped, or a failure on CI
 * ({@code CI=true}).
 */
final class RedisProcess implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/redis-server");
    private static final Path SENTINEL_BINARY = Path.of("/usr/bin/redis-sentinel");

    private final int port;
    private final List<String> command;
    private Process process;

    private RedisProcess(int port, List<String> command) {
        this.port = port;
        this.command = command;
    }

    static RedisProcess startOnFreePort() {
        return startServer(List.of());
    }

    /** A replica of {@code primary}, as Sentinel finds it: through the primary's list of replicas. */
    static RedisProcess startReplicaOf(RedisProcess primary) {
        return startServer(List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port())));
    }

    /**
     * A Sentinel watching {@code primary} as {@code master}, with a quorum of 2, that judges a primary down after
     * {@code downAfter} without an answer. Sentinel rewrites its configuration file, so it gets its own in {@code dir}.
     */
    static RedisProcess startSentinel(RedisProcess primary, String master, Duration downAfter, Path dir) {
        requireInstalled(SENTINEL_BINARY, "redis-sentinel");
        int port = Cluster.freePort();
        Path config = dir.resolve("sentinel-" + port + ".conf");
        try {
            Files.writeString(config, String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "sentinel monitor %s 127.0.0.1 %d 2".formatted(master, primary.port()),
                    "sentinel down-after-milliseconds %s %d".formatted(master, downAfter.toMillis()),
                    "sentinel failover-timeout %s 10000".formatted(master),
                    "sentinel parallel-syncs %s 1".formatted(master),
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var sentinel = new RedisProcess(port, List.of(SENTINEL_BINARY.toString(), config.toString()));
        sentinel.start();
        return sentinel;
    }

    private static RedisProcess startServer(List<String> extraArguments) {
        requireInstalled(BINARY, "redis-server");
        int port = Cluster.freePort();
        // A replica writes the copy it receives to disk: into a directory of its own, not the build's.
        var command = new ArrayList<>(List.of(BINARY.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", temporaryDirectory().toString()));
        command.addAll(extraArguments);
        var redis = new RedisProcess(port, List.copyOf(command));
        redis.start();
        return redis;
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void requireInstalled(Path binary, String debianPackage) {
        boolean installed = Files.isExecutable(binary);
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(binary + " is missing: .ci/run installs the " + debianPackage + " package");
        }
        Assumptions.assumeTrue(installed, binary + " is not installed (apt-get install " + debianPackage + "): skipped");
    }

    int port() {
        return port;
    }

    String address() {
        return "127.0.0.1:" + port;
    }

    synchronized void start() {
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await("redis on port " + port).atMost(Duration.ofSeconds(20)).until(this::answersPing);
    }

    synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        awaitExit();
    }

    /** SIGKILL: a crash, with no chance to tell anyone. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public void close() {
        stop();
    }

    /** One command, its reply flattened to strings: an error reply is a string starting with {@code "-"}. */
    List<String> call(String... arguments) {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            var request = new StringBuilder("*").append(arguments.length).append("\r\n");
            for (var argument : arguments) {
                request.append('$').append(argument.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(argument).append("\r\n");
            }
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.UTF_8));
            var reply = new ArrayList<String>();
            readReply(new BufferedInputStream(socket.getInputStream()), reply);
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException("redis " + address() + " " + String.join(" ", arguments), e);
        }
    }

    /** A field of {@code INFO replication}, such as {@code role} or {@code master_link_status}. */
    String replicationInfo(String field) {
        for (var line : call("INFO", "replication").getFirst().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return line.substring(field.length() + 1);
            }
        }
        return "";
    }

    private static void readReply(InputStream in, List<String> into) throws IOException {
        var line = readLine(in);
        switch (line.charAt(0)) {
            case '+', ':' -> into.add(line.substring(1));
            case '-' -> into.add(line);
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length >= 0) {
                    into.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
                    in.readNBytes(2);
                }
            }
            case '*' -> {
                int count = Integer.parseInt(line.substring(1));
                for (int i = 0; i < count; i++) {
                    readReply(in, into);
                }
            }
            default -> throw new IOException("not a RESP reply: " + line);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed mid-reply");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private boolean answersPing() {
        try (var socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            return "+PONG\r\n".equals(new String(socket.getInputStream().readNBytes(7), StandardCharsets.US_ASCII));
        } catch (IOException notYet) {
            return false;
        }
    }

}

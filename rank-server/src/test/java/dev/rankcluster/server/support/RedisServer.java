package dev.rankcluster.server.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
 * A real {@code redis-server} on a free loopback port, without persistence, for the tests of the Redis store.
 * Missing binary: the test is skipped, or fails on CI ({@code CI=true}), where {@code .ci/run} installs it.
 */
public final class RedisServer implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final int port;
    private final List<String> extraArguments;
    private Process process;

    private RedisServer(int port, List<String> extraArguments) {
        this.port = port;
        this.extraArguments = extraArguments;
    }

    public static RedisServer startOnFreePort() {
        return startOnFreePort(List.of());
    }

    /** A replica of {@code primary}: it copies everything the primary holds and then every change. */
    public static RedisServer startReplicaOf(RedisServer primary) {
        // A replica writes the copy it receives to disk: into a directory of its own, not the build's.
        try {
            return startOnFreePort(List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port()),
                    "--dir", Files.createTempDirectory("redis-replica-").toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RedisServer startOnFreePort(List<String> extraArguments) {
        boolean installed = Files.isExecutable(BINARY);
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(BINARY + " is missing: .ci/run installs the redis-server package");
        }
        Assumptions.assumeTrue(installed, BINARY + " is not installed (apt-get install redis-server): Redis tests skipped");
        RedisServer server = new RedisServer(freePort(), extraArguments);
        server.start();
        return server;
    }

    public int port() {
        return port;
    }

    /** Waits until this replica has copied its primary and follows it ({@code master_link_status:up}). */
    public void awaitInSync() {
        await("replica on " + port + " in sync").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> info("replication").contains("master_link_status:up"));
    }

    private String info(String section) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(("INFO " + section + "\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] answer = new byte[8192];
            int read = socket.getInputStream().read(answer);
            return read < 0 ? "" : new String(answer, 0, read, StandardCharsets.US_ASCII);
        } catch (IOException notYet) {
            return "";
        }
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Starts the server (again) on its port, empty. */
    public synchronized void start() {
        try {
            List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
            command.addAll(extraArguments);
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(this::answersPing);
    }

    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    public void flushAll() {
        if (!"+OK\r\n".equals(send("FLUSHALL\r\n", 5))) {
            throw new IllegalStateException("FLUSHALL failed on port " + port);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private boolean answersPing() {
        try {
            return "+PONG\r\n".equals(send("PING\r\n", 7));
        } catch (UncheckedIOException notYet) {
            return false;
        }
    }

    /** One inline command, and the first bytes of its answer. */
    private String send(String command, int answerLength) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(command.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readNBytes(answerLength), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

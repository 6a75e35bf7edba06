package dev.rankcluster.systemtests;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} on a free loopback port without persistence: stopping and starting it again
 * is a Redis that lost its data. Missing binary: skipped, or a failure on CI ({@code CI=true}).
 */
final class RedisProcess implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final int port;
    private Process process;

    private RedisProcess(int port) {
        this.port = port;
    }

    static RedisProcess startOnFreePort() {
        boolean installed = Files.isExecutable(BINARY);
        if (!installed && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(BINARY + " is missing: .ci/run installs the redis-server package");
        }
        Assumptions.assumeTrue(installed, BINARY + " is not installed (apt-get install redis-server): skipped");
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            var redis = new RedisProcess(socket.getLocalPort());
            socket.close();
            redis.start();
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    synchronized void start() {
        try {
            process = new ProcessBuilder(BINARY.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await("redis-server on port " + port).atMost(Duration.ofSeconds(20)).until(this::answersPing);
    }

    synchronized void stop() {
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

    @Override
    public void close() {
        stop();
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

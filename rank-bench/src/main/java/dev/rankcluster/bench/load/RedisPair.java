package dev.rankcluster.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Redis primary and one replica ({@code redis-server} from Debian's package) on free loopback ports. */
final class RedisPair implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final List<Process> processes = new ArrayList<>();
    private final int primaryPort;

    private RedisPair() {
        primaryPort = start(List.of());
        int replicaPort = start(List.of("--replicaof", "127.0.0.1", Integer.toString(primaryPort)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!info(replicaPort).contains("master_link_status:up")) {
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("the replica did not catch up with the primary");
            }
            Pause.briefly();
        }
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    static RedisPair start() {
        return new RedisPair();
    }

    int primaryPort() {
        return primaryPort;
    }

    private int start(List<String> extra) {
        int port = JavaProcess.freePort();
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
        command.addAll(extra);
        try {
            // A replica writes the copy it receives to disk: into a directory of its own.
            command.addAll(List.of("--dir", Files.createTempDirectory("redis-").toString()));
            processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (info(port).isEmpty()) {
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException("redis-server did not start on port " + port);
            }
            Pause.briefly();
        }
        return port;
    }

    /** {@code INFO replication}, or empty while the server does not answer. */
    private static String info(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("INFO replication\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] buffer = new byte[4096];
            int read = socket.getInputStream().read(buffer);
            return read <= 0 ? "" : new String(buffer, 0, read, StandardCharsets.US_ASCII);
        } catch (IOException notYet) {
            return "";
        }
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

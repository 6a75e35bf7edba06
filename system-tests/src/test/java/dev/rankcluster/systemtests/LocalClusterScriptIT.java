package dev.rankcluster.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs {@code scripts/local-cluster.sh} as a person would: two clients on a free base port, the first client's
 * port taken beforehand, then Ctrl-C (SIGINT).
 */
class LocalClusterScriptIT {

    private static final Path REPOSITORY = Path.of(System.getProperty("user.dir")).getParent();
    /** Generous: two cores shared with other builds can make a JVM take minutes to start. */
    private static final Duration STARTUP = Duration.ofMinutes(8);

    private final List<String> output = new ArrayList<>();
    private Process script;

    @AfterEach
    void killLeftovers() {
        if (script != null) {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly();
        }
    }

    @Test
    void run_firstClientsPortTaken_deadClientReportedNextGetsRankZeroAndCtrlCStopsEverything() throws Exception {
        int base = freeBasePort(3);
        try (var taken = new ServerSocket(base + 1, 50, InetAddress.getLoopbackAddress())) {
            script = start("--base-port", Integer.toString(base), "2");

            await().atMost(STARTUP).untilAsserted(() -> assertThat(printed("clients running") || !script.isAlive())
                    .as(() -> String.join("\n", lines())).isTrue());

            assertThat(lines()).as(() -> String.join("\n", lines()))
                    .anySatisfy(line -> assertThat(line).matches("client-2 +\\d+ +%d +0".formatted(base + 2)))
                    .anySatisfy(line -> assertThat(line).matches("server +\\d+ +%d +- +dashboard: .*".formatted(base)))
                    .contains("1 of 2 clients running",
                            "Not running: client-1 (port %d) exited during start-up".formatted(base + 1))
                    .noneSatisfy(line -> assertThat(line).matches("client-1 +\\d+ .*"));
        }
        var jvms = script.descendants().toList();
        assertThat(jvms).hasSizeGreaterThanOrEqualTo(2);

        new ProcessBuilder("kill", "-INT", Long.toString(script.pid())).start().waitFor(5, TimeUnit.SECONDS);

        assertThat(script.waitFor(60, TimeUnit.SECONDS)).as("script stopped").isTrue();
        assertThat(script.exitValue()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> jvms.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(lines()).contains("Stopping the clients (they unregister), then the server")
                .anySatisfy(line -> assertThat(line).startsWith("client-2 |").contains("Unregistered 127.0.0.1:" + (base + 2)))
                .noneSatisfy(line -> assertThat(line).containsPattern("line \\d+: *\\d+ (Killed|Terminated)"));
    }

    private Process start(String... args) throws IOException {
        var command = new ArrayList<>(List.of("bash", "scripts/local-cluster.sh"));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(REPOSITORY.toFile()).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        var process = builder.start();
        process.getOutputStream().close();
        Thread.ofPlatform().daemon().start(() -> {
            try (var reader = process.inputReader()) {
                for (var line = reader.readLine(); line != null; line = reader.readLine()) {
                    synchronized (output) {
                        output.add(line);
                    }
                }
            } catch (IOException e) {
                // The script is gone.
            }
        });
        return process;
    }

    private List<String> lines() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    private boolean printed(String text) {
        return lines().stream().anyMatch(line -> line.contains(text));
    }

    /** A base port with {@code count} free ports from it, away from the ports other tests and people use. */
    private static int freeBasePort(int count) {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " free ports in a row");
    }

    private static boolean allFree(int base, int count) {
        for (int port = base; port < base + count; port++) {
            try (var socket = new ServerSocket(port)) {
                socket.setReuseAddress(true);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }
}

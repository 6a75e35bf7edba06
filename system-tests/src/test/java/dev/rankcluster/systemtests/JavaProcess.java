package dev.rankcluster.systemtests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A jar running as a separate OS process, its output captured line by line. Signals are sent as an operator
 * would: SIGTERM (graceful), SIGKILL (crash), SIGSTOP/SIGCONT (freeze). Closing it kills it; a JVM shutdown
 * hook kills whatever is still running if the test JVM itself is stopped.
 */
final class JavaProcess implements AutoCloseable {

    /** Small, fast-starting JVMs: the suite starts many of them on two cores. */
    private static final List<String> JVM_FLAGS =
            List.of("-XX:TieredStopAtLevel=1", "-Xshare:auto", "-Xss256k", "-Xmx96m", "-XX:+UseSerialGC");

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(
                new Thread(() -> RUNNING.forEach(Process::destroyForcibly), "kill-started-processes"));
    }

    private final String name;
    private final Process process;
    private final List<String> output = new ArrayList<>();
    private final Thread outputReader;

    private JavaProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.outputReader = Thread.ofPlatform().daemon().name(name + "-output").unstarted(this::captureOutput);
    }

    static JavaProcess start(String name, Path jar, List<String> args) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("%s not found: build it first (./mvnw -B verify builds it)".formatted(jar));
        }
        var command = new ArrayList<String>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(args);
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            RUNNING.add(process);
            process.getOutputStream().close();
            var started = new JavaProcess(name + " (pid " + process.pid() + ")", process);
            started.outputReader.start();
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    private void captureOutput() {
        try (var reader = process.inputReader()) {
            for (var line = reader.readLine(); line != null; line = reader.readLine()) {
                synchronized (output) {
                    output.add(line);
                }
            }
        } catch (IOException e) {
            // The stream closes when the process dies: nothing more to capture.
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    List<String> output() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    /** How many lines printed so far contain {@code text}. */
    long linesContaining(String text) {
        return output().stream().filter(line -> line.contains(text)).count();
    }

    /** Waits until a line containing {@code text} has been printed: a log line follows what it reports closely. */
    void awaitPrinted(String text) {
        awaitPrinted(text, 1, Duration.ofSeconds(5));
    }

    /** Waits until {@code count} lines containing {@code text} have been printed. */
    void awaitPrinted(String text, long count, Duration timeout) {
        await("%s prints '%s' (%d times)".formatted(name, text, count)).atMost(timeout)
                .until(() -> linesContaining(text) >= count);
    }

    // Signals go through the ProcessHandle: Process.destroy() would also close our end of the output pipe,
    // and lose what the process prints while it shuts down.

    /** SIGTERM, what {@code docker stop} and {@code kill} send: the JVM shuts down gracefully. */
    void terminate() {
        process.toHandle().destroy();
    }

    /** SIGKILL: a crash, no shutdown hook runs. */
    void kill() {
        process.toHandle().destroyForcibly();
    }

    /** SIGSTOP: the process stays alive but runs no instruction, like a long GC pause or a suspended VM. */
    void freeze() {
        signal("STOP");
    }

    /** SIGCONT: a frozen process runs again. */
    void resume() {
        signal("CONT");
    }

    /** Whether the kernel shows the process as stopped (state {@code T} in {@code /proc/<pid>/stat}). */
    boolean isFrozen() {
        try {
            var stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
            // "pid (command) state ...": the command may itself contain parentheses.
            return stat.substring(stat.lastIndexOf(')') + 1).strip().startsWith("T");
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until the process has exited and everything it printed is captured. */
    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    && outputReader.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    String describeExit() {
        return process.isAlive() ? "running" : "exit code " + process.exitValue();
    }

    private void signal(String signal) {
        try {
            var kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -%s %d failed for %s".formatted(signal, pid(), name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending SIG" + signal + " to " + name, e);
        }
    }

    /** Kills the process if it still runs (SIGKILL works on a frozen one too) and waits until it is gone. */
    @Override
    public void close() {
        process.toHandle().destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
        RUNNING.remove(process);
    }
}

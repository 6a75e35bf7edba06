package dev.rankcluster.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM the benchmark starts, with the JDK that runs the benchmark. Its output goes to a log file, line by
 * line, so that a line the benchmark waits for ({@link #firstLine}) is seen the moment it is printed.
 */
final class JavaProcess implements AutoCloseable {

    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

    private final Process process;
    private final long startedNanos;
    private final List<LineWatch> watches = new ArrayList<>();

    private JavaProcess(Process process, long startedNanos) {
        this.process = process;
        this.startedNanos = startedNanos;
    }

    static JavaProcess start(List<String> arguments, Path log) {
        return start(arguments, Map.of(), log);
    }

    /** A JVM with these variables added to the benchmark's own environment. */
    static JavaProcess start(List<String> arguments, Map<String, String> environment, Path log) {
        List<String> command = new ArrayList<>();
        command.add(JAVA_HOME.resolve("bin/java").toString());
        command.addAll(arguments);
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            long started = System.nanoTime();
            Process process = builder.start();
            JavaProcess java = new JavaProcess(process, started);
            Thread.ofVirtual().name("log-" + process.pid()).start(() -> java.copyOutput(log));
            return java;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Completes with the time from start to the first line that matches, and the match. */
    CompletableFuture<Timed> firstLine(Pattern pattern) {
        LineWatch watch = new LineWatch(pattern, new CompletableFuture<>());
        synchronized (watches) {
            watches.add(watch);
        }
        return watch.seen;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** CPU time the process has used so far (user + system). */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** A field of {@code /proc/<pid>/status} in KiB, e.g. {@code VmRSS} (resident now) or {@code VmHWM} (peak). */
    long statusKib(String field) {
        return procKib("status", field);
    }

    /**
     * Proportional set size in KiB: resident memory with each page shared by n processes counted 1/n, what one
     * more process of many really costs.
     */
    long pssKib() {
        return procKib("smaps_rollup", "Pss");
    }

    private long procKib(String file, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), file))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/%d/%s".formatted(pid(), file), e);
        }
        throw new IllegalStateException("no %s in /proc/%d/%s".formatted(field, pid(), file));
    }

    /** Runs {@code jcmd <pid> <command…>} and answers its output. */
    String jcmd(String... command) {
        List<String> line = new ArrayList<>(List.of(JAVA_HOME.resolve("bin/jcmd").toString(), Long.toString(pid())));
        line.addAll(List.of(command));
        try {
            Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).start();
            String output = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (jcmd.waitFor() != 0) {
                throw new IllegalStateException("%s failed: %s".formatted(line, output));
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + line, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Bytes of live objects: a full GC, then the class histogram's total. */
    long liveHeapBytes() {
        Matcher total = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(jcmd("GC.class_histogram"));
        if (!total.find()) {
            throw new IllegalStateException("no total in the class histogram of process " + pid());
        }
        return Long.parseLong(total.group(1));
    }

    /** Starts a flight recording (JFR, profiling settings) that {@link #stopRecording} writes out. */
    void startRecording() {
        jcmd("JFR.start", "name=bench", "settings=profile");
    }

    void stopRecording(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        jcmd("JFR.stop", "name=bench", "filename=" + file.toAbsolutePath());
    }

    /** SIGKILL, as a crash: the process has no chance to unregister or close anything. Does not wait. */
    void kill() {
        process.destroyForcibly();
    }

    /** SIGTERM (a graceful stop), then SIGKILL if the process is still there after the grace period. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private void copyOutput(Path log) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                long at = System.nanoTime();
                out.println(line);
                check(line, at);
            }
        } catch (IOException e) {
            // the process is gone; its log ends here
        }
        synchronized (watches) {
            watches.forEach(watch -> watch.seen.completeExceptionally(
                    new IllegalStateException("process %d exited before printing %s".formatted(pid(), watch.pattern))));
        }
    }

    private void check(String line, long at) {
        synchronized (watches) {
            for (LineWatch watch : watches) {
                if (!watch.seen.isDone()) {
                    Matcher match = watch.pattern.matcher(line);
                    if (match.find()) {
                        watch.seen.complete(new Timed(Duration.ofNanos(at - startedNanos), match));
                    }
                }
            }
        }
    }

    /** When a line was printed, counted from the process start, and what matched in it. */
    record Timed(Duration sinceStart, Matcher match) {
    }

    private record LineWatch(Pattern pattern, CompletableFuture<Timed> seen) {
    }
}

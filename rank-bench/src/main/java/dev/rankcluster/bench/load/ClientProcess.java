package dev.rankcluster.bench.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A real rank client jar as a process, with the JVM flags and environment its Docker image uses, registered with
 * the server under test. It sends no commands of its own: the benchmark's sender is the only one, so each figure
 * counts only the benchmark's commands.
 */
final class ClientProcess implements AutoCloseable {

    private static final Pattern REGISTERED = Pattern.compile("Registered (\\S+) with rank (\\d+)");
    private static final Pattern SESSION_OPENED = Pattern.compile("Session opened with (\\S+)");

    private final JavaProcess java;
    private final CompletableFuture<JavaProcess.Timed> registered;
    private final CompletableFuture<JavaProcess.Timed> sessionOpened;

    private ClientProcess(JavaProcess java) {
        this.java = java;
        this.registered = java.firstLine(REGISTERED);
        this.sessionOpened = java.firstLine(SESSION_OPENED);
    }

    static ClientProcess start(BenchSettings settings, String name, URI server) {
        return start(settings, name, server, List.of());
    }

    /** A client with these {@code --name=value} properties added to the benchmark's. */
    static ClientProcess start(BenchSettings settings, String name, URI server, List<String> extraProperties) {
        List<String> arguments = new ArrayList<>(settings.clientImage().jvmFlags());
        arguments.addAll(List.of("-jar", settings.clientImage().jar().toString(),
                "--server.port=" + JavaProcess.freePort(),
                "--server.address=127.0.0.1",
                "--rank.client.server-url=" + server,
                "--rank.client.send-enabled=false",
                "--rank.cluster.token=" + settings.clusterToken()));
        arguments.addAll(extraProperties);
        return new ClientProcess(JavaProcess.start(arguments, settings.clientImage().environment(),
                settings.logDirectory().resolve(name + ".log")));
    }

    /** Time from the process start to its {@code Registered … with rank …} log line. */
    Duration awaitRegistered(Duration timeout) {
        return await(registered, "register", timeout).sinceStart();
    }

    /** The address the client registered, as the ranking lists it; once it has registered. */
    String address(Duration timeout) {
        return await(registered, "register", timeout).match().group(1);
    }

    /** Time from the process start to its {@code Session opened with …} log line. */
    Duration awaitSessionOpened(Duration timeout) {
        return await(sessionOpened, "open a session", timeout).sinceStart();
    }

    private JavaProcess.Timed await(CompletableFuture<JavaProcess.Timed> line, String what, Duration timeout) {
        try {
            return line.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("client %d did not %s".formatted(java.pid(), what), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("client %d did not %s within %s".formatted(java.pid(), what, timeout), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** SIGKILL: the client crashes, without unregistering or closing its session. */
    void kill() {
        java.kill();
    }

    JavaProcess process() {
        return java;
    }

    @Override
    public void close() {
        java.close();
    }
}

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

    private final JavaProcess java;
    private final CompletableFuture<JavaProcess.Timed> registered;

    private ClientProcess(JavaProcess java) {
        this.java = java;
        this.registered = java.firstLine(REGISTERED);
    }

    static ClientProcess start(BenchSettings settings, String name, URI server) {
        List<String> arguments = new ArrayList<>(settings.clientImage().jvmFlags());
        arguments.addAll(List.of("-jar", settings.clientImage().jar().toString(),
                "--server.port=" + JavaProcess.freePort(),
                "--server.address=127.0.0.1",
                "--rank.client.server-url=" + server,
                "--rank.client.send-enabled=false",
                "--rank.cluster.token=" + settings.clusterToken()));
        return new ClientProcess(JavaProcess.start(arguments, settings.clientImage().environment(),
                settings.logDirectory().resolve(name + ".log")));
    }

    /** Time from the process start to its {@code Registered … with rank …} log line. */
    Duration awaitRegistered(Duration timeout) {
        try {
            return registered.get(timeout.toMillis(), TimeUnit.MILLISECONDS).sinceStart();
        } catch (ExecutionException e) {
            throw new IllegalStateException("client %d did not register".formatted(java.pid()), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("client %d did not register within %s".formatted(java.pid(), timeout), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    JavaProcess process() {
        return java;
    }

    @Override
    public void close() {
        java.close();
    }
}

package dev.rankcluster.systemtests;

import static java.util.Objects.requireNonNull;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A rank server and its clients as real OS processes on 127.0.0.1: free ports, a short lease TTL, and a random
 * cluster token so that registrations are authenticated and deliveries signed, as in production.
 * Register it as a static JUnit extension: when a test fails it prints the end of every process's output,
 * and after the class it kills every process it started.
 */
final class Cluster implements AfterAllCallback, TestWatcher {

    /** JVMs start slowly on two busy cores (over a minute when shared); this only bounds a start that hangs. */
    static final Duration STARTUP = Duration.ofMinutes(3);

    private static final int OUTPUT_TAIL_LINES = 300;

    private final Duration leaseTtl;
    private final Path serverJar = jar("rank.server.jar");
    private final Path clientJar = jar("rank.client.jar");
    private final String clusterToken = randomToken();
    private final String adminToken = randomToken();
    private final JsonHttp http = new JsonHttp();
    private final List<JavaProcess> processes = new CopyOnWriteArrayList<>();
    private final List<RankClient> clients = new CopyOnWriteArrayList<>();
    private final AtomicInteger clientNumber = new AtomicInteger();
    private volatile RankServer server;

    Cluster(Duration leaseTtl) {
        this.leaseTtl = leaseTtl;
    }

    Duration leaseTtl() {
        return leaseTtl;
    }

    /** The cluster token every process of this cluster was given: what a registration needs. */
    String clusterToken() {
        return clusterToken;
    }

    /** The admin token of this cluster's server: what removing a member or dropping its session needs. */
    String adminToken() {
        return adminToken;
    }

    RankServer server() {
        return requireNonNull(server, "no server started");
    }

    RankServer startServer() {
        return startServer(freePort());
    }

    /** Stops the server with SIGTERM and starts a new one on the same port, as an operator's restart does. */
    RankServer restartServer() {
        var old = server();
        old.process().terminate();
        if (!old.process().awaitExit(Duration.ofSeconds(30))) {
            throw new AssertionError(old.process().name() + " did not exit within 30 s of SIGTERM");
        }
        return startServer(old.port());
    }

    private RankServer startServer(int port) {
        var process = start("server", serverJar, List.of(
                "--server.port=" + port,
                "--server.address=127.0.0.1",
                "--rank.server.lease-ttl=" + leaseTtl.toMillis() + "ms",
                "--rank.cluster.token=" + clusterToken,
                "--rank.server.admin-token=" + adminToken));
        var started = new RankServer(process, port, http);
        await(process.name() + " healthy").atMost(STARTUP).until(() -> stillRunning(process) && started.isHealthy());
        server = started;
        return started;
    }

    /** Starts one client and waits until the server ranks it. */
    RankClient startClient(String... properties) {
        return startClients(1, properties).getFirst();
    }

    /**
     * Starts {@code count} clients at once (so they join in any order) and waits until the server ranks them all.
     * {@code properties} ({@code --name=value}) override the defaults, e.g. to let a client send commands.
     */
    List<RankClient> startClients(int count, String... properties) {
        var rankServer = server();
        var started = IntStream.range(0, count).mapToObj(i -> {
            int port = freePort();
            var process = start("client-" + clientNumber.incrementAndGet(), clientJar,
                    clientArguments(rankServer, port, properties));
            return new RankClient(process, port, http);
        }).toList();
        clients.addAll(started);
        var addresses = started.stream().map(RankClient::address).toList();
        await("registration of " + addresses).atMost(STARTUP).until(() ->
                started.stream().allMatch(client -> stillRunning(client.process()))
                        && rankServer.addresses().containsAll(addresses));
        return started;
    }

    private List<String> clientArguments(RankServer rankServer, int port, String... overrides) {
        var properties = new LinkedHashMap<String, String>();
        properties.put("server.port", Integer.toString(port));
        properties.put("server.address", "127.0.0.1");
        properties.put("rank.client.server-url", "http://127.0.0.1:" + rankServer.port());
        properties.put("rank.client.send-enabled", "false");
        properties.put("rank.cluster.token", clusterToken);
        for (var override : overrides) {
            // Spring joins a repeated command-line property with commas, so an override replaces the default.
            var nameAndValue = override.substring(2).split("=", 2);
            properties.put(nameAndValue[0], nameAndValue[1]);
        }
        var arguments = new ArrayList<String>();
        properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
        return arguments;
    }

    /** Clients whose process still runs (a frozen one counts). */
    List<RankClient> liveClients() {
        return clients.stream().filter(client -> client.process().isAlive()).toList();
    }

    /** Starts clients until {@code count} run and are ranked; tests that stop clients leave gaps to fill. */
    void ensureLiveClients(int count) {
        int missing = count - liveClients().size();
        if (missing > 0) {
            startClients(missing);
        }
    }

    RankClient client(String address) {
        return clients.stream().filter(client -> client.address().equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError("no client of this cluster has address " + address));
    }

    /** {@code addresses} without {@code client}'s, order kept: the ranking expected once it has left. */
    static List<String> without(List<String> addresses, RankClient client) {
        return addresses.stream().filter(address -> !address.equals(client.address())).toList();
    }

    private JavaProcess start(String name, Path jar, List<String> arguments) {
        var process = JavaProcess.start(name, jar, arguments);
        processes.add(process);
        return process;
    }

    private static boolean stillRunning(JavaProcess process) {
        if (!process.isAlive()) {
            process.awaitExit(Duration.ofSeconds(5));
            throw new AssertionError("%s stopped during start-up (%s); its output:%n%s".formatted(
                    process.name(), process.describeExit(), String.join("\n", process.output())));
        }
        return true;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        printOutputs(context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (context.getExecutionException().isPresent()) {
            printOutputs(context.getDisplayName());
        }
        processes.forEach(JavaProcess::close);
    }

    private void printOutputs(String failedTest) {
        var report = new StringBuilder("%n==== %s failed: output of every process ====%n".formatted(failedTest));
        for (var process : processes) {
            var output = process.output();
            var tail = output.subList(Math.max(0, output.size() - OUTPUT_TAIL_LINES), output.size());
            report.append("---- %s, %s, last %d of %d lines%n".formatted(
                    process.name(), process.describeExit(), tail.size(), output.size()));
            tail.forEach(line -> report.append(line).append('\n'));
        }
        System.out.print(report);
    }

    static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    static String randomToken() {
        var bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** A jar that Maven built for the system tests, named by a system property failsafe passes. */
    static Path jar(String systemProperty) {
        var path = System.getProperty(systemProperty);
        if (path == null) {
            throw new IllegalStateException(systemProperty
                    + " is not set: run the system tests through Maven (./mvnw -B verify), whose failsafe passes it");
        }
        return Path.of(path);
    }
}

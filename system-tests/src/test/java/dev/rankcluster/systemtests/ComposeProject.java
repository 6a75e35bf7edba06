package dev.rankcluster.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The project as a user runs it with Docker Compose, in a copy of the repository (so that a test may edit a source
 * and rebuild without touching the checkout), under its own compose project name and on free host ports, so that it
 * clashes with nothing else on the engine. Commands are shell lines run with bash in that copy, as a user types them.
 * Register it as a static JUnit extension: it skips the class without a Docker engine (fails it in CI), prints the
 * services' logs when a test fails, and runs {@code docker compose down -v} and deletes the copy after the class.
 */
final class ComposeProject implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    /** Generous: the first build downloads every Maven dependency inside the build container, on two busy cores. */
    static final Duration BUILD = Duration.ofMinutes(15);

    private static final Duration COMMAND = Duration.ofMinutes(2);
    private static final Set<String> NOT_COPIED = Set.of(".git", "target", "node_modules", ".idea");
    private static final int LOG_TAIL_LINES = 200;

    private final String name;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<FollowedOutput> followed = new CopyOnWriteArrayList<>();
    private Path directory;

    /**
     * @param name     the compose project name ({@code COMPOSE_PROJECT_NAME}): containers, networks and images are
     *                 named after it
     * @param settings environment variables the compose file reads, e.g. {@code RANK_SERVER_LEASE_TTL}
     */
    ComposeProject(String name, Map<String, String> settings) {
        this.name = name;
        environment.put("COMPOSE_PROJECT_NAME", name);
        environment.putAll(settings);
    }

    /** Picks a free host port for the compose variable {@code variable} (e.g. {@code RANK_SERVER_PORT}). */
    ComposeProject withFreePort(String variable) {
        environment.put(variable, Integer.toString(freePort()));
        return this;
    }

    int port(String variable) {
        return Integer.parseInt(environment.get(variable));
    }

    /** {@code path} on the host port that {@code variable} publishes. */
    URI published(String variable, String path) {
        return URI.create("http://localhost:" + port(variable) + path);
    }

    Path directory() {
        return directory;
    }

    ReadmeCommands readme() {
        return ReadmeCommands.of(directory.resolve("README.md"));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        DockerEngine.require(context.getDisplayName());
        directory = Files.createTempDirectory("rank-cluster-" + name + "-");
        copyProject(repository(), directory);
        // Left over by an aborted earlier run: start from nothing.
        run("docker compose --profile ha down -v --remove-orphans", COMMAND);
    }

    /** Runs one shell line in the project's directory; fails, with its output, unless it exits with 0. */
    String run(String commandLine) {
        return run(commandLine, COMMAND);
    }

    String run(String commandLine, Duration timeout) {
        try {
            var output = Files.createTempFile("compose-command-", ".log");
            try {
                var process = shell(commandLine).redirectErrorStream(true).redirectOutput(output.toFile()).start();
                process.getOutputStream().close();
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    throw new AssertionError("'%s' did not end within %s; its output:%n%s"
                            .formatted(commandLine, timeout, Files.readString(output)));
                }
                var printed = Files.readString(output);
                if (process.exitValue() != 0) {
                    throw new AssertionError("'%s' exited with %d; its output:%n%s"
                            .formatted(commandLine, process.exitValue(), printed));
                }
                return printed;
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + commandLine, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + commandLine, e);
        }
    }

    /** Starts a command that keeps printing, such as {@code docker compose logs -f server}; stopped after the class. */
    FollowedOutput follow(String commandLine) {
        var output = FollowedOutput.start(commandLine, shell(commandLine));
        followed.add(output);
        return output;
    }

    private ProcessBuilder shell(String commandLine) {
        var builder = new ProcessBuilder("bash", "-c", commandLine).directory(directory.toFile());
        builder.environment().putAll(environment);
        return builder;
    }

    /** The IDs of the service's running (or paused) containers, in the order {@code docker compose ps} lists them. */
    List<String> containers(String service) {
        return run("docker compose ps -q " + service).lines().map(String::strip).filter(id -> !id.isEmpty()).toList();
    }

    /** The IDs of every container of this project, whatever its state. */
    List<String> allContainers() {
        return run("docker ps -aq --filter label=com.docker.compose.project=" + name).lines()
                .map(String::strip).filter(id -> !id.isEmpty()).toList();
    }

    /** What a member registered from this container is listed as: its IP on the compose network, port 8080. */
    String memberAddress(String container) {
        return inspect(container, "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}") + ":8080";
    }

    String imageId(String container) {
        return inspect(container, "{{.Image}}");
    }

    boolean isPaused(String container) {
        return Boolean.parseBoolean(inspect(container, "{{.State.Paused}}"));
    }

    boolean isRunning(String container) {
        return Boolean.parseBoolean(inspect(container, "{{.State.Running}}"));
    }

    private String inspect(String container, String format) {
        return run("docker inspect -f '%s' %s".formatted(format, container)).strip();
    }

    /**
     * GET {@code path} on port 8080 inside the container (clients publish no port): bash's /dev/tcp, as the image's
     * healthcheck does, since the image has no curl. Fails unless the answer is 200; returns its body.
     */
    String getInside(String container, String path) {
        var script = "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET %s HTTP/1.0\\r\\nHost: localhost\\r\\n"
                + "Accept: application/json\\r\\n\\r\\n' \"$1\" >&3 && cat <&3";
        var response = run("docker exec %s bash -c %s _ %s".formatted(container, quoted(script), quoted(path)));
        int bodyStart = response.indexOf("\r\n\r\n");
        if (!response.startsWith("HTTP/1.1 200") || bodyStart < 0) {
            throw new IllegalStateException("GET %s in %s answered: %s".formatted(path, container, response));
        }
        return response.substring(bodyStart + 4);
    }

    private static String quoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        try {
            System.out.printf("%n==== %s failed: the last %d lines of every service's log ====%n%s%n",
                    context.getDisplayName(), LOG_TAIL_LINES,
                    run("docker compose --profile ha logs --no-color --timestamps --tail " + LOG_TAIL_LINES));
        } catch (RuntimeException | AssertionError e) {
            System.out.println("could not print the services' logs: " + e.getMessage());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (directory == null) {
            return;
        }
        followed.forEach(FollowedOutput::close);
        try {
            // Unpause first: a paused container cannot be stopped.
            run("docker compose --profile ha unpause >/dev/null 2>&1; "
                    + "docker compose --profile ha down -v --remove-orphans", COMMAND);
        } finally {
            deleteRecursively(directory);
        }
    }

    private static Path repository() {
        var path = System.getProperty("rank.project.dir");
        if (path == null) {
            throw new IllegalStateException("rank.project.dir is not set: run the system tests through Maven "
                    + "(./mvnw -B verify), whose failsafe passes it");
        }
        return Path.of(path).toAbsolutePath().normalize();
    }

    /** The working tree without build output and VCS data: what a user's checkout holds. */
    private static void copyProject(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            var files = paths.filter(path -> from.relativize(path).toString().isEmpty()
                    || Stream.of(from.relativize(path).toString().split("/")).noneMatch(NOT_COPIED::contains)).toList();
            for (var path : files) {
                var target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (Files.isRegularFile(path)) {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (var path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Appends a line to a file of the copy, as an edit would. */
    void append(String file, String line) {
        try {
            Files.writeString(directory.resolve(file), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        // Docker publishes on every interface, so the port must be free on every interface.
        try (var socket = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    @Override
    public String toString() {
        return "compose project " + name + " in " + directory + " with " + new ArrayList<>(environment.entrySet());
    }
}

package dev.rankcluster.systemtests;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A long-running command, such as {@code docker compose logs -f server}, whose output is read line by line as it comes. */
final class FollowedOutput implements AutoCloseable {

    private final String command;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private FollowedOutput(String command, Process process) {
        this.command = command;
        this.process = process;
        Thread.ofPlatform().daemon().name("follow " + command).start(this::read);
    }

    static FollowedOutput start(String command, ProcessBuilder builder) {
        try {
            var process = builder.redirectErrorStream(true).start();
            process.getOutputStream().close();
            return new FollowedOutput(command, process);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    private void read() {
        try (var reader = process.inputReader()) {
            for (var line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The stream closes when the command ends: nothing more to read.
        }
    }

    boolean printed(String text) {
        return lines.stream().anyMatch(line -> line.contains(text));
    }

    /** Waits until a line containing {@code text} has been printed. */
    void awaitPrinted(String text, Duration timeout) {
        await("'%s' prints '%s'".formatted(command, text)).atMost(timeout).until(() -> printed(text));
    }

    /** Stops the command and what it started (a pipeline's commands are bash's children). */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
    }
}

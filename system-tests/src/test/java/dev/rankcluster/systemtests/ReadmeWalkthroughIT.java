package dev.rankcluster.systemtests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's API walkthrough as a reader would: its commands, in order, with bash, against the real jars
 * started as the README starts them, on the README's own ports (a port that something else holds is replaced by
 * a free one throughout). Each answer must look as the README shows it: status lines, headers, JSON fields and
 * the values that do not change from run to run. A change of the API or of the walkthrough that makes the README
 * wrong fails here.
 */
class ReadmeWalkthroughIT {

    private static final Path README = Path.of(System.getProperty("rank.readme", "../README.md"));
    private static final Duration WALKTHROUGH_TIMEOUT = Duration.ofMinutes(5);

    /** Small JVMs, as the other system tests start: the suite shares two cores. */
    private static final String LIGHT_JVM = "-XX:TieredStopAtLevel=1 -Xss256k -Xmx96m -XX:+UseSerialGC";

    @Test
    void everyStep_answersAsTheReadmeShows(@TempDir Path workDir) throws Exception {
        assertThat(onPath("curl")).as("the README's walkthrough needs curl on the PATH (Debian: apt-get install curl)")
                .isTrue();
        ReadmeWalkthrough readme = ReadmeWalkthrough.of(Files.readString(README));
        assertThat(readme.steps()).as("steps of the walkthrough").hasSizeGreaterThan(3);
        assertThat(readme.ports()).as("ports the walkthrough starts apps on").isNotEmpty();
        ReadmeWalkthrough walkthrough = readme.withPorts(replacementsOfTaken(readme.ports()));
        // The README's commands name the jars relative to the repository; their logs go to this test's directory.
        Path repository = README.toAbsolutePath().getParent();
        List<Path> links = new ArrayList<>();
        for (String module : List.of("rank-server", "rank-client")) {
            links.add(Files.createSymbolicLink(workDir.resolve(module), repository.resolve(module)));
        }

        String output;
        try {
            output = run(walkthrough.script(), workDir);
        } finally {
            for (Path link : links) {
                Files.delete(link); // before JUnit cleans up, which warns about links that lead out of its directory
            }
        }

        List<String> outputs = walkthrough.outputsOf(output);
        assertThat(outputs).as("every step ran:%n%s%s", output, logs(workDir)).hasSize(walkthrough.steps().size());
        for (ReadmeWalkthrough.Step step : walkthrough.steps()) {
            if (step.shown() == null) {
                continue;
            }
            ShownAnswers shown = ShownAnswers.of(step.shown());
            ShownAnswers actual = ShownAnswers.of(outputs.get(step.number()));
            assertThat(shown.matches(actual))
                    .as("step %d of the README's walkthrough%n%s%nshows   %s%nanswered %s%n%nits whole output:%n%s%s",
                            step.number(), step.commands(), shown, actual, outputs.get(step.number()), logs(workDir))
                    .isTrue();
        }
    }

    /**
     * A free port for each of the README's ports that something else listens on (another build running this test,
     * a reader's own walkthrough): the same commands then run on it, so the test does not depend on who else runs.
     */
    private static Map<Integer, Integer> replacementsOfTaken(List<Integer> ports) throws IOException {
        Map<Integer, Integer> replacements = new LinkedHashMap<>();
        for (int port : ports) {
            if (!isFree(port)) {
                try (ServerSocket free = new ServerSocket(0)) {
                    replacements.put(port, free.getLocalPort());
                }
                System.out.printf("Port %d of the README's walkthrough is taken: running it on %d instead%n", port,
                        replacements.get(port));
            }
        }
        return replacements;
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, command)));
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String run(String script, Path workDir) throws IOException, InterruptedException {
        Path scriptFile = workDir.resolve("walkthrough.sh");
        Files.writeString(scriptFile, script);
        var bash = new ProcessBuilder("bash", scriptFile.toString()).directory(workDir.toFile()).redirectErrorStream(true);
        // `java` in the README is a JDK 21 or newer: this JVM's.
        Path javaBin = Path.of(System.getProperty("java.home"), "bin");
        bash.environment().put("PATH", javaBin + ":" + bash.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        bash.environment().put("JAVA_TOOL_OPTIONS", LIGHT_JVM);
        Process process = bash.start();
        process.getOutputStream().close();
        var output = new StringBuilder();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try {
                output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        if (!process.waitFor(WALKTHROUGH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            // Kill what it started first: once bash is gone they would belong to no one.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            reader.join(Duration.ofSeconds(10));
            throw new AssertionError("the walkthrough did not finish within %s:%n%s%s"
                    .formatted(WALKTHROUGH_TIMEOUT, output, logs(workDir)));
        }
        reader.join(Duration.ofSeconds(10));
        return output.toString();
    }

    /** The end of every log the walkthrough wrote, for a failure's message. */
    private static String logs(Path workDir) {
        try (Stream<Path> files = Files.list(workDir)) {
            var text = new StringBuilder();
            for (Path log : files.filter(file -> file.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                text.append("%n--- %s (last 80 lines) ---%n".formatted(log.getFileName()));
                lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(line -> text.append(line).append('\n'));
            }
            return text.toString();
        } catch (IOException e) {
            return "(logs unreadable: " + e + ")";
        }
    }
}

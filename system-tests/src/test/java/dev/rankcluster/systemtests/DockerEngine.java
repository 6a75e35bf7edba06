package dev.rankcluster.systemtests;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.opentest4j.TestAbortedException;

/**
 * Runs a test class only where a Docker engine with Compose v2 answers. Without one the class is skipped with a
 * message saying so; in CI ({@code CI=true}) it fails instead, so that the compose tests cannot silently stop running.
 */
final class DockerEngine {

    private DockerEngine() {
    }

    /** Returns when the engine answers; otherwise skips {@code tests}, or fails them in CI. */
    static void require(String tests) {
        var missing = missing();
        if (missing == null) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI=true but " + missing + ": the compose tests must run in CI "
                    + "(.ci/run starts an engine; see its log)");
        }
        throw new TestAbortedException("Skipped: " + missing + ". Start a Docker engine with Compose v2 to run "
                + tests + " (in CI, CI=true makes this a failure).");
    }

    /** What is missing, or null when the engine and Compose both answer. */
    private static String missing() {
        if (!answers(List.of("docker", "info", "--format", "{{.ServerVersion}}"))) {
            return "no Docker engine answers (docker info failed)";
        }
        if (!answers(List.of("docker", "compose", "version"))) {
            return "the docker client has no Compose v2 plugin (docker compose version failed)";
        }
        return null;
    }

    private static boolean answers(List<String> command) {
        try {
            var process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

package dev.rankcluster.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client as its Docker image runs it, rebuilt locally: the JVM flags of the image's {@code ENTRYPOINT}
 * (read from the Dockerfile), and, when the image uses an AOT cache, the jar extracted the same way and an
 * AOT cache made by the same training run.
 *
 * @param jvmFlags flags before {@code -jar}, including {@code -XX:AOTCache=…} when there is a cache
 * @param jar      the jar to run with {@code -jar}
 */
record ClientImage(List<String> jvmFlags, Path jar) {

    private static final Pattern CLIENT_ENTRYPOINT = Pattern.compile(
            "FROM\\s+\\S+\\s+AS\\s+client\\b.*?ENTRYPOINT\\s*\\[(.*?)]", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final String AOT_CACHE = "-XX:AOTCache=";

    /** Flags given on the command line instead of the Dockerfile's; no AOT cache unless they name one. */
    static ClientImage withFlags(List<String> jvmFlags, Path bootJar) {
        return new ClientImage(jvmFlags, bootJar);
    }

    static ClientImage fromDockerfile(Path dockerfile, Path bootJar, Path workDirectory) {
        List<String> flags = new ArrayList<>();
        boolean aotCache = false;
        for (String word : entrypoint(dockerfile)) {
            if (word.startsWith(AOT_CACHE)) {
                aotCache = true;
            } else if (word.startsWith("-") && !word.equals("-jar")) {
                flags.add(word);
            }
        }
        if (!aotCache) {
            return new ClientImage(flags, bootJar);
        }
        Path jar = extract(bootJar, workDirectory);
        Path cache = workDirectory.resolve("app.aot");
        train(flags, jar, cache);
        List<String> withCache = new ArrayList<>(flags);
        withCache.add(AOT_CACHE + cache);
        return new ClientImage(withCache, jar);
    }

    private static List<String> entrypoint(Path dockerfile) {
        try {
            Matcher entrypoint = CLIENT_ENTRYPOINT.matcher(Files.readString(dockerfile));
            if (!entrypoint.find()) {
                throw new IllegalStateException("no ENTRYPOINT of the client stage in " + dockerfile);
            }
            List<String> words = new ArrayList<>();
            Matcher quoted = QUOTED.matcher(entrypoint.group(1));
            while (quoted.find()) {
                words.add(quoted.group(1));
            }
            return words;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dockerfile, e);
        }
    }

    /** As the image does: the application as {@code app.jar} beside its libraries, no Boot launcher. */
    private static Path extract(Path bootJar, Path workDirectory) {
        run(List.of("-Djarmode=tools", "-jar", bootJar.toString(), "extract", "--force",
                "--application-filename", "app.jar", "--destination", workDirectory.toString()));
        return workDirectory.resolve("app.jar");
    }

    /** As the image does: a run that stops once the application context is refreshed writes the cache. */
    private static void train(List<String> flags, Path jar, Path cache) {
        List<String> arguments = new ArrayList<>(flags);
        arguments.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-Dspring.context.exit=onRefresh", "-jar", jar.toString()));
        run(arguments);
        if (!Files.isRegularFile(cache)) {
            throw new IllegalStateException("the training run wrote no AOT cache at " + cache);
        }
    }

    private static void run(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(arguments);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("failed: " + command);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

package dev.rankcluster.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client as its Docker image runs it, rebuilt locally: the JVM flags of the image's {@code ENTRYPOINT} and
 * the environment its {@code ENV} lines set (both read from the client stage of the Dockerfile), and, when the
 * image uses an AOT cache, the jar extracted the same way and an AOT cache made by the same training run (the
 * Dockerfile's {@code RUN}, mirrored in {@link #train}).
 *
 * @param jvmFlags    flags before {@code -jar}, including {@code -XX:AOTCache=…} when there is a cache
 * @param jar         the jar to run with {@code -jar}
 * @param environment variables the image sets, e.g. {@code MALLOC_ARENA_MAX}, added to the JVM's environment
 */
record ClientImage(List<String> jvmFlags, Path jar, Map<String, String> environment) {

    /** The stage named {@code client} itself, not {@code client-build} before it. */
    private static final Pattern CLIENT_STAGE = Pattern.compile(
            "FROM\\s+\\S+\\s+AS\\s+client[ \\t]*$(.*?)(?=^FROM\\s|\\z)", Pattern.DOTALL | Pattern.CASE_INSENSITIVE | Pattern.MULTILINE);
    private static final Pattern ENTRYPOINT = Pattern.compile("ENTRYPOINT\\s*\\[(.*?)]", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern ENV_LINE = Pattern.compile("^ENV\\s+(.+)$", Pattern.MULTILINE | Pattern.CASE_INSENSITIVE);
    private static final Pattern ENV_PAIR = Pattern.compile("(\\w+)=(\"[^\"]*\"|\\S*)");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");
    private static final String AOT_CACHE = "-XX:AOTCache=";
    /** The Dockerfile's training run: its arguments, and the log line after which it is stopped. */
    private static final List<String> TRAINING_ARGUMENTS = List.of("--server.port=0",
            "--rank.client.server-url=http://127.0.0.1:1", "--rank.cluster.token=aot-training");
    private static final String TRAINING_DONE = "retrying in";

    ClientImage {
        jvmFlags = List.copyOf(jvmFlags);
        environment = Map.copyOf(environment);
    }

    /**
     * Flags given on the command line instead of the Dockerfile's, with the Dockerfile's environment; no AOT cache
     * unless they name one.
     */
    static ClientImage withFlags(List<String> jvmFlags, Path bootJar, Path dockerfile) {
        return new ClientImage(jvmFlags, bootJar, environment(clientStage(dockerfile)));
    }

    static ClientImage fromDockerfile(Path dockerfile, Path bootJar, Path workDirectory) {
        String stage = clientStage(dockerfile);
        Map<String, String> environment = environment(stage);
        List<String> flags = new ArrayList<>();
        boolean aotCache = false;
        for (String word : entrypoint(stage, dockerfile)) {
            if (word.startsWith(AOT_CACHE)) {
                aotCache = true;
            } else if (word.startsWith("-") && !word.equals("-jar")) {
                flags.add(word);
            }
        }
        if (!aotCache) {
            return new ClientImage(flags, bootJar, environment);
        }
        Path jar = extract(bootJar, workDirectory);
        Path cache = workDirectory.resolve("app.aot");
        train(flags, jar, cache, environment);
        List<String> withCache = new ArrayList<>(flags);
        withCache.add(AOT_CACHE + cache);
        return new ClientImage(withCache, jar, environment);
    }

    private static String clientStage(Path dockerfile) {
        try {
            Matcher stage = CLIENT_STAGE.matcher(Files.readString(dockerfile));
            if (!stage.find()) {
                throw new IllegalStateException("no client stage in " + dockerfile);
            }
            return stage.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dockerfile, e);
        }
    }

    private static List<String> entrypoint(String stage, Path dockerfile) {
        Matcher entrypoint = ENTRYPOINT.matcher(stage);
        if (!entrypoint.find()) {
            throw new IllegalStateException("no ENTRYPOINT of the client stage in " + dockerfile);
        }
        List<String> words = new ArrayList<>();
        Matcher quoted = QUOTED.matcher(entrypoint.group(1));
        while (quoted.find()) {
            words.add(quoted.group(1));
        }
        return words;
    }

    /** The stage's one-line {@code ENV KEY=value …} instructions: its training run and its runtime both see them. */
    private static Map<String, String> environment(String stage) {
        Map<String, String> environment = new LinkedHashMap<>();
        Matcher line = ENV_LINE.matcher(stage);
        while (line.find()) {
            Matcher pair = ENV_PAIR.matcher(line.group(1));
            while (pair.find()) {
                environment.put(pair.group(1), pair.group(2).replaceAll("^\"|\"$", ""));
            }
        }
        return environment;
    }

    /** As the image does: the application as {@code app.jar} beside its libraries, no Boot launcher. */
    private static Path extract(Path bootJar, Path workDirectory) {
        run(List.of("-Djarmode=tools", "-jar", bootJar.toString(), "extract", "--force",
                "--application-filename", "app.jar", "--destination", workDirectory.toString()), Map.of());
        return workDirectory.resolve("app.jar");
    }

    /**
     * As the image does: a run that tries to register with a closed port, stopped (SIGTERM) once that first attempt
     * has failed, writes the cache as it exits, so the cache holds the registration's classes too.
     */
    private static void train(List<String> flags, Path jar, Path cache, Map<String, String> environment) {
        List<String> arguments = new ArrayList<>(flags);
        arguments.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-jar", jar.toString()));
        arguments.addAll(TRAINING_ARGUMENTS);
        Path log = cache.resolveSibling("training.log");
        try {
            Process process = java(arguments, environment).redirectOutput(log.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (process.isAlive() && !Files.readString(log).contains(TRAINING_DONE) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            process.destroy();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the training run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (!Files.isRegularFile(cache)) {
            throw new IllegalStateException("the training run wrote no AOT cache at %s; see %s".formatted(cache, log));
        }
    }

    private static void run(List<String> arguments, Map<String, String> environment) {
        try {
            Process process = java(arguments, environment).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("failed: java " + arguments);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run java " + arguments, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static ProcessBuilder java(List<String> arguments, Map<String, String> environment) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        return builder;
    }
}

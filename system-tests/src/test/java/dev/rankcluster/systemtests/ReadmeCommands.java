package dev.rankcluster.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shell commands of the README's {@code bash} blocks. The compose tests take the commands they run from here,
 * so that the README shows exactly what is tested: a command edited in one place only fails the tests.
 */
final class ReadmeCommands {

    private final Path readme;
    private final List<String> lines;

    private ReadmeCommands(Path readme, List<String> lines) {
        this.readme = readme;
        this.lines = lines;
    }

    static ReadmeCommands of(Path readme) {
        try {
            var commands = new ArrayList<String>();
            boolean inBash = false;
            for (var line : Files.readAllLines(readme)) {
                if (line.strip().startsWith("```")) {
                    inBash = !inBash && line.strip().equals("```bash");
                } else if (inBash && !line.isBlank()) {
                    commands.add(line.strip());
                }
            }
            return new ReadmeCommands(readme, List.copyOf(commands));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + readme, e);
        }
    }

    /** The command line {@code command}, as written: alone on its line, or followed by a {@code #} comment. */
    String line(String command) {
        return unique("is", command, lines.stream()
                .filter(line -> line.equals(command) || line.startsWith(command + " ") && line.substring(command.length()).strip().startsWith("#"))
                .toList());
    }

    /** The one command line that starts with {@code start}, as written (a trailing comment is harmless to bash). */
    String lineStartingWith(String start) {
        return unique("starts with", start, lines.stream().filter(line -> line.startsWith(start)).toList());
    }

    private String unique(String how, String command, List<String> found) {
        if (found.size() != 1) {
            throw new AssertionError("%s should show exactly one command line that %s '%s' in a bash block, found %s"
                    .formatted(readme, how, command, found));
        }
        return found.getFirst();
    }
}

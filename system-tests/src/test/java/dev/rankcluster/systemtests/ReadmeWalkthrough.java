package dev.rankcluster.systemtests;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The README's API walkthrough: the fenced blocks between {@value #START} and {@value #END}. A {@code bash} block
 * is a step a reader runs; a plain block right after it shows what that step answers.
 */
record ReadmeWalkthrough(List<Step> steps) {

    static final String START = "<!-- walkthrough:start -->";
    static final String END = "<!-- walkthrough:end -->";

    private static final String STEP_MARKER = "@@walkthrough-step ";
    private static final Pattern SERVER_PORT = Pattern.compile("--server\\.port=(\\d+)");

    /** @param shown what the README shows the commands answer, or null when it shows nothing */
    record Step(int number, String commands, String shown) {
    }

    static ReadmeWalkthrough of(String readme) {
        int start = readme.indexOf(START);
        int end = readme.indexOf(END);
        if (start < 0 || end < start) {
            throw new IllegalStateException("README.md has no %s … %s section".formatted(START, END));
        }
        List<Step> steps = new ArrayList<>();
        List<String> lines = readme.substring(start, end).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).startsWith("```")) {
                continue;
            }
            String info = lines.get(i).substring(3).strip();
            StringBuilder block = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                block.append(lines.get(i)).append('\n');
            }
            if (info.equals("bash")) {
                steps.add(new Step(steps.size(), block.toString(), null));
            } else if (!steps.isEmpty() && steps.getLast().shown() == null) {
                Step last = steps.removeLast();
                steps.add(new Step(last.number(), last.commands(), block.toString()));
            } else {
                throw new IllegalStateException("a ```%s block of the walkthrough follows no ```bash block".formatted(info));
            }
        }
        return new ReadmeWalkthrough(List.copyOf(steps));
    }

    /** The ports the walkthrough starts the apps on. */
    List<Integer> ports() {
        List<Integer> ports = new ArrayList<>();
        for (Step step : steps) {
            Matcher port = SERVER_PORT.matcher(step.commands());
            while (port.find()) {
                ports.add(Integer.parseInt(port.group(1)));
            }
        }
        return ports;
    }

    /** The same walkthrough with other ports: every whole-word occurrence of a port in the commands is replaced. */
    ReadmeWalkthrough withPorts(Map<Integer, Integer> replacements) {
        List<Step> moved = steps.stream().map(step -> {
            String commands = step.commands();
            for (Map.Entry<Integer, Integer> port : replacements.entrySet()) {
                commands = commands.replaceAll("\\b" + port.getKey() + "\\b", port.getValue().toString());
            }
            return new Step(step.number(), commands, step.shown());
        }).toList();
        return new ReadmeWalkthrough(moved);
    }

    /**
     * One bash script of every step, in order, each step's output preceded by a marker line. Whatever the
     * walkthrough leaves running in the background is stopped when the script ends, however it ends.
     */
    String script() {
        StringBuilder script = new StringBuilder("trap 'kill $(jobs -p) 2>/dev/null' EXIT\n");
        for (Step step : steps) {
            // On a line of its own: the previous step's last answer may not end with a newline.
            script.append("printf '\\n").append(STEP_MARKER).append(step.number()).append("@@\\n'\n").append(step.commands());
        }
        return script.toString();
    }

    /** What each step printed, by step number, from the output of {@link #script()}. */
    List<String> outputsOf(String scriptOutput) {
        List<StringBuilder> outputs = new ArrayList<>();
        for (String line : scriptOutput.replace("\r", "").lines().toList()) {
            if (line.startsWith(STEP_MARKER)) {
                outputs.add(new StringBuilder());
            } else if (!outputs.isEmpty()) {
                outputs.getLast().append(line).append('\n');
            }
        }
        return outputs.stream().map(StringBuilder::toString).toList();
    }
}

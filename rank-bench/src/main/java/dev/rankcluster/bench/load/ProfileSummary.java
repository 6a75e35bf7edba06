package dev.rankcluster.bench.load;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a flight recording's CPU samples ({@code jdk.ExecutionSample}) fall: the methods that were running
 * (self) and the methods on the stack (total), each as a share of all samples.
 * <p>
 * Usage: {@code java -cp … dev.rankcluster.bench.load.ProfileSummary recording.jfr [lines]}
 */
public final class ProfileSummary {

    private ProfileSummary() {
    }

    public static void main(String[] args) throws IOException {
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> total = new HashMap<>();
        int samples = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample") || event.getStackTrace() == null) {
                continue;
            }
            List<RecordedFrame> frames = event.getStackTrace().getFrames();
            if (frames.isEmpty()) {
                continue;
            }
            samples++;
            self.merge(name(frames.getFirst()), 1, Integer::sum);
            Set<String> onStack = new HashSet<>();
            frames.forEach(frame -> onStack.add(name(frame)));
            onStack.forEach(method -> total.merge(method, 1, Integer::sum));
        }
        System.out.printf("%d samples%n%nself%n", samples);
        print(self, samples, lines);
        System.out.printf("%ntotal (on the stack)%n");
        print(total, samples, lines);
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static void print(Map<String, Integer> counts, int samples, int lines) {
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(lines)
                .forEach(entry -> System.out.printf("%5.1f%%  %s%n", entry.getValue() * 100.0 / samples, entry.getKey()));
    }
}

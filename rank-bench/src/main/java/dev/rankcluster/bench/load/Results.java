package dev.rankcluster.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every figure the runs measured, and their summary across runs: the median, with the lowest and highest
 * value to show how noisy the runs were.
 */
final class Results {

    /** A figure as it is reported, with one value per run. */
    record Metric(String name, String unit, String description, List<Double> values) {

        double median() {
            List<Double> sorted = values.stream().sorted().toList();
            int n = sorted.size();
            return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        }

        double min() {
            return values.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        }

        double max() {
            return values.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        }

        /** (max − min) / median, in percent: how far apart the runs were. */
        double spreadPercent() {
            return median() == 0 ? 0 : (max() - min()) / median() * 100;
        }
    }

    /** The one-minute load average when a scenario's run began: other work on the machine shows here. */
    record Load(String scenario, int run, double loadAverage) {
    }

    private final Map<String, Metric> metrics = new LinkedHashMap<>();
    private final List<Load> loads = new ArrayList<>();

    void add(String name, String unit, String description, double value) {
        metrics.computeIfAbsent(name, key -> new Metric(name, unit, description, new ArrayList<>())).values().add(value);
    }

    void latencies(String name, String description, Latencies latencies) {
        add(name + ".p50", "ms", description + ", median", latencies.percentileMillis(50));
        add(name + ".p90", "ms", description + ", 90th percentile", latencies.percentileMillis(90));
        add(name + ".p99", "ms", description + ", 99th percentile", latencies.percentileMillis(99));
    }

    void load(String scenario, int run, double loadAverage) {
        loads.add(new Load(scenario, run, loadAverage));
    }

    Metric metric(String name) {
        return metrics.get(name);
    }

    void write(Path directory, Map<String, Object> machine, BenchSettings settings) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("results.json"), json(machine, settings));
            Files.writeString(directory.resolve("results.csv"), csv());
            Files.writeString(directory.resolve("summary.md"), markdown());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + directory, e);
        }
    }

    private String json(Map<String, Object> machine, BenchSettings settings) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("machine", machine);
        Map<String, Object> used = new LinkedHashMap<>();
        used.put("runs", settings.runs());
        used.put("quick", settings.quick());
        used.put("serverJvmFlags", ServerProcess.JVM_FLAGS);
        used.put("serverProperties", ServerProcess.BENCH_PROPERTIES);
        if (settings.clientImage() != null) {
            used.put("clientJvmFlags", settings.clientImage().jvmFlags());
            used.put("clientEnvironment", settings.clientImage().environment());
        }
        document.put("settings", used);
        document.put("loadAverages", loads);
        List<Map<String, Object>> figures = new ArrayList<>();
        for (Metric metric : metrics.values()) {
            Map<String, Object> figure = new LinkedHashMap<>();
            figure.put("name", metric.name());
            figure.put("unit", metric.unit());
            figure.put("description", metric.description());
            figure.put("median", round(metric.median()));
            figure.put("min", round(metric.min()));
            figure.put("max", round(metric.max()));
            figure.put("spreadPercent", round(metric.spreadPercent()));
            figure.put("values", metric.values().stream().map(Results::round).toList());
            figures.add(figure);
        }
        document.put("metrics", figures);
        return JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build().writeValueAsString(document);
    }

    private String csv() {
        StringBuilder csv = new StringBuilder("name,unit,median,min,max,spread_percent,runs,description\n");
        for (Metric metric : metrics.values()) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%s,%s,%s,%.0f,%d,\"%s\"%n", metric.name(), metric.unit(),
                    round(metric.median()), round(metric.min()), round(metric.max()), metric.spreadPercent(),
                    metric.values().size(), metric.description()));
        }
        return csv.toString();
    }

    String markdown() {
        StringBuilder table = new StringBuilder("| figure | median | runs: min – max (spread) |\n| --- | ---: | --- |\n");
        for (Metric metric : metrics.values()) {
            table.append(String.format(Locale.ROOT, "| %s | %s %s | %s – %s (%.0f %%, n=%d) |%n", metric.description(),
                    format(metric.median()), metric.unit(), format(metric.min()), format(metric.max()),
                    metric.spreadPercent(), metric.values().size()));
        }
        return table.toString();
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** Three significant digits, at most: more would claim a precision the runs do not have. */
    static String format(double value) {
        if (value == 0) {
            return "0";
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(Math.abs(value))) - 2);
        double rounded = Math.round(value / magnitude) * magnitude;
        return rounded >= 100 ? String.format(Locale.ROOT, "%,.0f", rounded)
                : new BigDecimal(rounded).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }
}

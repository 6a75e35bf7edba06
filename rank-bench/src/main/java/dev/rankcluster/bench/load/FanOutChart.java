package dev.rankcluster.bench.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Fan-out latency against the number of lower ranks a command reaches, both axes logarithmic: the medians
 * over the runs of each percentile, with the targets and the original design's figure for comparison.
 */
final class FanOutChart {

    private FanOutChart() {
    }

    static void write(Results results, Path png) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (String percentile : List.of("p50", "p90", "p99")) {
            XYSeries series = new XYSeries("simulated members, " + percentile);
            for (int size : FanOutScenario.SIZES) {
                add(series, size - 1, results.metric(FanOutScenario.key(size) + "." + percentile));
            }
            data.addSeries(series);
        }
        XYSeries clients = new XYSeries("real client processes, p50");
        for (int size : RealClientsScenario.SIZES) {
            add(clients, size, results.metric(RealClientsScenario.key(size) + ".p50"));
        }
        data.addSeries(clients);
        XYSeries targets = new XYSeries("target, p50");
        targets.add(199, 35);
        targets.add(999, 150);
        data.addSeries(targets);
        XYSeries original = new XYSeries("original design, p50");
        original.add(199, 703);
        data.addSeries(original);

        JFreeChart chart = ChartFactory.createXYLineChart("Fan-out latency: one command to every lower rank",
                "lower ranks reached", "time to the server's report (ms)", data);
        XYPlot plot = chart.getXYPlot();
        plot.setDomainAxis(logAxis("lower ranks reached (members − 1)"));
        plot.setRangeAxis(logAxis("time to the server's report, ms"));
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        chart.setBackgroundPaint(Color.WHITE);

        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
        Color[] colors = {new Color(0x1f77b4), new Color(0x5fa2dd), new Color(0xaec7e8), new Color(0x2ca02c),
                new Color(0xd62728), new Color(0x7f7f7f)};
        for (int i = 0; i < colors.length; i++) {
            renderer.setSeriesPaint(i, colors[i]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-4, -4, 8, 8));
        }
        // Targets and the original figure are single points to compare against, not a trend.
        for (int i = 4; i < 6; i++) {
            renderer.setSeriesLinesVisible(i, false);
            renderer.setSeriesShape(i, new Rectangle2D.Double(-5, -5, 10, 10));
        }
        plot.setRenderer(renderer);
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 560);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the chart to " + png, e);
        }
    }

    /** Ticks at powers of ten, labelled as plain numbers. */
    private static LogAxis logAxis(String label) {
        LogAxis axis = new LogAxis(label);
        axis.setBase(10);
        axis.setSmallestValue(0.1);
        axis.setTickUnit(new NumberTickUnit(1));
        axis.setMinorTickMarksVisible(true);
        axis.setMinorTickCount(9);
        axis.setNumberFormatOverride(new DecimalFormat("#,##0.###"));
        return axis;
    }

    private static void add(XYSeries series, int x, Results.Metric metric) {
        if (metric != null) {
            series.add(x, metric.median());
        }
    }
}

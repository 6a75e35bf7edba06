package dev.rankcluster.bench.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Runs {@code threads} workers in a closed loop (each sends its next request when the last one is answered),
 * first for a warm-up that is not counted, then for the measured duration.
 */
final class Throughput {

    /** What one measurement counted, and the CPU the server and this benchmark used meanwhile. */
    record Measured(double operationsPerSecond, double itemsPerSecond, double serverCpuMicrosPerOp,
                    double generatorCpuMicrosPerOp) {
    }

    /**
     * A worker performs one operation and answers how many items it counts (e.g. deliveries of a command;
     * 1 for a plain request).
     */
    interface Worker {
        int operate();
    }

    private Throughput() {
    }

    /**
     * @param recording where to write a flight recording of the server during the measured duration; null for none
     */
    static Measured measure(int threads, Duration warmUp, Duration duration, JavaProcess server, Path recording,
                            IntFunction<Worker> workers) {
        LongAdder operations = new LongAdder();
        LongAdder items = new LongAdder();
        List<Thread> running = new ArrayList<>();
        long end = System.nanoTime() + warmUp.plus(duration).toNanos();
        List<Throwable> failures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Worker worker = workers.apply(t);
            running.add(Thread.ofPlatform().name("worker-" + t).start(() -> {
                try {
                    while (System.nanoTime() < end) {
                        items.add(worker.operate());
                        operations.increment();
                    }
                } catch (RuntimeException e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }));
        }
        Pause.forNanos(warmUp.toNanos());
        if (recording != null) {
            server.startRecording();
        }
        Snapshot first = Snapshot.take(operations::sum, items::sum, server);
        Pause.forNanos(duration.toNanos());
        Snapshot last = Snapshot.take(operations::sum, items::sum, server);
        if (recording != null) {
            server.stopRecording(recording);
        }
        running.forEach(Throughput::join);
        if (!failures.isEmpty()) {
            IllegalStateException failed = new IllegalStateException("%d of %d workers failed".formatted(failures.size(), threads));
            failures.forEach(failed::addSuppressed);
            throw failed;
        }
        return between(first, last);
    }

    /**
     * The rate of operations that go on by themselves meanwhile, as a counter of their completions tells it (e.g.
     * the answers to pipelined requests): after the warm-up, over the measured duration. One item per operation.
     */
    static Measured ofCounter(LongSupplier completed, Duration warmUp, Duration duration, JavaProcess server) {
        Pause.forNanos(warmUp.toNanos());
        Snapshot first = Snapshot.take(completed, completed, server);
        Pause.forNanos(duration.toNanos());
        return between(first, Snapshot.take(completed, completed, server));
    }

    private static Measured between(Snapshot first, Snapshot last) {
        double seconds = (last.nanos - first.nanos) / 1e9;
        long ops = last.operations - first.operations;
        return new Measured(ops / seconds, (last.items - first.items) / seconds,
                (last.serverCpuNanos - first.serverCpuNanos) / 1e3 / ops,
                (last.generatorCpuNanos - first.generatorCpuNanos) / 1e3 / ops);
    }

    private record Snapshot(long nanos, long operations, long items, long serverCpuNanos, long generatorCpuNanos) {

        static Snapshot take(LongSupplier operations, LongSupplier items, JavaProcess server) {
            return new Snapshot(System.nanoTime(), operations.getAsLong(), items.getAsLong(), server.cpu().toNanos(),
                    ownCpu().toNanos());
        }
    }

    static Duration ownCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

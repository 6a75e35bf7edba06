package dev.rankcluster.bench.load;

import java.util.concurrent.locks.LockSupport;

/** Waits of the benchmark itself: polling processes it does not control, and the length of a measurement. */
final class Pause {

    private Pause() {
    }

    static void briefly() {
        forNanos(100_000_000L);
    }

    static void forNanos(long nanos) {
        long end = System.nanoTime() + nanos;
        for (long left = nanos; left > 0 && !Thread.currentThread().isInterrupted(); left = end - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}

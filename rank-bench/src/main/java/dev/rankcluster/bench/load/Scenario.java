package dev.rankcluster.bench.load;

/** One part of the benchmark; each run starts and stops its own server (and clients). */
interface Scenario {

    String name();

    void run(BenchSettings settings, Results results);
}

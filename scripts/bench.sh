#!/usr/bin/env bash
# Runs the benchmarks of BENCHMARKS.md: JMH for the membership alone, its heap per member, and the load
# generator that drives the real server and client jars over loopback HTTP. Builds the jars first.
# Results go to rank-bench/results/ (JSON, CSV, a Markdown summary), the chart to images/fanout-latency.png.
#
# Usage: scripts/bench.sh [all|jmh|footprint|load] [arguments of the part]
#   scripts/bench.sh                                  everything (about 30 minutes on 2 cores)
#   scripts/bench.sh jmh -p members=1000000 register  JMH with its own options (-h lists them)
#   scripts/bench.sh footprint 100000 1000000         heap per member of the membership alone
#   scripts/bench.sh load --runs=1 --scenarios=fanout,clients
#                     load generator; scenarios: client fanout sustained churn loopback memory clients replica-ack
#                     transport sessions session-crash
#                     --quick=true tries the harness in a minute or two: its figures mean nothing
# Measure on an otherwise idle machine: the load average is printed before each part and recorded.
set -euo pipefail
cd "$(dirname "$0")/.."

part="${1:-all}"
(($#)) && shift
case "$part" in
  all | jmh | footprint | load) ;;
  *)
    echo "usage: $0 [all|jmh|footprint|load] [arguments]" >&2
    exit 2
    ;;
esac

source scripts/java21.sh # sets $java and JAVA_HOME

echo "Building the jars and the benchmarks"
./mvnw -B -q -DskipTests -pl rank-server,rank-client,rank-bench -am package

results=rank-bench/results
mkdir -p "$results"
classpath="rank-bench/target/classes:$(cat rank-bench/target/classpath.txt)"
load_average() { cut -d ' ' -f 1-3 /proc/loadavg; }
if awk '{ exit !($1 > 0.5) }' /proc/loadavg; then
  echo "Warning: the load average is $(load_average): other work on this machine will show in the figures." >&2
fi

if [[ "$part" == all || "$part" == jmh ]]; then
  echo "JMH, membership alone (load average $(load_average))"
  "$java" -cp "$classpath" org.openjdk.jmh.Main MembershipBenchmarks \
    -rf json -rff "$results/jmh.json" "$@" | tee "$results/jmh.txt"
fi

if [[ "$part" == all || "$part" == footprint ]]; then
  echo "Heap per member, membership alone (load average $(load_average))"
  sizes=("$@")
  [[ "$part" == all || ${#sizes[@]} -eq 0 ]] && sizes=(100000 1000000)
  "$java" -Xms3g -Xmx3g -cp "$classpath" dev.rankcluster.bench.membership.MembershipFootprint "${sizes[@]}" |
    tee "$results/footprint.txt"
fi

if [[ "$part" == all || "$part" == load ]]; then
  echo "Load generator against the real jars (load average $(load_average))"
  [[ "$part" == all ]] && set --
  "$java" -Djava.awt.headless=true -cp "$classpath" dev.rankcluster.bench.load.LoadGenerator "$@"
fi

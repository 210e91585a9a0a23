#!/usr/bin/env bash
# e-Vault's IDA against the erasure-coding peers, in one run on this machine (the machine is
# noisy: compare ratios within a run, never against old numbers).
#
#   benchmarks/ida-vs-peers.sh [OUT_DIR]
#
# 1. copies ../shared/bench/ida-peers (ISA-L, Jerasure, cm256cc, klauspost/reedsolomon, Hadoop,
#    the harness's own Java coders; Backblaze too if BACKBLAZE_JAR is set) and runs it once,
#    installing its Debian packages (needs root);
# 2. builds and runs the JMH benchmarks org.evault.ida.IdaBenchmark and FingerprintBenchmark;
# 3. writes OUT_DIR/summary.md: medians in GB/s and the ratios the targets are stated in.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
peers=${PEERS:-$root/../shared/bench/ida-peers}
out=${1:-$root/benchmarks/results/ida-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== peers ($peers)"
cp -r "$peers" "$work/ida-peers"
chmod -R u+w "$work/ida-peers"
rm -rf "$work/ida-peers/results"
(cd "$work/ida-peers" && INSTALL=${INSTALL:-1} REPS=${REPS:-5} RUNS=1 OUT="$out/peers" ./run.sh > "$out/peers.log" 2>&1)

echo "== e-Vault JMH"
(cd "$root" && mvn -q -B -ntp -pl benchmarks -am package -DskipTests)
java -jar "$root/benchmarks/target/benchmarks.jar" 'org.evault.ida.(IdaBenchmark|FingerprintBenchmark)' \
  -rf json -rff "$out/evault-jmh.json" > "$out/evault-jmh.txt" 2>&1

python3 "$root/benchmarks/ida-summary.py" "$out/peers/run-1.txt" "$out/evault-jmh.json" | tee "$out/summary.md"

#!/usr/bin/env bash
# One sitting of the comparison behind issue 2's speed targets: e-Vault's JMH IdaBenchmark, then
# straight after it ISA-L's own timings and the peers' Backblaze-style Java loop, so that every
# ratio comes from one state of this noisy machine (about 10 minutes). ida-vs-peers.sh runs all the
# peers instead (about 20 minutes).
#
#   benchmarks/ida-sitting.sh OUT_DIR [JAVA]     # JAVA: the java binary for e-Vault, default java
#   ROUNDS=5 benchmarks/ida-sitting.sh OUT_DIR   # interleaved: vector kernel and ISA-L in turns
#
# Needs the peers' Debian packages (libisal-dev, libjerasure-dev, libgf-complete-dev, gcc; run
# ../shared/bench/ida-peers/run.sh with INSTALL=1 once). Writes OUT_DIR/summary.md.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
peers=${PEERS:-$root/../shared/bench/ida-peers}
out=${1:?usage: ida-sitting.sh OUT_DIR [JAVA]}
java=$(command -v "${2:-java}")
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== build"
cp -r "$peers" "$work/peers"
chmod -R u+w "$work/peers"
gcc -O3 -march=native -Wall -I/usr/include/jerasure -o "$work/bench_c" "$work/peers/c/bench_c.c" \
  -lisal -lJerasure -lgf_complete
(cd "$work/peers/java" && JAVA_HOME=$jdk17 mvn -q -B package -DskipTests \
  && JAVA_HOME=$jdk17 mvn -q -B dependency:build-classpath -Dmdep.outputFile="$work/java.cp")
(cd "$root" && mvn -q -B -ntp -pl benchmarks -am package -DskipTests)
"$java" -version 2>&1 | head -2 > "$out/jdk.txt"

if [ "${ROUNDS:-0}" -gt 0 ]; then
  # Interleaved: e-Vault's vector kernel and ISA-L take turns, ROUNDS times, about 70 s a round,
  # so that each ratio compares runs a minute apart, not minutes; the summary gives the median of
  # the per-round ratios. This machine's speed drifts by a third within seconds to minutes.
  for r in $(seq 1 "$ROUNDS"); do
    echo "== round $r of $ROUNDS"
    mkdir -p "$out/round-$r"
    "$java" -jar "$root/benchmarks/target/benchmarks.jar" 'org.evault.ida.IdaBenchmark' \
      -p kernel=preferred -p segmentSize=1048576 -wi 2 -w 1s -i 3 -r 1s -f 1 -jvm "$java" \
      -rf json -rff "$out/round-$r/jmh.json" > "$out/round-$r/jmh.txt" 2>&1
    ONLY=isal REPS=3 "$work/bench_c" > "$out/round-$r/peers.txt" 2>&1
  done
  python3 "$root/benchmarks/ida-summary.py" --rounds "$out" | tee "$out/summary.md"
  exit 0
fi

echo "== e-Vault JMH ($java)"
"$java" -jar "$root/benchmarks/target/benchmarks.jar" 'org.evault.ida.IdaBenchmark' \
  -wi 3 -w 2s -i 5 -r 2s -f 1 -jvm "$java" -rf json -rff "$out/jmh.json" > "$out/jmh.txt" 2>&1

echo "== ISA-L and the Backblaze-style loop"
ONLY=isal REPS=7 "$work/bench_c" > "$out/peers.txt" 2>&1
cp_peers="$work/peers/java/target/ida-peers-bench-0.1.jar:$(cat "$work/java.cp")"
for cfg in 3,5 2,3 10,14; do
  "$jdk17/bin/java" --add-modules jdk.incubator.vector -Dcfg=$cfg -Dvector.bits=none -Dscalar=true \
    -cp "$cp_peers" evault.bench.Bench own 2>&1 | grep -v '^WARNING' >> "$out/peers.txt"
done

python3 "$root/benchmarks/ida-summary.py" "$out/peers.txt" "$out/jmh.json" | tee "$out/summary.md"

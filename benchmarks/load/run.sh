#!/usr/bin/env bash
# The whole vault under load, as in section 3 of the e-Vault paper, with real processes on loopback.
#
#   benchmarks/load/run.sh OUT_DIR [quick]
#
# 1. builds the launcher and the benchmarks jar (mvn package, never install);
# 2. writes two deployments with `bin/evault init`: n = 3 additive (t = 1) and n = 5 Shoup (t = 2),
#    2048-bit vault keys, on free loopback ports;
# 3. starts the 8 daemons and the 2 gateways as real processes (`bin/evault daemon|gateway`), and
#    nginx (TLS with the n = 5 gateway's certificate, PUT uploads, static downloads) as the floor;
# 4. runs the load client org.evault.bench.load.LoadMain, which also runs the threshold-signature
#    JMH benchmark for the signing floor, samples the gateway's heap with jstat and records the
#    gateway with JFR, and writes OUT_DIR/results.csv, OUT_DIR/summary.md and OUT_DIR/img/*.png;
# 5. stops everything (also on Ctrl-C or an error) and deletes the stored documents (KEEP_DATA=1
#    keeps them).
#
# PHASES=b,c (a subset of a,b,c,d) runs only those parts of the client; CURVE_KIB=1,16,1 sets the
# document sizes of part (a) and their order.
# `quick` shrinks sizes, durations and repetitions to shake out the harness in about 5 minutes (a full run takes about 16).
# Logs of every process: OUT_DIR/logs/. Needs JDK 17 (jcmd, jstat), Maven, /usr/sbin/nginx.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 OUT_DIR [quick]" >&2; exit 2; }
mode=${2:-full}
case "$mode" in full|quick) ;; *) echo "second argument must be 'quick' or absent, not $mode" >&2; exit 2 ;; esac
mkdir -p "$1"
out=$(cd "$1" && pwd)
[ -z "$(ls -A "$out")" ] || { echo "$out is not empty" >&2; exit 2; }
mkdir -p "$out/logs"
nginx_bin=${NGINX:-/usr/sbin/nginx}

pids=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  if [ "${KEEP_DATA:-0}" != 1 ]; then
    rm -rf "$out"/n3/node-*/data "$out"/n5/node-*/data "$out"/nginx/www "$out"/nginx/tmp
  fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

# A run of `count` consecutive free TCP ports on loopback (nothing listening), as "first".
free_ports() {
  local count=$1 base p ok
  for _ in $(seq 1 200); do
    base=$((20000 + RANDOM % 30000))
    ok=1
    for p in $(seq "$base" $((base + count - 1))); do
      if ss -Htln "sport = :$p" | grep -q .; then ok=0; break; fi
    done
    if [ "$ok" = 1 ]; then echo "$base"; return; fi
  done
  echo "no free ports found" >&2; exit 1
}

# Waits until `file` contains `pattern` (or the process `pid` died, or 120 s passed).
await_log() {
  local file=$1 pattern=$2 pid=$3
  for _ in $(seq 1 600); do
    if grep -q "$pattern" "$file" 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "process $pid died; its log $file:" >&2; tail -20 "$file" >&2; exit 1; }
    sleep 0.2
  done
  echo "timed out waiting for '$pattern' in $file" >&2; exit 1
}

echo "== build (mvn package -pl benchmarks,evault-dist -am)"
(cd "$root" && mvn -B -q -o -DskipTests package -pl benchmarks,evault-dist -am) > "$out/logs/build.log" 2>&1 \
  || { tail -40 "$out/logs/build.log" >&2; exit 1; }
# bin/evault rebuilds when any src/main file (benchmarks/ included) is newer than its jar, which
# maven-jar-plugin leaves alone when evault-dist did not change: mark it current, so that the ten
# launches below do not start ten concurrent Maven builds in this tree.
touch "$root/evault-dist/target/lib/evault-dist.jar"

echo "== deployments (bin/evault init, 2048-bit keys)"
declare -A scheme=([3]=additive [5]=shoup) faults=([3]=1 [5]=2) gport
for n in 3 5; do
  first=$(free_ports $((n + 1)))
  gport[$n]=$((first + n))
  "$root/bin/evault" init --nodes "$n" --faults "${faults[$n]}" \
    --scheme "${scheme[$n]}" --bits 2048 --first-port "$first" --gateway-port "${gport[$n]}" --out "$out/n$n" \
    > "$out/logs/init-n$n.log" 2>&1 || { cat "$out/logs/init-n$n.log" >&2; exit 1; }
  echo "   n = $n: $(grep -o 'written to .* in [0-9.]* s' "$out/logs/init-n$n.log" | sed 's/.* in /keys and certificates in /')"
done

echo "== daemons and gateways"
: > "$out/pids.properties"
for n in 3 5; do
  for i in $(seq 1 "$n"); do
    "$root/bin/evault" daemon --config "$out/n$n/node-$i" > "$out/logs/n$n-daemon-$i.log" 2>&1 &
    pid=$!; pids+=("$pid"); echo "n$n.daemon.$i=$pid" >> "$out/pids.properties"
  done
  for i in $(seq 1 "$n"); do
    await_log "$out/logs/n$n-daemon-$i.log" "listening on" "$(grep "^n$n.daemon.$i=" "$out/pids.properties" | cut -d= -f2)"
  done
  "$root/bin/evault" gateway --config "$out/n$n/gateway" > "$out/logs/n$n-gateway.log" 2>&1 &
  pid=$!; pids+=("$pid"); echo "n$n.gateway=$pid" >> "$out/pids.properties"
  await_log "$out/logs/n$n-gateway.log" "gateway listening on" "$pid"
  echo "   n = $n: https://127.0.0.1:${gport[$n]}/ (gateway pid $pid)"
done

echo "== nginx (TLS with the n = 5 gateway's certificate)"
ng=$out/nginx
mkdir -p "$ng/www/files" "$ng/tmp" "$ng/logs"
nport=$(free_ports 1)
# As root, nginx would run its workers as nobody, who may not write under OUT_DIR: keep our own user.
user_line=""
if [ "$(id -u)" = 0 ]; then user_line="user $(id -un) $(id -gn);"; fi
cat > "$ng/nginx.conf" <<EOF
daemon off;
$user_line
worker_processes auto;
pid $ng/nginx.pid;
error_log $ng/logs/error.log warn;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path $ng/tmp/body;
    proxy_temp_path $ng/tmp/proxy;
    fastcgi_temp_path $ng/tmp/fastcgi;
    uwsgi_temp_path $ng/tmp/uwsgi;
    scgi_temp_path $ng/tmp/scgi;
    keepalive_requests 100000;
    server {
        listen 127.0.0.1:$nport ssl;
        ssl_certificate $out/n5/gateway/node.pem;
        ssl_certificate_key $out/n5/gateway/node.key;
        ssl_protocols TLSv1.2 TLSv1.3;
        root $ng/www;
        client_max_body_size 0;
        location /files/ {
            dav_methods PUT DELETE;
            create_full_put_path on;
            dav_access user:rw;
        }
    }
}
EOF
"$nginx_bin" -p "$ng" -c "$ng/nginx.conf" -e "$ng/logs/error.log" > "$out/logs/nginx.log" 2>&1 &
pid=$!; pids+=("$pid"); echo "nginx=$pid" >> "$out/pids.properties"
for _ in $(seq 1 100); do
  if ss -Htln "sport = :$nport" | grep -q .; then break; fi
  kill -0 "$pid" 2>/dev/null || { cat "$out/logs/nginx.log" "$ng/logs/error.log" >&2; exit 1; }
  sleep 0.1
done
echo "   https://127.0.0.1:$nport/files/ (master pid $pid)"

echo "== load client ($mode)"
java -Xmx1g -cp "$root/benchmarks/target/benchmarks.jar" org.evault.bench.load.LoadMain \
  --mode "$mode" --out "$out" --ca "$out/n3/ca.pem" --ca "$out/n5/ca.pem" \
  --vault "n3=https://127.0.0.1:${gport[3]}" --vault "n5=https://127.0.0.1:${gport[5]}" \
  --nginx "https://127.0.0.1:$nport/files" --pids "$out/pids.properties" \
  --benchmarks-jar "$root/benchmarks/target/benchmarks.jar" --phases "${PHASES:-a,b,c,d}" 2>&1 | tee "$out/logs/client.log"
test "${PIPESTATUS[0]}" = 0
echo "== done: $out/summary.md, $out/results.csv, $out/img/"

#!/usr/bin/env bash
# Idle RSS and start-to-ready of a single-node broker under different heap flags, measured as
# bench/compare.sh measures them (ApiVersions polled on the Kafka port, VmRSS 3 s after it answers),
# each setting started in turn so that the machine's drift hits all alike.
#
#   bench/idle-rss-ab.sh [--rounds N] "HEAP OPTS A" "HEAP OPTS B" ...
#   e.g. bench/idle-rss-ab.sh --rounds 2 "-Xms32m -Xmx2g -XX:SoftMaxHeapSize=128m" "-Xms32m -Xmx2g -XX:SoftMaxHeapSize=512m"
#
# Runs the jars in broker-core/target (build first: bin/mvn -q -DskipTests package), with an AOT cache
# made for each setting (bin/lib/aot-cache.sh), on 127.0.0.1 ports 39092/39644/39145. Prints one line
# per start: heap=... ready_ms=... rss_mb=...
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS=2
if [ "${1:-}" = --rounds ]; then ROUNDS=$2; shift 2; fi
case "${1:-}" in ""|-h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; esac
export AILURUS_CLASSPATH="$REPO/broker-core/target/broker-core.jar:$REPO/broker-core/target/lib/*"
export AILURUS_LOG_LEVEL=WARN
ready() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1; printf '\x00\x00\x00\x0a\x00\x12\x00\x00\x00\x00\x00\x01\xff\xff' >&3; head -c 4 <&3 >/dev/null" 2>/dev/null; }
PID=""; DIR=""
cleanup() { [ -n "$PID" ] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; [ -n "$DIR" ] && rm -rf "$DIR"; return 0; }
trap cleanup EXIT INT TERM
for ((r = 1; r <= ROUNDS; r++)); do
  for heap in "$@"; do
    export AILURUS_HEAP_OPTS="$heap"
    "$REPO/bin/lib/aot-cache.sh" > /dev/null 2>&1 || true
    DIR=$(mktemp -d /tmp/idle-rss-ab.XXXXXX)
    t0=$(date +%s%N)
    "$REPO/bin/ailurus" start --data-dir "$DIR/data" --kafka-addr 127.0.0.1:39092 --admin-addr 127.0.0.1:39644 \
      --rpc-addr 127.0.0.1:39145 > "$DIR/broker.log" 2>&1 &
    PID=$!
    for _ in $(seq 1 1200); do ready 39092 && break; kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
    ms=$(( ($(date +%s%N) - t0) / 1000000 ))
    sleep 3
    echo "heap=\"$heap\" round=$r ready_ms=$ms rss_mb=$(awk '/^VmRSS:/ {printf "%.1f", $2/1024}' "/proc/$PID/status")"
    cleanup; PID=""; DIR=""
  done
done

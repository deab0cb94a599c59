#!/usr/bin/env bash
# Side-by-side benchmark: the same workloads (../shared/bench/workload.sh, Kafka's own perf tools)
# against Apache Kafka as shipped (no fsync before ack), Apache Kafka with flush.messages=1
# (fsync before ack: the same safety as ours) and Ailurus (always fsync before ack), alternating
# the brokers round by round on the same machine, then a table of medians and ratios.
#
#   bench/compare.sh [--quick] [--rounds N] [--out DIR] [--write-docs] [-- workload.sh options...]
#
#   --quick       short smoke run (~6 min per round): fewer records, short latency runs, 1 and 16 partitions
#   --rounds N    rounds of (kafka, kafka-fsync, ailurus), default 3; medians over rounds
#   --out DIR     raw logs and summaries (default /tmp/ailurus-compare-<time>)
#   --write-docs  replace the generated table in docs/benchmarks.md
#   --targets "L" subset of: kafka kafka-fsync ailurus (default all three)
# Everything binds 127.0.0.1 only; every broker started here is stopped here, by PID.
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${SHARED_BENCH:-$REPO/../shared/bench}"
ROUNDS=3
QUICK=0
WRITE_DOCS=0
OUT=""
TARGETS="kafka kafka-fsync ailurus"
WORKLOAD_ARGS=()
KAFKA_PORT=19092
OURS_PORT=29092

while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --out) OUT="$2"; shift 2 ;;
    --write-docs) WRITE_DOCS=1; shift ;;
    --targets) TARGETS="$2"; shift 2 ;;
    --) shift; WORKLOAD_ARGS=("$@"); break ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -d "$SHARED" ] || { echo "error: the shared bench harness is not at $SHARED (set SHARED_BENCH)" >&2; exit 1; }
OUT="${OUT:-/tmp/ailurus-compare-$(date +%s)}"
mkdir -p "$OUT"
ALL="$OUT/all.txt"
LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"
: > "$ALL"

if [ "$QUICK" = 1 ] && [ ${#WORKLOAD_ARGS[@]} -eq 0 ]; then
  WORKLOAD_ARGS=(--records 200000 --partitions "1 16" --max-secs 15 --probe-secs 5 --lat-rate 2000 --lat-secs 10 --e2e-messages 1000)
fi

. "$REPO/bin/lib/common.sh"
ailurus_find_java || exit 1
export JAVA="${JAVA:-$JAVA_HOME/bin/java}"

log() { echo "[compare $(date +%H:%M:%S)] $*" >&2; }

log "building Ailurus"
"$REPO/bin/mvn" -q -B -DskipTests -pl broker-core -am package || { echo "error: build failed" >&2; exit 1; }
log "fetching Apache Kafka's jars (once)"
"$SHARED/fetch-kafka.sh" >/dev/null || { echo "error: fetch-kafka.sh failed" >&2; exit 1; }

# Answers an ApiVersions v0 request on 127.0.0.1:$1 (the same readiness probe kafka-peer.sh uses).
kafka_ready() {
  timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1; printf '\x00\x00\x00\x0a\x00\x12\x00\x00\x00\x00\x00\x01\xff\xff' >&3; head -c 4 <&3 >/dev/null" 2>/dev/null
}
rss_mb() { awk '/^VmRSS:/ {printf "%.1f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo NA; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

OURS_PID=""
stop_ours() {
  if [ -n "$OURS_PID" ] && kill -0 "$OURS_PID" 2>/dev/null; then
    kill -TERM "$OURS_PID"
    for _ in $(seq 1 60); do kill -0 "$OURS_PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$OURS_PID" 2>/dev/null && kill -KILL "$OURS_PID"
  fi
  OURS_PID=""
}
KAFKA_DIR=""
stop_kafka() {
  [ -n "$KAFKA_DIR" ] && "$SHARED/kafka-peer.sh" stop "$KAFKA_DIR" "$KAFKA_PORT" >/dev/null 2>&1
  KAFKA_DIR=""
}
trap 'stop_ours; stop_kafka' EXIT INT TERM

run_kafka() { # $1 = target name, $2 = round
  local name="$1" round="$2" dir="$OUT/$1-r$2"
  KAFKA_DIR="$dir"
  local flush=""
  [ "$name" = kafka-fsync ] && flush=1
  local line
  line="$(FLUSH_MESSAGES=$flush "$SHARED/kafka-peer.sh" start "$dir" "$KAFKA_PORT" | grep '^name=startup')" || { log "$name failed to start"; stop_kafka; return 1; }
  local pid; pid="$(sed -nE 's/.* pid=([0-9]+).*/\1/p' <<< "$line")"
  echo "${line/target=kafka/target=$name} run=$round" | tee -a "$ALL"
  # The fsync target's topics get flush.messages=1 from the broker-wide setting already.
  BROKER_PID="$pid" "$SHARED/workload.sh" "127.0.0.1:$KAFKA_PORT" "$name" --out "$dir/workload" "${WORKLOAD_ARGS[@]}" \
    | grep '^name=' | sed "s/ run=[0-9]*/ run=$round/" >> "$ALL"
  stop_kafka
  rm -rf "$dir/data"
}

run_ours() { # $1 = round
  local round="$1" dir="$OUT/ailurus-r$1"
  mkdir -p "$dir"
  local t0; t0="$(now_ms)"
  # Run the jars built above (no rebuild check at start-up: start-up time is part of the figures).
  AILURUS_CLASSPATH="$REPO/broker-core/target/broker-core.jar:$REPO/broker-core/target/lib/*" \
  AILURUS_LOG_LEVEL=WARN "$REPO/bin/ailurus" start --data-dir "$dir/data" --kafka-addr "127.0.0.1:$OURS_PORT" \
    --admin-addr 127.0.0.1:29644 --rpc-addr 127.0.0.1:29145 > "$dir/broker.log" 2>&1 &
  OURS_PID=$!
  local ready_ms=""
  for _ in $(seq 1 1200); do
    kill -0 "$OURS_PID" 2>/dev/null || { log "ailurus exited during start-up; see $dir/broker.log"; tail -5 "$dir/broker.log" >&2; return 1; }
    if kafka_ready "$OURS_PORT"; then ready_ms=$(( $(now_ms) - t0 )); break; fi
    sleep 0.1
  done
  [ -n "$ready_ms" ] || { log "ailurus not ready in 120 s"; stop_ours; return 1; }
  sleep 1
  echo "name=startup target=ailurus pid=$OURS_PID ready_ms=$ready_ms rss_idle_mb=$(rss_mb "$OURS_PID") run=$round" | tee -a "$ALL"
  BROKER_PID="$OURS_PID" "$SHARED/workload.sh" "127.0.0.1:$OURS_PORT" ailurus --out "$dir/workload" "${WORKLOAD_ARGS[@]}" \
    | grep '^name=' | sed "s/ run=[0-9]*/ run=$round/" >> "$ALL"
  stop_ours
  rm -rf "$dir/data"
}

for round in $(seq 1 "$ROUNDS"); do
  for t in $TARGETS; do
    log "round $round/$ROUNDS: $t"
    case "$t" in
      kafka|kafka-fsync) run_kafka "$t" "$round" ;;
      ailurus) run_ours "$round" ;;
    esac
  done
done

# ---- table of medians and ratios -------------------------------------------------------
TABLE="$OUT/table.md"
awk -v targets="$TARGETS" '
  function median(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    if (n == 0) return ""
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  /^name=/ {
    name = ""; target = ""
    for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    name = f["name"]; target = f["target"]
    if (f["status"] != "" && f["status"] != "ok") { delete f; next }
    if (!(name in seen)) { seen[name] = 1; order[++n] = name }
    split("mbps p50_ms p99_ms p999_ms max_ms avg_ms broker_cpu_s rss_peak_mb ready_ms rss_idle_mb rss_mb fetch_mbps", keys, " ")
    for (k in keys) { key = keys[k]; if (f[key] != "" && f[key] != "NA") v[name, target, key] = v[name, target, key] " " f[key] }
    delete f
  }
  END {
    nt = split(targets, T, " ")
    printf "| workload | metric |"; for (t = 1; t <= nt; t++) printf " %s |", T[t]
    printf " ailurus / kafka | ailurus / kafka-fsync |\n|---|---|"; for (t = 1; t <= nt + 2; t++) printf "---|"; printf "\n"
    split("mbps fetch_mbps avg_ms p50_ms p99_ms p999_ms max_ms broker_cpu_s rss_peak_mb ready_ms rss_idle_mb rss_mb", M, " ")
    for (o = 1; o <= n; o++) {
      name = order[o]
      for (m = 1; m in M; m++) {
        metric = M[m]; any = 0
        for (t = 1; t <= nt; t++) { med[t] = median(v[name, T[t], metric]); if (med[t] != "") any = 1 }
        if (!any) continue
        printf "| %s | %s |", name, metric
        for (t = 1; t <= nt; t++) { printf " %s |", med[t] == "" ? "-" : med[t]; mv[T[t]] = med[t] }
        r1 = (mv["kafka"] + 0 > 0 && mv["ailurus"] != "") ? sprintf("%.2f", mv["ailurus"] / mv["kafka"]) : "-"
        r2 = (mv["kafka-fsync"] + 0 > 0 && mv["ailurus"] != "") ? sprintf("%.2f", mv["ailurus"] / mv["kafka-fsync"]) : "-"
        printf " %s | %s |\n", r1, r2
        delete mv
      }
    }
  }' "$ALL" > "$TABLE"

{
  echo "Machine: $(nproc) cores (load at start $LOAD_AT_START), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), load at end $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "Command: bench/compare.sh $([ "$QUICK" = 1 ] && echo --quick) --rounds $ROUNDS ${WORKLOAD_ARGS[*]:+-- ${WORKLOAD_ARGS[*]}}"
  echo "Date: $(date -u +%Y-%m-%dT%H:%MZ); medians over $ROUNDS rounds; raw lines in $ALL"
  echo
  cat "$TABLE"
} > "$OUT/report.md"
cat "$OUT/report.md"

if [ "$WRITE_DOCS" = 1 ]; then
  DOC="$REPO/docs/benchmarks.md"
  [ -f "$DOC" ] || printf '# Benchmarks\n' > "$DOC"
  if ! grep -q '<!-- compare:begin -->' "$DOC"; then
    printf '\n## Ailurus vs Apache Kafka (bench/compare.sh)\n\n<!-- compare:begin -->\n<!-- compare:end -->\n' >> "$DOC"
  fi
  awk -v report="$OUT/report.md" '
    /<!-- compare:begin -->/ { print; while ((getline line < report) > 0) print line; skip = 1; next }
    /<!-- compare:end -->/ { skip = 0 }
    !skip { print }' "$DOC" > "$DOC.tmp" && mv "$DOC.tmp" "$DOC"
  log "docs/benchmarks.md updated"
fi

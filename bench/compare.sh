#!/usr/bin/env bash
# Side-by-side benchmark: the same workloads (../shared/bench/workload.sh, Kafka's own perf tools)
# against Apache Kafka as shipped (no fsync before ack), Apache Kafka with flush.messages=1
# (fsync before ack: the same safety as ours) and Ailurus (always fsync before ack), alternating
# the brokers round by round on the same machine, then a table of medians and ratios.
#
#   bench/compare.sh [--quick] [--rounds N] [--out DIR] [--write-docs] [-- workload.sh options...]
#
#   --quick       one short round of the three (16 min measured at load 7-14, 35-40 at load 20-30):
#                 1, 16 and 1,000 partitions,
#                 short produce/latency runs, 3 s fio jobs
#   --rounds N    rounds of (kafka, kafka-fsync, ailurus), default 3 (--quick: 1); medians over rounds
#   --out DIR     raw logs and summaries (default /tmp/ailurus-compare-<time>)
#   --write-docs  replace the generated report in docs/benchmarks.md
#   --targets "L" subset of: kafka kafka-fsync ailurus (default all three)
#   --no-limits   skip the machine limits (fio, iperf3)
#   --report DIR  no runs: rebuild the report (and, with --write-docs, the docs) from DIR of a past run
# Per broker and round: start-to-ready (ms until it answers ApiVersions), RSS idle (3 s after ready)
# and under load (peak over the round), max-rate acks=all produce of 1 KiB records at 1, 16, 256,
# 1,000 and 4,000 partitions (full run), consume, end-to-end latency, and fixed-rate produce latency
# at half the rate Kafka as shipped reached at 1 partition in the same round (when kafka runs);
# broker CPU seconds per GiB moved (from /proc/PID/stat); the machine's own limits once per run.
# The last section of the report checks the issue-8 goals against the medians.
# Everything binds 127.0.0.1 only; every broker started here is stopped here, by PID.
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${SHARED_BENCH:-$REPO/../shared/bench}"
ROUNDS=""
QUICK=0
LIMITS=1
REPORT_ONLY=""
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
    --no-limits) LIMITS=0; shift ;;
    --report) REPORT_ONLY="$2"; OUT="$2"; shift 2 ;;
    --) shift; WORKLOAD_ARGS=("$@"); break ;;
    -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -d "$SHARED" ] || { echo "error: the shared bench harness is not at $SHARED (set SHARED_BENCH)" >&2; exit 1; }
OUT="${OUT:-/tmp/ailurus-compare-$(date +%s)}"
mkdir -p "$OUT"
ALL="$OUT/all.txt"
LIMITS_FILE="$OUT/limits.txt"
META="$OUT/meta.sh"
log() { echo "[compare $(date +%H:%M:%S)] $*" >&2; }
if [ -n "$REPORT_ONLY" ]; then
  [ -s "$ALL" ] || { echo "error: no $ALL to report on" >&2; exit 1; }
  [ -f "$META" ] && . "$META"
fi
LOAD_AT_START="${LOAD_AT_START:-$(cut -d' ' -f1-3 /proc/loadavg)}"

ROUNDS="${ROUNDS:-$([ "$QUICK" = 1 ] && echo 1 || echo 3)}"
if [ ${#WORKLOAD_ARGS[@]} -eq 0 ]; then
  if [ "$QUICK" = 1 ]; then
    WORKLOAD_ARGS=(--records 300000 --partitions "1 16 1000" --max-secs 10 --probe-secs 4 --lat-rate 5000 --lat-secs 10 --e2e-messages 1000)
  else
    WORKLOAD_ARGS=(--partitions "1 16 256 1000 4000")
  fi
fi
# --lat-rate given here is the fallback when Kafka's own 1-partition rate is not known yet.
LAT_RATE_FALLBACK=5000
for ((i = 0; i < ${#WORKLOAD_ARGS[@]}; i++)); do
  [ "${WORKLOAD_ARGS[$i]}" = --lat-rate ] && LAT_RATE_FALLBACK="${WORKLOAD_ARGS[$((i + 1))]}"
done

if [ -z "$REPORT_ONLY" ]; then
: > "$ALL"
# The commit measured is the one checked out when the run starts (others may commit during it).
printf 'LOAD_AT_START=%q\nQUICK=%q\nROUNDS=%q\nTARGETS=%q\nRUN_COMMIT=%q\nWORKLOAD_ARGS=(%s)\n' "$LOAD_AT_START" "$QUICK" \
  "$ROUNDS" "$TARGETS" "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  "$(printf '%q ' "${WORKLOAD_ARGS[@]}")" > "$META"
. "$REPO/bin/lib/common.sh"
ailurus_find_java || exit 1
export JAVA="${JAVA:-$JAVA_HOME/bin/java}"

log "building Ailurus"
"$REPO/bin/mvn" -q -B -DskipTests -pl broker-core -am package || { echo "error: build failed" >&2; exit 1; }
# The AOT cache bin/ailurus uses with these jars (JDK 25+), made here by a training start that is not measured: the
# launcher makes it by itself only for its own builds (docs/operations.md, memory).
AILURUS_CLASSPATH="$REPO/broker-core/target/broker-core.jar:$REPO/broker-core/target/lib/*" "$REPO/bin/lib/aot-cache.sh" \
  || log "no AOT cache: Ailurus starts without it"
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

# The rate Kafka as shipped reached in this round's 1-partition max-rate produce (records/s); the latency run of every
# target uses half of it, the load at which the issue compares tail latency.
KAFKA_1P_RPS=""
lat_rate() {
  if [ -n "$KAFKA_1P_RPS" ]; then awk -v r="$KAFKA_1P_RPS" 'BEGIN { printf "%d", r / 2 }'; else echo "$LAT_RATE_FALLBACK"; fi
}

# Runs the workload against the broker $3 (pid) on port $2, target name $1, round $4, out dir $5:
# first the max-rate produce runs, the fsync run and the consume (which reads the 1-partition topic
# just produced), then the fixed-rate latency run (at half Kafka's 1-partition rate, known by then
# when Kafka itself is the target) and end-to-end latency. Appends the lines to $ALL.
run_workload() {
  local name="$1" port="$2" pid="$3" round="$4" dir="$5" part1="$dir/part1.txt"
  BROKER_PID="$pid" "$SHARED/workload.sh" "127.0.0.1:$port" "$name" --out "$dir/workload" "${WORKLOAD_ARGS[@]}" \
    --tests "produce fsync consume" | grep '^name=' | sed "s/ run=[0-9]*/ run=$round/" > "$part1"
  cat "$part1" >> "$ALL"
  if [ "$name" = kafka ]; then
    KAFKA_1P_RPS="$(sed -nE 's/^name=produce_1p_acksall .* rps=([0-9.]+) .*status=ok.*/\1/p' "$part1" | tail -1)"
  fi
  local rate; rate="$(lat_rate)"
  log "$name: fixed-rate latency at $rate records/s"
  # The second call's idle-RSS line is not idle (the broker has just been loaded): dropped.
  BROKER_PID="$pid" "$SHARED/workload.sh" "127.0.0.1:$port" "$name" --out "$dir/workload2" "${WORKLOAD_ARGS[@]}" \
    --lat-rate "$rate" --tests "latency e2e" | grep '^name=' | grep -v '^name=rss_idle ' \
    | sed "s/ run=[0-9]*/ run=$round/" >> "$ALL"
  # RSS under load: the peak over every workload of this round.
  awk -v t="$name" -v r="$round" '$1 == "name=startup" { next } $0 ~ ("target=" t " ") && $0 ~ (" run=" r " ") {
      for (i = 1; i <= NF; i++) if ($i ~ /^rss_peak_mb=/) { v = substr($i, 13) + 0; if (v > m) m = v } }
    END { if (m > 0) printf "name=rss_under_load target=%s run=%s rss_mb=%.1f status=ok\n", t, r, m }' "$ALL" | tee -a "$ALL"
}

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
  run_workload "$name" "$KAFKA_PORT" "$pid" "$round" "$dir"
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
  for _ in $(seq 1 2400); do
    kill -0 "$OURS_PID" 2>/dev/null || { log "ailurus exited during start-up; see $dir/broker.log"; tail -5 "$dir/broker.log" >&2; return 1; }
    if kafka_ready "$OURS_PORT"; then ready_ms=$(( $(now_ms) - t0 )); break; fi
    sleep 0.05
  done
  [ -n "$ready_ms" ] || { log "ailurus not ready in 120 s"; stop_ours; return 1; }
  sleep 3   # as kafka-peer.sh: let start-up settle before the idle RSS sample
  echo "name=startup target=ailurus pid=$OURS_PID ready_ms=$ready_ms rss_idle_mb=$(rss_mb "$OURS_PID") run=$round" | tee -a "$ALL"
  run_workload ailurus "$OURS_PORT" "$OURS_PID" "$round" "$dir"
  stop_ours
  rm -rf "$dir/data"
}

: > "$LIMITS_FILE"
if [ "$LIMITS" = 1 ]; then
  if command -v fio >/dev/null && command -v iperf3 >/dev/null; then
    log "machine limits (fio, iperf3)"
    # On the filesystem the brokers write to ($OUT), so fio sees the same disk.
    RUNTIME="$([ "$QUICK" = 1 ] && echo 3 || echo 10)" "$SHARED/machine-limits.sh" "$OUT/limits" \
      | grep '^name=' | sed 's/$/ target=machine/' | tee "$LIMITS_FILE" >&2
  else
    log "fio or iperf3 missing (apt-get install -y fio iperf3): machine limits skipped"
  fi
fi

for round in $(seq 1 "$ROUNDS"); do
  for t in $TARGETS; do
    log "round $round/$ROUNDS: $t"
    case "$t" in
      kafka|kafka-fsync) run_kafka "$t" "$round" ;;
      ailurus) run_ours "$round" ;;
    esac
  done
done
printf 'LOAD_AT_END=%q\nRUN_DATE=%q\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%Y-%m-%dT%H:%MZ)" >> "$META"
fi # not --report

# ---- table of medians and ratios, then the issue-8 goals -----------------------------------
TABLE="$OUT/table.md"
awk -v targets="$TARGETS" '
  function median(s,   a, n, i, j, t) {
    n = split(s, a, " ")
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
    if (n == 0) return ""
    return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function med(name, target, key) { return median(v[name, target, key]) }
  # One goal row: measured ratio r (empty if unknown) against the bound, "<=" or ">=".
  function goal(text, a, b, op, bound,   r, ok) {
    if (a == "" || b == "" || b + 0 == 0) { printf "| %s | - | %s %s | not measured |\n", text, op, bound; return }
    r = a / b; ok = (op == "<=") ? (r <= bound) : (r >= bound)
    printf "| %s | %.2f (%s / %s) | %s %s | %s |\n", text, r, a, b, op, bound, ok ? "PASS" : "MISS"
  }
  /^name=/ {
    for (i = 1; i <= NF; i++) { eq = index($i, "="); f[substr($i, 1, eq - 1)] = substr($i, eq + 1) }
    name = f["name"]; target = f["target"]
    if (f["status"] != "" && f["status"] != "ok") { delete f; next }
    # workload.sh says ok for a consumer that read nothing before its timeout: that is no measurement.
    if (name ~ /^consume/ && f["records_read"] == "0") { delete f; next }
    if (!(name in seen)) { seen[name] = 1; order[++n] = name }
    # Broker CPU seconds per GiB moved: produce counts the records sent, consume the MB read.
    gib = 0
    if (f["records_sent"] != "" && f["size"] != "") gib = f["records_sent"] * f["size"] / 1073741824
    else if (name ~ /^consume/ && f["mb"] != "") gib = f["mb"] / 1024
    if (gib > 0 && f["broker_cpu_s"] != "") f["cpu_s_per_gib"] = sprintf("%.1f", f["broker_cpu_s"] / gib)
    split("mbps p50_ms p99_ms p999_ms max_ms avg_ms broker_cpu_s cpu_s_per_gib rss_peak_mb ready_ms rss_idle_mb rss_mb fetch_mbps rps target_rps", keys, " ")
    for (k in keys) { key = keys[k]; if (f[key] != "" && f[key] != "NA") v[name, target, key] = v[name, target, key] " " f[key] }
    delete f
  }
  END {
    nt = split(targets, T, " ")
    printf "| workload | metric |"; for (t = 1; t <= nt; t++) printf " %s |", T[t]
    printf " ailurus / kafka | ailurus / kafka-fsync |\n|---|---|"; for (t = 1; t <= nt + 2; t++) printf "---|"; printf "\n"
    split("mbps fetch_mbps target_rps avg_ms p50_ms p99_ms p999_ms max_ms broker_cpu_s cpu_s_per_gib rss_peak_mb ready_ms rss_idle_mb rss_mb", M, " ")
    for (o = 1; o <= n; o++) {
      name = order[o]
      for (m = 1; m in M; m++) {
        metric = M[m]; any = 0
        if (metric == "target_rps" && name !~ /fixedrate/) continue
        for (t = 1; t <= nt; t++) { md[t] = median(v[name, T[t], metric]); if (md[t] != "") any = 1 }
        if (!any) continue
        printf "| %s | %s |", name, metric
        for (t = 1; t <= nt; t++) { printf " %s |", md[t] == "" ? "-" : md[t]; mv[T[t]] = md[t] }
        r1 = (mv["kafka"] + 0 > 0 && mv["ailurus"] != "") ? sprintf("%.2f", mv["ailurus"] / mv["kafka"]) : "-"
        r2 = (mv["kafka-fsync"] + 0 > 0 && mv["ailurus"] != "") ? sprintf("%.2f", mv["ailurus"] / mv["kafka-fsync"]) : "-"
        printf " %s | %s |\n", r1, r2
        delete mv
      }
    }
    printf "\n| issue-8 goal (medians) | measured | bound | verdict |\n|---|---|---|---|\n"
    goal("RSS idle: ailurus / kafka", med("startup", "ailurus", "rss_idle_mb"), med("startup", "kafka", "rss_idle_mb"), "<=", 0.33)
    goal("start to ready: ailurus / kafka", med("startup", "ailurus", "ready_ms"), med("startup", "kafka", "ready_ms"), "<=", 0.5)
    goal("ailurus 1,000 partitions / 16 partitions (MiB/s)", med("produce_1000p_acksall", "ailurus", "mbps"), med("produce_16p_acksall", "ailurus", "mbps"), ">=", 0.8)
    goal("16 partitions: ailurus / kafka-fsync (MiB/s)", med("produce_16p_acksall", "ailurus", "mbps"), med("produce_16p_acksall", "kafka-fsync", "mbps"), ">=", 2)
    goal("16 partitions: ailurus / kafka (MiB/s)", med("produce_16p_acksall", "ailurus", "mbps"), med("produce_16p_acksall", "kafka", "mbps"), ">=", 1)
    goal("fixed rate p99: ailurus / kafka", med("latency_1p_fixedrate", "ailurus", "p99_ms"), med("latency_1p_fixedrate", "kafka", "p99_ms"), "<=", 0.2)
    goal("fixed rate p99.9: ailurus / kafka", med("latency_1p_fixedrate", "ailurus", "p999_ms"), med("latency_1p_fixedrate", "kafka", "p999_ms"), "<=", 0.2)
  }' "$ALL" > "$TABLE"

{
  echo "Machine: $(nproc) cores (load at start $LOAD_AT_START), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), load at end ${LOAD_AT_END:-$(cut -d' ' -f1-3 /proc/loadavg)}"
  echo "Command: bench/compare.sh $([ "$QUICK" = 1 ] && echo --quick) --rounds $ROUNDS ${WORKLOAD_ARGS[*]:+-- ${WORKLOAD_ARGS[*]}}"
  echo "Date: ${RUN_DATE:-$(date -u +%Y-%m-%dT%H:%MZ)}, commit ${RUN_COMMIT:-$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)}; medians over $ROUNDS rounds; raw lines in $ALL"
  if [ -s "$LIMITS_FILE" ]; then
    echo
    echo "Machine limits in this run (../shared/bench/machine-limits.sh):"
    sed -E 's/^name=/- /; s/ target=machine//' "$LIMITS_FILE"
  fi
  echo
  echo "Load average (1 min) when each workload ended, per target: $(awk '/^name=/ && /load1=/ {
      for (i = 1; i <= NF; i++) { if ($i ~ /^target=/) t = substr($i, 8); if ($i ~ /^load1=/) l = substr($i, 7) }
      s[t] = s[t] (s[t] == "" ? "" : " ") l } END { for (t in s) printf "%s: %s; ", t, s[t] }' "$ALL")"
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

#!/usr/bin/env bash
# Profiles the broker's produce path with async-profiler (issue 8): starts 1 or 3 brokers (RF = nodes) on loopback,
# runs Kafka's ProducerPerformance against them (acks=all) and writes, per workload and event, async-profiler's
# collapsed stacks per broker and a top-N summary by frame (self) and by thread, plus the broker CPU seconds per GiB.
#
#   bench/profile.sh [--nodes 1|3] [--partitions P] [--records N] [--rate R] [--secs S] [--workloads "L"]
#                    [--events "L"] [--interval I] [--top N] [--out DIR] [--summarize FILE.collapsed]
#
#   --nodes N        1 (default) or 3 brokers; topics have replication factor N
#   --partitions P   partitions of the max-rate topic (default 16)
#   --records N      records of the max-rate run, 1 KiB each (default 1000000)
#   --rate R         records/s of the fixed-rate run (default 5000)
#   --secs S         duration of the fixed-rate run (default 20)
#   --workloads "L"  subset of: max fixed (default "max fixed"); max = max-rate acks=all on --partitions
#                    partitions, fixed = --rate records/s acks=all on 1 partition
#   --events "L"     subset of: cpu alloc lock wall itimer (default "cpu alloc"); one run of the workload per event
#   --interval I     cpu/itimer sampling interval (default 1ms)
#   --top N          lines per summary table (default 25)
#   --out DIR        output directory (default /tmp/ailurus-profile-<time>)
#   --summarize F    no run: print the summary of collapsed stacks F (recorded with the `threads` option)
# Before the profiled runs a 10 s unprofiled produce warms the JIT up. Output per run, in DIR:
#   <workload>-<event>.node<i>.collapsed  async-profiler collapsed stacks (first frame = thread)
#   <workload>-<event>.summary.txt       top frames (self) and threads, all nodes summed
#   results.txt                          one line per run: mbps, latency, broker_cpu_s, cpu_s_per_gib
# async-profiler (tools.profiler:async-profiler, version pinned below) is fetched from Maven Central through Maven
# into ~/.cache/ailurus-bench/async-profiler-<version>/. The profiler is attached to each running broker with jcmd
# (JVMTI.agent_load) only for the measured run. Env: KAFKA_LIB (../shared/bench/fetch-kafka.sh), START_TIMEOUT (s,
# default 120), STOP_TIMEOUT (s, default 30). Binds 127.0.0.1 only; stops what it started, by PID.
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
AP_VERSION=4.2
AP_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/ailurus-bench/async-profiler-$AP_VERSION"
KAFKA_LIB="${KAFKA_LIB:-${XDG_CACHE_HOME:-$HOME/.cache}/ailurus-bench/kafka-lib}"
START_TIMEOUT="${START_TIMEOUT:-120}"
STOP_TIMEOUT="${STOP_TIMEOUT:-30}"
NODES=1 PARTITIONS=16 RECORDS=1000000 RATE=5000 SECS=20 WORKLOADS="max fixed" EVENTS="cpu alloc"
INTERVAL=1ms TOP=25 OUT="" SUMMARIZE="" RECORD_SIZE=1024

usage_help() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; }
die() { echo "$1 (see --help)" >&2; exit 2; }
need_arg() { [ $# -ge 2 ] || die "option $1 needs a value"; }
need_num() { case "$2" in ''|*[!0-9]*) die "option $1 needs a whole number, got '$2'" ;; esac; }
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) need_arg "$@"; need_num "$1" "$2"; NODES="$2"; shift 2 ;;
    --partitions) need_arg "$@"; need_num "$1" "$2"; PARTITIONS="$2"; shift 2 ;;
    --records) need_arg "$@"; need_num "$1" "$2"; RECORDS="$2"; shift 2 ;;
    --rate) need_arg "$@"; need_num "$1" "$2"; RATE="$2"; shift 2 ;;
    --secs) need_arg "$@"; need_num "$1" "$2"; SECS="$2"; shift 2 ;;
    --workloads) need_arg "$@"; WORKLOADS="$2"; shift 2 ;;
    --events) need_arg "$@"; EVENTS="$2"; shift 2 ;;
    --interval) need_arg "$@"; INTERVAL="$2"; shift 2 ;;
    --top) need_arg "$@"; need_num "$1" "$2"; TOP="$2"; shift 2 ;;
    --out) need_arg "$@"; OUT="$2"; shift 2 ;;
    --summarize) need_arg "$@"; SUMMARIZE="$2"; shift 2 ;;
    -h|--help) usage_help; exit 0 ;;
    *) die "unknown option $1" ;;
  esac
done
case "$NODES" in 1|3) ;; *) die "--nodes must be 1 or 3, got $NODES" ;; esac
[ "$PARTITIONS" -ge 1 ] && [ "$RECORDS" -ge 1 ] && [ "$RATE" -ge 1 ] && [ "$SECS" -ge 1 ] && [ "$TOP" -ge 1 ] \
  || die "--partitions, --records, --rate, --secs and --top must be at least 1"
for w in $WORKLOADS; do case "$w" in max|fixed) ;; *) die "unknown workload $w (max, fixed)" ;; esac; done
for e in $EVENTS; do case "$e" in cpu|alloc|lock|wall|itimer) ;; *) die "unknown event $e (cpu alloc lock wall itimer)" ;; esac; done
[ -n "$WORKLOADS" ] && [ -n "$EVENTS" ] || die "--workloads and --events need at least one entry"

# Summary of collapsed stacks (frames ';'-separated, the first the thread, then a count): the frames that cost
# most themselves (the leaf), the threads, and the Ailurus frames (io.ailurus) that cost most including callees.
summarize() {  # summarize TOP FILE...
  local top="$1"; shift
  cat "$@" | awk -v top="$top" '
    { n = $NF; sub(/ [0-9]+$/, ""); total += n
      k = split($0, f, ";"); self[f[k]] += n; thr = f[1]; sub(/ tid=[0-9]+/, "", thr); gsub(/[0-9]+/, "#", thr); threads[thr] += n
      delete seen
      for (i = 2; i <= k; i++) if (f[i] ~ /io[.\/]ailurus/ && !(f[i] in seen)) { seen[f[i]] = 1; incl[f[i]] += n } }
    function table(title, a,   key, m, i, best, bk, printed) {
      printf "## %s (of %.0f samples/units)\n", title, total
      for (printed = 0; printed < top; printed++) {
        best = -1; for (key in a) if (a[key] > best) { best = a[key]; bk = key }
        if (best < 0) break
        printf "%6.2f%%  %s\n", 100 * best / (total ? total : 1), bk; delete a[bk]
      }
      print ""
    }
    END { table("top frames, self", self); table("threads (numbers folded)", threads)
          table("io.ailurus frames, inclusive", incl) }'
}
if [ -n "$SUMMARIZE" ]; then
  [ -f "$SUMMARIZE" ] || { echo "no such file: $SUMMARIZE" >&2; exit 1; }
  summarize "$TOP" "$SUMMARIZE"; exit 0
fi

OUT="${OUT:-/tmp/ailurus-profile-$(date +%s)}"
# A broker's data directory remembers its ports and peers: a second run in the same directory would not start.
[ -e "$OUT/node-1" ] && { echo "error: $OUT holds a previous run; give a new --out" >&2; exit 2; }
[ -d "$KAFKA_LIB" ] || { echo "error: no Kafka lib at $KAFKA_LIB: run ../shared/bench/fetch-kafka.sh" >&2; exit 1; }
mkdir -p "$OUT" || exit 1
log() { echo "[profile $(date +%H:%M:%S)] $*" >&2; }

. "$REPO/bin/lib/common.sh"
ailurus_find_java || exit 1
JCMD="$JAVA_HOME/bin/jcmd"

# ---- async-profiler through Maven ------------------------------------------------------------
AP_LIB="$AP_DIR/linux-x64/libasyncProfiler.so"
if [ ! -f "$AP_LIB" ]; then
  log "fetching tools.profiler:async-profiler:$AP_VERSION:jar:linux-x64 into $AP_DIR"
  mkdir -p "$AP_DIR"
  "$REPO/bin/mvn" -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$AP_VERSION:jar:linux-x64" \
    -DoutputDirectory="$AP_DIR" -Dmdep.overWriteReleases=true > "$OUT/fetch-profiler.log" 2>&1 \
    || { echo "error: Maven could not fetch async-profiler; see $OUT/fetch-profiler.log" >&2; exit 1; }
  (cd "$AP_DIR" && unzip -o -q "async-profiler-$AP_VERSION-linux-x64.jar" 'linux-x64/*') \
    || { echo "error: could not unpack async-profiler" >&2; exit 1; }
fi

# ---- brokers ---------------------------------------------------------------------------------
ailurus_ensure_built broker-core || exit 1
# shellcheck source=lib/proc.sh
. "$REPO/bench/lib/proc.sh"          # free_port, api_ready, cpu_ticks_sum
# shellcheck source=lib/kafka-tools.sh
. "$REPO/bench/lib/kafka-tools.sh"   # kt: a Kafka tool, bounded in time, stoppable by the traps
PIDS=()
stop_all() {
  local pid i
  [ -n "$KT_PID" ] && kill "$KT_PID" 2>/dev/null && wait "$KT_PID" 2>/dev/null
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && { log "pid $pid did not stop: SIGKILL"; kill -KILL "$pid" 2>/dev/null; }
  done
  PIDS=()
}
trap stop_all EXIT
trap 'log interrupted; stop_all; exit 130' INT TERM
declare -a KPORTS RPORTS APORTS
seeds=""
for ((i = 1; i <= NODES; i++)); do
  free_port || exit 1; KPORTS[i]=$FREE_PORT; free_port || exit 1; RPORTS[i]=$FREE_PORT
  free_port || exit 1; APORTS[i]=$FREE_PORT; seeds+="${seeds:+,}127.0.0.1:${RPORTS[i]}"
done
for ((i = 1; i <= NODES; i++)); do
  mkdir -p "$OUT/node-$i"
  args=(start --node-id "$i" --data-dir "$OUT/node-$i/data" --kafka-addr "127.0.0.1:${KPORTS[i]}"
        --admin-addr "127.0.0.1:${APORTS[i]}" --rpc-addr "127.0.0.1:${RPORTS[i]}" --smp 1 --overprovisioned --check=false)
  [ "$NODES" -gt 1 ] && args+=(--seeds "$seeds")
  # The agent is loaded at start (not profiling) so that the attach later is not a dynamic agent load.
  AILURUS_JAVA_OPTS="${AILURUS_JAVA_OPTS:-} -agentpath:$AP_LIB -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints" \
  AILURUS_CLASSPATH="$(ailurus_classpath broker-core)" AILURUS_AOT_CACHE=off AILURUS_LOG_LEVEL=WARN \
    "$REPO/bin/ailurus" "${args[@]}" > "$OUT/node-$i/broker.log" 2>&1 < /dev/null &
  PIDS+=("$!")
done
BS="127.0.0.1:${KPORTS[1]}"
for ((t = 0; t < START_TIMEOUT * 5; t++)); do
  ready=1; for ((i = 1; i <= NODES; i++)); do api_ready "${KPORTS[i]}" || ready=0; done
  [ "$ready" = 1 ] && break; sleep 0.2
done
[ "$ready" = 1 ] || { echo "error: brokers not ready in ${START_TIMEOUT}s; logs in $OUT/node-*" >&2; exit 1; }
log "brokers ready: pids ${PIDS[*]}, bootstrap $BS"

# ---- workloads -------------------------------------------------------------------------------
perf() {  # perf TIMEOUT TOPIC RECORDS RATE LOG
  kt "$1" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BS" --topic "$2" --num-records "$3" \
    --record-size "$RECORD_SIZE" --throughput "$4" --command-property acks=all > "$5" 2>&1
}
HZ=$(getconf CLK_TCK)
agent() {  # agent PID ARGS: async-profiler command in the broker (start/stop)
  # Quoted: jcmd would read "start,event=cpu" as an option named "start,event".
  "$JCMD" "$1" JVMTI.agent_load "$AP_LIB" "\"$2\"" > /dev/null 2>&1
}
for w in $WORKLOADS; do
  if [ "$w" = max ]; then topic="profile-max-p$PARTITIONS" parts=$PARTITIONS n=$RECORDS rate=-1 limit=600
  else topic="profile-fixed" parts=1 n=$(( RATE * SECS )) rate=$RATE limit=$(( SECS * 3 + 60 )); fi
  kt 120 org.apache.kafka.tools.TopicCommand --bootstrap-server "$BS" --create --topic "$topic" --partitions "$parts" \
    --replication-factor "$NODES" >> "$OUT/topics.log" 2>&1 || log "create $topic failed (see topics.log)"
  log "$w: warm-up (10 s, not profiled)"
  kt 10 org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$BS" --topic "$topic" --num-records 100000000 \
    --record-size "$RECORD_SIZE" --throughput -1 --command-property acks=all > "$OUT/$w-warmup.log" 2>&1
  for e in $EVENTS; do
    opts="start,event=$e,threads"
    case "$e" in cpu|itimer|wall) opts="$opts,interval=$INTERVAL" ;; esac
    for p in "${PIDS[@]}"; do agent "$p" "$opts" || log "could not start the profiler in $p"; done
    c0=$(cpu_ticks_sum "${PIDS[@]}"); log "$w/$e: $n records at rate $rate, profiled"
    perf "$limit" "$topic" "$n" "$rate" "$OUT/$w-$e.perf.log"
    c1=$(cpu_ticks_sum "${PIDS[@]}")
    for ((i = 1; i <= NODES; i++)); do
      agent "${PIDS[i-1]}" "stop,file=$OUT/$w-$e.node$i.collapsed,collapsed$([ "$e" = alloc ] && echo ,total)"
    done
    line=$(grep -E '^[0-9]+ records sent, .* 99.9th' "$OUT/$w-$e.perf.log" | tail -1)
    sent=$(awk '{print $1}' <<< "$line")
    res=$(awk -v c0="$c0" -v c1="$c1" -v hz="$HZ" -v sent="${sent:-0}" -v sz="$RECORD_SIZE" 'BEGIN {
      s = (c1 - c0) / hz; gib = sent * sz / 1073741824
      printf "broker_cpu_s=%.1f cpu_s_per_gib=%s", s, (gib > 0 ? sprintf("%.1f", s / gib) : "-") }')
    echo "workload=$w event=$e nodes=$NODES partitions=$parts $res perf=\"${line:-none}\"" | tee -a "$OUT/results.txt"
    summarize "$TOP" "$OUT/$w-$e".node*.collapsed > "$OUT/$w-$e.summary.txt" 2>/dev/null
  done
done
log "done: $OUT (results.txt, *.summary.txt, *.collapsed)"

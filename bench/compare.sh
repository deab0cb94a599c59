#!/usr/bin/env bash
# Issue 8's one command: the same workloads against Apache Kafka as shipped (no fsync before ack),
# Apache Kafka with flush.messages=1 (fsync before ack: the same safety as ours) and Ailurus (always
# fsync before ack), first on a single node, then on 3 nodes with replication factor 3, on the same
# machine, alternating the brokers round by round; then one report: a table of medians and ratios per
# part and the issue-8 goals, rows labelled "1 node" and "3 nodes".
#
#   bench/compare.sh [--nodes "1 3"] [--quick] [--rounds N] [--targets "L"] [--out DIR] [--no-limits]
#                    [--write-docs] [--report DIR] [--dry-run] [-- workload options...]
#
#   --nodes "L"   which parts run: 1 (single node), 3 (3 nodes, RF=3) or "1 3" (default: both, single
#                 node first; one part after the other, so each has the machine to itself)
#   --quick       one short round: single node 1, 16 and 1,000 partitions, 3 nodes 1 and 16 partitions,
#                 short produce/latency runs, 3 s fio jobs (single node 16 min at load 7-14, 35-40 at
#                 load 20-30; the 3-node part about 10 min more on a quiet machine)
#   --rounds N    rounds of (kafka, kafka-fsync, ailurus) in each part, default 3 (--quick: 1); medians
#                 over rounds
#   --targets "L" subset of: kafka kafka-fsync ailurus (default all three); the 3-node part runs the
#                 same as kafka3 kafka3-fsync ailurus3
#   --out DIR     raw lines (all.txt), logs and report.md (default /tmp/ailurus-compare-<time>); the
#                 3-node part's own files are in DIR/3-nodes
#   --no-limits   skip the machine limits (fio, iperf3)
#   --write-docs  replace the <!-- compare:begin/end --> block of docs/benchmarks.md with the report
#   --report DIR  no runs: rebuild the report (and, with --write-docs, the docs) from DIR of a past run
#   --dry-run     print what would run (parts, targets, rounds, options of each part) and stop
#   -- options    workload.sh options (../shared/bench/workload.sh --help) instead of the defaults; the
#                 3-node part takes --records, --partitions, --max-secs, --lat-secs and --lat-rate of them
# Single node (default partitions 1, 16, 256, 1,000 and 4,000), per broker and round: start to ready
# (ms until it answers ApiVersions), RSS idle (3 s after ready) and under load (peak over the round),
# max-rate acks=all produce of 1 KiB records per partition count, produce to a flush.messages=1 topic,
# consume, end-to-end latency, and fixed-rate produce latency at half the rate Kafka as shipped reached
# at 1 partition in the same round (when kafka runs); broker CPU seconds per GiB moved (from
# /proc/PID/stat); the machine's own limits once per run.
# 3 nodes (bench/cluster-compare.sh, default partitions 1, 16 and 256): the same per cluster, RSS and
# CPU summed over the three processes, every topic with 3 replicas (Kafka: min.insync.replicas=2).
# Env: SHARED_BENCH (the shared harness, default ../shared/bench beside the repository), JAVA; the 3-node
# part's own (bench/cluster-compare.sh --help). Shared code: bench/lib (probe, /proc sums, report maths).
# Everything binds 127.0.0.1 only; every broker started here is stopped here, by PID (INT/TERM included).
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${SHARED_BENCH:-$REPO/../shared/bench}"
ROUNDS=""
QUICK=0
LIMITS=1
REPORT_ONLY=""
WRITE_DOCS=0
OUT=""
NODES="1 3"
TARGETS="kafka kafka-fsync ailurus"
USER_WORKLOAD=0
DRY_RUN=0
WORKLOAD_ARGS=()
KAFKA_PORT=19092
OURS_PORT=29092

need_arg() { [ $# -ge 2 ] || { echo "option $1 needs a value (see --help)" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) need_arg "$@"; NODES="$2"; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --rounds) need_arg "$@"; ROUNDS="$2"; shift 2 ;;
    --out) need_arg "$@"; OUT="$2"; shift 2 ;;
    --write-docs) WRITE_DOCS=1; shift ;;
    --targets) need_arg "$@"; TARGETS="$2"; shift 2 ;;
    --no-limits) LIMITS=0; shift ;;
    --report) need_arg "$@"; REPORT_ONLY="$2"; OUT="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    --) shift; WORKLOAD_ARGS=("$@"); USER_WORKLOAD=1; break ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
# Refusals come before anything is built, started or written.
case "$ROUNDS" in '') ;; *[!0-9]*|0*) echo "--rounds needs a whole number of at least 1, got '$ROUNDS'" >&2; exit 2 ;; esac
case "$NODES" in 1|3|"1 3"|"3 1") ;; *) echo "--nodes takes 1, 3 or \"1 3\", got '$NODES'" >&2; exit 2 ;; esac
for t in $TARGETS; do
  case "$t" in kafka|kafka-fsync|ailurus) ;; *) echo "unknown target $t (kafka, kafka-fsync, ailurus)" >&2; exit 2 ;; esac
done
[ -n "${TARGETS// /}" ] || { echo "--targets names none of kafka, kafka-fsync, ailurus" >&2; exit 2; }
NODES="$(tr ' ' '\n' <<< "$NODES" | sort -n | xargs)"   # the single node first, whatever the order given
if [ -z "$REPORT_ONLY" ] && [ "$DRY_RUN" != 1 ] && [ ! -d "$SHARED" ]; then
  echo "error: the shared bench harness is not at $SHARED (set SHARED_BENCH)" >&2; exit 1
fi
OUT="${OUT:-/tmp/ailurus-compare-$(date +%s)}"
[ "$DRY_RUN" = 1 ] || { mkdir -p "$OUT" && OUT="$(cd "$OUT" && pwd)"; }
ALL="$OUT/all.txt"
LIMITS_FILE="$OUT/limits.txt"
META="$OUT/meta.sh"
log() { echo "[compare $(date +%H:%M:%S)] $*" >&2; }
# shellcheck source=lib/proc.sh
. "$REPO/bench/lib/proc.sh"
# shellcheck source=lib/report.sh
. "$REPO/bench/lib/report.sh"
if [ -n "$REPORT_ONLY" ]; then
  [ -s "$ALL" ] || { echo "error: no $ALL to report on" >&2; exit 1; }
  NODES=1   # a run from before --nodes was single node only; meta.sh says what a newer run had
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

# The 3-node part's options: those of the workload options it has (its own defaults otherwise).
part3_args() {
  local i a
  PART3_ARGS=(--rounds "$ROUNDS")
  [ "$QUICK" = 1 ] && PART3_ARGS+=(--quick)
  [ "$USER_WORKLOAD" = 1 ] || return 0
  for ((i = 0; i < ${#WORKLOAD_ARGS[@]}; i++)); do
    a="${WORKLOAD_ARGS[$i]}"
    case "$a" in --records|--partitions|--max-secs|--lat-secs|--lat-rate) PART3_ARGS+=("$a" "${WORKLOAD_ARGS[$((i + 1))]}") ;; esac
  done
}

targets3() { sed -E 's/kafka/kafka3/g; s/ailurus/ailurus3/g' <<< "$TARGETS"; }   # the 3-node names

if [ "$DRY_RUN" = 1 ]; then
  [[ " $NODES " == *" 1 "* ]] && echo "single node: rounds $ROUNDS of $TARGETS; workload.sh $(printf '%q ' "${WORKLOAD_ARGS[@]}")"
  part3_args
  [[ " $NODES " == *" 3 "* ]] && echo "3 nodes: bench/cluster-compare.sh --targets \"$(targets3)\" $(printf '%q ' "${PART3_ARGS[@]}")"
  echo "out: $OUT; machine limits: $([ "$LIMITS" = 1 ] && echo yes || echo no); docs: $([ "$WRITE_DOCS" = 1 ] && echo yes || echo no)"
  exit 0
fi

if [ -z "$REPORT_ONLY" ]; then
: > "$ALL"
# The commit measured is the one checked out when the run starts (others may commit during it).
printf 'LOAD_AT_START=%q\nQUICK=%q\nROUNDS=%q\nNODES=%q\nTARGETS=%q\nUSER_WORKLOAD=%q\nRUN_COMMIT=%q\nWORKLOAD_ARGS=(%s)\n' "$LOAD_AT_START" "$QUICK" \
  "$ROUNDS" "$NODES" "$TARGETS" "$USER_WORKLOAD" "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  "$(printf '%q ' "${WORKLOAD_ARGS[@]}")" > "$META"
. "$REPO/bin/lib/common.sh"
ailurus_find_java || exit 1
export JAVA="${JAVA:-$JAVA_HOME/bin/java}"

log "building Ailurus"
"$REPO/bin/mvn" -o -q -B -DskipTests -pl broker-core -am package > "$OUT/build.log" 2>&1 \
  || { echo "error: build failed (see $OUT/build.log)" >&2; exit 1; }
# The AOT cache bin/ailurus uses with these jars (JDK 25+), made here by a training start that is not measured: the
# launcher makes it by itself only for its own builds (docs/operations.md, memory).
AILURUS_CLASSPATH="$REPO/broker-core/target/broker-core.jar:$REPO/broker-core/target/lib/*" "$REPO/bin/lib/aot-cache.sh" \
  || log "no AOT cache: Ailurus starts without it"
log "fetching Apache Kafka's jars (once)"
"$SHARED/fetch-kafka.sh" >/dev/null || { echo "error: fetch-kafka.sh failed" >&2; exit 1; }

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
PART3_PID=""   # bench/cluster-compare.sh running the 3-node part (it stops its own clusters on TERM)
stop_part3() {
  [ -n "$PART3_PID" ] && kill -TERM "$PART3_PID" 2>/dev/null && wait "$PART3_PID" 2>/dev/null
  PART3_PID=""
}
trap 'stop_ours; stop_kafka; stop_part3' EXIT
trap 'log interrupted; stop_ours; stop_kafka; stop_part3; exit 130' INT TERM

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
  rss_under_load_line "$ALL" "$name" "$round" | tee -a "$ALL"
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
    if api_ready "$OURS_PORT"; then ready_ms=$(( $(now_ms) - t0 )); break; fi
    sleep 0.05
  done
  [ -n "$ready_ms" ] || { log "ailurus not ready in 120 s"; stop_ours; return 1; }
  sleep 3   # as kafka-peer.sh: let start-up settle before the idle RSS sample
  echo "name=startup target=ailurus pid=$OURS_PID ready_ms=$ready_ms rss_idle_mb=$(rss_mb_sum "$OURS_PID") run=$round" | tee -a "$ALL"
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

run_single() {  # run_single TARGET ROUND
  case "$1" in
    kafka|kafka-fsync) run_kafka "$1" "$2" ;;
    ailurus) run_ours "$2" ;;
  esac
}
if [[ " $NODES " == *" 1 "* ]]; then
  log "single node"
  run_rounds "$ROUNDS" "$TARGETS" run_single
fi
if [[ " $NODES " == *" 3 "* ]]; then
  part3_args
  log "3 nodes (bench/cluster-compare.sh ${PART3_ARGS[*]}; its files in $OUT/3-nodes)"
  mkdir -p "$OUT/3-nodes"
  # Its report and stdout stay in its directory; its raw lines join this run's (targets kafka3, ...).
  AILURUS_BUILT=1 SHARED_BENCH="$SHARED" "$REPO/bench/cluster-compare.sh" --out "$OUT/3-nodes" \
    --targets "$(targets3)" "${PART3_ARGS[@]}" \
    > "$OUT/3-nodes/stdout.txt" &
  PART3_PID=$!
  wait "$PART3_PID" || log "the 3-node part ended with an error (see $OUT/3-nodes)"
  PART3_PID=""
  grep '^name=' "$OUT/3-nodes/all.txt" >> "$ALL" 2>/dev/null
fi
printf 'LOAD_AT_END=%q\nRUN_DATE=%q\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%Y-%m-%dT%H:%MZ)" >> "$META"
fi # not --report

# ---- one report: a table per part, then the issue-8 goals (bench/lib/report.awk) -------------
{
  machine_lines "$LOAD_AT_START" "${LOAD_AT_END:-$(cut -d' ' -f1-3 /proc/loadavg)}"
  echo "Command: bench/compare.sh --nodes \"$NODES\"$([ "$QUICK" = 1 ] && echo " --quick") --rounds $ROUNDS --targets \"$TARGETS\"$([ "$USER_WORKLOAD" = 1 ] && echo " -- ${WORKLOAD_ARGS[*]}")"
  echo "Date: ${RUN_DATE:-$(date -u +%Y-%m-%dT%H:%MZ)}, commit ${RUN_COMMIT:-$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)}; medians over $ROUNDS round(s); raw lines in $ALL"
  if [ -s "$LIMITS_FILE" ]; then
    echo
    echo "Machine limits in this run (../shared/bench/machine-limits.sh):"
    sed -E 's/^name=/- /; s/ target=machine//' "$LIMITS_FILE"
  fi
  echo
  load_line "$ALL"
  if [[ " $NODES " == *" 1 "* ]]; then
    echo
    echo "**Single node** (one broker; workloads: ${WORKLOAD_ARGS[*]}):"
    echo
    report_table "$ALL" "$TARGETS" ailurus kafka kafka-fsync
  fi
  if [[ " $NODES " == *" 3 "* ]]; then
    echo
    echo "**3 nodes, RF=3** (bench/cluster-compare.sh; RSS and CPU summed over the three processes; its command in $OUT/3-nodes/report.md):"
    echo
    report_table "$ALL" "$(targets3)" ailurus3 kafka3 kafka3-fsync
  fi
  echo
  goals_header
  limits=(); [ -s "$LIMITS_FILE" ] && limits=("$LIMITS_FILE")
  [[ " $NODES " == *" 1 "* ]] && report_goals "$ALL" "1 node" ailurus kafka kafka-fsync "${limits[@]}"
  [[ " $NODES " == *" 3 "* ]] && report_goals "$ALL" "3 nodes" ailurus3 kafka3 kafka3-fsync
} > "$OUT/report.md"
cat "$OUT/report.md"

if [ "$WRITE_DOCS" = 1 ]; then
  write_docs_block "$REPO/docs/benchmarks.md" compare "Ailurus vs Apache Kafka (bench/compare.sh)" "$OUT/report.md"
  log "docs/benchmarks.md updated"
fi

#!/usr/bin/env bash
# Three-node side-by-side benchmark (issues 5 and 8): a 3-node Apache Kafka (KRaft, every node broker
# and controller) as shipped, the same with log.flush.interval.messages=1 (fsync before ack), and a
# 3-node Ailurus, on the same machine, one cluster at a time, rounds alternating the three; every topic
# has replication factor 3 and every produce is acks=all (Kafka: min.insync.replicas=2). Then a table
# of medians and ratios and the issue-8 goals ("3 nodes" rows). This is the 3-node part of
# bench/compare.sh (which runs it after the single node, with --nodes 3 alone); run by itself for its
# own options.
#
#   bench/cluster-compare.sh [--quick] [--rounds N] [--out DIR] [--write-docs] [--targets "L"]
#                            [--partitions "L"] [--records N] [--max-secs S] [--lat-secs S] [--report DIR]
#
#   --quick         smoke run, one round (about 10 minutes on a quiet machine, much more when loaded):
#                   1 and 16 partitions, 200,000-record produce runs of at most 10 s, 10 s latency run
#   --rounds N      rounds of (kafka3, kafka3-fsync, ailurus3), default 3 (--quick: 1); medians over rounds
#   --targets "L"   subset of: kafka3 kafka3-fsync ailurus3 (default all three, in that order)
#   --partitions L  partition counts of the max-rate produce runs (default "1 16 256"; --quick "1 16")
#   --records N     records of a max-rate produce run, capped by --max-secs (default 2000000)
#   --max-secs S    target duration of a max-rate produce run (default 60; --quick 10)
#   --lat-secs S    duration of the fixed-rate latency run (default 30; --quick 10)
#   --lat-rate R    fixed rate when kafka3's 1-partition rate of the round is unknown (default 5000)
#   --out DIR       raw logs, raw lines (all.txt) and report.md (default /tmp/ailurus-cluster-compare-<time>)
#   --write-docs    replace the <!-- cluster-compare:begin/end --> block of docs/benchmarks.md
#   --report DIR    no runs: rebuild the report (and, with --write-docs, the docs) from DIR of a past run
# Per cluster and round: start to ready (launch of the three until all answer ApiVersions and
# DescribeCluster lists 3 brokers; Kafka's storage format is done before), RSS idle (3 s after ready)
# and peak (over the round), both summed over the three processes; max-rate acks=all produce of 1 KiB
# records per partition count; fixed-rate produce latency (p50/p99/p99.9/max) at half the rate kafka3
# reached at 1 partition in the same round (kafka3 runs first); consume of the 16-partition topic;
# broker CPU seconds (utime+stime from /proc/PID/stat, summed over the three) per GiB produced or read.
# Workloads use Kafka's own tools from the Kafka lib (../shared/bench/fetch-kafka.sh) and print
# workload.sh's line format: name=<test> target=<cluster> run=<round> k=v ...
# Env: KAFKA_LIB, KAFKA_HEAP_OPTS (default -Xmx1G -Xms1G per Kafka node, as kafka-peer.sh),
#      START_TIMEOUT (s, default 240), STOP_TIMEOUT (s per process, default 30), SHARED_BENCH,
#      AILURUS_BUILT=1 (the jars are built already: bench/compare.sh sets it when it runs this part).
# Everything binds 127.0.0.1 on free ports; every process started here is stopped here, by PID.
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${SHARED_BENCH:-$REPO/../shared/bench}"
KAFKA_LIB="${KAFKA_LIB:-${XDG_CACHE_HOME:-$HOME/.cache}/ailurus-bench/kafka-lib}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G}"
KAFKA_JVM_PERFORMANCE_OPTS="${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true}"
TOOLS_JAVA_OPTS="${TOOLS_JAVA_OPTS:--Xmx512M}"
START_TIMEOUT="${START_TIMEOUT:-240}"
STOP_TIMEOUT="${STOP_TIMEOUT:-30}"
RECORD_SIZE=1024
ROUNDS=""
QUICK=0
REPORT_ONLY=""
WRITE_DOCS=0
OUT=""
TARGETS="kafka3 kafka3-fsync ailurus3"
PARTITIONS=""
RECORDS=2000000
MAX_SECS=""
LAT_SECS=""
LAT_RATE_FALLBACK=5000

need_arg() { [ $# -ge 2 ] || { echo "option $1 needs a value (see --help)" >&2; exit 2; }; }
need_num() { case "$2" in ''|*[!0-9]*) echo "option $1 needs a whole number, got '$2'" >&2; exit 2 ;; esac; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --rounds) need_arg "$@"; need_num "$1" "$2"; ROUNDS="$2"; shift 2 ;;
    --out) need_arg "$@"; OUT="$2"; shift 2 ;;
    --write-docs) WRITE_DOCS=1; shift ;;
    --targets) need_arg "$@"; TARGETS="$2"; shift 2 ;;
    --partitions) need_arg "$@"; PARTITIONS="$2"; shift 2 ;;
    --records) need_arg "$@"; need_num "$1" "$2"; RECORDS="$2"; shift 2 ;;
    --max-secs) need_arg "$@"; need_num "$1" "$2"; MAX_SECS="$2"; shift 2 ;;
    --lat-secs) need_arg "$@"; need_num "$1" "$2"; LAT_SECS="$2"; shift 2 ;;
    --lat-rate) need_arg "$@"; need_num "$1" "$2"; LAT_RATE_FALLBACK="$2"; shift 2 ;;
    --report) need_arg "$@"; REPORT_ONLY="$2"; OUT="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for t in $TARGETS; do
  case "$t" in kafka3|kafka3-fsync|ailurus3) ;; *) echo "unknown target $t (kafka3, kafka3-fsync, ailurus3)" >&2; exit 2 ;; esac
done
[ "$ROUNDS" = 0 ] && { echo "--rounds must be at least 1" >&2; exit 2; }
for p in $PARTITIONS; do need_num --partitions "$p"; done
if [ "$QUICK" = 1 ]; then
  ROUNDS="${ROUNDS:-1}"; PARTITIONS="${PARTITIONS:-1 16}"; MAX_SECS="${MAX_SECS:-10}"; LAT_SECS="${LAT_SECS:-10}"
  [ "$RECORDS" = 2000000 ] && RECORDS=200000
  PROBE_SECS=4
else
  ROUNDS="${ROUNDS:-3}"; PARTITIONS="${PARTITIONS:-1 16 256}"; MAX_SECS="${MAX_SECS:-60}"; LAT_SECS="${LAT_SECS:-30}"
  PROBE_SECS=10
fi
case " $PARTITIONS " in *" 1 "*) ;; *) PARTITIONS="1 $PARTITIONS" ;; esac    # the latency rate needs it
case " $PARTITIONS " in *" 16 "*) ;; *) PARTITIONS="$PARTITIONS 16" ;; esac  # the consume reads it

OUT="${OUT:-/tmp/ailurus-cluster-compare-$(date +%s)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
ALL="$OUT/all.txt"
META="$OUT/meta.sh"
exec 9>&2   # the progress log keeps going to the original stderr, also from traps run inside redirected calls
log() { echo "[cluster-compare $(date +%H:%M:%S)] $*" >&9; }
if [ -n "$REPORT_ONLY" ]; then
  [ -s "$ALL" ] || { echo "error: no $ALL to report on" >&2; exit 1; }
  # shellcheck disable=SC1090
  [ -f "$META" ] && . "$META"
fi
LOAD_AT_START="${LOAD_AT_START:-$(cut -d' ' -f1-3 /proc/loadavg)}"
COMMAND="${COMMAND:-bench/cluster-compare.sh$([ "$QUICK" = 1 ] && echo " --quick") --rounds $ROUNDS --targets \"$TARGETS\" --partitions \"$PARTITIONS\" --records $RECORDS --max-secs $MAX_SECS --lat-secs $LAT_SECS}"

# shellcheck source=lib/proc.sh
. "$REPO/bench/lib/proc.sh"
# shellcheck source=lib/report.sh
. "$REPO/bench/lib/report.sh"

# ---- processes: every PID started here is remembered and stopped by PID ------------------------
CLUSTER_PIDS=()   # the three broker JVMs of the cluster under test
KT_PID=""         # the Kafka tool running now (under timeout(1), which forwards TERM)
SAMPLER_PID=""
stop_pid() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null
  for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  log "pid $pid did not stop in ${STOP_TIMEOUT}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null
}
stop_cluster() {
  local pid
  # TERM all three first (a clean shutdown of each can wait for the others), then wait for each.
  for pid in "${CLUSTER_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
  for pid in "${CLUSTER_PIDS[@]}"; do stop_pid "$pid"; done
  CLUSTER_PIDS=()
}
sampler_stop() {
  [ -n "$SAMPLER_PID" ] || return 0
  kill "$SAMPLER_PID" 2>/dev/null; wait "$SAMPLER_PID" 2>/dev/null; SAMPLER_PID=""
}
cleanup() {
  [ -n "$KT_PID" ] && kill "$KT_PID" 2>/dev/null && wait "$KT_PID" 2>/dev/null
  KT_PID=""
  sampler_stop
  stop_cluster
}
trap cleanup EXIT
trap 'log interrupted; cleanup; exit 130' INT TERM

# ---- probes and resource sums over the three processes ----------------------------------------
CLK_TCK="$(getconf CLK_TCK)"
sampler_start() {  # sampler_start FILE MAXSECS: peak of the summed RSS, every 0.25 s, into FILE (kB)
  local f="$1" max_iter=$(( $2 * 4 + 40 ))
  ( peak=0; i=0
    while [ $i -lt $max_iter ]; do
      r="$(rss_kb_sum "${CLUSTER_PIDS[@]}")"; [ "${r:-0}" -gt "$peak" ] && peak="$r" && echo "$peak" > "$f"
      i=$((i + 1)); sleep 0.25
    done ) &
  SAMPLER_PID=$!
}
res_fields() {  # res_fields RSSFILE CPU0 MS0 -> " broker_cpu_s=.. broker_cpu_pct=.. rss_peak_mb=.."
  local c1 ms1 peak
  c1="$(cpu_ticks_sum "${CLUSTER_PIDS[@]}")"; ms1="$(now_ms)"; peak="$(cat "$1" 2>/dev/null || echo 0)"
  awk -v c0="$2" -v c1="$c1" -v hz="$CLK_TCK" -v m0="$3" -v m1="$ms1" -v p="$peak" 'BEGIN {
    s = (c1 - c0) / hz; w = (m1 - m0) / 1000.0; if (w <= 0) w = 1;
    printf " broker_cpu_s=%.1f broker_cpu_pct=%.0f rss_peak_mb=%.1f", s, 100 * s / w, p / 1024 }'
}
emit() { echo "$* load1=$(cut -d' ' -f1 /proc/loadavg)" | tee -a "$ALL"; }

# ---- Kafka tools -------------------------------------------------------------------------------
# shellcheck source=lib/kafka-tools.sh
. "$REPO/bench/lib/kafka-tools.sh"   # kt: a Kafka tool, bounded in time, stoppable by the traps
# Sets DESCRIBED to the brokers DescribeCluster lists (Kafka's ClusterTool list-endpoints), 0 if
# it does not answer. (The Kafka tools run in this shell, never in $(...): the traps must see KT_PID.)
DESCRIBED=0
described_brokers() {  # described_brokers BOOTSTRAP LOG
  kt 60 org.apache.kafka.tools.ClusterTool list-endpoints --bootstrap-server "$1" > "$2" 2>&1
  DESCRIBED="$(awk '$1 ~ /^[0-9]+$/ { n++ } END { print n + 0 }' "$2")"
}
create_topic() {  # create_topic BOOTSTRAP TOPIC PARTITIONS LOG: RF 3; a few tries (a new cluster may refuse)
  local i
  for i in 1 2 3; do
    kt 120 org.apache.kafka.tools.TopicCommand --bootstrap-server "$1" --create --topic "$2" \
      --partitions "$3" --replication-factor 3 >> "$4" 2>&1 && return 0
    grep -q 'already exists' "$4" && return 0
    sleep 2
  done
  return 1
}
PERF_RE='^([0-9]+) records sent, ([0-9.]+) records/sec \(([0-9.]+) MB/sec\), ([0-9.]+) ms avg latency, ([0-9.]+) ms max latency, ([0-9]+) ms 50th, ([0-9]+) ms 95th, ([0-9]+) ms 99th, ([0-9]+) ms 99.9th\.'
parse_perf() {  # ProducerPerformance's final line -> fields (as workload.sh), or status=noresult
  local line
  line="$(grep -E "$PERF_RE" "$1" | tail -1)"
  if [ -z "$line" ]; then echo "status=noresult"; return; fi
  echo "$line" | sed -E "s#$PERF_RE.*#records_sent=\1 mbps=\3 rps=\2 avg_ms=\4 p50_ms=\6 p95_ms=\7 p99_ms=\8 p999_ms=\9 max_ms=\5#"
}
perf() {  # perf TIMEOUT BOOTSTRAP TOPIC RECORDS THROUGHPUT LOG [extra args]
  local t="$1" bs="$2" topic="$3" n="$4" rate="$5" logf="$6"; shift 6
  kt "$t" org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$bs" --topic "$topic" \
    --num-records "$n" --record-size "$RECORD_SIZE" --throughput "$rate" --command-property acks=all "$@" > "$logf" 2>&1
}

# Sets rate to the best 2 s window of a max-rate produce of $4 seconds (the first windows include JVM
# and connection warm-up), 0 if the tool reported none.
probe_rate() {  # probe_rate BOOTSTRAP TOPIC LOG SECS
  perf "$4" "$1" "$2" 1000000000 -1 "$3" --reporting-interval 2000
  rate="$(grep -E '^[0-9]+ records sent, [0-9.]+ records/sec' "$3" | awk '{ if ($4 + 0 > m) m = $4 + 0 } END { printf "%d", m }')"
}

# ---- workloads (workload.sh's conventions, RF 3, resources summed over the three) -------------
# Max-rate produce to a new topic of $4 partitions: a small settle produce (a new topic's partitions
# may have no leader yet), a rate probe that is also the warm-up, then a run sized to last --max-secs.
# Sets LAST_RECORDS to the run's record count.
LAST_RECORDS=""
run_produce() {  # run_produce TARGET ROUND BOOTSTRAP PARTS DIR
  local name="$1" round="$2" bs="$3" parts="$4" dir="$5"
  local tname="produce_${parts}p_acksall" topic="bench-$name-p$parts-r$round" n="$RECORDS" note=""
  local wn=$(( parts * 40 )) rate logf="$dir/$tname.log"
  [ "$wn" -lt 2000 ] && wn=2000
  create_topic "$bs" "$topic" "$parts" "$dir/topics.log" || note="create_failed"
  perf 180 "$bs" "$topic" "$wn" -1 "$dir/$tname.settle.log" || log "$name $tname: settle produce failed or timed out"
  probe_rate "$bs" "$topic" "$dir/$tname.probe.log" "$PROBE_SECS"
  # nothing reported (a loaded machine starts the tool slowly): one longer try, as workload.sh
  [ "${rate:-0}" -gt 0 ] || probe_rate "$bs" "$topic" "$dir/$tname.probe2.log" $(( PROBE_SECS * 2 ))
  if [ "${rate:-0}" -gt 0 ]; then
    [ $(( rate * MAX_SECS )) -lt "$n" ] && n=$(( rate * MAX_SECS ))
  else
    [ $(( 1000 * MAX_SECS )) -lt "$n" ] && n=$(( 1000 * MAX_SECS ))
    note="${note:+$note,}probe_failed"
  fi
  [ "$n" -lt 1000 ] && n=1000
  log "$name $tname: $n records (probe $rate rec/s)"
  local rssf="$dir/.rss.$tname" c0 m0 rc res errs st=ok
  rm -f "$rssf"; c0="$(cpu_ticks_sum "${CLUSTER_PIDS[@]}")"; m0="$(now_ms)"; sampler_start "$rssf" $(( MAX_SECS * 3 + 60 ))
  perf $(( MAX_SECS * 3 + 60 )) "$bs" "$topic" "$n" -1 "$logf"; rc=$?
  sampler_stop
  res="$(parse_perf "$logf")"
  errs="$(grep -c -iE 'exception|error' "$logf")"
  { [ $rc -eq 124 ] || [ $rc -eq 137 ]; } && st=timeout
  case "$res" in *noresult*) st="${st/ok/failed}"; res="" ;; esac
  LAST_RECORDS="$(sed -nE 's/.*records_sent=([0-9]+).*/\1/p' <<< "$res")"
  emit "name=$tname target=$name run=$round records=$n size=$RECORD_SIZE partitions=$parts replicas=3 $res err_lines=$errs secs=$(( ($(now_ms) - m0) / 1000 ))$(res_fields "$rssf" "$c0" "$m0") status=$st${note:+ note=$note}"
}

run_latency() {  # run_latency TARGET ROUND BOOTSTRAP DIR RATE: fixed rate on a new 1-partition topic
  local name="$1" round="$2" bs="$3" dir="$4" rate="$5" tname="latency_1p_fixedrate"
  local topic="bench-$name-lat-r$round" n=$(( $5 * LAT_SECS )) logf="$dir/$tname.log"
  create_topic "$bs" "$topic" 1 "$dir/topics.log" || log "$name: create $topic failed"
  perf 180 "$bs" "$topic" 2000 -1 "$dir/$tname.settle.log" || log "$name $tname: settle produce failed or timed out"
  log "$name $tname: $n records at $rate rec/s"
  local rssf="$dir/.rss.$tname" c0 m0 rc res errs st=ok
  rm -f "$rssf"; c0="$(cpu_ticks_sum "${CLUSTER_PIDS[@]}")"; m0="$(now_ms)"; sampler_start "$rssf" $(( LAT_SECS * 3 + 60 ))
  perf $(( LAT_SECS * 3 + 60 )) "$bs" "$topic" "$n" "$rate" "$logf"; rc=$?
  sampler_stop
  res="$(parse_perf "$logf")"
  errs="$(grep -c -iE 'exception|error' "$logf")"
  { [ $rc -eq 124 ] || [ $rc -eq 137 ]; } && st=timeout
  case "$res" in *noresult*) st="${st/ok/failed}"; res="" ;; esac
  emit "name=$tname target=$name run=$round records=$n size=$RECORD_SIZE partitions=1 replicas=3 target_rps=$rate $res err_lines=$errs secs=$(( ($(now_ms) - m0) / 1000 ))$(res_fields "$rssf" "$c0" "$m0") status=$st"
}

run_consume() {  # run_consume TARGET ROUND BOOTSTRAP DIR RECORDS: reads the 16-partition topic from the start
  local name="$1" round="$2" bs="$3" dir="$4" n="$5" tname="consume_16p"
  local topic="bench-$name-p16-r$round" logf="$dir/$tname.log"
  log "$name $tname: $n records from $topic"
  local rssf="$dir/.rss.$tname" c0 m0 rc res st=ok
  rm -f "$rssf"; c0="$(cpu_ticks_sum "${CLUSTER_PIDS[@]}")"; m0="$(now_ms)"; sampler_start "$rssf" $(( MAX_SECS * 3 + 60 ))
  kt $(( MAX_SECS * 3 + 60 )) org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$bs" \
    --topic "$topic" --num-records "$n" --timeout 30000 --group "bench-$name-r$round" > "$logf" 2>&1; rc=$?
  sampler_stop
  # CSV: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
  #      rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  res="$(grep -E '^[0-9]{4}-[0-9]{2}-[0-9]{2} ' "$logf" | tail -1 | awk -F', *' 'NF >= 10 {
    printf "records_read=%s mb=%s mbps=%s rps=%s rebalance_ms=%s fetch_ms=%s fetch_mbps=%s fetch_rps=%s",
      $5, $3, $4, $6, $7, $8, $9, $10 }')"
  { [ $rc -eq 124 ] || [ $rc -eq 137 ]; } && st=timeout
  [ -n "$res" ] || st="${st/ok/failed}"
  emit "name=$tname target=$name run=$round records=$n size=$RECORD_SIZE partitions=16 replicas=3 $res secs=$(( ($(now_ms) - m0) / 1000 ))$(res_fields "$rssf" "$c0" "$m0") status=$st"
}

# The rate kafka3 reached in this round's 1-partition produce (records/s); every target's latency
# run uses half of it.
KAFKA3_1P_RPS=""
lat_rate() {
  if [ -n "$KAFKA3_1P_RPS" ]; then awk -v r="$KAFKA3_1P_RPS" 'BEGIN { printf "%d", r / 2 }'; else echo "$LAT_RATE_FALLBACK"; fi
}

run_workloads() {  # run_workloads TARGET ROUND BOOTSTRAP DIR
  local name="$1" round="$2" bs="$3" dir="$4" parts rate n16=""
  for parts in $PARTITIONS; do
    run_produce "$name" "$round" "$bs" "$parts" "$dir"
    if [ "$parts" = 1 ] && [ "$name" = kafka3 ]; then
      KAFKA3_1P_RPS="$(sed -nE 's/^name=produce_1p_acksall target=kafka3 run='"$round"' .* rps=([0-9.]+) .*status=ok.*/\1/p' "$ALL" | tail -1)"
    fi
    [ "$parts" = 16 ] && n16="$LAST_RECORDS"
  done
  rate="$(lat_rate)"
  run_latency "$name" "$round" "$bs" "$dir" "$rate"
  run_consume "$name" "$round" "$bs" "$dir" "${n16:-$RECORDS}"
  rss_under_load_line "$ALL" "$name" "$round" | tee -a "$ALL"
}

# Waits (bounded) until the three Kafka ports answer ApiVersions and DescribeCluster lists 3 brokers;
# sets API_MS and READY_MS (from T0), or returns 1.
API_MS=""
READY_MS=""
wait_cluster_ready() {  # wait_cluster_ready T0 DIR PORT1 PORT2 PORT3
  local t0="$1" dir="$2" api_ms="" deadline pid p all; shift 2
  deadline=$(( t0 + START_TIMEOUT * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    for pid in "${CLUSTER_PIDS[@]}"; do
      kill -0 "$pid" 2>/dev/null || { log "pid $pid exited during start-up (logs in $dir)"; return 1; }
    done
    if [ -z "$api_ms" ]; then
      all=1; for p in "$@"; do api_ready "$p" || { all=0; break; }; done
      [ "$all" = 1 ] && api_ms=$(( $(now_ms) - t0 ))
    fi
    if [ -n "$api_ms" ]; then
      described_brokers "127.0.0.1:$1" "$dir/describe-cluster.log"
      [ "$DESCRIBED" -ge 3 ] && { API_MS="$api_ms"; READY_MS=$(( $(now_ms) - t0 )); return 0; }
      sleep 0.5
    else
      sleep 0.1
    fi
  done
  log "cluster not ready in ${START_TIMEOUT}s (logs in $dir)"
  return 1
}

startup_failed() { echo "name=startup target=$1 run=$2 status=failed" >> "$ALL"; }

# Records the start-up line, runs the workloads, stops the cluster. $5.. are the client ports.
measure_cluster() {  # measure_cluster TARGET ROUND DIR T0 PORTS...
  local name="$1" round="$2" dir="$3" t0="$4"; shift 4
  if ! wait_cluster_ready "$t0" "$dir" "$@"; then
    startup_failed "$name" "$round"; stop_cluster; return 1
  fi
  sleep 3   # as kafka-peer.sh: let start-up settle before the idle RSS sample
  local bs="127.0.0.1:$1,127.0.0.1:$2,127.0.0.1:$3"
  emit "name=startup target=$name run=$round pids=$(IFS=,; echo "${CLUSTER_PIDS[*]}") api_ms=$API_MS ready_ms=$READY_MS rss_idle_mb=$(rss_mb_sum "${CLUSTER_PIDS[@]}") status=ok"
  run_workloads "$name" "$round" "$bs" "$dir"
  stop_cluster
  rm -rf "$dir"/node-*/data
}

run_kafka3() {  # run_kafka3 TARGET ROUND
  local name="$1" round="$2" dir="$OUT/$1-r$2" i cid voters="" t0
  local -a ports cports
  for i in 1 2 3; do
    free_port || return 1; ports[i]="$FREE_PORT"
    free_port || return 1; cports[i]="$FREE_PORT"
  done
  for i in 1 2 3; do voters+="${voters:+,}$i@127.0.0.1:${cports[i]}"; done
  for i in 1 2 3; do
    mkdir -p "$dir/node-$i/data" "$dir/node-$i/logs"
    # Kafka 4.x's config/server.properties (as kafka-peer.sh writes it) for a 3-voter static quorum,
    # with the internal topics at 3 replicas and acks=all needing 2 in sync.
    cat > "$dir/node-$i/server.properties" <<EOF
# generated by bench/cluster-compare.sh
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:${ports[i]},CONTROLLER://127.0.0.1:${cports[i]}
advertised.listeners=PLAINTEXT://127.0.0.1:${ports[i]}
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
num.network.threads=3
num.io.threads=8
socket.send.buffer.bytes=102400
socket.receive.buffer.bytes=102400
socket.request.max.bytes=104857600
log.dirs=$dir/node-$i/data
num.partitions=1
default.replication.factor=3
min.insync.replicas=2
num.recovery.threads.per.data.dir=1
offsets.topic.replication.factor=3
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
log.retention.hours=168
log.segment.bytes=1073741824
log.retention.check.interval.ms=300000
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
EOF
    [ "$name" = kafka3-fsync ] && echo "log.flush.interval.messages=1" >> "$dir/node-$i/server.properties"
    cat > "$dir/node-$i/log4j2.properties" <<EOF
status = warn
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $dir/node-$i/logs/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
EOF
  done
  # Storage is formatted before the clock starts, as kafka-peer.sh does (one cluster id for all three).
  kt 60 kafka.tools.StorageTool random-uuid > "$dir/cluster.id" 2>/dev/null
  cid="$(tail -1 "$dir/cluster.id")"
  [ -n "$cid" ] || { log "$name: kafka-storage random-uuid failed"; startup_failed "$name" "$round"; return 1; }
  for i in 1 2 3; do
    kt 120 kafka.tools.StorageTool format -t "$cid" -c "$dir/node-$i/server.properties" > "$dir/node-$i/logs/format.log" 2>&1 \
      || { log "$name: storage format of node $i failed (see $dir/node-$i/logs/format.log)"; startup_failed "$name" "$round"; return 1; }
  done
  t0="$(now_ms)"
  for i in 1 2 3; do
    # shellcheck disable=SC2086
    "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS -Dbench.dir="$dir/node-$i" -Dkafka.logs.dir="$dir/node-$i/logs" \
      -Dlog4j2.configurationFile="$dir/node-$i/log4j2.properties" -cp "$KAFKA_LIB/*" kafka.Kafka "$dir/node-$i/server.properties" \
      > "$dir/node-$i/logs/stdout.log" 2>&1 < /dev/null &
    CLUSTER_PIDS+=("$!")
  done
  measure_cluster "$name" "$round" "$dir" "$t0" "${ports[1]}" "${ports[2]}" "${ports[3]}"
}

run_ailurus3() {  # run_ailurus3 ROUND
  local name=ailurus3 round="$1" dir="$OUT/ailurus3-r$1" i seeds="" t0
  local -a ports rports aports
  for i in 1 2 3; do
    free_port || return 1; ports[i]="$FREE_PORT"
    free_port || return 1; rports[i]="$FREE_PORT"
    free_port || return 1; aports[i]="$FREE_PORT"
    seeds+="${seeds:+,}127.0.0.1:${rports[i]}"
    mkdir -p "$dir/node-$i"
  done
  t0="$(now_ms)"
  for i in 1 2 3; do
    # The jars built above (no rebuild check at start-up: start-up time is part of the figures); one
    # shard per broker and no CPU checks, as rpk container starts a local cluster on shared cores.
    AILURUS_CLASSPATH="$REPO/broker-core/target/broker-core.jar:$REPO/broker-core/target/lib/*" \
    AILURUS_LOG_LEVEL=WARN "$REPO/bin/ailurus" start --node-id "$i" --data-dir "$dir/node-$i/data" \
      --kafka-addr "127.0.0.1:${ports[i]}" --admin-addr "127.0.0.1:${aports[i]}" --rpc-addr "127.0.0.1:${rports[i]}" \
      --seeds "$seeds" --smp 1 --overprovisioned --check=false > "$dir/node-$i/broker.log" 2>&1 < /dev/null &
    CLUSTER_PIDS+=("$!")
  done
  measure_cluster "$name" "$round" "$dir" "$t0" "${ports[1]}" "${ports[2]}" "${ports[3]}"
}

run_cluster() {  # run_cluster TARGET ROUND: one cluster measured, then stopped whatever happened
  case "$1" in
    kafka3|kafka3-fsync) run_kafka3 "$1" "$2" ;;
    ailurus3) run_ailurus3 "$2" ;;
  esac
  stop_cluster
}

if [ -z "$REPORT_ONLY" ]; then
  . "$REPO/bin/lib/common.sh"
  ailurus_find_java || exit 1
  JAVA="${JAVA:-$JAVA_HOME/bin/java}"
  : > "$ALL"
  # The commit measured is the one checked out when the run starts (others may commit during it).
  printf 'LOAD_AT_START=%q\nQUICK=%q\nROUNDS=%q\nTARGETS=%q\nCOMMAND=%q\nRUN_COMMIT=%q\n' "$LOAD_AT_START" "$QUICK" \
    "$ROUNDS" "$TARGETS" "$COMMAND" "$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)" > "$META"
  if [[ " $TARGETS " == *" ailurus3 "* ]] && [ "${AILURUS_BUILT:-0}" != 1 ]; then
    log "building Ailurus"
    "$REPO/bin/mvn" -o -q -B -DskipTests -pl broker-core -am package > "$OUT/build.log" 2>&1 \
      || { echo "error: build failed (see $OUT/build.log)" >&2; exit 1; }
  fi
  log "fetching Apache Kafka's jars (once)"
  "$SHARED/fetch-kafka.sh" >/dev/null || { echo "error: $SHARED/fetch-kafka.sh failed" >&2; exit 1; }
  ls "$KAFKA_LIB"/kafka-tools-*.jar >/dev/null 2>&1 || { echo "error: no Kafka tools in $KAFKA_LIB" >&2; exit 1; }
  run_rounds "$ROUNDS" "$TARGETS" run_cluster
  printf 'LOAD_AT_END=%q\nRUN_DATE=%q\n' "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%Y-%m-%dT%H:%MZ)" >> "$META"
fi

# ---- table of medians and ratios (bench/lib/report.awk, shared with bench/compare.sh) -------------
{
  machine_lines "$LOAD_AT_START" "${LOAD_AT_END:-$(cut -d' ' -f1-3 /proc/loadavg)}"
  echo "Command: $COMMAND"
  echo "Date: ${RUN_DATE:-$(date -u +%Y-%m-%dT%H:%MZ)}, commit ${RUN_COMMIT:-$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)}; medians over $ROUNDS round(s); raw lines in $ALL"
  echo "Clusters: 3 nodes on 127.0.0.1, topics with 3 replicas, produce acks=all of 1 KiB records; RSS and CPU summed over the three processes."
  echo
  load_line "$ALL"
  echo
  report_table "$ALL" "$TARGETS" ailurus3 kafka3 kafka3-fsync
  echo
  goals_header
  report_goals "$ALL" "3 nodes" ailurus3 kafka3 kafka3-fsync
} > "$OUT/report.md"
cat "$OUT/report.md"

if [ "$WRITE_DOCS" = 1 ]; then
  write_docs_block "$REPO/docs/benchmarks.md" cluster-compare "3-node (RF=3) comparison (bench/cluster-compare.sh)" "$OUT/report.md"
  log "docs/benchmarks.md updated"
fi

#!/usr/bin/env bash
# The storage engine's benchmark against the disk's own limits, in one run (issue 2; see docs/benchmarks.md).
#
#   bench/storage-bench.sh [--dir D] [--seconds N] [more StorageBench flags...]
#
# Builds the bench module, makes sure fio is there, then runs the StorageBench main, which in every round measures
# the disk with fio (direct 1 MiB sequential writes; 16 KiB write + fdatasync latency) in D, then saturated durable
# appends of 16 KiB Kafka batches (closed loop, 8 in flight per partition) for 1, 16 and 256 partitions, each
# followed by a sequential read pass, then fixed-rate appends (open loop: batches sent on a schedule, evenly spaced
# and phase-shifted across partitions, whether earlier ones are durable or not; latency from each batch's intended
# send time) for 16 and 1 partitions at 0.1 and 0.25 of the round's fio write bandwidth. It prints one key=value line
# per measurement and ends with a table of medians and the goals' verdicts: throughput on the saturated 16-partition
# case, latency on the fixed-rate 16-partition cases (the saturated p99 is queueing: shown, not judged).
# About 8 minutes with the defaults.
#
#   --dir D       where to write (default: bench/target/storage-bench in this repo); never tmpfs. A fresh
#                 sub-directory is used and removed at the end, also when the run is interrupted.
#   --seconds N   measured seconds per append case (default 20; plus 2 s warm-up)
#   --repeat N    rounds, interleaved (default 3: medians of 3)
#   other flags go to the main unchanged: --partitions 1,16,256 --inflight 8 --threads 0 --read-mib 512
#   --warmup 2 --no-fio --debounce-us 0 --preallocate-kib 32768 --fsync-parallelism 0 --segment-mib 1024
#   --retention-mib 0 --segment-pool-mib -1 (steady state: e.g. --segment-mib 64 --retention-mib 128 --warmup 15;
#   0 = no pool) (a bad flag prints
#   the main's usage).
#   fixed-rate cases: --rate-fraction 0.1,0.25 (of the round's fio write MiB/s) --rate-mibps N,... (absolute, across
#   all partitions) --rate-partitions 16,1 --rate-seconds N (default: --seconds, at most 10) --no-rate (none)
#
# Environment: BENCH_JAVA_OPTS adds JVM flags (e.g. JFR: -XX:StartFlightRecording=filename=/tmp/sb.jfr,settings=profile),
# BENCH_HEAP_OPTS replaces the heap flags (-Xms1g -Xmx1g), BENCH_LOG keeps a copy of the output (default
# /tmp/storage-bench-<epoch>.log).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
. "$REPO/bin/lib/common.sh"

DIR="$REPO/bench/target/storage-bench"
SECONDS_PER_CASE=20
REPEAT=3
PASS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dir) [ $# -ge 2 ] || { echo "error: --dir needs a value" >&2; exit 2; }; DIR="$2"; shift 2 ;;
    --seconds) [ $# -ge 2 ] || { echo "error: --seconds needs a value" >&2; exit 2; }; SECONDS_PER_CASE="$2"; shift 2 ;;
    --repeat) [ $# -ge 2 ] || { echo "error: --repeat needs a value" >&2; exit 2; }; REPEAT="$2"; shift 2 ;;
    -h|--help) sed -n '2,29p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) PASS+=("$1"); shift ;;
  esac
done
case "$SECONDS_PER_CASE" in ''|*[!0-9]*) echo "error: --seconds needs a whole number, got '$SECONDS_PER_CASE'" >&2; exit 2 ;; esac
case "$REPEAT" in ''|*[!0-9]*) echo "error: --repeat needs a whole number, got '$REPEAT'" >&2; exit 2 ;; esac

# Judge the filesystem before creating anything: the nearest existing ancestor of DIR.
PROBE="$DIR"
while [ ! -e "$PROBE" ]; do PROBE="$(dirname "$PROBE")"; done
FSTYPE="$(df --output=fstype "$PROBE" 2>/dev/null | tail -1 | tr -d ' ')"
[ -n "$FSTYPE" ] || FSTYPE="$(stat -f -c %T "$PROBE")"
case "$FSTYPE" in
  tmpfs|ramfs)
    echo "error: $DIR is on $FSTYPE (memory-backed): O_DIRECT cannot work there and fdatasync is free, so the" >&2
    echo "       disk would not be measured. Pass --dir on a disk-backed filesystem." >&2
    exit 2 ;;
esac

if ! command -v fio >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "storage-bench: installing fio..." >&2
    timeout 300 apt-get install -y fio >/dev/null || { echo "error: could not install fio (apt-get install -y fio)" >&2; exit 1; }
  else
    echo "error: fio is needed for the disk's limits: install it (apt-get install -y fio)" >&2
    exit 1
  fi
fi

mkdir -p "$DIR"
echo "storage-bench: building the bench module..." >&2
"$REPO/bin/mvn" -q -B -pl bench -am package -DskipTests >&2
ailurus_find_java

RUN_DIR="$(mktemp -d "$DIR/run.XXXXXX")"
JPID=""
cleanup() {
  if [ -n "$JPID" ] && kill -0 "$JPID" 2>/dev/null; then kill "$JPID" 2>/dev/null || true; wait "$JPID" 2>/dev/null || true; fi
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

LOG="${BENCH_LOG:-/tmp/storage-bench-$(date +%s).log}"
# Upper bound of the whole run: per round two fio jobs (<= 10 s each) and per case warm-up + measurement +
# drain, read pass and clean-up; generous so a busy machine is not cut short, finite so nothing hangs.
NCASES=3
for ((i = 0; i < ${#PASS[@]}; i++)); do
  if [ "${PASS[$i]}" = "--partitions" ] && [ $((i + 1)) -lt ${#PASS[@]} ]; then
    NCASES=$(echo "${PASS[$((i + 1))]}" | tr ',' '\n' | grep -c .)
  fi
done
# Fixed-rate cases: partition counts x (fractions + absolute rates), each of up to --seconds (at most 10 unless
# --rate-seconds says otherwise) plus warm-up and drain; no read pass.
RATE_PARTS=2; RATE_RATES=2; RATE_SECONDS=$(( SECONDS_PER_CASE < 10 ? SECONDS_PER_CASE : 10 ))
for ((i = 0; i < ${#PASS[@]}; i++)); do
  next="${PASS[$((i + 1))]:-}"
  case "${PASS[$i]}" in
    --no-rate) RATE_PARTS=0 ;;
    --rate-partitions) RATE_PARTS=$(echo "$next" | tr ',' '\n' | grep -c . || true) ;;
    --rate-fraction) RATE_RATES=$(( RATE_RATES + $(echo "$next" | tr ',' '\n' | grep -c . || true) - 2 )) ;;
    --rate-mibps) RATE_RATES=$(( RATE_RATES + $(echo "$next" | tr ',' '\n' | grep -c . || true) )) ;;
    --rate-seconds) case "$next" in ''|*[!0-9]*) ;; *) RATE_SECONDS="$next" ;; esac ;;
  esac
done
RATE_CASES=$(( RATE_PARTS * (RATE_RATES > 0 ? RATE_RATES : 0) ))
LIMIT=$(( REPEAT * (40 + NCASES * (SECONDS_PER_CASE + 90) + RATE_CASES * (RATE_SECONDS + 40)) + 60 ))

{
  echo "storage-bench: $(date -u +%FT%TZ) host=$(hostname) nproc=$(nproc) kernel=$(uname -r) fs=$FSTYPE loadavg=\"$(cat /proc/loadavg)\""
  echo "command: bench/storage-bench.sh --dir $DIR --seconds $SECONDS_PER_CASE --repeat $REPEAT ${PASS[*]:-}"
} | tee "$LOG"

HEAP_OPTS="${BENCH_HEAP_OPTS:--Xms1g -Xmx1g}"
# shellcheck disable=SC2086
timeout "$LIMIT" "$JAVA" $HEAP_OPTS -XX:+UseZGC $(ailurus_jvm_flags) ${BENCH_JAVA_OPTS:-} \
  -cp "$REPO/bench/target/ailurus-bench.jar:$REPO/bench/target/lib/*" io.ailurus.bench.storage.StorageBench \
  --dir "$RUN_DIR" --seconds "$SECONDS_PER_CASE" --repeat "$REPEAT" "${PASS[@]}" > >(tee -a "$LOG") &
JPID=$!
set +e
wait "$JPID"
RC=$?
set -e
JPID=""
echo "storage-bench: loadavg at end \"$(cat /proc/loadavg)\"; output kept in $LOG" | tee -a "$LOG" >&2
if [ "$RC" = 124 ]; then echo "error: the bench did not finish within $LIMIT s" >&2; fi
exit "$RC"

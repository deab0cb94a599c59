#!/usr/bin/env bash
# Idle cost of replicated partitions (issue 5): a local 3-broker cluster (rpk container), RF=3
# partitions added in steps, and after each step the brokers' idle CPU (from /proc/<pid>/stat over
# a window, as a share of this machine's cores), threads and RSS. Stops at the first step whose
# idle CPU passes --max-cpu (default 25 %) or at --max-partitions.
#
#   bench/replica-cost.sh [--step 100] [--max-partitions 2000] [--settle 20] [--window 20] [--max-cpu 25]
#
# Prints one row per step; the figures go into docs/benchmarks.md by hand (with the load average).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
STEP=100 MAX=2000 SETTLE=20 WINDOW=20 MAX_CPU=25
while [ $# -gt 0 ]; do
  case "$1" in
    --step) STEP=$2; shift 2 ;;
    --max-partitions) MAX=$2; shift 2 ;;
    --settle) SETTLE=$2; shift 2 ;;
    --window) WINDOW=$2; shift 2 ;;
    --max-cpu) MAX_CPU=$2; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "replica-cost: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
WORK=$(mktemp -d /tmp/ailurus-replica-cost.XXXXXX)
export RPK_CONFIG="$WORK/rpk.yaml" RPK_CONTAINER_DIR="$WORK/cluster"
RPK="$ROOT/bin/rpk"
cleanup() { "$RPK" container purge > /dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

"$RPK" container start -n 3 > "$WORK/start.txt"
PIDS=$(cat "$WORK"/cluster/node-*/pid)
CORES=$(nproc)
TICKS=$(getconf CLK_TCK)
cpu_ticks() { local t=0 p; for p in $PIDS; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }
threads() { local t=0 p; for p in $PIDS; do t=$((t + $(awk '/^Threads:/ {print $2}' "/proc/$p/status"))); done; echo $t; }
rss_mb() { local t=0 p; for p in $PIDS; do t=$((t + $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status"))); done; echo $((t / 1024)); }

measure() {
  sleep "$SETTLE"
  local a b
  a=$(cpu_ticks); sleep "$WINDOW"; b=$(cpu_ticks)
  # CPU share of the whole machine, in percent (all three brokers together).
  awk -v d=$((b - a)) -v hz="$TICKS" -v w="$WINDOW" -v c="$CORES" 'BEGIN { printf "%.1f", 100 * d / hz / w / c }'
}

echo "machine: $CORES cores, $(uptime | sed 's/.*load/load/')"
printf '%-10s %-10s %-12s %-10s %-10s %-14s\n' REPLICAS PARTITIONS IDLE_CPU_% THREADS RSS_MB CPU_%/100_PARTS
total=0
cpu=$(measure)
printf '%-10s %-10s %-12s %-10s %-10s %-14s\n' 0 0 "$cpu" "$(threads)" "$(rss_mb)" -
base=$cpu
n=0
while [ $total -lt "$MAX" ]; do
  n=$((n + 1))
  "$RPK" topic create "cost-$n" -p "$STEP" -r 3 > "$WORK/create.txt" 2>&1 || { echo "topic create failed:"; cat "$WORK/create.txt"; exit 1; }
  total=$((total + STEP))
  cpu=$(measure)
  per=$(awk -v c="$cpu" -v b="$base" -v p="$total" 'BEGIN { printf "%.2f", 100 * (c - b) / p }')
  printf '%-10s %-10s %-12s %-10s %-10s %-14s\n' $((total * 3)) "$total" "$cpu" "$(threads)" "$(rss_mb)" "$per"
  if awk -v c="$cpu" -v m="$MAX_CPU" 'BEGIN { exit !(c > m) }'; then
    echo "idle CPU passed ${MAX_CPU}% at $total RF=3 partitions"
    break
  fi
done
echo "end: $(uptime | sed 's/.*load/load/')"

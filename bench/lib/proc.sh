# Shared by bench/compare.sh (one broker), bench/cluster-compare.sh (three) and bench/profile.sh: free
# loopback ports, the readiness probe and what /proc says of the brokers under test. Sourced; defines
# functions only.

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

port_in_use() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
# Sets FREE_PORT to a loopback port nobody listens on and not handed out before in this run (not
# called in a subshell: it remembers the ports it gave).
USED_PORTS=" "
FREE_PORT=""
free_port() {
  local p i
  for ((i = 0; i < 200; i++)); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 30000 ))
    case "$USED_PORTS" in *" $p "*) continue ;; esac
    port_in_use "$p" && continue
    USED_PORTS+="$p "; FREE_PORT="$p"; return 0
  done
  echo "no free loopback port found" >&2; return 1
}

# Answers an ApiVersions v0 request on 127.0.0.1:$1 with at least a response header (the probe
# ../shared/bench/kafka-peer.sh uses, so both brokers are "ready" by the same test).
api_ready() {
  timeout 2 bash -c '
    exec 3<>/dev/tcp/127.0.0.1/'"$1"' || exit 1
    printf "\x00\x00\x00\x0a\x00\x12\x00\x00\x00\x00\x00\x01\xff\xff" >&3
    n=$(head -c 8 <&3 | wc -c)
    [ "$n" -ge 8 ]' 2>/dev/null
}

# Sums what the awk program $2 prints of /proc/PID/$1 over the processes $3.. (0 for one that is gone).
proc_sum() {
  local file="$1" prog="$2" pid s=0 v; shift 2
  for pid in "$@"; do
    v="$(awk "$prog" "/proc/$pid/$file" 2>/dev/null)"; s=$(( s + ${v:-0} ))
  done
  echo "$s"
}
rss_kb_sum() { proc_sum status '/^VmRSS:/ { print $2 }' "$@"; }            # VmRSS, kB
rss_mb_sum() { awk -v k="$(rss_kb_sum "$@")" 'BEGIN { printf "%.1f", k / 1024 }'; }
cpu_ticks_sum() { proc_sum stat '{ print $14 + $15 }' "$@"; }               # utime + stime, clock ticks

# Runs "$3 TARGET ROUND" for rounds 1..$1 of the targets $2, in the order given in each round, so
# every target meets the same machine state as often as the others.
run_rounds() {
  local rounds="$1" targets="$2" fn="$3" round t
  for round in $(seq 1 "$rounds"); do
    for t in $targets; do
      log "round $round/$rounds: $t"
      "$fn" "$t" "$round"
    done
  done
}

# The rss_under_load line of target $2, round $3: the peak rss_peak_mb over that round's lines in $1.
rss_under_load_line() {
  awk -v t="$2" -v r="$3" '$1 == "name=startup" { next } $0 ~ ("target=" t " ") && $0 ~ (" run=" r " ") {
      for (i = 1; i <= NF; i++) if ($i ~ /^rss_peak_mb=/) { v = substr($i, 13) + 0; if (v > m) m = v } }
    END { if (m > 0) printf "name=rss_under_load target=%s run=%s rss_mb=%.1f status=ok\n", t, r, m }' "$1"
}

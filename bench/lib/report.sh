# Shared by bench/compare.sh and bench/cluster-compare.sh: the pieces of report.md and the docs block.
# Sourced; defines functions only. The maths is in report.awk beside this file.
BENCH_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# report_table ALL TARGETS OURS BASE FSYNC: medians per target and the ratios OURS / BASE and OURS / FSYNC.
report_table() {
  awk -f "$BENCH_LIB/report.awk" -v mode=table -v targets="$2" -v ours="$3" -v base="$4" -v fsync="$5" "$1"
}
# report_goals ALL LABEL OURS BASE FSYNC [LIMITS]: issue 8's goals, rows labelled LABEL (no header).
report_goals() {
  local all="$1" label="$2" ours="$3" base="$4" fsync="$5"; shift 5
  awk -f "$BENCH_LIB/report.awk" -v mode=goals -v label="$label" -v ours="$ours" -v base="$base" -v fsync="$fsync" "$all" "$@"
}
goals_header() { printf '| issue-8 goal (medians) | measured | bound | verdict |\n|---|---|---|---|\n'; }

# The lines above the tables: a warning when the load at the start exceeded the cores, the machine.
# machine_lines LOAD_AT_START LOAD_AT_END
machine_lines() {
  local load1="${1%% *}"
  if awk -v l="$load1" -v c="$(nproc)" 'BEGIN { exit !(l + 0 > c + 0) }'; then
    echo "**Loaded machine: the load average at the start ($load1) exceeded the $(nproc) cores; these are not final figures.**"
    echo
  fi
  echo "Machine: $(nproc) cores (load at start $1), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r), load at end $2"
}

# load_line ALL: the 1-minute load average when each workload ended, per target.
load_line() {
  echo "Load average (1 min) when each workload ended, per target: $(awk '/^name=/ && /load1=/ {
      for (i = 1; i <= NF; i++) { if ($i ~ /^target=/) t = substr($i, 8); if ($i ~ /^load1=/) l = substr($i, 7) }
      if (!(t in s)) o[++n] = t
      s[t] = s[t] (s[t] == "" ? "" : " ") l } END { for (i = 1; i <= n; i++) printf "%s: %s; ", o[i], s[o[i]] }' "$1")"
}

# write_docs_block DOC MARKER TITLE REPORT: REPORT replaces what stands between <!-- MARKER:begin -->
# and <!-- MARKER:end --> in DOC; a missing block is added at the end under the heading TITLE.
write_docs_block() {
  local doc="$1" marker="$2" title="$3" report="$4"
  [ -f "$doc" ] || printf '# Benchmarks\n' > "$doc"
  if ! grep -q "<!-- $marker:begin -->" "$doc"; then
    printf '\n## %s\n\n<!-- %s:begin -->\n<!-- %s:end -->\n' "$title" "$marker" "$marker" >> "$doc"
  fi
  awk -v report="$report" -v b="<!-- $marker:begin -->" -v e="<!-- $marker:end -->" '
    $0 == b { print; while ((getline line < report) > 0) print line; skip = 1; next }
    $0 == e { skip = 0 }
    !skip { print }' "$doc" > "$doc.tmp" && mv "$doc.tmp" "$doc"
}

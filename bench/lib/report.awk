# The report maths of bench/compare.sh and bench/cluster-compare.sh, over the raw lines of a run
# (all.txt: "name=<workload> target=<target> run=<round> k=v ..."). Medians over rounds, then ratios
# of the broker under test to the two Kafka baselines.
#
#   awk -f report.awk -v mode=table -v targets="kafka kafka-fsync ailurus" -v ours=ailurus \
#       -v base=kafka -v fsync=kafka-fsync all.txt
#   awk -f report.awk -v mode=goals -v label="1 node" -v ours=ailurus -v base=kafka -v fsync=kafka-fsync all.txt
#
# mode=table: one row per workload and metric with a median per target and the two ratios, then the
# runs left out (failed, timed out, consumers that read nothing). mode=goals: issue 8's goals as table
# rows, each row's text starting with label; given the run's limits.txt as a second file, also the goal
# against the machine's limits. Lines of targets not named are ignored, so one all.txt can
# hold the single-node and the 3-node runs.

function median(s,   a, n, i, j, t) {
  n = split(s, a, " ")
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
  if (n == 0) return ""
  return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function med(name, target, key) { return median(v[name, target, key]) }
function ratio(a, b) { return (a != "" && b + 0 > 0) ? sprintf("%.2f", a / b) : "-" }
# One goal row: measured ratio a / b (not measured if either is unknown) against the bound, "<=" or ">=".
function goal(text, a, b, op, bound,   r, ok) {
  if (a == "" || b == "" || b + 0 == 0) { printf "| %s: %s | - | %s %s | not measured |\n", label, text, op, bound; return }
  r = a / b; ok = (op == "<=") ? (r <= bound) : (r >= bound)
  printf "| %s: %s | %.2f (%s / %s) | %s %s | %s |\n", label, text, r, a, b, op, bound, ok ? "PASS" : "MISS"
}
BEGIN {
  if (targets == "") targets = base " " fsync " " ours
  nt = split(targets, T, " ")
  for (t = 1; t <= nt; t++) wanted[T[t]] = 1
  wanted[ours] = wanted[base] = wanted[fsync] = 1
}
/^name=/ {
  for (i = 1; i <= NF; i++) { eq = index($i, "="); f[substr($i, 1, eq - 1)] = substr($i, eq + 1) }
  name = f["name"]; target = f["target"]
  # The machine's limits (limits.txt of the run, given as a second file): the best direct write and loopback.
  if (name == "disk_seqwrite_direct_1M" && f["mibps"] + 0 > disk + 0) disk = f["mibps"]
  if (name == "tcp_loopback" && f["gbps"] != "") loopback = sprintf("%.0f", f["gbps"] * 1000 * 1000 * 1000 / 8 / 1048576)
  if (!(target in wanted)) { delete f; next }
  if (f["status"] != "" && f["status"] != "ok") { failed[name, target]++; delete f; next }
  # workload.sh says ok for a consumer that read nothing before its timeout: that is no measurement.
  if (name ~ /^consume/ && f["records_read"] == "0") { failed[name, target]++; delete f; next }
  if (!(name in seen)) { seen[name] = 1; order[++n] = name }
  # Broker CPU seconds per GiB moved: produce counts the records acknowledged, consume the MB read.
  gib = 0
  if (f["records_sent"] != "" && f["size"] != "") gib = f["records_sent"] * f["size"] / 1073741824
  else if (name ~ /^consume/ && f["mb"] != "") gib = f["mb"] / 1024
  if (gib > 0 && f["broker_cpu_s"] != "") f["cpu_s_per_gib"] = sprintf("%.1f", f["broker_cpu_s"] / gib)
  split("mbps fetch_mbps target_rps avg_ms p50_ms p99_ms p999_ms max_ms broker_cpu_s cpu_s_per_gib rss_peak_mb api_ms ready_ms rss_idle_mb rss_mb", keys, " ")
  for (k in keys) { key = keys[k]; if (f[key] != "" && f[key] != "NA") v[name, target, key] = v[name, target, key] " " f[key] }
  delete f
}
END {
  if (mode == "goals") { goals(); exit }
  printf "| workload | metric |"; for (t = 1; t <= nt; t++) printf " %s |", T[t]
  printf " %s / %s | %s / %s |\n|---|---|", ours, base, ours, fsync; for (t = 1; t <= nt + 2; t++) printf "---|"; printf "\n"
  for (o = 1; o <= n; o++) {
    name = order[o]
    for (m = 1; m in keys; m++) {
      metric = keys[m]; any = 0
      if (metric == "target_rps" && name !~ /fixedrate/) continue
      for (t = 1; t <= nt; t++) { md[t] = median(v[name, T[t], metric]); if (md[t] != "") any = 1 }
      if (!any) continue
      printf "| %s | %s |", name, metric
      for (t = 1; t <= nt; t++) { printf " %s |", md[t] == "" ? "-" : md[t]; mv[T[t]] = md[t] }
      printf " %s | %s |\n", ratio(mv[ours], mv[base]), ratio(mv[ours], mv[fsync])
      delete mv
    }
  }
  nf = 0
  for (k in failed) { split(k, p, SUBSEP); fl = fl sprintf("%s%s on %s (%d)", nf++ ? ", " : "", p[1], p[2], failed[k]) }
  if (nf) printf "\nNot measured (failed or timed out, left out of the medians): %s.\n", fl
}
function goals() {
  goal("RSS idle, " ours " / " base, med("startup", ours, "rss_idle_mb"), med("startup", base, "rss_idle_mb"), "<=", 0.33)
  goal("start to ready, " ours " / " base, med("startup", ours, "ready_ms"), med("startup", base, "ready_ms"), "<=", 0.5)
  goal(ours " 1,000 partitions / 16 partitions (MiB/s)", med("produce_1000p_acksall", ours, "mbps"), med("produce_16p_acksall", ours, "mbps"), ">=", 0.8)
  goal("16 partitions, " ours " / " fsync " (MiB/s)", med("produce_16p_acksall", ours, "mbps"), med("produce_16p_acksall", fsync, "mbps"), ">=", 2)
  goal("16 partitions, " ours " / " base " (MiB/s)", med("produce_16p_acksall", ours, "mbps"), med("produce_16p_acksall", base, "mbps"), ">=", 1)
  goal("fixed rate p99, " ours " / " base, med("latency_1p_fixedrate", ours, "p99_ms"), med("latency_1p_fixedrate", base, "p99_ms"), "<=", 0.2)
  goal("fixed rate p99.9, " ours " / " base, med("latency_1p_fixedrate", ours, "p999_ms"), med("latency_1p_fixedrate", base, "p999_ms"), "<=", 0.2)
  if (disk != "" || loopback != "") {
    bound = (disk != "" && (loopback == "" || disk + 0 < loopback + 0)) ? disk : loopback
    goal("16 partitions, " ours " / the lower of disk direct write and loopback (MiB/s)", med("produce_16p_acksall", ours, "mbps"), bound, ">=", 0.7)
  }
}

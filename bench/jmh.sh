#!/usr/bin/env bash
# JMH microbenchmarks of the broker's hot paths (bench/src/main/java/io/ailurus/bench/jmh, and the storage
# index lookups in io.ailurus.storage.IndexLookupBenchmark); see docs/benchmarks.md.
#
#   bench/jmh.sh [--quick] [--no-build] [--out FILE] [REGEX] [-- more JMH options]
#
#   --quick      1 fork, 2 x 1 s warm-up, 3 x 1 s measurement per case (~4 min for all); default:
#                2 forks, 3 x 2 s warm-up, 5 x 2 s measurement (~15 min)
#   --no-build   run the jars already in bench/target
#   --out FILE   JMH's text result table also goes there (default /tmp/ailurus-jmh-<epoch>.txt)
#   REGEX        which benchmarks (JMH include pattern), e.g. ProduceValidation; default: all
#   more JMH options must not repeat the run options above (-f -wi -w -i -r), JMH refuses duplicates
# Every case also runs JMH's gc profiler: gc.alloc.rate.norm is the bytes allocated per operation.
# The forked JVMs get the broker's own flags (bin/lib/common.sh) and generational ZGC, as bin/ailurus runs it.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
. "$REPO/bin/lib/common.sh"

QUICK=0
BUILD=1
OUT="/tmp/ailurus-jmh-$(date +%s).txt"
INCLUDE=""
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1; shift ;;
    --no-build) BUILD=0; shift ;;
    --out) [ $# -ge 2 ] || { echo "error: --out needs a file" >&2; exit 2; }; OUT="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { print; next } NR > 1 { exit }' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    -*) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) INCLUDE="$1"; shift ;;
  esac
done

if [ "$BUILD" = 1 ]; then
  echo "jmh: building the bench module..." >&2
  # Test sources are not needed (and not compiled): the benchmarks are main code of the bench module.
  "$REPO/bin/mvn" -q -B -pl bench -am package -Dmaven.test.skip=true >&2
fi
JAR="$REPO/bench/target/ailurus-bench.jar"
[ -f "$JAR" ] || { echo "error: $JAR is missing; run without --no-build" >&2; exit 1; }
ailurus_find_java

if [ "$QUICK" = 1 ]; then
  RUN=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
else
  RUN=(-f 2 -wi 3 -w 2s -i 5 -r 2s)
fi
ZGC="-XX:+UseZGC"
if [ "$(ailurus_java_version "$JAVA")" -lt 23 ]; then ZGC="$ZGC -XX:+ZGenerational"; fi
JVM_ARGS="$(ailurus_jvm_flags) $ZGC -Xms512m -Xmx512m"

echo "jmh: load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; results also in $OUT" >&2
# Run from bench/ so the fetch benchmark's segment files go under bench/target.
cd "$REPO/bench"
# shellcheck disable=SC2086
"$JAVA" $JVM_ARGS -cp "$JAR:$REPO/bench/target/lib/*" org.openjdk.jmh.Main \
  "${RUN[@]}" -prof gc -jvmArgsAppend "$JVM_ARGS" -rf text -rff "$OUT" ${INCLUDE:+"$INCLUDE"} "${EXTRA[@]}"
echo "jmh: load average at the end $(cut -d' ' -f1-3 /proc/loadavg)" >&2

#!/usr/bin/env bash
# Creates the broker's AOT cache (JDK 25+) for the class path bin/ailurus will run, by a training start of the broker:
#   bin/lib/aot-cache.sh          for the built jars (broker-core/target), into broker-core/target/ailurus.aot
# AILURUS_CLASSPATH and AILURUS_AOT_CACHE as for bin/ailurus (a benchmark or test running its own class path).
# bin/ailurus creates it by itself after building; bench/compare.sh calls this after its build.
set -euo pipefail
. "$(dirname "$0")/common.sh"
ailurus_find_java
if [ "$(ailurus_java_version "$JAVA")" -lt 25 ]; then
  echo "ailurus: no AOT cache: $JAVA is older than JDK 25" >&2
  exit 0
fi
CP=${AILURUS_CLASSPATH:-$(ailurus_classpath broker-core)}
CACHE=$(ailurus_aot_cache_path)
[ "$CACHE" != off ] || exit 0
if ailurus_aot_cache_fresh "$CACHE" "$CP"; then
  echo "ailurus: AOT cache $CACHE is up to date" >&2
  exit 0
fi
ailurus_aot_cache_build "$CACHE" "$CP"
echo "ailurus: AOT cache $CACHE created" >&2

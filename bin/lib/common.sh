# Shared by bin/ailurus, bin/rpk and bin/mvn: find a JDK >= 21 and the project's built jars.
# Sourced, not executed.

AILURUS_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
AILURUS_MIN_JAVA=21

# Prints the feature version (17, 21, 25...) of the java binary $1, or nothing. Reads the JDK's `release`
# file when there is one: starting a JVM only to ask its version cost ~0.3 s quiet and seconds on a busy
# machine, several times per launch (start-to-ready is a measured figure).
ailurus_java_version() {
  local bin home v=""
  bin="$(readlink -f "$1" 2>/dev/null || echo "$1")"
  home="$(dirname "$(dirname "$bin")")"
  if [ -f "$home/release" ]; then
    v="$(sed -nE 's/^JAVA_VERSION="(1\.)?([0-9]+).*/\2/p' "$home/release" | head -1)"
  fi
  if [ -z "$v" ]; then
    v="$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}')"
  fi
  echo "$v"
}

# Sets JAVA_HOME and JAVA to a JDK >= 21: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
ailurus_find_java() {
  local candidate v best="" best_v=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v=$(ailurus_java_version "$JAVA_HOME/bin/java")
    if [ "${v:-0}" -ge "$AILURUS_MIN_JAVA" ] 2>/dev/null; then
      JAVA="$JAVA_HOME/bin/java"; export JAVA_HOME; return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*/ /opt/java/*/ /usr/local/java/*/; do
    [ -x "${candidate}bin/java" ] && [ -x "${candidate}bin/javac" ] || continue
    v=$(ailurus_java_version "${candidate}bin/java")
    if [ "${v:-0}" -ge "$AILURUS_MIN_JAVA" ] 2>/dev/null && [ "$v" -gt "$best_v" ]; then
      best="${candidate%/}"; best_v=$v
    fi
  done
  if [ -z "$best" ]; then
    echo "error: Ailurus needs a JDK $AILURUS_MIN_JAVA or newer and found none." >&2
    echo "       JAVA_HOME=${JAVA_HOME:-<unset>}; looked under /usr/lib/jvm, /opt/java, /usr/local/java." >&2
    echo "       Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin) or point JAVA_HOME at it." >&2
    return 1
  fi
  export JAVA_HOME="$best"; JAVA="$best/bin/java"
}

# JVM flags jraft, protobuf and Netty need on JDK 21..25 (kept in step with the parent pom's ailurus.jvm.flags).
ailurus_jvm_flags() {
  local v; v=$(ailurus_java_version "$JAVA")
  local flags="--enable-native-access=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
  if [ "${v:-0}" -ge 24 ]; then flags="--sun-misc-unsafe-memory-access=allow $flags"; fi
  echo "$flags"
}

# Builds module $1 (and what it depends on) when its jar is missing or older than any source file.
ailurus_ensure_built() {
  local module=$1 jar="$AILURUS_HOME/$1/target/$1.jar"
  if [ -f "$jar" ] && [ -d "$AILURUS_HOME/$module/target/lib" ] \
     && [ -z "$(find "$AILURUS_HOME" -path "$AILURUS_HOME/*/target" -prune -o \( -name '*.java' -o -name 'pom.xml' -o -path '*/src/main/resources/*' \) -newer "$jar" -print -quit)" ]; then
    return 0
  fi
  echo "ailurus: building $module (first run or sources changed)..." >&2
  if ! "$AILURUS_HOME/bin/mvn" -q -B -DskipTests -pl "$module" -am package >&2; then
    echo "error: the build of $module failed; see the Maven output above." >&2
    return 1
  fi
}

ailurus_classpath() {
  echo "$AILURUS_HOME/$1/target/$1.jar:$AILURUS_HOME/$1/target/lib/*"
}

# The broker JVM's flags (heap, GC, native memory, the module flags): bin/ailurus and the AOT cache's training start
# use the same ones. Needs $JAVA (ailurus_find_java).
ailurus_broker_jvm_opts() {
  # The heap starts small and grows with load (docs/benchmarks.md, "Start-up and idle memory"): with
  # -Xms1g -XX:+AlwaysPreTouch an idle broker held 1.17 GB resident (3x Kafka's) and touching the gigabyte
  # slowed start-up. The live set after start-up is ~15 MB; ZUncommitDelay hands unused heap back after 30 s,
  # and -Xmx2g leaves room under load (the tail cache and in-flight batches live on the heap; direct memory is
  # capped at -Xmx too). SoftMaxHeapSize=512m: at 128m ZGC collected several times a second under load and even
  # at idle with many Raft groups (a 3-node cluster's fixed-rate p50 208 ms vs 9 ms at 512m; 100 idle RF=3
  # partitions 37-42 % of 2 cores vs 24 %), while idle RSS 3 s after start was the same (146 vs 150 MB):
  # docs/benchmarks.md, "The soft heap limit".
  local heap=${AILURUS_HEAP_OPTS:-"-Xms32m -Xmx2g -XX:SoftMaxHeapSize=512m"}
  local v; v=$(ailurus_java_version "$JAVA")
  # Generational ZGC is the default from JDK 23; 21 and 22 need -XX:+ZGenerational. (An `a && b` inside
  # $(...) here would end the script under set -e when `a` is false, so this is spelled out.)
  local zgc="-XX:+UseZGC -XX:ZUncommitDelay=30"
  if [ "${v:-0}" -lt 23 ]; then zgc="$zgc -XX:+ZGenerational"; fi
  local gc=${AILURUS_GC_OPTS:-$zgc}
  # Free malloc memory (the JIT's arenas after start-up's compilations) goes back to the OS once a second
  # (glibc keeps it otherwise); a product flag from JDK 22 (docs/operations.md, memory).
  local trim=""
  if [ "${v:-0}" -ge 22 ]; then trim="-XX:TrimNativeHeapInterval=1000"; fi
  echo "$heap $gc $trim $(ailurus_jvm_flags)"
}

# The AOT cache file (JDK 25+): $AILURUS_AOT_CACHE, else broker-core/target/ailurus.aot (rebuilt with the jars).
ailurus_aot_cache_path() {
  echo "${AILURUS_AOT_CACHE:-$AILURUS_HOME/broker-core/target/ailurus.aot}"
}

# What a cache was made for: this JDK, these JVM flags (heap and GC flags included: a cache made with ZGC does not
# serve G1) and this class path. The JVM refuses a cache made for others, with a warning; the launcher does not try.
ailurus_aot_cache_key() {
  echo "$(readlink -f "$JAVA") $(ailurus_broker_jvm_opts) $1"
}

# True when cache $1 was made by this JDK for class path $2 and no entry of the class path changed since.
ailurus_aot_cache_fresh() {
  local cache=$1 cp=$2 entry entries
  [ -s "$cache" ] && [ -f "$cache.key" ] || return 1
  [ "$(cat "$cache.key")" = "$(ailurus_aot_cache_key "$cp")" ] || return 1
  IFS=: read -ra entries <<< "$cp"
  for entry in "${entries[@]}"; do
    entry=${entry%\*}
    [ -e "$entry" ] || continue
    if [ -n "$(find "$entry" -newer "$cache" -print -quit 2>/dev/null)" ]; then return 1; fi
  done
  return 0
}

# Builds AOT cache $1 for class path $2 (JDK 25+): a training start of the broker on loopback (any free ports, a
# temporary data directory) with -XX:AOTCacheOutput, stopped with SIGTERM once it has started; the JVM writes the
# cache as it exits. Every class loaded up to then goes in it; classes first loaded later (by the first produce,
# say) still load from the jars. Takes 10-60 s of CPU, once per build.
ailurus_aot_cache_build() {
  local cache=$1 cp=$2 tmp pid i started=0
  [ "$(ailurus_java_version "$JAVA")" -ge 25 ] || return 1
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/ailurus-aot.XXXXXX")
  # shellcheck disable=SC2046
  "$JAVA" $(ailurus_broker_jvm_opts) -XX:AOTCacheOutput="$tmp/cache.aot" -Dailurus.home="$AILURUS_HOME" -cp "$cp" \
    io.ailurus.core.AilurusMain start --data-dir "$tmp/data" --kafka-addr 127.0.0.1:0 --admin-addr 127.0.0.1:0 \
    --rpc-addr 127.0.0.1:0 --log-level INFO > "$tmp/training.log" 2>&1 &
  pid=$!
  for ((i = 0; i < 1800; i++)); do   # 180 s
    if grep -q 'broker started' "$tmp/training.log" 2>/dev/null; then started=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ "$started" = 1 ]; then sleep 2; fi
  kill -TERM "$pid" 2>/dev/null || true
  # The JVM assembles the cache (in a child JVM it waits for) before it exits.
  for ((i = 0; i < 3000; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null; fi
  wait "$pid" 2>/dev/null || true   # 143 after SIGTERM
  if [ "$started" = 1 ] && [ -s "$tmp/cache.aot" ]; then
    ailurus_aot_cache_key "$cp" > "$cache.key.$$" && mv "$cache.key.$$" "$cache.key" \
      && mv "$tmp/cache.aot" "$cache" && touch "$cache"
    local ok=$?
    rm -rf "$tmp"
    return $ok
  fi
  echo "ailurus: AOT training start failed; its log:" >&2
  tail -20 "$tmp/training.log" >&2
  rm -rf "$tmp"
  return 1
}

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

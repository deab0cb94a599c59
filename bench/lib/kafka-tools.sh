# Shared by bench/cluster-compare.sh and bench/profile.sh: running one of Kafka's tools from
# $KAFKA_LIB with $JAVA. Sourced; defines functions only.
#
# kt TIMEOUT_SECS CLASS ARGS...: the tool, bounded in time, in the background of this shell with its
# PID in KT_PID while it runs, so that the caller's traps can stop it (never call kt inside $(...)).
# TOOLS_JAVA_OPTS (default -Xmx512M) are its JVM flags; its log goes to stderr at WARN.
KT_PID=""
TOOLS_LOG4J="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/tools-log4j2.properties"
kt() {
  local t="$1" rc; shift
  # shellcheck disable=SC2086
  timeout -k 10 "$t" "$JAVA" ${TOOLS_JAVA_OPTS:--Xmx512M} -Dlog4j2.configurationFile="$TOOLS_LOG4J" \
    -cp "$KAFKA_LIB/*" "$@" &
  KT_PID=$!
  wait "$KT_PID"; rc=$?
  KT_PID=""
  return $rc
}

#!/usr/bin/env bash
# Container entry point: "start [flags]" runs the broker with its data under /var/lib/ailurus and
# listeners on all interfaces; "rpk ..." runs the CLI. Any other command runs as given.
set -euo pipefail
case "${1:-start}" in
  start)
    shift || true
    exec /opt/ailurus/bin/ailurus start --data-dir /var/lib/ailurus/data \
      --kafka-addr 0.0.0.0:9092 --admin-addr 0.0.0.0:9644 --rpc-addr 0.0.0.0:33145 "$@"
    ;;
  rpk)
    shift
    exec /opt/ailurus/bin/rpk "$@"
    ;;
  *)
    exec "$@"
    ;;
esac

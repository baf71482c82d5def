#!/usr/bin/env bash
# bench-fleet.sh [things]: device status figures (issue 16) of a mainflux-backend it starts itself: lists of 10,000
# things with their status against the unfiltered first page of the same run; MQTT connect/disconnect, WebSocket
# close and CoAP Observe cancel -> status latency. Markdown on stdout. Binaries from $MF_BUILD_DIR or ./build. Needs
# python3, mosquitto_sub.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${MF_BUILD_DIR:-$PWD/build}
[ -x "$build/app/backend/mainflux-backend" ] || build=$(cd "$here/../.." && pwd)/build
echo "Run $(date -u +%FT%RZ), commit $(git -C "$here" rev-parse --short HEAD), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
exec python3 "$here/bench_fleet.py" "$build/app/backend/mainflux-backend" "${1:-10000}"

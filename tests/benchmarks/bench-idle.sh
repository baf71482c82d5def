#!/usr/bin/env bash
# bench-idle.sh: cold start of the bundled backend (every service, fresh SQLite data dir, its own nats-server and
# Mosquitto) to its "ready" line, and the resident memory of the backend, nats-server and Mosquitto after it sat idle
# for BENCH_IDLE_SECONDS (default 5) — issue 15's start-up and memory goals. Baseline of the same run: a bare
# nats-server from launch to accepting connections. BENCH_STARTS cold starts (default 5), medians reported.
# Binary: $MF_BACKEND, else $MF_BUILD_DIR or ./build. Prints a markdown table.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${MF_BUILD_DIR:-$PWD/build}
[ -x "$build/app/backend/mainflux-backend" ] || build=$root/build
bin=${MF_BACKEND:-$build/app/backend/mainflux-backend}
starts=${BENCH_STARTS:-5}
idle=${BENCH_IDLE_SECONDS:-5}
[ -x "$bin" ] || { echo "bench-idle: $bin is missing (build mainflux-backend)" >&2; exit 1; }
tmp=$(mktemp -d /tmp/bench-idle.XXXXXX)
pid=
stop() { [ -n "$pid" ] || return 0; kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; }
trap 'stop; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
ms() { date +%s%3N; }
rss() { awk '/^VmRSS:/{printf "%.1f", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "?"; }
median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END{print a[int((NR+1)/2)]}'; }

ready=() nats_start=() rss_backend=() rss_nats=() rss_mosq=()
for i in $(seq "$starts"); do
  dir=$tmp/start$i
  mkdir -p "$dir"
  t0=$(ms)
  MF_DATA_DIR=$dir MF_HTTP_PORT=0 MF_NATS_PORT=0 MF_WS_PORT=0 MF_MQTT_PORT=0 MF_MQTT_WS_PORT=0 MF_COAP_PORT=0 \
    MF_LOG_LEVEL=warn "$bin" >"$dir/stdout" 2>"$dir/stderr" &
  pid=$!
  until grep -q '"ready"' "$dir/stdout" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/stderr" >&2; echo "bench-idle: the backend exited" >&2; exit 1; }
    sleep 0.005
  done
  ready+=($(($(ms) - t0)))
  if [ "$i" = 1 ]; then
    sleep "$idle"
    rss_backend=$(rss "$pid")
    rss_nats=$(rss "$(pgrep -P "$pid" -x nats-server | head -1)")
    rss_mosq=$(rss "$(pgrep -P "$pid" -x mosquitto | head -1)")
  fi
  stop
  # The baseline: a bare nats-server with JetStream in a fresh store dir, launch to accepting a connection.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  t0=$(ms)
  nats-server -a 127.0.0.1 -p "$port" -js -sd "$dir/js" >/dev/null 2>&1 &
  pid=$!
  until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.005; done
  nats_start+=($(($(ms) - t0)))
  stop
done

echo "#### Start-up and idle memory, $(date -u +%FT%RZ), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo ?), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| what | figure | baseline (same run) |"
echo "|---|---|---|"
echo "| cold start to ready (median of $starts, fresh data dir) | $(echo "${ready[*]}" | median) ms (all: ${ready[*]}) | bare nats-server to accepting: $(echo "${nats_start[*]}" | median) ms |"
echo "| RSS after ${idle} s idle, every service | backend $rss_backend MB | nats-server $rss_nats MB, Mosquitto $rss_mosq MB |"

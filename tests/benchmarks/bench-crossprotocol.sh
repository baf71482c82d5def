#!/usr/bin/env bash
# Cross-protocol latency and memory per idle connection, see docs/BENCHMARKS.md
# ("Cross-protocol latency and idle connections").
#
#   tests/benchmarks/bench-crossprotocol.sh
#
# Starts the real backend (SQLite, bundled nats-server, every service, free ports), creates a channel with a
# publisher and a subscriber thing, then runs bench_crossprotocol (built from this folder):
#   latency   HTTP->MQTT, MQTT->WS, CoAP->MQTT, WS->CoAP: BENCH_RATE messages/s (default 1000) for BENCH_MESSAGES
#             (default 10000) SenML packs each; latency = publish call -> subscriber receipt (one process, one clock)
#   idle      BENCH_IDLE (default 10000) idle MQTT connections (mosquitto's VmRSS before/after), then as many idle
#             WebSocket connections (the backend's VmRSS before/after)
# Raises `ulimit -n` (the backend, its mosquitto and the client each hold one descriptor per connection).
# Knobs: BENCH_RATE, BENCH_MESSAGES, BENCH_IDLE, BENCH_PAIRS, MF_BACKEND / BENCH_BIN, BENCH_KEEP=1 keeps the work dir.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
backend=${MF_BACKEND:-$repo/build/app/backend/mainflux-backend}
bench=${BENCH_BIN:-$repo/build/tests/benchmarks/bench_crossprotocol}
for bin in "$backend" "$bench"; do
  [ -x "$bin" ] || { echo "bench: $bin not found (ninja -C build mainflux-backend mainflux-mosquitto-plugin bench_crossprotocol)" >&2; exit 1; }
done
for tool in curl jq; do command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 1; }; done

rate=${BENCH_RATE:-1000}
messages=${BENCH_MESSAGES:-10000}
idle=${BENCH_IDLE:-10000}
pairs=${BENCH_PAIRS:-"http-mqtt mqtt-ws coap-mqtt ws-coap"}
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" -ge $((idle + 1000)) ] || echo "bench: ulimit -n is $(ulimit -n), fewer than $idle idle connections will fit" >&2
work=$(mktemp -d /tmp/mf-bench-xp.XXXXXX)
who=bench keep_var=BENCH_KEEP
# shellcheck source=backend-lib.sh
. "$here/backend-lib.sh"
start_backend
mosquitto_pid=$(pgrep -P "$backend_pid" -x mosquitto | head -1) || die "no mosquitto child of the backend"

api() { # <method> <path> <token> <json> -> body
  curl -sS -f -X "$1" "$base$2" -H 'Content-Type: application/json' ${3:+-H "Authorization: Bearer $3"} \
    ${4:+--data-binary "$4"}
}
api POST /users "" '{"email":"bench@example.com","password":"bench-password"}' >/dev/null
token=$(api POST /tokens "" '{"email":"bench@example.com","password":"bench-password"}' | jq -er .token)
pub=$(api POST /things "$token" '{"name":"publisher"}')
sub=$(api POST /things "$token" '{"name":"subscriber"}')
channel=$(api POST /channels "$token" '{"name":"xp"}' | jq -er .id)
for t in "$pub" "$sub"; do api PUT "/channels/$channel/things/$(jq -r .id <<<"$t")" "$token" "" >/dev/null; done
id() { jq -r .id <<<"$1"; }
key() { jq -r .key <<<"$1"; }

echo "cpu: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); ulimit -n $(ulimit -n)"
echo
echo "| path | rate | messages | received | duplicates | p50 ms | p90 ms | p99 ms | max ms |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for pair in $pairs; do
  line=$("$bench" latency "$pair" "$rate" "$messages" "$base" "$(port ws)" "$(port mqtt)" "$(port coap)" "$channel" \
    "$(id "$pub")" "$(key "$pub")" "$(id "$sub")" "$(key "$sub")") || echo "bench: $pair incomplete: $line" >&2
  [ -n "$line" ] && jq -r '"| \(.pair | sub("-"; " → ")) | \(.rate)/s | \(.messages) | \(.received) | \(.duplicates) | \(.p50_ms) | \(.p90_ms) | \(.p99_ms) | \(.max_ms) |"' <<<"$line"
done

echo
echo "| idle connections | requested | accepted | alive after 3 s | open time s | RSS before MiB | RSS after MiB | per connection KiB |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
show() {
  jq -r --arg who "$1" '"| \(.kind) (\($who)) | \(.requested) | \(.accepted) | \(.alive) | \(.open_seconds) | \(.rss_before_kb/1024|floor) | \(.rss_after_kb/1024|floor) | \(.per_connection_kb) |"' <<<"$2"
}
line=$("$bench" idle-mqtt "$idle" "$(port mqtt)" "$(id "$sub")" "$(key "$sub")" "$mosquitto_pid") || true
show "mosquitto RSS" "$line"
line=$("$bench" idle-ws "$idle" "$(port ws)" "$channel" "$(key "$sub")" "$backend_pid") || true
show "backend RSS" "$line"

#!/usr/bin/env bash
# WebSocket adapter fan-out benchmark, see docs/BENCHMARKS.md ("WebSocket adapter").
#
#   tests/benchmarks/bench-ws.sh
#
# Starts the real backend (SQLite, bundled nats-server, free ports) with the services users,things,ws,writer,
# normalizer, creates a channel with a publisher thing and a subscriber thing, and runs bench_ws (built from this
# folder) for each number of subscribers:
#   ws    one publisher WebSocket sends M frames; N subscriber WebSockets receive them (adapter -> JetStream ->
#         adapter's shared channel subscription -> N sockets); the writer stores them meanwhile
#   nats  baseline in the same run: the same N/M/size on bare NATS core (N subscriptions, M publishes) through
#         the same nats-server, no adapter, no persistence
# and prints a markdown table with msgs/s published and delivered and the ws/nats ratio.
#
# Knobs: BENCH_SUBSCRIBERS (default "1 10 50"), BENCH_MESSAGES (default 20000), BENCH_SIZE (bytes, default 64),
# MF_BACKEND / BENCH_WS (binaries; default ./build/...), BENCH_KEEP=1 keeps the work dir.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
backend=${MF_BACKEND:-$repo/build/app/backend/mainflux-backend}
bench=${BENCH_WS:-$repo/build/tests/benchmarks/bench_ws}
for bin in "$backend" "$bench"; do
  [ -x "$bin" ] || { echo "bench: $bin not found (ninja -C build mainflux-backend bench_ws)" >&2; exit 1; }
done
for tool in curl jq; do command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 1; }; done

subscribers=${BENCH_SUBSCRIBERS:-"1 10 50"}
messages=${BENCH_MESSAGES:-20000}
size=${BENCH_SIZE:-64}
work=$(mktemp -d /tmp/mf-bench-ws.XXXXXX)
who=bench keep_var=BENCH_KEEP
# shellcheck source=backend-lib.sh
. "$here/backend-lib.sh"
start_backend MF_SERVICES=users,things,ws,normalizer,writer
ws_port=$(jq -r .ports.ws <<<"$ready")
nats_url="nats://127.0.0.1:$(jq -r .ports.nats <<<"$ready")"

api() { # <method> <path> <token> <json> -> body
  curl -sS -f -X "$1" "$base$2" -H 'Content-Type: application/json' ${3:+-H "Authorization: Bearer $3"} \
    ${4:+--data-binary "$4"}
}
api POST /users "" '{"email":"bench@example.com","password":"bench-password"}' >/dev/null
token=$(api POST /tokens "" '{"email":"bench@example.com","password":"bench-password"}' | jq -er .token)
pub=$(api POST /things "$token" '{"name":"publisher"}')
sub=$(api POST /things "$token" '{"name":"subscriber"}')
channel=$(api POST /channels "$token" '{"name":"fanout"}' | jq -er .id)
for t in "$pub" "$sub"; do api PUT "/channels/$channel/things/$(jq -r .id <<<"$t")" "$token" "" >/dev/null; done
url="ws://127.0.0.1:$ws_port/channels/$channel/messages"

echo "| subscribers | messages × bytes | NATS delivered/s | WS published/s | WS delivered/s | WS / NATS | lost |"
echo "|---:|---:|---:|---:|---:|---:|---:|"
for n in $subscribers; do
  nats_line=$("$bench" nats "$nats_url" "$n" "$messages" "$size") || die "nats run failed: $nats_line"
  ws_line=$("$bench" ws "$url" "$(jq -r .key <<<"$pub")" "$(jq -r .key <<<"$sub")" "$n" "$messages" "$size") \
    || echo "bench: ws run with $n subscribers incomplete: $ws_line" >&2
  jq -nr --argjson a "$nats_line" --argjson b "$ws_line" \
    '"| \($b.subscribers) | \($b.messages) × \($b.size) | \($a.delivered_per_s|floor) | \($b.published_per_s|floor) | \($b.delivered_per_s|floor) | \((($b.delivered_per_s/$a.delivered_per_s)*100|floor)/100) | \($b.lost) |"'
done
slow=$(curl -sS "$base/metrics" 2>/dev/null | grep -E '^mf_ws_slow_clients_total' || true)
echo
echo "backend: $(jq -r .version <<<"$ready"), ${slow:-mf_ws_slow_clients_total 0}"

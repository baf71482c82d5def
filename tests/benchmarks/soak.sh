#!/usr/bin/env bash
# Soak (issue 14 item 6; a benchmark, not in CI): mixed HTTP, MQTT, WebSocket and CoAP traffic at 25 % of the peak
# measured at the start of the same run, for a given time, against the bundled backend. See docs/BENCHMARKS.md
# ("Soak").
#
#   tests/benchmarks/soak.sh [minutes]        (default 10)
#
# 1. Starts build/app/backend/mainflux-backend (or $MF_BACKEND) on free local ports with a fresh SQLite data dir
#    (its own nats-server and mosquitto children), creates a user, one thing and one channel per protocol.
# 2. Peak: SOAK_PEAK_SECONDS (default 20) of all four protocols at once, as fast as soak_load.py's clients go
#    (HTTP 16 keep-alive connections, MQTT QoS 1 with 200 in flight, one WebSocket, CoAP CON with 32 in flight).
# 3. Soak: the given minutes at SOAK_PERCENT (default 25) % of each protocol's peak rate, all at once, while the
#    RSS (VmRSS from /proc) of the backend, its nats-server and its mosquitto is sampled every 10 s. (The dashboard's
#    live view on these channels is not part of it yet: bench_dashboard feeds its own in-process backend.)
# 4. Waits for the writer to drain, then pages every channel through the reader: every acknowledged message
#    (202 / PUBACK / 2.04 / WebSocket frame without an error back) must be stored once.
# Prints the RSS table (minute, MiB per process) and acknowledged vs stored; exits 2 if any acknowledged message is
# missing or stored twice. Knobs: SOAK_PEAK_SECONDS, SOAK_PERCENT, SOAK_SAMPLE_SECONDS, SOAK_KEEP=1 (keep the work
# dir), MF_BACKEND.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
backend=${MF_BACKEND:-$repo/build/app/backend/mainflux-backend}
minutes=${1:-10}
peak_seconds=${SOAK_PEAK_SECONDS:-20}
percent=${SOAK_PERCENT:-25}
sample=${SOAK_SAMPLE_SECONDS:-10}
python=/usr/bin/python3 # Debian's python3-paho-mqtt and python3-websockets

[ -x "$backend" ] || { echo "soak: $backend not found (scripts/build.sh --target mainflux-backend mainflux-mosquitto-plugin)" >&2; exit 1; }
for tool in curl jq; do command -v "$tool" >/dev/null || { echo "soak: $tool is required" >&2; exit 1; }; done
"$python" -c 'import paho.mqtt, websockets' 2>/dev/null || { echo "soak: needs python3-paho-mqtt and python3-websockets" >&2; exit 1; }
[[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "usage: soak.sh [minutes]" >&2; exit 64; }

work=$(mktemp -d /tmp/mf-soak.XXXXXX)
sampler_pid=""
who=soak keep_var=SOAK_KEEP
cleanup_extra() { [ -z "$sampler_pid" ] || kill "$sampler_pid" 2>/dev/null || true; }
# shellcheck source=backend-lib.sh
. "$here/backend-lib.sh"
start_backend
nats_pid=$(pgrep -P "$backend_pid" -x nats-server | head -1) || die "no nats-server child of the backend"
mosquitto_pid=$(pgrep -P "$backend_pid" -x mosquitto | head -1) || die "no mosquitto child of the backend"

api() { # <method> <path> <token> <json> -> body
  curl -sS -f -X "$1" "$base$2" -H 'Content-Type: application/json' ${3:+-H "Authorization: Bearer $3"} \
    ${4:+--data-binary "$4"}
}
api POST /users "" '{"email":"soak@example.com","password":"soak-password"}' >/dev/null
token=$(api POST /tokens "" '{"email":"soak@example.com","password":"soak-password"}' | jq -er .token)
things='{}' channels='{}'
for proto in http mqtt ws coap; do
  thing=$(api POST /things "$token" "{\"name\":\"soak-$proto\"}")
  channel=$(api POST /channels "$token" "{\"name\":\"soak-$proto\",\"metadata\":{\"content_type\":\"application/senml+json\"}}" | jq -er .id)
  api PUT "/channels/$channel/things/$(jq -r .id <<<"$thing")" "$token" "" >/dev/null
  things=$(jq -c --arg p "$proto" --argjson t "$thing" '. + {($p): {id: $t.id, key: $t.key}}' <<<"$things")
  channels=$(jq -c --arg p "$proto" --arg c "$channel" '. + {($p): $c}' <<<"$channels")
done
jq -n --argjson things "$things" --argjson channels "$channels" --arg token "$token" \
  --argjson http "$(port http)" --argjson ws "$(port ws)" --argjson mqtt "$(port mqtt)" --argjson coap "$(port coap)" \
  '{token: $token, things: $things, channels: $channels, http_port: $http, ws_port: $ws, mqtt_port: $mqtt, coap_port: $coap}' \
  >"$work/config.json"

rss() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "-"; }
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo "?")
echo "soak: $(date -u +%FT%TZ), commit $commit, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "soak: backend $backend_pid, nats-server $nats_pid, mosquitto $mosquitto_pid; work dir $work"
echo "soak: RSS at start (MiB): backend $(rss "$backend_pid"), nats-server $(rss "$nats_pid"), mosquitto $(rss "$mosquitto_pid")"

echo "soak: measuring the peak for ${peak_seconds} s (all protocols at once, unthrottled)"
"$python" "$here/soak_load.py" load "$work/config.json" "$peak_seconds" peak "$work/peak.json" 0 >"$work/peak.out" \
  || die "peak run failed: $(cat "$work/peak.out")"
cat "$work/peak.out"
rates=$(jq -r --argjson pct "$percent" \
  '[to_entries[] | "\(.key)=\([(.value.acked_per_s * $pct / 100 | floor), 1] | max)"] | join(",")' "$work/peak.json")
echo "soak: ${minutes} min at ${percent} % of the peak: $rates (messages/s)"

echo "second backend_mib nats_mib mosquitto_mib" >"$work/rss.txt"
(
  start=$(date +%s)
  while kill -0 "$backend_pid" 2>/dev/null; do
    echo "$(($(date +%s) - start)) $(rss "$backend_pid") $(rss "$nats_pid") $(rss "$mosquitto_pid")" >>"$work/rss.txt"
    sleep "$sample"
  done
) &
sampler_pid=$!

seconds=$(awk -v m="$minutes" 'BEGIN {printf "%d", m * 60}')
"$python" "$here/soak_load.py" load "$work/config.json" "$seconds" "$rates" "$work/soak.json" 1000000000 \
  >"$work/soak.out" || die "soak run failed: $(cat "$work/soak.out")"
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=""
echo "$(( $(tail -1 "$work/rss.txt" | cut -d' ' -f1) + sample )) $(rss "$backend_pid") $(rss "$nats_pid") $(rss "$mosquitto_pid")" >>"$work/rss.txt"
cat "$work/soak.out"

echo
echo "| minute | backend MiB | nats-server MiB | mosquitto MiB |"
echo "|---:|---:|---:|---:|"
# The first sample of each minute (minute 0: as the soak started; the last row: after it ended). All samples stay
# in the work dir's rss.txt (SOAK_KEEP=1).
awk 'NR > 1 { m = int($1 / 60); if (!(m in seen)) printf "| %d | %s | %s | %s |\n", m, $2, $3, $4; seen[m] = 1 }' "$work/rss.txt"
awk 'NR > 1 { for (i = 2; i <= 4; i++) { if (NR == 2 || $i < lo[i]) lo[i] = $i; if (NR == 2 || $i > hi[i]) hi[i] = $i } }
     END { printf "| min–max | %s–%s | %s–%s | %s–%s |\n", lo[2], hi[2], lo[3], hi[3], lo[4], hi[4] }' "$work/rss.txt"

# The writer drains: wait until every channel's total stops growing (3 s unchanged) or 120 s pass.
total() { for c in $(jq -r '.channels[]' "$work/config.json"); do api GET "/channels/$c/messages?limit=1" "$token" | jq .total; done | paste -sd+ | bc; }
last=-1 same=0
for _ in $(seq 120); do
  now=$(total)
  if [ "$now" = "$last" ]; then same=$((same + 1)); [ "$same" -ge 3 ] && break; else same=0; fi
  last=$now
  sleep 1
done

echo
echo "| protocol | acknowledged | stored | missing | stored twice | stored, not acknowledged |"
echo "|---|---:|---:|---:|---:|---:|"
status=0
"$python" "$here/soak_load.py" check "$work/config.json" "$work/peak.json" "$work/soak.json" >"$work/check.out" || status=$?
jq -r '"| \(.protocol) | \(.acknowledged) | \(.stored) | \(.missing) | \(.duplicates) | \(.extra) |"' "$work/check.out"
echo
echo "soak: end $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$status" -eq 0 ] || { echo "soak: acknowledged messages missing or stored twice: $(cat "$work/check.out")" >&2; exit 2; }

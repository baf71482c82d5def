#!/usr/bin/env bash
# MQTT adapter benchmark (docs/BENCHMARKS.md, "MQTT adapter").
#   1. MQTT publish throughput, end to end to one MQTT subscriber: our broker (mosquitto + mainflux plugin:
#      key check, ACL per publish, SenML validation, protobuf envelope to NATS: a core publish for QoS 0, a
#      JetStream publish waiting for the stream's ack before PUBACK for QoS 1) vs a bare mosquitto (no plugin,
#      anonymous) started in the same run with the same settings. mosquitto_pub -l (one message per line),
#      mosquitto_sub -C N, QoS 0 and QoS 1, several rounds alternating the two brokers (median reported).
#   2. How long the writer needs to store those messages (reader API total), for reference.
#   3. NATS -> MQTT latency: bench_mqtt_latency publishes envelopes straight to NATS at fixed rates with the send
#      time in the payload; mosquitto_sub -F '%U %p' prints the receive time. p50/p90/p99/max, warm-up excluded.
# Usage: tests/benchmarks/bench-mqtt.sh [build-dir]   (needs mainflux-backend, the plugin and bench_mqtt_latency
# built: ninja -C build mainflux-backend bench_mqtt_latency). Env: MQTT_BENCH_COUNT (50000),
# MQTT_BENCH_LATENCY_COUNT (5000), MQTT_BENCH_RATES ("1000 10000"), MQTT_BENCH_ROUNDS (3).
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
count=${MQTT_BENCH_COUNT:-50000}
latency_count=${MQTT_BENCH_LATENCY_COUNT:-5000}
rates=${MQTT_BENCH_RATES:-"1000 10000"}
rounds=${MQTT_BENCH_ROUNDS:-3}
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- the backend (SQLite, bundled nats-server, mosquitto with the plugin)
MF_DATA_DIR=$tmp/data MF_HTTP_PORT=0 MF_MQTT_PORT=0 MF_MQTT_WS_PORT=0 MF_LOG_LEVEL=warn \
  MF_JWT_SECRET=bench-secret-0123456789abcdef0123 "$build/app/backend/mainflux-backend" >"$tmp/ready" 2>"$tmp/backend.log" &
pids+=($!)
for _ in $(seq 100); do [ -s "$tmp/ready" ] && break; sleep 0.1; done
[ -s "$tmp/ready" ] || { echo "backend did not start:"; cat "$tmp/backend.log"; exit 1; }
ready=$(head -1 "$tmp/ready")
http=$(echo "$ready" | json 'd["ports"]["http"]')
mqtt=$(echo "$ready" | json 'd["ports"]["mqtt"]')
nats=$(echo "$ready" | json 'd["ports"]["nats"]')
api=http://127.0.0.1:$http
curl -sf -X POST "$api/users" -H 'Content-Type: application/json' -d '{"email":"bench@example.com","password":"12345678"}' >/dev/null
token=$(curl -sf -X POST "$api/tokens" -H 'Content-Type: application/json' -d '{"email":"bench@example.com","password":"12345678"}' | json 'd["token"]')
thing=$(curl -sf -X POST "$api/things" -H "Authorization: $token" -H 'Content-Type: application/json' -d '{"name":"bench"}')
thing_id=$(echo "$thing" | json 'd["id"]'); key=$(echo "$thing" | json 'd["key"]')
channel=$(curl -sf -X POST "$api/channels" -H "Authorization: $token" -H 'Content-Type: application/json' -d '{"name":"bench"}' | json 'd["id"]')
curl -sf -X PUT "$api/channels/$channel/things/$thing_id" -H "Authorization: $token" >/dev/null
topic=channels/$channel/messages

# --- bare mosquitto baseline
bare=$(free_port)
cat >"$tmp/bare.conf" <<CONF
per_listener_settings false
allow_anonymous true
persistence false
log_dest none
max_queued_messages 100000
listener $bare 127.0.0.1
CONF
mosquitto -c "$tmp/bare.conf" & pids+=($!)
sleep 0.5

python3 -c "
for i in range($count): print('[{\"n\":\"dev:bench\",\"v\":%d}]' % i)" >"$tmp/lines"
msg_bytes=$(head -1 "$tmp/lines" | wc -c)

throughput() { # qos port credentials... -> "publish-msgs/s end-to-end-msgs/s"
  local qos=$1 port=$2; shift 2
  mosquitto_sub -h 127.0.0.1 -p "$port" "$@" -q "$qos" -t "$topic" -C "$count" -W 300 >/dev/null &
  local sub=$!
  sleep 0.5
  local t0 t1 t2
  t0=$(date +%s.%N)
  mosquitto_pub -h 127.0.0.1 -p "$port" "$@" -q "$qos" -t "$topic" -l <"$tmp/lines"
  t1=$(date +%s.%N)
  wait $sub
  t2=$(date +%s.%N)
  python3 -c "print('%.0f %.0f' % ($count/($t1-$t0), $count/($t2-$t0)))"
}

echo "MQTT publish throughput, $count x ${msg_bytes} B SenML per run, mosquitto_pub -l -> mosquitto_sub -C,"
echo "$rounds rounds alternating bare/ours, median end-to-end msgs/s (all rounds in brackets):"
echo "| QoS | bare mosquitto 2.0.11 (no plugin) | mosquitto + mainflux plugin | ratio |"
echo "|---|---|---|---|"
for qos in 0 1; do
  bare_runs=(); our_runs=()
  for _ in $(seq "$rounds"); do
    read -r _ e2e < <(throughput "$qos" "$bare"); bare_runs+=("$e2e")
    read -r _ e2e < <(throughput "$qos" "$mqtt" -u "$thing_id" -P "$key"); our_runs+=("$e2e")
  done
  python3 - "$qos" "${bare_runs[*]}" "${our_runs[*]}" <<'PY'
import statistics, sys
b = [float(x) for x in sys.argv[2].split()]; o = [float(x) for x in sys.argv[3].split()]
mb, mo = statistics.median(b), statistics.median(o)
f = lambda xs: ", ".join("%.0f" % x for x in xs)
print("| %s | %.0f (%s) | %.0f (%s) | %.2f |" % (sys.argv[1], mb, f(b), mo, f(o), mo / mb))
PY
done
expected=$((2 * rounds * count))

t0=$(date +%s.%N)
for _ in $(seq 600); do
  total=$(curl -sf "$api/channels/$channel/messages?limit=1" -H "Authorization: $token" | json 'd["total"]')
  [ "$total" -ge "$expected" ] && break
  sleep 0.1
done
t1=$(date +%s.%N)
python3 -c "print('stored by the writer: $total of $expected, %.1f s after the last publish' % ($t1-$t0))"
grep -E '^mf_adapter_messages_total\{protocol="mqtt"' <(curl -sf "$api/metrics") || true

# --- a second broker with the plugin on the same bus, but without the wake-up connection: NATS -> MQTT waits
# for mosquitto's own loop tick (~10 Hz when idle). The latency baseline of the same run.
tick=$(free_port)
plugin=$(sed -n 's/^plugin //p' "$tmp/data/mosquitto/mosquitto.conf")
cat >"$tmp/tick.conf" <<CONF
per_listener_settings false
allow_anonymous false
persistence false
log_dest none
listener $tick 127.0.0.1
plugin $plugin
plugin_opt_nats_url nats://127.0.0.1:$nats
plugin_opt_instance bench-tick
plugin_opt_port $tick
plugin_opt_wake false
user $(id -un)
CONF
mosquitto -c "$tmp/tick.conf" & pids+=($!)
sleep 0.5

# --- NATS -> MQTT latency
echo
echo "NATS -> MQTT latency ($latency_count messages per rate, first 50 excluded):"
echo "| path | rate msgs/s | received | p50 ms | p90 ms | p99 ms | max ms |"
echo "|---|---|---|---|---|---|---|"
latency() { # label port rate
  mosquitto_sub -h 127.0.0.1 -p "$2" -u "$thing_id" -P "$key" -t "$topic" -C "$latency_count" -W 60 -F '%U %p' >"$tmp/lat" &
  local sub=$!
  sleep 0.5
  "$build/tests/adapters/bench_mqtt_latency" "nats://127.0.0.1:$nats" "$channel" "$latency_count" "$3" >/dev/null 2>&1
  wait $sub || true
  python3 - "$tmp/lat" "$1" "$3" "$latency_count" <<'PY'
import sys
lines = [l.split() for l in open(sys.argv[1]) if l.strip()]
lat = sorted((float(u) * 1e9 - int(p)) / 1e6 for u, p in lines[50:])
q = lambda f: lat[min(len(lat) - 1, int(f * len(lat)))]
print("| %s | %s | %d/%s | %.2f | %.2f | %.2f | %.2f |" % (sys.argv[2], sys.argv[3], len(lines), sys.argv[4], q(.5), q(.9), q(.99), lat[-1]))
PY
}
for rate in $rates; do
  latency "plugin, self-connection wake-up" "$mqtt" "$rate"
  latency "plugin, mosquitto tick only (baseline)" "$tick" "$rate"
done


# --- what a cache miss costs the broker thread: CONNECT -> CONNACK with keys not yet cached (one things.identify
# request over NATS each), then the same keys again (answered from the plugin's cache). Raw MQTT 3.1.1 CONNECTs.
echo
ids=(); keys=()
for _ in $(seq 30); do
  t=$(curl -sf -X POST "$api/things" -H "Authorization: $token" -H 'Content-Type: application/json' -d '{"name":"c"}')
  ids+=("$(echo "$t" | json 'd["id"]')"); keys+=("$(echo "$t" | json 'd["key"]')")
done
python3 - "$mqtt" "${ids[*]}" "${keys[*]}" <<'PY'
import socket, statistics, sys, time
port = int(sys.argv[1]); ids = sys.argv[2].split(); keys = sys.argv[3].split()
s = lambda x: len(x.encode()).to_bytes(2, 'big') + x.encode()
def connect(user, password, client):
    body = s("MQTT") + bytes([4, 0xC2, 0, 30]) + s(client) + s(user) + s(password)
    c = socket.create_connection(("127.0.0.1", port)); c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    t0 = time.perf_counter(); c.sendall(bytes([0x10, len(body)]) + body); r = c.recv(4); t1 = time.perf_counter()
    c.close(); assert r[0] == 0x20 and r[3] == 0, r
    return (t1 - t0) * 1000
miss = [connect(i, k, "m%d" % n) for n, (i, k) in enumerate(zip(ids, keys))]
hit = [connect(i, k, "h%d" % n) for n, (i, k) in enumerate(zip(ids, keys))]
print("CONNECT -> CONNACK (30 things): key not cached p50 %.2f ms max %.2f ms; cached p50 %.2f ms max %.2f ms"
      % (statistics.median(miss), max(miss), statistics.median(hit), max(hit)))
PY

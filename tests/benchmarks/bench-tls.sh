#!/usr/bin/env bash
# What TLS costs (docs/BENCHMARKS.md, "TLS"), with and without TLS in the same run:
#   1. HTTP publish (3-record SenML pack, thing key, 202 after the stream's ack): wrk -t1 on a plaintext backend and
#      on a TLS backend (MF_TLS_CERT, a P-256 dev certificate), both started by this script and alternated round by
#      round, keep-alive at c=1 and c=16: the record layer's cost. (Not `Connection: close`: QHttpServer 6.4 ignores
#      it and keeps the connection, so wrk would not reconnect.) Then full TLS handshakes per second on the REST
#      port with `openssl s_time -new` (one client, no session resumption), when the openssl tool is installed.
#   2. MQTT publish end to end (mosquitto_pub -l -> mosquitto_sub -C, QoS 0 and 1) on the TLS backend's plaintext
#      port (1883-like) and its TLS port (8883-like): same broker, same plugin, same run.
# Usage: tests/benchmarks/bench-tls.sh [build-dir]   (needs mainflux-backend and the plugin built).
# Env: BENCH_DURATION (wrk seconds, 5), BENCH_ROUNDS (3), MQTT_BENCH_COUNT (20000).
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
duration=${BENCH_DURATION:-5}
rounds=${BENCH_ROUNDS:-3}
count=${MQTT_BENCH_COUNT:-20000}
for t in wrk curl mosquitto_pub mosquitto_sub python3; do
  command -v $t >/dev/null || { echo "bench-tls: $t is not installed" >&2; exit 1; }
done
tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

"$build/app/backend/mainflux-backend" --make-dev-cert "$tmp/tls" >/dev/null
ca=$tmp/tls/ca.pem

start_backend() { # start_backend <name> [env...] -> the ready line in $tmp/<name>.ready
  local name=$1; shift
  env "$@" MF_DATA_DIR="$tmp/$name" MF_HTTP_PORT=0 MF_WS_PORT=0 MF_COAP_PORT=0 MF_COAP_DTLS_PORT=0 MF_MQTT_PORT=0 \
    MF_MQTT_TLS_PORT=0 MF_MQTT_WS_PORT=0 MF_LOG_LEVEL=warn MF_JWT_SECRET=bench-secret-0123456789abcdef0123 \
    "$build/app/backend/mainflux-backend" >"$tmp/$name.ready" 2>"$tmp/$name.log" &
  pids+=($!)
  for _ in $(seq 200); do [ -s "$tmp/$name.ready" ] && break; sleep 0.1; done
  [ -s "$tmp/$name.ready" ] || { echo "backend $name did not start:"; cat "$tmp/$name.log"; exit 1; }
}
# provision <base-url> -> "thing_id key channel token"
provision() {
  local api=$1 c=(curl -sf --cacert "$ca")
  "${c[@]}" -X POST "$api/users" -H 'Content-Type: application/json' -d '{"email":"bench@example.com","password":"12345678"}' >/dev/null
  local token thing channel
  token=$("${c[@]}" -X POST "$api/tokens" -H 'Content-Type: application/json' -d '{"email":"bench@example.com","password":"12345678"}' | json 'd["token"]')
  thing=$("${c[@]}" -X POST "$api/things" -H "Authorization: $token" -H 'Content-Type: application/json' -d '{"name":"bench"}')
  channel=$("${c[@]}" -X POST "$api/channels" -H "Authorization: $token" -H 'Content-Type: application/json' -d '{"name":"bench"}' | json 'd["id"]')
  local id key
  id=$(echo "$thing" | json 'd["id"]'); key=$(echo "$thing" | json 'd["key"]')
  "${c[@]}" -X PUT "$api/channels/$channel/things/$id" -H "Authorization: $token" >/dev/null
  echo "$id $key $channel $token"
}

start_backend plain
start_backend tls MF_TLS_CERT="$tmp/tls/cert.pem" MF_TLS_KEY="$tmp/tls/key.pem"
plain_http=$(json 'd["ports"]["http"]' <"$tmp/plain.ready")
tls_http=$(json 'd["ports"]["http"]' <"$tmp/tls.ready")
mqtt_plain=$(json 'd["ports"]["mqtt"]' <"$tmp/tls.ready")
mqtt_tls=$(json 'd["ports"]["mqtt_tls"]' <"$tmp/tls.ready")
read -r p_id p_key p_channel _ < <(provision "http://127.0.0.1:$plain_http")
read -r t_id t_key t_channel t_token < <(provision "https://localhost:$tls_http")

cpu_model=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)
echo "TLS cost, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores ($cpu_model), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server certificate: EC P-256 (mainflux-backend --make-dev-cert), TLS 1.3 as negotiated by wrk's OpenSSL"
echo

wrk_rps() { # wrk_rps <conns> <url> <key> [extra wrk args] -> requests/s
  local conns=$1 url=$2 key=$3; shift 3
  MF_THING_KEY="Thing $key" wrk -t1 -c"$conns" -d"${duration}s" -s "$here/pipeline-post.lua" "$@" "$url" 2>&1 |
    awk '/^WRK/{for(i=1;i<=NF;i++) if ($i ~ /^rps=/) {sub("rps=","",$i); print $i}}'
}
median() { python3 -c "import statistics,sys; print('%.0f' % statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
ratio() { python3 -c "import sys; print('%.2f' % (float(sys.argv[2]) / float(sys.argv[1])))" "$1" "$2"; }

echo "HTTP publish (3-record SenML, 202 after the stream ack), wrk -t1 -d${duration}s, $rounds rounds alternating, median req/s:"
echo "| connections | plaintext http:// | TLS https:// | TLS / plaintext |"
echo "|---|---|---|---|"
for conns in 1 16; do
  plain_runs=(); tls_runs=()
  for _ in $(seq "$rounds"); do
    plain_runs+=("$(wrk_rps "$conns" "http://127.0.0.1:$plain_http/http/channels/$p_channel/messages" "$p_key")")
    tls_runs+=("$(wrk_rps "$conns" "https://127.0.0.1:$tls_http/http/channels/$t_channel/messages" "$t_key")")
  done
  mp=$(median "${plain_runs[@]}"); mt=$(median "${tls_runs[@]}")
  echo "| c=$conns keep-alive | $mp (${plain_runs[*]}) | $mt (${tls_runs[*]}) | $(ratio "$mp" "$mt") |"
done
echo
if command -v openssl >/dev/null; then
  handshakes=()
  for _ in $(seq "$rounds"); do
    handshakes+=("$(openssl s_time -connect "127.0.0.1:$tls_http" -new -time "$duration" 2>/dev/null |
      awk '/connections in [0-9]+ real seconds/{printf "%.0f\n", $1 / $4}' | head -1)")
  done
  echo "Full TLS handshakes on the REST port (openssl s_time -new, one client, ${duration}s): ${handshakes[*]} per second"
  echo
fi

python3 -c "
for i in range($count): print('[{\"n\":\"dev:bench\",\"v\":%d}]' % i)" >"$tmp/lines"
mqtt_rate() { # mqtt_rate <qos> <port> [tls args] -> end-to-end msgs/s
  local qos=$1 port=$2; shift 2
  local topic=channels/$t_channel/messages
  mosquitto_sub -h localhost -p "$port" "$@" -u "$t_id" -P "$t_key" -q "$qos" -t "$topic" -C "$count" -W 300 >/dev/null &
  local sub=$!
  sleep 0.5
  local t0 t2
  t0=$(date +%s.%N)
  mosquitto_pub -h localhost -p "$port" "$@" -u "$t_id" -P "$t_key" -q "$qos" -t "$topic" -l <"$tmp/lines"
  wait $sub
  t2=$(date +%s.%N)
  python3 -c "print('%.0f' % ($count/($t2-$t0)))"
}
echo "MQTT publish end to end ($count messages, mosquitto_pub -l -> mosquitto_sub -C), same broker and plugin,"
echo "$rounds rounds alternating, median msgs/s:"
echo "| QoS | plaintext port | TLS port (--cafile) | TLS / plaintext |"
echo "|---|---|---|---|"
for qos in 0 1; do
  plain_runs=(); tls_runs=()
  for _ in $(seq "$rounds"); do
    plain_runs+=("$(mqtt_rate "$qos" "$mqtt_plain")")
    tls_runs+=("$(mqtt_rate "$qos" "$mqtt_tls" --cafile "$ca")")
  done
  mp=$(median "${plain_runs[@]}"); mt=$(median "${tls_runs[@]}")
  echo "| $qos | $mp (${plain_runs[*]}) | $mt (${tls_runs[*]}) | $(ratio "$mp" "$mt") |"
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/usr/bin/env bash
# bench-publish.sh: HTTP publish (3-record SenML pack, thing key, 202 after the JetStream ack) of a mainflux-backend
# (all services, SQLite, bundled nats-server) at c=1 and c=64, with GET /health of the same server as the baseline,
# and the server CPU per request (backend + nats-server, from /proc) — issue 15's first goal. Prints a markdown table.
#
# A/B: BENCH_BASELINE_BACKEND=/path/to/another/mainflux-backend runs that binary too, in alternating rounds
# (BENCH_ROUNDS, default 2), so a change is compared with what it replaces in the same run on the same machine.
# Binary: $MF_BACKEND, else $MF_BUILD_DIR or ./build. BENCH_DURATION (wrk seconds, default 5), BENCH_CONNECTIONS
# (default 64). Needs wrk, curl, jq, awk; everything listens on 127.0.0.1, on free ports.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${MF_BUILD_DIR:-$PWD/build}
[ -x "$build/app/backend/mainflux-backend" ] || build=$root/build
subject=${MF_BACKEND:-$build/app/backend/mainflux-backend}
baseline=${BENCH_BASELINE_BACKEND:-}
duration=${BENCH_DURATION:-5}
conns=${BENCH_CONNECTIONS:-64}
rounds=${BENCH_ROUNDS:-2}
for b in "$subject" ${baseline:+"$baseline"}; do
  [ -x "$b" ] || { echo "bench-publish: $b is missing (build mainflux-backend)" >&2; exit 1; }
done
for t in wrk curl jq awk; do command -v $t >/dev/null || { echo "bench-publish: $t is not installed" >&2; exit 1; }; done

tmp=$(mktemp -d /tmp/bench-publish.XXXXXX)
pid=
stop() { [ -n "$pid" ] || return 0; kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; }
trap 'stop; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
log() { echo "bench-publish: $*" >&2; }
ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK)
kv() { sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" <<<"$1"; }

# run <label> <binary>: one round; appends "label|request|c|rps|p50|p99|non2xx|cpu_us" lines to $tmp/rows
run() {
  local label=$1 bin=$2 dir http nats token thing key tid ch url
  dir=$(mktemp -d "$tmp/run.XXXX")
  MF_DATA_DIR=$dir MF_HTTP_PORT=0 MF_NATS_PORT=0 MF_LOG_LEVEL=warn MF_SERVICES=users,things,http,normalizer,writer,reader \
    "$bin" >"$dir/stdout" 2>"$dir/stderr" &
  pid=$!
  for _ in $(seq 300); do grep -q '"ready"' "$dir/stdout" 2>/dev/null && break; sleep 0.1; done
  grep -q '"ready"' "$dir/stdout" || { cat "$dir/stderr" >&2; log "the backend did not start"; exit 1; }
  http=http://127.0.0.1:$(head -1 "$dir/stdout" | jq -r .ports.http)
  nats=$(pgrep -P "$pid" -x nats-server | head -1 || echo 0)
  local creds='{"email":"bench@example.com","password":"benchmark1"}'
  curl -sf -X POST "$http/users" -H 'Content-Type: application/json' -d "$creds" >/dev/null
  token=$(curl -sf -X POST "$http/tokens" -H 'Content-Type: application/json' -d "$creds" | jq -r .token)
  thing=$(curl -sf -X POST "$http/things" -H "Authorization: $token" -H 'Content-Type: application/json' -d '{"name":"b"}')
  key=$(jq -r .key <<<"$thing"); tid=$(jq -r .id <<<"$thing")
  ch=$(curl -sf -X POST "$http/channels" -H "Authorization: $token" -H 'Content-Type: application/json' -d '{"name":"c"}' | jq -r .id)
  curl -sf -X PUT "$http/channels/$ch/things/$tid" -H "Authorization: $token" >/dev/null
  export MF_THING_KEY=$key
  url=$http/http/channels/$ch/messages
  wrk -t1 -c8 -d1s -s "$here/pipeline-post.lua" "$url" >/dev/null 2>&1 # warm-up
  local req c lua target b0 n0 b1 n1 line n
  for req in "GET /health:1" "POST messages:1" "GET /health:$conns" "POST messages:$conns"; do
    c=${req##*:}; req=${req%:*}
    if [ "$req" = "GET /health" ]; then lua=pipeline-get.lua; target=$http/health; else lua=pipeline-post.lua; target=$url; fi
    b0=$(ticks "$pid"); n0=$(ticks "$nats")
    line=$(wrk -t1 -c"$c" -d"${duration}s" --latency -s "$here/$lua" "$target" 2>&1 | grep '^WRK')
    b1=$(ticks "$pid"); n1=$(ticks "$nats")
    n=$(kv "$line" requests)
    echo "$label|$req|$c|$(kv "$line" rps)|$(kv "$line" p50_us)|$(kv "$line" p99_us)|$(kv "$line" non2xx)|$(awk -v t=$((b1 - b0 + n1 - n0)) -v n="$n" -v hz="$hz" 'BEGIN{printf "%.0f", n ? t/hz*1e6/n : 0}')" >>"$tmp/rows"
  done
  stop
}

log "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$rounds"); do
  [ -n "$baseline" ] && { log "round $r: baseline $baseline"; run baseline "$baseline"; }
  log "round $r: $subject"; run this "$subject"
done
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)

echo "#### HTTP publish, $(date -u +%FT%RZ), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo ?), load average after: $loadavg"
echo
echo "wrk -t1 -d${duration}s, $rounds alternating round(s); figures are the median of the rounds; server CPU = backend + nats-server"
echo
echo "| binary | request | c | req/s | p50 ms | p99 ms | non-2xx | server CPU µs/request |"
echo "|---|---|---|---|---|---|---|---|"
for label in ${baseline:+baseline} this; do
  for req in "GET /health|1" "POST messages|1" "GET /health|$conns" "POST messages|$conns"; do
    awk -F'|' -v l="$label" -v r="${req%|*}" -v c="${req#*|}" '
      $1==l && $2==r && $3==c { n++; rps[n]=$4; p50[n]=$5; p99[n]=$6; bad+=$7; cpu[n]=$8 }
      function med(a,   i,j,t) { for(i=1;i<=n;i++) for(j=i+1;j<=n;j++) if(a[j]<a[i]){t=a[i];a[i]=a[j];a[j]=t} return a[int((n+1)/2)] }
      END { if (n) printf "| %s | %s | %s | %\047.0f | %.2f | %.2f | %d | %.0f |\n", l, r, c, med(rps), med(p50)/1000, med(p99)/1000, bad, med(cpu) }' "$tmp/rows"
  done
done

#!/usr/bin/env bash
# bench-pipeline.sh [sqlite|postgres|both]: benchmarks the message pipeline (HTTP adapter -> JetStream -> writer ->
# reader) of a mainflux-backend it starts itself, and prints markdown tables on stdout (progress on stderr).
#
#   1. HTTP publish: wrk -t1 --latency, 3-record SenML pack with a thing key, c=1 and c=64; baselines of the same run:
#      wrk on GET /health of the same server, and bench_bus (bare NATS publish, JetStream durable publish).
#   2. Writer: mf_writer_records_total sampled from /metrics during the c=64 run and after it until the backlog
#      is drained; the reader's total must equal 3 x accepted publishes (a mismatch is reported as a bug).
#   3. Publish-to-stored latency: bench_e2e_latency (one message every 10 ms for 5 s, polled through the reader).
#   4. Normalizer records/s on one core: bench_senml.
#
# Binaries come from $MF_BUILD_DIR or ./build (mainflux-backend, bench_bus, bench_senml, bench_e2e_latency).
# Environment: BENCH_DURATION (wrk seconds, default 5), BENCH_CONNECTIONS (default 64), BENCH_KEEP=1 keeps the
# temp dir (logs, samples), BENCH_CAPACITY_ONLY=1 runs only the writer capacity phase (and its table). PostgreSQL is a throwaway cluster from scripts/pg-cluster.sh (fsync=off).
# Needs wrk, curl, jq, awk; everything listens on 127.0.0.1, on free ports.
set -euo pipefail

mode=${1:-both}
case "$mode" in sqlite | postgres | both) ;; *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;; esac
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${MF_BUILD_DIR:-$PWD/build}
[ -x "$build/app/backend/mainflux-backend" ] || build=$root/build
backend_bin=$build/app/backend/mainflux-backend
bench_bus=$build/tests/bus/bench_bus
bench_senml=$build/tests/senml/bench_senml
bench_lat=$build/tests/benchmarks/bench_e2e_latency
for b in "$backend_bin" "$bench_bus" "$bench_senml" "$bench_lat"; do
  [ -x "$b" ] || { echo "bench-pipeline: $b is missing (build mainflux-backend bench_bus bench_senml bench_e2e_latency)" >&2; exit 1; }
done
for t in wrk curl jq awk; do command -v $t >/dev/null || { echo "bench-pipeline: $t is not installed" >&2; exit 1; }; done
duration=${BENCH_DURATION:-5}
conns=${BENCH_CONNECTIONS:-64}

tmp=$(mktemp -d /tmp/bench-pipeline.XXXXXX)
chmod 755 "$tmp"
pids=() # backends this script started
pg_dir=
stop_pid() {
  if kill -0 "$1" 2>/dev/null; then
    kill -TERM "$1" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$1" 2>/dev/null || true
  fi
  wait "$1" 2>/dev/null || true
}
cleanup() {
  for p in "${pids[@]}"; do stop_pid "$p"; done
  [ -n "$pg_dir" ] && "$root/scripts/pg-cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "bench-pipeline: kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "bench-pipeline: $*" >&2; }
now() { date +%s.%N; }
# ms(<us>) and fmt helpers
us2ms() { awk -v u="$1" 'BEGIN{printf "%.2f", u/1000}'; }
kv() { sed -n "s/.*[ ]$2=\([^ ]*\).*/\1/p" <<<"$1"; } # kv "<line>" key
calc() { awk "BEGIN{printf \"$1\", $2}"; }            # calc '%.0f' 'expr'

# CPU ticks (utime+stime) of a pid, and busy ticks of the whole host.
proc_ticks() { awk '{print $14+$15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
host_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9; exit}' /proc/stat; }
hz=$(getconf CLK_TCK)

# ---------------------------------------------------------------------------------------------- machine + baselines
cpu_model=$(awk -F: '/model name/{gsub(/^ +/,"",$2); print $2; exit}' /proc/cpuinfo)
machine="$(nproc) cores ($cpu_model), $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r), $(nats-server --version 2>/dev/null | head -1), $( (wrk --version 2>&1 || true) | head -1 | awk '{print $1" "$2}')"
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
capacity_only=${BENCH_CAPACITY_ONLY:-0}

if [ "$capacity_only" != 1 ]; then
log "bench_bus (bare NATS + JetStream baselines)"
"$bench_bus" >"$tmp/bench_bus.txt" 2>&1
busrate() { sed -n "s/^$1.*: \([0-9]*\) msgs\/s.*/\1/p" "$tmp/bench_bus.txt" | head -1; }
nats_core=$(busrate 'core publish')
nats_js=$(busrate 'durable publish')
nats_pull=$(busrate 'pull consume')
log "bench_senml (normalizer)"
"$bench_senml" >"$tmp/bench_senml.txt" 2>&1
senml_json3=$(awk '/^json, 3-record/{print $(NF-3)}' "$tmp/bench_senml.txt")
senml_json10k=$(awk '/^json, 10k-record/{print $(NF-3)}' "$tmp/bench_senml.txt")
senml_cbor3=$(awk '/^cbor, 3-record/{print $(NF-3)}' "$tmp/bench_senml.txt")
senml_cbor10k=$(awk '/^cbor, 10k-record/{print $(NF-3)}' "$tmp/bench_senml.txt")
fi

# ---------------------------------------------------------------------------------------------- one database
http=
api() { # api METHOD PATH AUTH [BODY] -> body on stdout
  curl -sS -X "$1" "$http$2" -H "Authorization: $3" ${4:+-H 'Content-Type: application/json' -d "$4"}
}
metric() { # metric <metrics text> <name-with-labels>
  awk -v m="$2" '$1==m{print $2; f=1} END{if(!f) print 0}' <<<"$1" | head -1
}
sample() { # prints: <time> <writer records> <accepted publishes>
  local t m
  t=$(now)
  m=$(curl -s --max-time 5 "$http/metrics")
  echo "$t $(metric "$m" mf_writer_records_total | awk '{printf "%.0f", $1}') $(metric "$m" 'mf_adapter_messages_total{protocol="http",result="accepted"}' | awk '{printf "%.0f", $1}')"
}
wrk_run() { # wrk_run <conns> <lua> <url> -> WRK line
  wrk -t1 -c"$1" -d"${duration}s" --latency -s "$here/$2" "$3" 2>&1 | tee -a "$tmp/wrk.log" | grep '^WRK'
}
wait_drained() { # wait_drained <timeout s> -> "<time> <records> <accepted>" of the first sample with no backlog
  local deadline s
  deadline=$(calc '%.0f' "$(date +%s) + $1")
  while :; do
    s=$(sample)
    read -r _ r a <<<"$s"
    if [ "$r" -ge $((3 * a)) ] || [ "$(date +%s)" -ge "$deadline" ]; then echo "$s"; return; fi
    sleep 0.05
  done
}

declare -A R # results: R[<db>.<key>]

started_pid= started_http= started_nats=
start_backend() { # start_backend <data dir> [VAR=value...]: sets started_pid, started_http, started_nats
  local dir=$1; shift
  mkdir -p "$dir"
  env MF_DATA_DIR="$dir" MF_HTTP_PORT=0 MF_NATS_PORT=0 MF_LOG_LEVEL=warn "$@" \
    "$backend_bin" >"$dir/stdout" 2>"$dir/stderr" &
  started_pid=$!
  pids+=("$started_pid")
  for _ in $(seq 300); do grep -q '"ready"' "$dir/stdout" 2>/dev/null && break; sleep 0.1; done
  grep -q '"ready"' "$dir/stdout" || { cat "$dir/stderr" >&2; echo "bench-pipeline: backend did not start" >&2; exit 1; }
  started_http=http://127.0.0.1:$(head -1 "$dir/stdout" | jq -r .ports.http)
  started_nats=$(head -1 "$dir/stdout" | jq -r '.ports.nats // empty')
}

# Other work on the machine skews every figure: wait (up to BENCH_QUIET_WAIT s, default 120) until the host was
# below 10 % busy for a second, and record what it was.
quiet() { # quiet <label>
  local deadline h0 h1 busy
  deadline=$(($(date +%s) + ${BENCH_QUIET_WAIT:-120}))
  while :; do
    h0=$(host_ticks); sleep 1; h1=$(host_ticks)
    busy=$(calc '%.0f' "100*($h1-$h0)/$hz")
    if [ "$busy" -lt 10 ] || [ "$(date +%s)" -ge "$deadline" ]; then break; fi
  done
  R[quiet.$1]=$busy
  [ "$busy" -lt 10 ] || log "warning: the host was $busy % busy (of 200) before $1"
}

bench_db() {
  local db=$1 url=""
  if [ "$db" = postgres ]; then
    pg_dir=$tmp/pg
    url=$("$root/scripts/pg-cluster.sh" start "$pg_dir")
    R[$db.dbdesc]="PostgreSQL $(psql --version | awk '{print $3}') (throwaway cluster, fsync=off)"
  else
    R[$db.dbdesc]="SQLite (WAL, synchronous=NORMAL) in a temp dir"
  fi
  if [ "$capacity_only" != 1 ]; then
  log "[$db] starting mainflux-backend (all services in one process)"
  start_backend "$tmp/$db" MF_DB_URL="$url"
  local backend_pid=$started_pid nats_pid
  http=$started_http
  nats_pid=$(pgrep -P "$backend_pid" -x nats-server | head -1 || true)

  # A user, a thing, a load channel and a latency channel, both connected.
  local creds='{"email":"bench@example.com","password":"benchmark1"}' token thing key tid load_ch lat_ch
  api POST /users "" "$creds" >/dev/null
  token=$(api POST /tokens "" "$creds" | jq -r .token)
  [ -n "$token" ] && [ "$token" != null ] || { echo "bench-pipeline: cannot sign in" >&2; exit 1; }
  thing=$(api POST /things "$token" '{"name":"bench"}')
  key=$(jq -r .key <<<"$thing")
  tid=$(jq -r .id <<<"$thing")
  load_ch=$(api POST /channels "$token" '{"name":"load"}' | jq -r .id)
  lat_ch=$(api POST /channels "$token" '{"name":"latency"}' | jq -r .id)
  api PUT "/channels/$load_ch/things/$tid" "$token" >/dev/null
  api PUT "/channels/$lat_ch/things/$tid" "$token" >/dev/null
  export MF_THING_KEY=$key
  local post_url=$http/http/channels/$load_ch/messages
  [ "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$post_url" -H "Authorization: $key" \
      -H 'Content-Type: application/senml+json' \
      -d '[{"n":"probe1","v":1},{"n":"probe2","v":2},{"n":"probe3","v":3}]')" = 202 ] \
    || { echo "bench-pipeline: publishing is refused" >&2; exit 1; }
  local extra_records=0 # every publish on the load channel carries 3 records

  log "[$db] warm-up"
  wrk -t1 -c8 -d1s -s "$here/pipeline-post.lua" "$post_url" >/dev/null 2>&1
  wait_drained 120 >/dev/null

  quiet "$db.http"
  log "[$db] wrk GET /health c=1, c=$conns"
  R[$db.health1]=$(wrk_run 1 pipeline-get.lua "$http/health")
  R[$db.health64]=$(wrk_run "$conns" pipeline-get.lua "$http/health")
  log "[$db] wrk POST c=1"
  R[$db.post1]=$(wrk_run 1 pipeline-post.lua "$post_url")
  wait_drained 120 >/dev/null

  quiet "$db.load"
  log "[$db] wrk POST c=$conns with /metrics sampling"
  local s0 s1 sd b0 b1 h0 h1 n0 n1 sampler
  s0=$(sample)
  b0=$(proc_ticks "$backend_pid"); n0=$(proc_ticks "${nats_pid:-0}"); h0=$(host_ticks)
  (while :; do sample; sleep 0.25; done) >"$tmp/$db/samples" &
  sampler=$!
  R[$db.post64]=$(wrk_run "$conns" pipeline-post.lua "$post_url")
  b1=$(proc_ticks "$backend_pid"); n1=$(proc_ticks "${nats_pid:-0}"); h1=$(host_ticks)
  s1=$(sample)
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  sd=$(wait_drained 600)
  local t0 r0 a0 t1 r1 a1 td rd ad dt maxb
  read -r t0 r0 a0 <<<"$s0"; read -r t1 r1 a1 <<<"$s1"; read -r td rd ad <<<"$sd"
  dt=$(calc '%.3f' "$t1 - $t0")
  maxb=$(awk -v e="$extra_records" '{b=3*$3+e-$2; if(b>m)m=b} END{printf "%d", m}' "$tmp/$db/samples")
  R[$db.in_rps]=$(calc '%.0f' "3*($a1-$a0)/$dt")
  R[$db.wr_rps]=$(calc '%.0f' "($r1-$r0)/$dt")
  R[$db.backlog_end]=$((3 * a1 + extra_records - r1))
  R[$db.backlog_max]=$maxb
  R[$db.drain_s]=$(calc '%.2f' "$td - $t1")
  R[$db.drain_rps]=$(awk -v b="$((3 * a1 + extra_records - r1))" -v t="$(calc '%.3f' "$td - $t1")" \
    'BEGIN{ if (b > 1000 && t > 0) printf "%.0f", b/t; else printf "n/a" }')
  R[$db.overall_rps]=$(calc '%.0f' "($rd-$r0)/($td-$t0)")
  R[$db.cpu_backend]=$(calc '%.0f' "100*($b1-$b0)/$hz/$dt")
  R[$db.cpu_nats]=$(calc '%.0f' "100*($n1-$n0)/$hz/$dt")
  R[$db.cpu_host]=$(calc '%.0f' "100*($h1-$h0)/$hz/$dt")
  R[$db.samples]=$(awk -v t0="$t0" -v e="$extra_records" 'NR%4==0{printf "%s%.1fs: %d", (n++?", ":""), $1-t0, 3*$3+e-$2}' "$tmp/$db/samples")

  # Everything accepted must be stored: writer counter and the reader's total of the load channel.
  local accepted stored total
  accepted=$ad
  stored=$rd
  total=$(curl -s "$http/channels/$load_ch/messages?limit=1" -H "Authorization: $token" | jq -r .total)
  R[$db.accepted]=$accepted
  R[$db.expected]=$((3 * accepted + extra_records))
  R[$db.stored]=$stored
  R[$db.total]=$total
  if [ "$total" = "$((3 * accepted + extra_records))" ] && [ "$stored" = "$total" ]; then R[$db.check]=ok; else R[$db.check]=MISMATCH; fi

  quiet "$db.latency"
  log "[$db] publish-to-stored latency (10 ms interval, 5 s)"
  "$bench_lat" "$http" "$lat_ch" "$key" 10 5 >"$tmp/$db/latency.txt" 2>&1 || true
  R[$db.lat]=$(grep '^RESULT' "$tmp/$db/latency.txt" || echo "RESULT failed")

  log "[$db] stopping"
  stop_pid "$backend_pid"

  fi
  # Writer capacity: a backlog built while no writer runs, then drained by a writer-only process.
  log "[$db] writer capacity: backlog without a writer, then a writer-only process drains it"
  local capdb=$url
  # A database of its own: the stored rows are deduplicated on (stream sequence, index), and the new nats-server's
  # stream starts again at sequence 1 (see "Found" in docs/BENCHMARKS.md).
  if [ "$db" = sqlite ]; then
    capdb=sqlite:$tmp/$db-cap/mainflux.db
  else
    psql "$url" -q -c "CREATE DATABASE capacity" >/dev/null
    capdb=${url%/*}/capacity
  fi
  start_backend "$tmp/$db-cap" MF_DB_URL="$capdb" MF_SERVICES=users,things,http,reader
  local api_pid=$started_pid
  http=$started_http
  local nats_url=nats://127.0.0.1:$started_nats
  creds='{"email":"cap@example.com","password":"benchmark1"}'
  api POST /users "" "$creds" >/dev/null
  token=$(api POST /tokens "" "$creds" | jq -r .token)
  thing=$(api POST /things "$token" '{"name":"cap"}')
  export MF_THING_KEY=$(jq -r .key <<<"$thing")
  load_ch=$(api POST /channels "$token" '{"name":"capacity"}' | jq -r .id)
  api PUT "/channels/$load_ch/things/$(jq -r .id <<<"$thing")" "$token" >/dev/null
  quiet "$db.capacity"
  R[$db.cap_post]=$(wrk_run "$conns" pipeline-post.lua "$http/http/channels/$load_ch/messages")
  local cap_accepted
  cap_accepted=$(sample | awk '{print $3}')
  local api_http=$http
  local wt0 wt1
  wt0=$(now)
  start_backend "$tmp/$db-capw" MF_DB_URL="$capdb" MF_SERVICES=writer MF_NATS_URL="$nats_url"
  local writer_pid=$started_pid
  http=$started_http
  local wr=0
  while [ "$wr" -lt $((3 * cap_accepted)) ]; do
    sleep 0.05
    wr=$(sample | awk '{print $2}')
    [ "$(calc '%.0f' "$(now) - $wt0")" -lt 600 ] || break
  done
  wt1=$(now)
  http=$api_http
  R[$db.cap_records]=$((3 * cap_accepted))
  R[$db.cap_s]=$(calc '%.2f' "$wt1 - $wt0")
  R[$db.cap_rps]=$(calc '%.0f' "$wr/($wt1-$wt0)")
  R[$db.cap_total]=$(curl -s "$http/channels/$load_ch/messages?limit=1" -H "Authorization: $token" | jq -r .total)
  if [ "${R[$db.cap_total]}" = "$((3 * cap_accepted))" ]; then R[$db.cap_check]=ok; else R[$db.cap_check]=MISMATCH; fi
  stop_pid "$writer_pid"
  stop_pid "$api_pid"
  if [ -n "$pg_dir" ]; then "$root/scripts/pg-cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true; pg_dir=; fi
}

dbs=(sqlite postgres)
[ "$mode" = both ] || dbs=("$mode")
for db in "${dbs[@]}"; do bench_db "$db"; done

# ---------------------------------------------------------------------------------------------- report
met() { if awk "BEGIN{exit !($1)}"; then echo "**met**"; else echo "**not met**"; fi; }
writer_goal() { # met / not met; "kept up" when the writer stored all that arrived but less arrived than the goal
  if awk "BEGIN{exit !(${R[$1.wr_rps]} >= $2)}"; then echo "**met**"
  elif awk "BEGIN{exit !(${R[$1.backlog_end]} <= ${R[$1.in_rps]} / 10 && ${R[$1.in_rps]} < $2)}"; then
    echo "kept up; arrivals below the goal (see capacity)"
  else echo "**not met** (backlog grows)"; fi
}
num() { awk -v x="$1" 'BEGIN{ s=sprintf("%.0f", x); r=""; while (length(s) > 3) { r="," substr(s, length(s)-2) r; s=substr(s, 1, length(s)-3) }; print s r }'; }

echo "### Run $(date -u +%Y-%m-%dT%H:%MZ), commit $commit"
echo
echo "Machine: $machine. wrk -t1, ${duration} s per run; the load generator shares the 2 cores with the server."
echo
echo "Host CPU busy (of 200 %) in the second before each phase, from other work on the machine: $(for k in "${!R[@]}"; do [[ $k == quiet.* ]] && printf '%s %s %%; ' "${k#quiet.}" "${R[$k]}"; done)"
echo
if [ "$capacity_only" != 1 ]; then
echo "#### Baselines (same run)"
echo
echo "| Baseline | Figure |"
echo "|---|---|"
echo "| bench_bus: bare NATS publish, 1M x 100 B | $(num "$nats_core") msgs/s |"
echo "| bench_bus: JetStream durable publish (async, file stream), 200k x 300 B | $(num "$nats_js") msgs/s |"
echo "| bench_bus: pull consume, fetch 256, ack each | $(num "$nats_pull") msgs/s |"
echo
echo "#### 1. HTTP publish (3-record SenML pack, thing key; 202 after the JetStream ack)"
echo
echo "| DB | Request | c | Requests/s | p50 ms | p99 ms | non-2xx | vs GET /health same c | vs JetStream publish |"
echo "|---|---|---|---|---|---|---|---|---|"
for db in "${dbs[@]}"; do
  for c in 1 64; do
    h=${R[$db.health$c]}; p=${R[$db.post$c]}
    cc=$c; [ "$c" = 64 ] && cc=$conns
    echo "| $db | GET /health | $cc | $(num "$(kv "$h" rps)") | $(us2ms "$(kv "$h" p50_us)") | $(us2ms "$(kv "$h" p99_us)") | $(kv "$h" non2xx) | 1 | |"
    echo "| $db | POST messages | $cc | $(num "$(kv "$p" rps)") | $(us2ms "$(kv "$p" p50_us)") | $(us2ms "$(kv "$p" p99_us)") | $(kv "$p" non2xx) | $(calc '%.2f' "$(kv "$p" rps)/$(kv "$h" rps)") | $(calc '%.2f' "$(kv "$p" rps)/$nats_js") |"
  done
done
echo
for db in "${dbs[@]}"; do
  p1=${R[$db.post1]}; p64=${R[$db.post64]}
  echo "- $db: >= 20,000 publishes/s (c=$conns: $(num "$(kv "$p64" rps)")): $(met "$(kv "$p64" rps) >= 20000"); p99 < 2 ms at c=1 ($(us2ms "$(kv "$p1" p99_us)") ms): $(met "$(kv "$p1" p99_us) < 2000")."
done
echo
echo "#### 2. Writer while HTTP publishing runs at full speed (c=$conns, ${duration} s)"
echo
echo "| DB | Records/s arriving (3 x 202s) | Writer records/s during load | Backlog at wrk end | Max backlog | Drain after wrk | Drain rate | Writer records/s, start to drained | Goal | CPU backend / nats-server / host | Stored check |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for db in "${dbs[@]}"; do
  goal=50000
  echo "| $db | $(num "${R[$db.in_rps]}") | $(num "${R[$db.wr_rps]}") | $(num "${R[$db.backlog_end]}") | $(num "${R[$db.backlog_max]}") | ${R[$db.drain_s]} s | ${R[$db.drain_rps]} | $(num "${R[$db.overall_rps]}") | >= $(num $goal): $(writer_goal "$db" "$goal") | ${R[$db.cpu_backend]} % / ${R[$db.cpu_nats]} % / ${R[$db.cpu_host]} % of 200 | ${R[$db.check]}: reader total ${R[$db.total]}, writer ${R[$db.stored]}, expected ${R[$db.expected]} (3 x ${R[$db.accepted]} accepted) |"
done
echo
for db in "${dbs[@]}"; do echo "- $db backlog (records; negative = stored before the 202 was counted) every ~1 s from the start of wrk: ${R[$db.samples]}"; done
echo
fi
echo "Writer capacity: ${duration} s of wrk c=$conns against a process without a writer (MF_SERVICES=users,things,http,reader), then a writer-only process (MF_SERVICES=writer) drains the backlog; time from starting that process (incl. its start-up) until everything is stored."
echo
echo "| DB | Backlog (records) | Drained in | Writer records/s | Goal | Stored check |"
echo "|---|---|---|---|---|---|"
for db in "${dbs[@]}"; do
  goal=50000
  echo "| $db | $(num "${R[$db.cap_records]}") | ${R[$db.cap_s]} s | $(num "${R[$db.cap_rps]}") | >= $(num $goal): $(met "${R[$db.cap_rps]} >= $goal") | ${R[$db.cap_check]}: reader total ${R[$db.cap_total]} |"
done
echo
if [ "$capacity_only" != 1 ]; then
echo "#### 3. Publish-to-stored latency (bench_e2e_latency: 1 message / 10 ms for 5 s, polled through the reader)"
echo
echo "| DB | Published (202) | 202 p50 / p99 ms | Found by the reader | Stored p50 ms | Stored p99 ms | Max ms | Reader GET p50 ms |"
echo "|---|---|---|---|---|---|---|---|"
for db in "${dbs[@]}"; do
  l=${R[$db.lat]}
  echo "| $db | $(kv "$l" accepted) | $(kv "$l" publish_p50_ms) / $(kv "$l" publish_p99_ms) | $(kv "$l" stored) | $(kv "$l" stored_p50_ms) | $(kv "$l" stored_p99_ms) | $(kv "$l" stored_max_ms) | $(kv "$l" reader_get_p50_ms) |"
done
echo
echo "#### 4. Normalizer (bench_senml, one core)"
echo
echo "| Input | Records/s |"
echo "|---|---|"
echo "| JSON, 3-record pack | $(num "$senml_json3") |"
echo "| JSON, 10k-record pack | $(num "$senml_json10k") |"
echo "| CBOR, 3-record pack | $(num "$senml_cbor3") |"
echo "| CBOR, 10k-record pack | $(num "$senml_cbor10k") |"
echo
echo "- >= 200,000 JSON records/s per core: $(met "$senml_json3 >= 200000") ($(calc '%.1f' "$senml_json3/200000") x the goal on 3-record packs)."

fi
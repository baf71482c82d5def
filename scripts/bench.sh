#!/usr/bin/env bash
# scripts/bench.sh: runs the performance benchmarks of issue 15, each bounded (about five minutes in all), and prints
# one summary table — path, our figure, the baseline measured in the same run, ratio, goal, met or not — followed by
# every benchmark's own tables. docs/BENCHMARKS.md starts with this table for the commit it names.
#
#   scripts/bench.sh                 # binaries from $MF_BUILD_DIR or ./build (builds nothing)
#   BENCH_OUT=dir scripts/bench.sh   # keep each benchmark's full output in dir
#   BENCH_OUT=dir BENCH_REUSE=1 ...  # run only the benchmarks whose output is not in dir yet
#
# Needs what the benchmarks need: wrk, curl, jq, python3, mosquitto clients, the PostgreSQL 15 server binaries, and
# sqlite3 and psql, built targets mainflux-backend mainflux-mosquitto-plugin bench_crossprotocol bench_bus bench_senml bench_e2e_latency
# (plus bench_dashboard for the dashboard row, when the dashboard is built).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export MF_BUILD_DIR=${MF_BUILD_DIR:-$root/build}
b=$root/tests/benchmarks
out=${BENCH_OUT:-$(mktemp -d /tmp/mf-bench.XXXXXX)}
mkdir -p "$out"
log() { echo "bench: $*" >&2; }
cd "$root"

run() { # run <name> <command...>: output to $out/<name>.md; a failed benchmark leaves its rows "?"
  if [ "${BENCH_REUSE:-0}" = 1 ] && [ -s "$out/$1.md" ]; then log "$1: reusing $out/$1.md"; return; fi
  log "$1 ..."
  local t0=$SECONDS
  # A session of its own: a benchmark that signals its process group cannot end this script.
  if setsid -w "${@:2}" >"$out/$1.md" 2>"$out/$1.log" </dev/null; then log "$1 done in $((SECONDS - t0)) s"
  else log "$1 FAILED (see $out/$1.log)"; fi
}
run publish env BENCH_ROUNDS=1 "$b/bench-publish.sh"
run mqtt env MQTT_BENCH_COUNT=20000 MQTT_BENCH_ROUNDS=3 MQTT_BENCH_LATENCY_COUNT=500 MQTT_BENCH_RATES=1000 \
  "$b/bench-mqtt.sh" "$MF_BUILD_DIR"
run idle "$b/bench-idle.sh"
run connections env BENCH_PAIRS= BENCH_IDLE=2000 BENCH_BIN="$MF_BUILD_DIR/tests/benchmarks/bench_crossprotocol" \
  MF_BACKEND="$MF_BUILD_DIR/app/backend/mainflux-backend" "$b/bench-crossprotocol.sh"
run pipeline env BENCH_DURATION=5 BENCH_QUIET_WAIT=${BENCH_QUIET_WAIT:-10} "$b/bench-pipeline.sh" postgres
# 1 M records (about a minute to fill both databases); the goal's 10 M: BENCH_READER_RECORDS=10000000
run reader env BENCH_RECORDS=${BENCH_READER_RECORDS:-1000000} BENCH_DURATION=5s \
  MF_BACKEND="$MF_BUILD_DIR/app/backend/mainflux-backend" "$b/bench-reader.sh" both
if [ -x "$MF_BUILD_DIR/tests/benchmarks/bench_dashboard" ]; then
  run dashboard env QT_QPA_PLATFORM=offscreen HOME="$out/home" \
    "$MF_BUILD_DIR/tests/benchmarks/bench_dashboard" coldstart "$MF_BUILD_DIR/app/backend/mainflux-backend"
fi

# ---- the summary: each row is parsed from a benchmark's own output ("?" when that benchmark did not run)
cell() { # cell <file> <awk program>: prints the result or "?"
  local v; v=$(awk -F'|' "$2" "$out/$1.md" 2>/dev/null | head -1); echo "${v:-?}"
}
num() { tr -d ', ' <<<"$1" | sed 's/ .*//'; }
ratio() { awk -v a="$(num "$1")" -v b="$(num "$2")" 'BEGIN{ if (a+0 > 0 && b+0 > 0) printf "%.2f", a/b; else print "?" }'; }
met() { # met <value> <op> <goal>
  awk -v v="$(num "$1")" -v g="$3" -v op="$2" 'BEGIN{ if (v == "?" || v == "") { print "?"; exit }
    ok = (op == ">=") ? (v+0 >= g+0) : (v+0 <= g+0); print ok ? "**met**" : "not met" }'
}
pub() { cell publish "\$2 == \" this \" && \$3 == \" $1 \" && \$4 == \" $2 \" { gsub(/ /, \"\", \$$3); print \$$3 }"; }
post64_rps=$(pub "POST messages" 64 5); health64=$(pub "GET /health" 64 5)
post1_rps=$(pub "POST messages" 1 5); post1_p99=$(pub "POST messages" 1 7); health1=$(pub "GET /health" 1 5)
post64_cpu=$(pub "POST messages" 64 9)
mq() { cell mqtt "\$2 ~ /^ $1 \$/ { split(\$$2, a, \" \"); print a[1] }"; }
q0_bare=$(mq 0 3); q0_ours=$(mq 0 4); q1_bare=$(mq 1 3); q1_ours=$(mq 1 4)
start_ms=$(cell idle '/cold start/ { split($3, a, " "); print a[1] }')
nats_ms=$(cell idle '/cold start/ { n = split($4, a, " "); print a[n-1] }')
rss_be=$(cell idle '/RSS after/ { split($3, a, " "); print a[2] }')
rss_base=$(cell idle '/RSS after/ { gsub(/^ +| +$/, "", $4); print $4 }')
ws_kib=$(cell connections '/ws \(/ { gsub(/ /, "", $9); print $9 }')
mqtt_kib=$(cell connections '/mqtt \(/ { gsub(/ /, "", $9); print $9 }')
pg_writer=$(cell pipeline '$2 ~ / postgres / && NF == 8 && $5 ~ /[0-9]/ { gsub(/[ ,]/, "", $5); print $5 }')
js_publish=$(cell pipeline '/JetStream durable publish/ { gsub(/[^0-9]/, "", $3); print $3 }')
rd() { cell reader "\$2 == \" $1 \" && \$4 ~ /$2/ { gsub(/ /, \"\", \$$3); print \$$3 }"; }
rd_records=$(rd sqlite 'name \+ 1 h \(' 3); rd_sqlite=$(rd sqlite 'name \+ 1 h \(' 7)
rd_pg=$(rd postgres 'name \+ 1 h \(' 7); rd_health=$(rd sqlite 'GET \/health' 7)
rd_worst=$(awk -v a="$(num "$rd_sqlite")" -v b="$(num "$rd_pg")" 'BEGIN{ if (a == "?" || b == "?") print "?"; else print (a > b ? a : b) }')
rd_met=$(met "$rd_worst" '<=' 19.999)
[ "$(num "$rd_records")" -ge 10000000 ] 2>/dev/null || rd_met="$rd_met at this size; 10 M: BENCHMARKS.md"
dash_ms=$(cell dashboard '/overview filled/ { sub(/.*overview filled \(counts\) /, ""); sub(/ ms.*/, ""); print }')

commit=$(git rev-parse --short HEAD 2>/dev/null || echo ?)
echo "### Summary: commit $commit, $(date -u +%FT%RZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| path | ours | baseline (same run) | ratio | goal | met |"
echo "|---|---|---|---|---|---|"
echo "| HTTP publish c=64, req/s | $post64_rps | GET /health c=64: $health64 | $(ratio "$post64_rps" "$health64") | ≥ 20,000 | $(met "$post64_rps" '>=' 20000) |"
echo "| HTTP publish c=64, server CPU µs/request (backend + nats-server) | $post64_cpu | — | — | ≤ 108 (half of 217) | $(met "$post64_cpu" '<=' 108) |"
echo "| HTTP publish c=1, req/s | $post1_rps | GET /health c=1: $health1 | $(ratio "$post1_rps" "$health1") | ≥ 4,200 | $(met "$post1_rps" '>=' 4200) |"
echo "| HTTP publish c=1, p99 ms | $post1_p99 | — | — | < 1 | $(met "$post1_p99" '<=' 0.999) |"
echo "| MQTT QoS 0, msgs/s end to end | $q0_ours | bare Mosquitto: $q0_bare | $(ratio "$q0_ours" "$q0_bare") | ratio ≥ 0.8 | $(met "$(ratio "$q0_ours" "$q0_bare")" '>=' 0.8) |"
echo "| MQTT QoS 1 (PUBACK after the stream stored it), msgs/s | $q1_ours | bare Mosquitto: $q1_bare | $(ratio "$q1_ours" "$q1_bare") | ratio ≥ 0.8 | $(met "$(ratio "$q1_ours" "$q1_bare")" '>=' 0.8) |"
echo "| PostgreSQL writer, records/s draining a backlog | $pg_writer | JetStream durable publish: $js_publish msgs/s | $(ratio "$pg_writer" "$js_publish") | ≥ 50,000 | $(met "$pg_writer" '>=' 50000) |"
echo "| cold start of the bundled backend to ready, ms | $start_ms | bare nats-server: $nats_ms ms | $(ratio "$start_ms" "$nats_ms") | < 1,000 | $(met "$start_ms" '<=' 999) |"
echo "| backend RSS, every service idle, MB | $rss_be | $rss_base | — | ≤ 60 | $(met "$rss_be" '<=' 60) |"
echo "| idle WebSocket client, KiB of backend RSS | $ws_kib | idle MQTT client in Mosquitto: $mqtt_kib KiB | $(ratio "$ws_kib" "$mqtt_kib") | ≤ 8 | $(met "$ws_kib" '<=' 8) |"
echo "| dashboard to a filled overview (stored token), ms | $dash_ms | — | — | < 1,500 | $(met "$dash_ms" '<=' 1499) |"
echo "| name-filtered page of 100,000 things | not in this script yet | unfiltered page | — | ≤ 3× | ? |"
echo "| reader: 100-row page of one channel by name and hour, of $rd_records records, p99 ms | SQLite $rd_sqlite, PostgreSQL $rd_pg | GET /health p99: $rd_health | — | < 20 at 10 M | $rd_met |"
echo
for f in publish mqtt idle connections pipeline reader dashboard; do
  [ -s "$out/$f.md" ] || continue
  echo "<details><summary>$f</summary>"; echo; cat "$out/$f.md"; echo; echo "</details>"; echo
done
[ -n "${BENCH_OUT:-}" ] || rm -rf "$out"

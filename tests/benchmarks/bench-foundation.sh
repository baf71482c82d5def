#!/usr/bin/env bash
# Benchmarks for the backend foundation (users + things over REST), see docs/BENCHMARKS.md.
#
#   tests/benchmarks/bench-foundation.sh [sqlite|postgres|both]      (default: both)
#
# Builds nothing: runs the backend binary in $MF_BACKEND (default ./build/app/backend/mainflux-backend, relative
# to the current directory, then to the repository). For each database it starts the real backend on a free port
# with a temporary data dir (and, for postgres, a throwaway cluster from scripts/pg-cluster.sh), creates users and
# tokens with curl, and measures with wrk against the same server:
#   GET /health            baseline: no database, no authentication
#   GET /users/me          token verification (HS256) + one user read
#   POST /things           create one thing; afterwards the rows are counted against the 201s
#   GET /things?limit=100  with 10,000 things in the account (bulk-created, 1000 per request), without and with
#                          a name filter (4 characters: trigram-indexed; 2 characters: not); the same in an account
#                          of 100 things for reference. BENCH_THINGS=100000 is the size issue 15's goal names.
#   POST /tokens           sign-in, i.e. one Argon2id verification per request
# and prints a markdown table per database: req/s, p50/p99 latency, ratio to /health at the same concurrency,
# and the backend's CPU use during the run (the backend serves HTTP on one thread, so 100% means saturated).
#
# Knobs (environment): BENCH_DURATION (wrk -d, default 5s), BENCH_CONNECTIONS (default "1 16"),
# BENCH_THINGS (default 10000), BENCH_TOKEN_DURATION (default 5s), BENCH_KEEP=1 keeps the work dir (logs).
# wrk runs with one thread (-t1): the machine has 2 cores and the load generator shares them with the server.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
mode=${1:-both}
case "$mode" in sqlite|postgres|both) ;; *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;; esac

backend=${MF_BACKEND:-./build/app/backend/mainflux-backend}
[ -x "$backend" ] || [ -n "${MF_BACKEND:-}" ] || backend="$repo/build/app/backend/mainflux-backend"
[ -x "$backend" ] || { echo "bench: backend binary not found: $backend (build it, or set MF_BACKEND)" >&2; exit 1; }
backend=$(cd "$(dirname "$backend")" && pwd)/$(basename "$backend")
for tool in wrk curl jq; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 1; }
done

duration=${BENCH_DURATION:-5s}
connections=${BENCH_CONNECTIONS:-"1 16"}
things=${BENCH_THINGS:-10000}
token_duration=${BENCH_TOKEN_DURATION:-5s}
password=bench-password-123

work=$(mktemp -d /tmp/mf-bench.XXXXXX)
backend_pid=""
pg_dir=""

stop_backend() {
  if [ -n "$backend_pid" ] && kill -0 "$backend_pid" 2>/dev/null; then
    kill -TERM "$backend_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$backend_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$backend_pid" 2>/dev/null || true
    wait "$backend_pid" 2>/dev/null || true
  fi
  backend_pid=""
}

stop_pg() {
  if [ -n "$pg_dir" ]; then
    "$repo/scripts/pg-cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  fi
  pg_dir=""
}

cleanup() {
  local rc=$?
  stop_backend
  stop_pg
  if [ "${BENCH_KEEP:-0}" = 1 ] || [ "$rc" -ne 0 ]; then
    echo "bench: logs kept in $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { echo "bench: $*" >&2; exit 1; }

# --- backend ----------------------------------------------------------------------------------------------------

start_backend() { # <name> <db url or empty>
  local name=$1 url=$2 data="$work/$1/data"
  mkdir -p "$data"
  MF_DATA_DIR="$data" MF_HTTP_PORT=0 MF_WS_PORT=0 MF_COAP_PORT=0 MF_MQTT_PORT=0 MF_MQTT_WS_PORT=0 MF_DB_URL="$url" MF_LOG_LEVEL=warn MF_JWT_SECRET=bench-secret-0123456789abcdef \
    MF_ALLOW_SIGNUP=true "$backend" >"$work/$name/backend.out" 2>"$work/$name/backend.err" &
  backend_pid=$!
  for _ in $(seq 300); do
    if grep -q '"event":"ready"' "$work/$name/backend.out" 2>/dev/null; then
      port=$(grep -m1 '"event":"ready"' "$work/$name/backend.out" | jq -r .ports.http)
      base="http://127.0.0.1:$port"
      curl -fsS "$base/health" >/dev/null || die "$name: /health does not answer"
      return 0
    fi
    kill -0 "$backend_pid" 2>/dev/null || { cat "$work/$name/backend.err" >&2; die "$name: backend exited"; }
    sleep 0.1
  done
  die "$name: no ready line within 30 s"
}

# --- REST helpers (curl) ----------------------------------------------------------------------------------------

api() { # <method> <path> [token] [json body] -> body on stdout; fails on non-2xx
  local method=$1 path=$2 token=${3:-} body=${4:-}
  local args=(-sS -f -X "$method" "$base$path" -H 'Content-Type: application/json')
  [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
  [ -n "$body" ] && args+=(--data-binary "$body")
  curl "${args[@]}"
}

new_user() { # <email> -> token on stdout
  api POST /users "" "{\"email\":\"$1\",\"password\":\"$password\"}" >/dev/null || die "cannot create user $1"
  api POST /tokens "" "{\"email\":\"$1\",\"password\":\"$password\"}" | jq -er .token || die "cannot sign in $1"
}

thing_total() { # <token> -> total things of that user (the API's own COUNT)
  api GET '/things?limit=1' "$1" | jq -er .total
}

db_count() { # <name> <sql> -> number, straight from the database (not through the API)
  if [ "$1" = postgres ]; then
    psql -X -qAt "$pg_url" -c "$2"
  else
    sqlite3 "$work/$1/data/mainflux.db" "$2" 2>/dev/null || sqlite3 "$(ls "$work/$1"/data/*.db | head -n1)" "$2"
  fi
}

bulk_create() { # <token> <count> <name prefix>: POST /things/bulk, 1000 per request
  local token=$1 count=$2 prefix=$3 from=0
  while [ "$from" -lt "$count" ]; do
    local n=$(( count - from < 1000 ? count - from : 1000 ))
    seq "$from" $(( from + n - 1 )) | awk -v p="$prefix" \
      'BEGIN{printf "["} {printf "%s{\"type\":\"device\",\"name\":\"%s-%05d\"}", (NR>1?",":""), p, $1} END{print "]"}' \
      >"$work/bulk.json"
    curl -sS -f -X POST "$base/things/bulk" -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
      --data-binary @"$work/bulk.json" -o /dev/null || die "bulk create failed at $from"
    from=$(( from + n ))
  done
}

# --- measurement -------------------------------------------------------------------------------------------------

cpu_ticks() { # utime + stime of the backend, in clock ticks
  awk '{print $14 + $15}' "/proc/$backend_pid/stat"
}

rows=()        # table rows of the current database
declare -A baseline_rps

# run <label> <conns> <duration> <lua> <path> [env...]: one wrk run; appends a table row; sets last_codes
run() {
  local label=$1 conns=$2 dur=$3 lua=$4 path=$5; shift 5
  local log="$work/$db/wrk-$(echo "$label-c$conns" | tr -c 'A-Za-z0-9-' '_').txt"
  local t0 c0 t1 c1
  t0=$(date +%s%N); c0=$(cpu_ticks)
  env "$@" wrk -t1 -c"$conns" -d"$dur" --timeout 10s --latency -s "$here/$lua" "$base$path" >"$log" 2>&1 \
    || { cat "$log" >&2; die "wrk failed: $label"; }
  t1=$(date +%s%N); c1=$(cpu_ticks)
  local line; line=$(grep '^BENCH ' "$log") || { cat "$log" >&2; die "no BENCH line: $label"; }
  local -A f=()
  local kv
  for kv in ${line#BENCH }; do f[${kv%%=*}]=${kv#*=}; done
  local cpu; cpu=$(awk -v c=$(( c1 - c0 )) -v hz="$(getconf CLK_TCK)" -v ns=$(( t1 - t0 )) \
    'BEGIN{printf "%.0f%%", 100 * c / hz / (ns / 1e9)}')
  local ratio="—"
  if [ "$label" = "GET /health (baseline)" ]; then
    baseline_rps[$conns]=${f[rps]}
    ratio="1"
  elif [ -n "${baseline_rps[$conns]:-}" ]; then
    ratio=$(awk -v a="${f[rps]}" -v b="${baseline_rps[$conns]}" 'BEGIN{printf "%.3g", a / b}')
  fi
  local errors="${f[socket_errors]}"
  [ "${f[non2xx]}" != 0 ] && errors="$errors, non-2xx ${f[non2xx]}"
  rows+=("$(printf '| %s | %s | %s | %.2f | %.2f | %s | %s | %s | %s |' "$label" "$conns" "${f[rps]}" \
    "$(awk -v u="${f[p50_us]}" 'BEGIN{print u/1000}')" "$(awk -v u="${f[p99_us]}" 'BEGIN{print u/1000}')" \
    "$ratio" "$cpu" "${f[codes]}" "$errors")")
  last_codes=${f[codes]}
  echo "  $label c=$conns: ${f[rps]} req/s, p99 $(( f[p99_us] / 1000 )) ms, codes ${f[codes]}" >&2
}

count_of() { # <codes string> <status> -> count
  echo "$1" | tr ',' '\n' | awk -F: -v s="$2" '$1 == s {n += $2} END {print n + 0}'
}

notes=()

suite() { # <sqlite|postgres>
  db=$1
  rows=(); notes=(); baseline_rps=()
  mkdir -p "$work/$db"
  local url=""
  if [ "$db" = postgres ]; then
    pg_dir=$(mktemp -d /tmp/mf-bench-pg.XXXXXX)
    pg_url=$("$repo/scripts/pg-cluster.sh" start "$pg_dir") || die "cannot start PostgreSQL"
    url=$pg_url
  fi
  echo "== $db" >&2
  start_backend "$db" "$url"

  local tok_a tok_big tok_small
  tok_a=$(new_user "creator@bench.example")
  tok_big=$(new_user "big@bench.example")
  tok_small=$(new_user "small@bench.example")

  # Baseline and token verification.
  local c
  for c in $connections; do run "GET /health (baseline)" "$c" "$duration" get.lua /health; done
  for c in $connections; do run "GET /users/me (HS256 + user read)" "$c" "$duration" get.lua /users/me MF_TOKEN="$tok_a"; done

  # Creating things: every 201 must be a row. wrk may stop with requests in flight that the server still
  # completes, so up to <conns> extra rows are possible; fewer rows than 201s is a bug.
  local owner_a; owner_a=$(api GET /users/me "$tok_a" | jq -er .id)
  for c in $connections; do
    local before after created
    before=$(db_count "$db" "SELECT COUNT(*) FROM things WHERE owner = '$owner_a'")
    run "POST /things" "$c" "$duration" create-thing.lua /things MF_TOKEN="$tok_a"
    sleep 0.5
    after=$(db_count "$db" "SELECT COUNT(*) FROM things WHERE owner = '$owner_a'")
    created=$(count_of "$last_codes" 201)
    local verdict=ok
    if [ $(( after - before )) -lt "$created" ] || [ $(( after - before - created )) -gt "$c" ]; then verdict=MISMATCH; fi
    notes+=("POST /things c=$c: $created × 201, $(( after - before )) new rows in the database → $verdict")
    [ "$verdict" = ok ] || echo "bench: POST /things c=$c: $created × 201 but $(( after - before )) new rows" >&2
  done
  local api_total; api_total=$(thing_total "$tok_a")
  notes+=("GET /things total for the creating account: $api_total; rows in the database: $(db_count "$db" "SELECT COUNT(*) FROM things WHERE owner = '$owner_a'")")

  # Listing: 10,000 things (and 100 for reference), bulk-created 1000 per request.
  local t0 t1
  t0=$(date +%s%N)
  bulk_create "$tok_big" "$things" bench
  t1=$(date +%s%N)
  local total; total=$(thing_total "$tok_big")
  [ "$total" = "$things" ] || die "bulk create: expected $things things, the API counts $total"
  notes+=("bulk create: $things things in $(( things / 1000 )) requests of 1000 took $(awk -v ns=$(( t1 - t0 )) 'BEGIN{printf "%.2f", ns / 1e9}') s ($(awk -v n="$things" -v ns=$(( t1 - t0 )) 'BEGIN{printf "%.0f", n / (ns / 1e9)}') things/s, curl sequential)")
  bulk_create "$tok_small" 100 small
  local matches; matches=$(api GET '/things?limit=100&name=0042' "$tok_big" | jq -er .total)
  notes+=("name filter \`name=0042\` matches $matches of $things things (substring, case-insensitive)")

  if [ "$db" = postgres ]; then
    # Right after the bulk load the planner still has the statistics of an almost empty table (autovacuum
    # analyzes within about a minute): it sorts all of the account's rows instead of walking the index.
    # Measure that once, then ANALYZE as autovacuum would, and measure the steady state.
    run "GET /things?limit=100 ($things things, before ANALYZE)" 1 "$duration" get.lua '/things?limit=100' MF_TOKEN="$tok_big"
    psql -X -q "$pg_url" -c "ANALYZE" || die "ANALYZE failed"
    notes+=("postgres: the list rows after the \"before ANALYZE\" row were measured after an explicit ANALYZE (what autovacuum does about a minute after a bulk load)")
  fi
  for c in $connections; do run "GET /things?limit=100 ($things things)" "$c" "$duration" get.lua '/things?limit=100' MF_TOKEN="$tok_big"; done
  for c in $connections; do run "GET /things?limit=100&name=0042 ($things things)" "$c" "$duration" get.lua '/things?limit=100&name=0042' MF_TOKEN="$tok_big"; done
  # Two characters: too short for a trigram index (both databases then scan the account's rows).
  for c in $connections; do run "GET /things?limit=100&name=42 ($things things)" "$c" "$duration" get.lua '/things?limit=100&name=42' MF_TOKEN="$tok_big"; done
  for c in $connections; do run "GET /things?limit=100 (100 things)" "$c" "$duration" get.lua '/things?limit=100' MF_TOKEN="$tok_small"; done

  # Sign-in: Argon2id (libsodium INTERACTIVE: 2 passes over 64 MiB) per request.
  for c in 1 4; do
    run "POST /tokens (Argon2id)" "$c" "$token_duration" tokens.lua /tokens MF_EMAIL=small@bench.example MF_PASSWORD="$password"
  done

  stop_backend
  stop_pg

  echo
  echo "### $db — $(date -u +%Y-%m-%dT%H:%MZ), wrk -t1 -d$duration, load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| request | conns | req/s | p50 ms | p99 ms | req/s ÷ /health | backend CPU | statuses | errors |"
  echo "|---|---:|---:|---:|---:|---:|---:|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  printf -- '- %s\n' "${notes[@]}"
}

echo "# bench-foundation: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
case "$mode" in
  sqlite) suite sqlite ;;
  postgres) suite postgres ;;
  both) suite sqlite; suite postgres ;;
esac

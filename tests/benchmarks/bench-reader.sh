#!/usr/bin/env bash
# The reader out of many stored records (issue 15): p50/p99 of GET /channels/{id}/messages, see docs/BENCHMARKS.md.
#
#   tests/benchmarks/bench-reader.sh [sqlite|postgres|both]      (default: both)
#
# For each database: starts the bundled backend (users, things, reader; for postgres on a throwaway cluster from
# scripts/pg-cluster.sh) on a temporary data dir, creates a user and a channel over REST, stops the backend and fills
# `messages` with BENCH_RECORDS records straight in SQL (sqlite3 / psql: one INSERT ... SELECT, far faster than
# publishing), then ANALYZEs, starts the backend again and measures with wrk (one connection, the latency is the
# figure) the pages a client asks for. The records: 10 channels (the REST one and 9 others) interleaved, 10 names
# per channel, one record every 10 ms overall, so the channel holds a tenth of them and each name a hundredth. Rows:
#   name + 1 h   ?limit=100&name=sensor-3&from=<mid>&to=<mid + 3600>   the goal: p99 < 20 ms at 10,000,000 records
#   name         ?limit=100&name=sensor-3                              (its total counts a hundredth of the records)
#   channel      ?limit=100                                            (its total counts a tenth)
# plus GET /health as the baseline of the same run, the query plans of the goal's two statements, and the goal's row
# once more after dropping migration 0008's index messages_channel_name_time (the state before it).
#
# Knobs (environment): BENCH_RECORDS (default 10000000), BENCH_DURATION (wrk -d, default 10s), BENCH_KEEP=1 keeps
# the work dir. Needs wrk, curl, jq, sqlite3 and (postgres) psql. Disk: about 3 GB per 10 M records and database.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
mode=${1:-both}
case "$mode" in sqlite|postgres|both) ;; *) echo "usage: $0 [sqlite|postgres|both]" >&2; exit 2 ;; esac
backend=${MF_BACKEND:-$repo/build/app/backend/mainflux-backend}
[ -x "$backend" ] || { echo "bench: backend binary not found: $backend (build it, or set MF_BACKEND)" >&2; exit 1; }
for tool in wrk curl jq sqlite3 psql; do command -v "$tool" >/dev/null || { echo "bench: $tool is required" >&2; exit 1; }; done

records=${BENCH_RECORDS:-10000000}
duration=${BENCH_DURATION:-10s}
work=$(mktemp -d /tmp/mf-bench-reader.XXXXXX)
who=bench keep_var=BENCH_KEEP
pg_dir=""
cleanup_extra() { [ -z "$pg_dir" ] || "$repo/scripts/pg-cluster.sh" stop "$pg_dir" >/dev/null 2>&1 || true; }
# shellcheck source=backend-lib.sh
. "$here/backend-lib.sh"

stop_backend() {
  kill -TERM "$backend_pid" 2>/dev/null || true
  wait "$backend_pid" 2>/dev/null || true
  backend_pid=""
}

api() { # <method> <path> <token> <json> -> body
  curl -sS -f -X "$1" "$base$2" -H 'Content-Type: application/json' ${3:+-H "Authorization: Bearer $3"} \
    ${4:+--data-binary "$4"}
}

sql() { # <sql>: runs in the database under test
  if [ "$db" = postgres ]; then psql -X -q -v ON_ERROR_STOP=1 "$pg_url" -c "$1"; else sqlite3 "$work/data/mainflux.db" "$1"; fi
}

# One record every 10 ms, the newest now; i % 10 picks the channel, (i / 10) % 10 the name.
t0=$(( $(date +%s) - records / 100 ))
fill_select() { # <channel id> -> the SELECT that makes the records from a series of i
  cat <<EOF
SELECT CASE i % 10 WHEN 0 THEN '$1' ELSE 'other-' || (i % 10) END, 'bench-thing', 'http',
       'sensor-' || ((i / 10) % 10), 'Cel', (i % 1000) / 10.0, $t0 + i * 0.01, ${t0}000000000 + i, i + 1, 0
EOF
}
columns="channel, publisher, protocol, name, unit, value, time, created, source_seq, source_idx"

fill() { # <channel id>
  local start; start=$(date +%s)
  # Building the secondary indexes once afterwards is several times faster than 10 M inserts into each; the indexes
  # of constraints (primary key, UNIQUE) stay.
  local indexes
  if [ "$db" = postgres ]; then
    indexes=$(psql -X -At "$pg_url" -c "SELECT indexdef FROM pg_indexes i WHERE tablename = 'messages' AND NOT EXISTS
      (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)")
  else
    indexes=$(sqlite3 "$work/data/mainflux.db" \
      "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL")
  fi
  sql "$(sed -E 's/^CREATE (UNIQUE )?INDEX ([a-z_]+) .*/DROP INDEX \2;/' <<<"$indexes")" >/dev/null
  if [ "$db" = postgres ]; then
    sql "SET synchronous_commit = off; INSERT INTO messages ($columns) $(fill_select "$1") FROM generate_series(0, $records - 1) AS i" >/dev/null
    sql "SET maintenance_work_mem = '512MB'; $(sed 's/$/;/' <<<"$indexes")" >/dev/null
    sql "VACUUM ANALYZE messages" >/dev/null
  else
    sqlite3 "$work/data/mainflux.db" >/dev/null <<EOF
PRAGMA synchronous = OFF;
PRAGMA cache_size = -1000000;
BEGIN;
WITH RECURSIVE series(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM series WHERE i < $records - 1)
INSERT INTO messages ($columns) $(fill_select "$1") FROM series;
$(sed 's/$/;/' <<<"$indexes")
COMMIT;
ANALYZE;
PRAGMA wal_checkpoint(TRUNCATE);
EOF
  fi
  echo "  filled $records records in $(( $(date +%s) - start )) s" >&2
}

plans() { # <channel id> <from> <to>: the goal's count and page as the repository runs them
  local where="WHERE channel = '$1' AND time >= $2 AND time <= $3 AND name = 'sensor-3'"
  local page="SELECT * FROM messages $where ORDER BY time DESC, id DESC LIMIT 100 OFFSET 0"
  if [ "$db" = postgres ]; then
    psql -X -At "$pg_url" -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT COUNT(*) FROM messages $where" \
      -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) $page"
  else
    sql "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM messages $where"
    sql "EXPLAIN QUERY PLAN $page"
  fi
}

measure() { # <label> <path> [token]: one wrk run at c=1, one table row
  local out
  out=$(MF_TOKEN=${3:-} wrk -t1 -c1 -d"$duration" --latency -s "$here/get.lua" "$base$2" 2>&1) || { echo "$out" >&2; die "wrk failed: $1"; }
  local line; line=$(grep '^BENCH ' <<<"$out") || { echo "$out" >&2; die "no BENCH line: $1"; }
  local -A f=()
  local kv
  for kv in ${line#BENCH }; do f[${kv%%=*}]=${kv#*=}; done
  printf '| %s | %s | %s | %s | %.2f | %.2f | %s |\n' "$db" "$records" "$1" "${f[rps]}" \
    "$(awk -v u="${f[p50_us]}" 'BEGIN{print u/1000}')" "$(awk -v u="${f[p99_us]}" 'BEGIN{print u/1000}')" "${f[codes]}"
}

suite() { # <sqlite|postgres>
  db=$1
  local url=""
  rm -rf "$work/data"
  if [ "$db" = postgres ]; then
    pg_dir=$(mktemp -d /tmp/mf-bench-reader-pg.XXXXXX) # not in $work: the cluster may belong to the postgres user
    pg_url=$("$repo/scripts/pg-cluster.sh" start "$pg_dir") || die "cannot start PostgreSQL"
    url=$pg_url
  fi
  echo "== $db" >&2
  start_backend MF_SERVICES=users,things,reader MF_ALLOW_SIGNUP=true MF_DB_URL="$url"
  api POST /users "" '{"email":"reader@bench.example","password":"bench-password-123"}' >/dev/null
  local token channel
  token=$(api POST /tokens "" '{"email":"reader@bench.example","password":"bench-password-123"}' | jq -er .token)
  channel=$(api POST /channels "$token" '{"name":"history"}' | jq -er .id)
  stop_backend
  fill "$channel"
  local from=$(( t0 + records / 200 )) to
  to=$(( from + 3600 ))
  plans "$channel" "$from" "$to" >"$work/plans-$db.txt"
  echo "  query plans of the goal's statements:" >&2
  sed 's/^/    /' "$work/plans-$db.txt" >&2
  start_backend MF_SERVICES=users,things,reader MF_DB_URL="$url"
  local total
  total=$(api GET "/channels/$channel/messages?limit=1&name=sensor-3&from=$from&to=$to" "$token" | jq -er .total)
  echo "  name + 1 h matches $total records" >&2
  measure "GET /health (baseline)" /health
  measure "name + 1 h ($total matches)" "/channels/$channel/messages?limit=100&name=sensor-3&from=$from&to=$to" "$token"
  measure "name ($(( records / 100 )) matches)" "/channels/$channel/messages?limit=100&name=sensor-3" "$token"
  measure "channel ($(( records / 10 )) matches)" "/channels/$channel/messages?limit=100" "$token"
  # The goal's row again without migration 0008's index: what it changed, in the same run.
  sql "DROP INDEX messages_channel_name_time" >/dev/null
  sql "ANALYZE messages" >/dev/null
  measure "name + 1 h, without messages_channel_name_time" "/channels/$channel/messages?limit=100&name=sensor-3&from=$from&to=$to" "$token"
  stop_backend
  cleanup_extra
  pg_dir=""
}

echo "| DB | records | request (c=1, limit=100) | req/s | p50 ms | p99 ms | codes |"
echo "|---|---:|---|---:|---:|---:|---|"
[ "$mode" = postgres ] || suite sqlite
[ "$mode" = sqlite ] || suite postgres
echo
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores, backend: $(jq -r .version <<<"$ready")"

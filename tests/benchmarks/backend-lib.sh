# Sourced by the benchmarks that run the whole bundled backend (bench-crossprotocol.sh, bench-ws.sh, soak.sh): one
# way to start it on free local ports, wait for its ready line and stop it. Before sourcing, set:
#   work     a fresh work dir (removed at exit unless $keep_var is 1 or the script failed)
#   backend  the mainflux-backend binary
#   who      the prefix of messages ("bench", "soak")
#   keep_var the name of the variable that keeps the work dir (BENCH_KEEP, SOAK_KEEP)
# and optionally a function cleanup_extra (run first at exit).
# Then: start_backend [VAR=value...]  sets backend_pid and ready (the JSON ready line); port <name>; base (REST URL).
backend_pid=""

cleanup() {
  local rc=$?
  declare -F cleanup_extra >/dev/null && cleanup_extra
  if [ -n "$backend_pid" ] && kill -0 "$backend_pid" 2>/dev/null; then
    kill -TERM "$backend_pid" 2>/dev/null || true
    wait "$backend_pid" 2>/dev/null || true
  fi
  if [ "${!keep_var:-0}" = 1 ] || [ "$rc" -ne 0 ]; then echo "$who: logs kept in $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
die() { echo "$who: $*" >&2; exit 1; }

start_backend() {
  env MF_DATA_DIR="$work/data" MF_HTTP_PORT=0 MF_WS_PORT=0 MF_COAP_PORT=0 MF_MQTT_PORT=0 MF_MQTT_WS_PORT=0 \
    MF_LOG_LEVEL=warn MF_JWT_SECRET="$who-secret-0123456789abcdef" "$@" "$backend" >"$work/backend.out" 2>"$work/backend.err" &
  backend_pid=$!
  for _ in $(seq 300); do
    grep -q '"event":"ready"' "$work/backend.out" 2>/dev/null && break
    kill -0 "$backend_pid" 2>/dev/null || { cat "$work/backend.err" >&2; die "backend exited"; }
    sleep 0.1
  done
  ready=$(grep -m1 '"event":"ready"' "$work/backend.out") || die "no ready line within 30 s"
  base="http://127.0.0.1:$(port http)"
}
port() { jq -r ".ports.$1" <<<"$ready"; }

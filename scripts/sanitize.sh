#!/usr/bin/env bash
# The backend's test suites under AddressSanitizer + UndefinedBehaviorSanitizer (issue 14): builds a backend-only
# tree (-DMF_SANITIZE=ON -DMF_BUILD_GUI=OFF) in build-sanitize/ (or $MF_SANITIZE_BUILD_DIR) and runs the chosen
# suites with every error fatal. Any report fails the run; the log names the suite.
#
#   scripts/sanitize.sh                 the suites below
#   scripts/sanitize.sh tst_senml ...   only these
#   scripts/sanitize.sh tst_repositories_postgres   a PostgreSQL twin (ctest starts its throwaway cluster); only
#                                       ASan's malloc/free checks reach into libpq (it is not instrumented)
#
# Chosen (CI time, 2 cores): the pure units (core, SenML, envelope, subjects, router, JWT, rule engine, status
# tracker, handshake, MQTT topics, LoRa mapping), and the suites that run the whole backend in-process on SQLite with
# real NATS and libcoap: REST (users, things), HTTP limits, HTTP messages, status, rules, WebSocket and CoAP adapters,
# repositories, the bus. Left out: every suite that loads the Mosquitto plugin into Debian's uninstrumented mosquitto
# (an ASan library cannot load there), the dashboard, the PostgreSQL twins (name one to run it: reads go through
# libpq there, storage/postgres/postgresquery.cpp), the packaging and cluster scripts.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# Beside build/ (same depth): ccache's base_dir makes later runs mostly cache hits.
build=${MF_SANITIZE_BUILD_DIR:-$root/build-sanitize}
suites=("$@")
if [ ${#suites[@]} -eq 0 ]; then
  suites=(tst_mediatype tst_duration tst_metadata tst_ids tst_senml tst_flushkicker tst_envelope tst_subjects tst_router tst_jwt
          tst_ruleengine tst_statustracker tst_wshandshake tst_mqtttopics tst_lora tst_failurelimiter
          tst_natsconnection tst_repositories tst_usersapi tst_thingsapi tst_httplimits tst_httpmessages
          tst_fleetstatus tst_rules tst_wsadapter tst_coapadapter tst_block1uploads)
fi
known=() postgres=()
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMF_SANITIZE=ON -DMF_BUILD_GUI=OFF >/dev/null
targets=$(ninja -C "$build" -t targets all)
for s in "${suites[@]}"; do # an unknown suite is an error, never silently skipped
  target=${s%_postgres}
  if ! grep -q "^$target:" <<< "$targets"; then echo "sanitize.sh: no suite $s" >&2; exit 1; fi
  if [ "$target" != "$s" ]; then postgres+=("$target"); else known+=("$s"); fi
done
cmake --build "$build" --target "${known[@]}" "${postgres[@]}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
if [ ${#known[@]} -gt 0 ]; then
  regex="^($(IFS='|'; echo "${known[*]}"))(_sqlite)?\$"
  ctest --test-dir "$build" --output-on-failure -j2 -R "$regex" -LE postgres
fi
if [ ${#postgres[@]} -gt 0 ]; then # one at a time: the twins share the cluster
  ctest --test-dir "$build" --output-on-failure --no-tests=error -R "^($(IFS='|'; echo "${postgres[*]}"))_postgres\$"
fi

#!/usr/bin/env bash
# bench-rules.sh: records/s through the pipeline (HTTP publish -> stream -> normalizer -> rules service) with no
# rules and with 1,000 rules, in the same run of a mainflux-backend it starts itself (issue 16, alerts). Markdown on
# stdout, then bench_ruleengine (the engine alone). Binaries from $MF_BUILD_DIR or ./build. Needs python3 and wrk. BENCH_DURATION (wrk seconds, default 10),
# BENCH_CONNECTIONS (default 64).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${MF_BUILD_DIR:-$PWD/build}
[ -x "$build/app/backend/mainflux-backend" ] || build=$(cd "$here/../.." && pwd)/build
command -v wrk >/dev/null || { echo "bench-rules: wrk is not installed" >&2; exit 1; }
echo "Run $(date -u +%FT%RZ), commit $(git -C "$here" rev-parse --short HEAD), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
python3 "$here/bench_rules.py" "$build/app/backend/mainflux-backend" "$here/pipeline-post.lua"
if [ -x "$build/tests/benchmarks/bench_ruleengine" ]; then
  echo "### The rules service's work per record alone (one core, 200,000 records, no bus)"
  echo
  "$build/tests/benchmarks/bench_ruleengine"
fi

#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a passing test suite: installs the Debian packages, builds
# everything, and runs every test (the PostgreSQL suites start their own throwaway cluster through CTest).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
build=${MF_BUILD_DIR:-$root/build}
# Zero warnings: a compiler warning fails the run. Read from the build's output rather than -Werror, so the objects
# stay the ones other builds of this tree cached (ccache replays a cached compile's warnings too).
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$root/scripts/build.sh" 2>&1 | tee "$log"
if grep -q 'warning:' "$log"; then
  echo "test.sh: the build has compiler warnings (zero allowed):" >&2
  grep -A3 'warning:' "$log" >&2
  exit 1
fi
ctest --test-dir "$build" --output-on-failure -j2 "$@"

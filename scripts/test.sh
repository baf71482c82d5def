#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a passing test suite: installs the Debian packages, builds
# everything, and runs every test (the PostgreSQL suites start their own throwaway cluster through CTest).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build=${MF_BUILD_DIR:-$root/build}
ctest --test-dir "$build" --output-on-failure -j2 "$@"

#!/usr/bin/env bash
# Configures (Ninja, ccache) and builds into ./build, or into $MF_BUILD_DIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${MF_BUILD_DIR:-$root/build}
# Paths relative to the checkout's parent in ccache's keys: another clone or worktree beside this one (a CI clone, a
# second branch) reuses what this one compiled.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=${MF_BUILD_TYPE:-RelWithDebInfo} >/dev/null
cmake --build "$build" "$@"

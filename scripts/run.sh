#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a running product: installs the Debian packages, builds, and starts
# the dashboard with its bundled backend when there is a display, otherwise the headless backend.
# Extra arguments go to the program (e.g. --http-port 0). Stop with Ctrl+C.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
build=${MF_BUILD_DIR:-$root/build}
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$build/app/gui/mainflux" ]; then
  exec "$build/app/gui/mainflux" "$@"
fi
echo "run.sh: starting the headless backend (REST API on http://127.0.0.1:${MF_HTTP_PORT:-8180}); Ctrl+C stops it" >&2
exec "$build/app/backend/mainflux-backend" "$@"

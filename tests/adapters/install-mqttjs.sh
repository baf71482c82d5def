#!/usr/bin/env bash
# Installs MQTT.js (npm "mqtt", v5) into <dir>/node_modules for tst_mqttadapter's WebSocket test.
# Without node or npm it fails: scripts/install-deps.sh installs them.
set -euo pipefail
dir=$1
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install-mqttjs: node/npm not found (scripts/install-deps.sh installs them)" >&2
  exit 1
fi
if [ -f "$dir/node_modules/mqtt/package.json" ]; then
  echo "install-mqttjs: already installed"
  exit 0
fi
mkdir -p "$dir"
npm install --prefix "$dir" --no-audit --no-fund --loglevel=error mqtt@5

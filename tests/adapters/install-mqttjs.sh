#!/usr/bin/env bash
# Installs MQTT.js (npm "mqtt", v5) into <dir>/node_modules for tst_mqttadapter's WebSocket test.
# Without node or npm it does nothing and the test skips itself.
set -euo pipefail
dir=$1
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "install-mqttjs: node/npm not found; the MQTT over WebSocket test will be skipped"
  exit 0
fi
if [ -f "$dir/node_modules/mqtt/package.json" ]; then
  echo "install-mqttjs: already installed"
  exit 0
fi
mkdir -p "$dir"
npm install --prefix "$dir" --no-audit --no-fund --loglevel=error mqtt@5

#!/usr/bin/env bash
# Installs every Debian 12 package needed to build, run and test Mainflux for the desktop.
# Run as root or with sudo. Safe to run again.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build ccache pkgconf git
  # Qt 6
  qt6-base-dev qt6-httpserver-dev qt6-websockets-dev qt6-charts-dev libqt6opengl6-dev libxkbcommon-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libqt6sql6-sqlite libqt6sql6-psql
  qtkeychain-qt6-dev
  # messaging, protocols, security
  libnats-dev nats-server libsodium-dev libssl-dev libprotobuf-dev protobuf-compiler
  libcoap3-dev libcoap3-bin mosquitto mosquitto-dev libmosquitto-dev mosquitto-clients
  libpaho-mqttpp-dev libpaho-mqtt-dev
  # storage and test tooling
  postgresql postgresql-client libpq-dev sqlite3 curl wrk procps fonts-dejavu-core
  # fuzzing (scripts/fuzz.sh): libFuzzer and the sanitizer runtimes. clang 16, not 14: clang 14 and 15 cannot
  # compile libstdc++ 12's <expected> (mf::Result)
  clang-16 libclang-rt-16-dev
  # packaging
  dpkg-dev help2man lintian fakeroot
  # a WebSocket client this project did not write (tests/adapters e2e)
  python3-websockets
  # an MQTT client this project did not write (tests/cluster fault tests: QoS 1 publishers)
  python3-paho-mqtt
  # dashboard tests: a real keyring on a private session bus, and a virtual display for run.sh checks
  gnome-keyring dbus libsecret-1-0 xvfb xauth
)

# node + npm for MQTT.js (tst_mqttadapter's MQTT-over-WebSocket test installs it from npm into the build tree).
# Only when npm is missing: a node from elsewhere (e.g. NodeSource) already brings its own npm.
if ! command -v npm >/dev/null 2>&1; then packages+=(nodejs npm); fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"

# Debian starts its own mosquitto service on port 1883 when the package is installed; the backend runs its own
# broker (with our plugin) there. Only a mosquitto installed by this script is stopped: one you set up stays.
if [[ " ${missing[*]} " == *" mosquitto "* ]] && command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
  if systemctl is-enabled --quiet mosquitto 2>/dev/null || systemctl is-active --quiet mosquitto 2>/dev/null; then
    echo "install-deps: disabling Debian's mosquitto service (the backend starts its own broker on port 1883)"
    $SUDO systemctl disable --now mosquitto || true
  fi
fi

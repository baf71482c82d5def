#!/bin/sh
# Runs a test against a real Secret Service: a private D-Bus session with gnome-keyring-daemon unlocked by a
# non-empty password (an empty one leaves the login collection locked). HOME is a temp dir, so the keyring file the
# daemon creates never touches the user's. Usage: with-keyring.sh <test executable> [test functions...]
set -eu
if ! command -v dbus-run-session >/dev/null || ! command -v gnome-keyring-daemon >/dev/null; then
  echo "with-keyring.sh: dbus-run-session or gnome-keyring-daemon missing (scripts/install-deps.sh installs them)" >&2
  exit 1
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset DISPLAY WAYLAND_DISPLAY
exec dbus-run-session -- sh -c '
  eval "$(printf ci-keyring-pass | gnome-keyring-daemon --unlock --components=secrets)"
  "$@"; rc=$?
  kill "$GNOME_KEYRING_PID" 2>/dev/null || true
  exit $rc' sh "$@"

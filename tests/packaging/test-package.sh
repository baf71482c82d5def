#!/usr/bin/env bash
# Builds the Debian package from the build tree, checks its metadata and files, unpacks it into a clean root and
# runs the installed mainflux-backend and mainflux-cli from there through a smoke flow: health, user, token,
# thing, channel, connect, publish, read back. Usage: test-package.sh <build dir>
set -euo pipefail
build=$(cd "${1:?usage: test-package.sh <build dir>}" && pwd)
work=$(mktemp -d)
backend_pid=""
cleanup() {
  [ -n "$backend_pid" ] && kill "$backend_pid" 2>/dev/null && wait "$backend_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$work/out" >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log" >&2; fail "cpack"; }
deb=$(ls "$work"/out/mainflux_*.deb)
echo "package: $(basename "$deb")"

# Metadata: the dependencies dpkg-shlibdeps cannot see are declared.
info=$(dpkg-deb -I "$deb")
for dep in nats-server mosquitto libqt6sql6-sqlite libqt6sql6-psql libqt6core6; do
  grep -q "Depends:.*$dep" <<<"$info" || fail "Depends lacks $dep"
done
grep -q "^ Version: $(grep -oP 'project\(mainflux VERSION \K[0-9.]+' "$(dirname "$0")/../../CMakeLists.txt")" <<<"$info" \
  || fail "package version differs from the CMake project version"

# Files: executables, service, config, desktop integration, man pages, completion.
files=$(dpkg-deb -c "$deb")
for f in ./usr/bin/mainflux ./usr/share/applications/io.mainflux.Mainflux.desktop ./usr/share/man/man1/mainflux.1.gz \
         ./usr/bin/mainflux-backend ./usr/bin/mainflux-cli ./usr/lib/systemd/system/mainflux-backend.service ./usr/lib/systemd/system/mainflux-backend@.service \
         ./usr/lib/mainflux/mainflux-mosquitto-plugin.so \
         ./etc/mainflux/backend.conf ./usr/share/icons/hicolor/scalable/apps/io.mainflux.Mainflux.svg \
         ./usr/share/metainfo/io.mainflux.Mainflux.metainfo.xml ./usr/share/man/man1/mainflux-cli.1.gz \
         ./usr/share/man/man1/mainflux-backend.1.gz ./usr/share/bash-completion/completions/mainflux-cli \
         ./usr/share/doc/mainflux/copyright ./usr/share/doc/mainflux/changelog.gz; do
  grep -q " $f\$" <<<"$files" || fail "package lacks $f"
done
for script in postinst prerm postrm; do
  dpkg-deb --ctrl-tarfile "$deb" | tar -x -O "./$script" | sh -n || fail "$script has a syntax error"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -x -O ./conffiles | grep -qx /etc/mainflux/backend.conf || fail "conffiles"

# Lintian: errors fail the test (warnings are listed in docs/packaging.md).
if command -v lintian >/dev/null; then
  lintian --no-tag-display-limit --suppress-tags-from-file "$(dirname "$0")/lintian-overrides.txt" "$deb" \
    >"$work/lintian.log" 2>&1 || true
  if grep -q '^E:' "$work/lintian.log"; then cat "$work/lintian.log" >&2; fail "lintian errors"; fi
fi

# Installed behaviour, from a clean root: no build tree, no environment variables pointing anywhere.
root="$work/root"
dpkg-deb -x "$deb" "$root"
bin="$root/usr/bin"
"$bin/mainflux-backend" --version | grep -q "mainflux-backend" || fail "--version"
"$bin/mainflux-cli" --version | grep -q "mainflux-cli" || fail "cli --version"
QT_QPA_PLATFORM=offscreen "$bin/mainflux" --version 2>/dev/null | grep -q "^mainflux " || fail "dashboard --version"
data="$work/data"
"$bin/mainflux-backend" --data-dir "$data" --http-port 0 --mqtt-port 0 --mqtt-ws-port 0 >"$work/ready" 2>"$work/backend.log" &
backend_pid=$!
for _ in $(seq 1 100); do [ -s "$work/ready" ] && break; sleep 0.1; done
port=$(grep -oP '"http":\K[0-9]+' "$work/ready") || { cat "$work/backend.log" >&2; fail "backend not ready"; }
export HOME="$work/home" MF_URL="http://127.0.0.1:$port"
mkdir -p "$HOME"
cli="$bin/mainflux-cli"
"$cli" health >/dev/null || fail "cli health"
"$cli" users create ann@example.com 12345678 >/dev/null || fail "create user"
"$cli" users token ann@example.com 12345678 --save >/dev/null || fail "token"
thing=$("$cli" -f json things create --name boiler --type device)
thing_id=$(grep -oP '"id": "\K[^"]+' <<<"$thing")
thing_key=$(grep -oP '"key": "\K[^"]+' <<<"$thing")
channel_id=$("$cli" -f json channels create --name room | grep -oP '"id": "\K[^"]+')
"$cli" things connect "$thing_id" "$channel_id" >/dev/null || fail "connect"
"$cli" msg send "$channel_id" '[{"bn":"boiler:","n":"temp","u":"Cel","v":71.5}]' "$thing_key" >/dev/null || fail "send"
for _ in $(seq 1 50); do
  out=$("$cli" -f json msg read "$channel_id")
  grep -q '"boiler:temp"' <<<"$out" && break
  sleep 0.2
done
grep -q '"value": 71.5' <<<"$out" || fail "message not read back: $out"
echo "PASS: package builds, unpacks and runs the smoke flow"

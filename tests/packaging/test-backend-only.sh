#!/usr/bin/env bash
# A backend-only build (-DMF_BUILD_GUI=OFF -DMF_BUILD_TESTS=OFF), as a server or container image makes it: configures
# and builds in a scratch directory, then checks that nothing it built links Qt Widgets, Gui, Charts or QtKeychain,
# that the backend and CLI answer --version, and that its package holds no dashboard.
set -euo pipefail
root=$1
# Beside the source tree's other build directories (one level down, like build/): ccache's base_dir then sees the
# same relative paths as in the main build, and the build is mostly cache hits.
scratch=$root/build-backend-only
rm -rf "$scratch" && mkdir -p "$scratch"
trap 'rm -rf "$scratch"' EXIT

cmake -S "$root" -B "$scratch" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMF_BUILD_GUI=OFF -DMF_BUILD_TESTS=OFF \
  > "$scratch/configure.log" || { cat "$scratch/configure.log"; exit 1; }
cmake --build "$scratch" > "$scratch/build.log" || { tail -50 "$scratch/build.log"; exit 1; }

fail() { echo "backend-only build: $*" >&2; exit 1; }
[ ! -e "$scratch/app/gui" ] || fail "the dashboard was configured"
[ ! -e "$scratch/tests" ] || fail "the tests were configured"
for exe in app/backend/mainflux-backend app/cli/mainflux-cli; do
  [ -x "$scratch/$exe" ] || fail "$exe was not built"
  if ldd "$scratch/$exe" | grep -E 'Qt6(Widgets|Gui|Charts)|keychain'; then fail "$exe links a GUI library"; fi
  "$scratch/$exe" --version | grep -q '[0-9]\.[0-9]' || fail "$exe --version printed no version"
done
(cd "$scratch" && cpack -G DEB > cpack.log) || { cat "$scratch/cpack.log"; exit 1; }
contents=$(dpkg-deb -c "$scratch"/mainflux_*.deb)
grep -q './usr/bin/mainflux-backend$' <<< "$contents" || fail "package lacks mainflux-backend"
if grep -E './usr/bin/mainflux$|applications/|metainfo/' <<< "$contents"; then fail "package holds the dashboard"; fi
echo "backend-only build: ok (mainflux-backend, mainflux-cli, package without the dashboard)"

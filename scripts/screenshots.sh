#!/bin/sh
# Regenerates docs/screenshots/*.png (English) and docs/screenshots/de/*.png (German) from the dashboard test
# tst_mainwindow, tst_liveview and tst_simulatedialog, which drive the real window against an in-process backend under the offscreen platform,
# and tst_certificatetrust (the trust-on-first-use dialogs, against a real mainflux-backend with a dev certificate).
#   scripts/screenshots.sh            # builds the three tests in ./build if needed
#   MF_LANG=de on a test run: the dashboard's German translation and locale (both tests)
#   BUILD_DIR=/path/to/build scripts/screenshots.sh
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$ROOT")}
[ -f "$BUILD_DIR/build.ninja" ] || cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja
ninja -C "$BUILD_DIR" tst_mainwindow tst_liveview tst_certificatetrust tst_simulatedialog mainflux-backend
export QT_QPA_PLATFORM=offscreen
mkdir -p docs/screenshots/de
echo "English screenshots -> docs/screenshots"
MF_SCREENSHOT_DIR="$ROOT/docs/screenshots" "$BUILD_DIR/tests/ui/tst_mainwindow" -silent
MF_SCREENSHOT_DIR="$ROOT/docs/screenshots" "$BUILD_DIR/tests/ui/tst_liveview" -silent # live view: names, chart, send
MF_SCREENSHOT_DIR="$ROOT/docs/screenshots" "$BUILD_DIR/tests/ui/tst_certificatetrust" -silent # tofu.png, tofu-changed.png
MF_SCREENSHOT_DIR="$ROOT/docs/screenshots" "$BUILD_DIR/tests/ui/tst_simulatedialog" -silent # simulate.png
echo "German screenshots -> docs/screenshots/de"
MF_LANG=de MF_SCREENSHOT_DIR="$ROOT/docs/screenshots/de" "$BUILD_DIR/tests/ui/tst_mainwindow" -silent
MF_LANG=de MF_SCREENSHOT_DIR="$ROOT/docs/screenshots/de" "$BUILD_DIR/tests/ui/tst_liveview" -silent
MF_LANG=de MF_SCREENSHOT_DIR="$ROOT/docs/screenshots/de" "$BUILD_DIR/tests/ui/tst_certificatetrust" -silent
MF_LANG=de MF_SCREENSHOT_DIR="$ROOT/docs/screenshots/de" "$BUILD_DIR/tests/ui/tst_simulatedialog" -silent
ls -l docs/screenshots docs/screenshots/de

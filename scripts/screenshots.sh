#!/bin/sh
# Regenerates docs/screenshots/*.png (English) and docs/screenshots/de/*.png (German) from the dashboard test
# tst_mainwindow and tst_liveview, which drive the real window against an in-process backend under the offscreen platform.
#   scripts/screenshots.sh            # builds tst_mainwindow and tst_liveview in ./build if needed
#   MF_LANG=de on a test run: the dashboard's German translation and locale (both tests)
#   BUILD_DIR=/path/to/build scripts/screenshots.sh
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$ROOT")}
[ -f "$BUILD_DIR/build.ninja" ] || cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja
ninja -C "$BUILD_DIR" tst_mainwindow tst_liveview mainflux-backend
export QT_QPA_PLATFORM=offscreen
mkdir -p docs/screenshots/de
echo "English screenshots -> docs/screenshots"
MF_SCREENSHOT_DIR="$ROOT/docs/screenshots" "$BUILD_DIR/tests/ui/tst_mainwindow" -silent
MF_SCREENSHOT_DIR="$ROOT/docs/screenshots" "$BUILD_DIR/tests/ui/tst_liveview" -silent # live view: names, chart, send
echo "German screenshots -> docs/screenshots/de"
MF_LANG=de MF_SCREENSHOT_DIR="$ROOT/docs/screenshots/de" "$BUILD_DIR/tests/ui/tst_mainwindow" -silent
MF_LANG=de MF_SCREENSHOT_DIR="$ROOT/docs/screenshots/de" "$BUILD_DIR/tests/ui/tst_liveview" -silent
ls -l docs/screenshots docs/screenshots/de

#!/usr/bin/env bash
# Builds the tests/fuzz targets with clang (libFuzzer + AddressSanitizer + UndefinedBehaviorSanitizer) into
# build-fuzz/ (or $MF_FUZZ_BUILD_DIR) and fuzzes each for MF_FUZZ_SECONDS (default 20) seconds, starting from its seed
# corpus. The inputs that found new coverage go to <build>/corpus/<target>/ (kept between runs; the committed seeds
# are never written), crashes to <build>/crashes/<target>/. Exits non-zero when any target crashed: turn the crash
# file into tests/fuzz/corpus/<target>/crash-<what> and fix the bug.
#
#   scripts/fuzz.sh                       every target, 20 s each
#   MF_FUZZ_SECONDS=300 scripts/fuzz.sh senml_json envelope
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${MF_FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${MF_FUZZ_SECONDS:-20}
jobs=${MF_FUZZ_JOBS:-2}
clangxx=${MF_FUZZ_CXX:-clang++-16}
command -v "$clangxx" >/dev/null || { echo "fuzz.sh: $clangxx not found (scripts/install-deps.sh installs clang-16)" >&2; exit 1; }

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=($(sed -n 's/^mf_add_fuzzer(\([a-z_0-9]*\).*/\1/p' "$root/tests/fuzz/CMakeLists.txt"))
fi

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER="$clangxx" -DMF_FUZZ=ON >/dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]/#/fuzz_}"

failed=()
printf '%-14s %8s %10s %8s %6s %s\n' target seconds execs cov corpus result > "$build/fuzz-summary.txt"
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t" crashes="$build/crashes/$t"
  mkdir -p "$corpus" "$crashes"
  log="$build/fuzz-$t.log"
  echo "fuzz.sh: fuzzing $t for ${seconds}s"
  dict=()
  if [ -f "$root/tests/fuzz/dict/$t.dict" ]; then dict=(-dict="$root/tests/fuzz/dict/$t.dict"); fi
  status=0
  # -rss_limit_mb: ASan's shadow memory counts; -timeout: one input taking 10 s is a hang worth a report.
  "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
    -artifact_prefix="$crashes/" "$corpus" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  size=$(find "$corpus" -type f | wc -l)
  result=ok
  if [ $status -ne 0 ]; then
    result="CRASH (see $log, $crashes)"
    failed+=("$t")
    grep -m5 -E 'ERROR: |fuzz check failed|runtime error' "$log" >&2 || tail -20 "$log" >&2
  fi
  printf '%-14s %8s %10s %8s %6s %s\n' "$t" "$seconds" "${execs:-?}" "${cov:-?}" "$size" "$result" >> "$build/fuzz-summary.txt"
done
cat "$build/fuzz-summary.txt"
echo "fuzz: $(( ${#targets[@]} - ${#failed[@]} )) passed, ${#failed[@]} failed"
if [ ${#failed[@]} -ne 0 ]; then
  echo "fuzz.sh: crashes in: ${failed[*]}" >&2
  exit 1
fi

#!/usr/bin/env bash
# C++ files as clang-format (.clang-format, Debian's clang-format 14) writes them; run by .ci/run.
# A ratchet: every tracked .cpp/.h must be formatted except those listed in scripts/format-pending.txt (files from
# before the check, formatted when someone next works in them: then take the line out). A new file is checked at once.
#   scripts/format-check.sh            check
#   scripts/format-check.sh --fix F…   format these files (and take them out of format-pending.txt by hand)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ "${1:-}" = "--fix" ]; then
  shift
  clang-format -i "$@"
  exit 0
fi
pending=scripts/format-pending.txt
mapfile -t files < <(git ls-files '*.cpp' '*.h' | grep -vxF -f <(grep -v '^#' "$pending"))
report=$(mktemp)
trap 'rm -f "$report"' EXIT
if ! clang-format --dry-run --Werror "${files[@]}" 2>"$report"; then
  echo "format-check.sh: not as clang-format writes them (scripts/format-check.sh --fix <file>):" >&2
  grep -oP '^[^:\s]+(?=:\d+:\d+: (warning|error):)' "$report" | sort -u >&2
  exit 1
fi
# A listed file that is formatted by now (or gone) should leave the list, so the list only shrinks.
stale=()
while read -r f; do
  [[ -z "$f" || "$f" == \#* ]] && continue
  if [ ! -f "$f" ] || clang-format --dry-run --Werror "$f" 2>/dev/null; then stale+=("$f"); fi
done <"$pending"
if [ ${#stale[@]} -gt 0 ]; then
  echo "format-check.sh: formatted or gone, take them out of $pending:" >&2
  printf '  %s\n' "${stale[@]}" >&2
  exit 1
fi
echo "format-check.sh: ${#files[@]} files as clang-format writes them ($(grep -vc '^#' "$pending") still pending)"

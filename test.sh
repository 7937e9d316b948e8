#!/usr/bin/env bash
# Runs every ExportStudio test, installing what the tests need first (zstd, gzip, tar, sqlite3, Chromium).
# Ends with the line "N passed, N failed". Usage: ./test.sh [extra dotnet test arguments]
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v zstd >/dev/null 2>&1 || missing+=(zstd)
command -v gzip >/dev/null 2>&1 || missing+=(gzip)
command -v tar >/dev/null 2>&1 || missing+=(tar)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing test dependencies: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" fonts-noto-color-emoji fonts-noto-cjk >/dev/null
fi

results="TestResults"
rm -rf "$results"
status=0
dotnet test ExportStudio.sln --configuration Release \
  --logger "trx;LogFileName=results.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" --blame-hang-timeout 10m "$@" || status=$?

passed=0
failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
done
if [ "$failed" -gt 0 ]; then
  # CI keeps only the end of the log, so the failures are repeated here, each with the start of its message.
  echo
  echo "Failed tests:"
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    awk '
      /<UnitTestResult / && /outcome="Failed"/ { match($0, /testName="[^"]*"/); print "  " substr($0, RSTART + 10, RLENGTH - 11); failing = 1; lines = 0 }
      failing && /<Message>/ { inside = 1; sub(/.*<Message>/, "") }
      failing && inside { text = $0; done = sub(/<\/Message>.*/, "", text); if (lines++ < 12) print "    " text; if (done) { inside = 0; failing = 0 } }
    ' "$trx" | sed -e 's/&lt;/</g' -e 's/&gt;/>/g' -e 's/&quot;/"/g' -e "s/&apos;/'/g" -e 's/&amp;/\&/g'
  done
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # The run broke before tests could report (a build error, a crashed test host): count it as a failure.
  failed=1
fi
echo "$passed passed, $failed failed"
exit "$status"

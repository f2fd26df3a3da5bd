#!/usr/bin/env bash
# `npm run torture`: the torture suite (test/torture/*.torture.ts, vitest.torture.config.ts) against
# real engine processes: kill -9 under load, revocation under load, 100,000 malformed requests, a
# full disk (tmpfs; needs root, else skipped with the reason), and a soak of 64 agents for
# TORTURE_SOAK_SECONDS (default 300). Prints "N passed, N failed, N skipped".
#   TORTURE_TIMEOUT  seconds before the whole run is stopped (default: none; `npm test` uses 660)
#   TORTURE_REPORT   where to write vitest's JSON report (default: a temp file)
#   TORTURE_SEED     seed of the malformed-request generator (printed by the run)
set -uo pipefail
cd "$(dirname "$0")/.."

report="${TORTURE_REPORT:-$(mktemp -d)/torture.json}"
rm -f "$report"
started=$(date +%s)
# timeout signals the whole process group, so engine processes die with the run.
timeout --kill-after=20 "${TORTURE_TIMEOUT:-0}" \
  npx vitest run --config vitest.torture.config.ts --reporter=default --reporter=json --outputFile.json="$report" "$@"
status=$?

# A run stopped by the timeout leaves its tmpfs mounted: take it down.
findmnt -rn -o TARGET 2>/dev/null | grep '/vk-full-' | while read -r m; do umount -l "$m" && rmdir "$m"; done

elapsed=$(( $(date +%s) - started ))
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
  echo "torture: stopped after ${elapsed} s (TORTURE_TIMEOUT=${TORTURE_TIMEOUT:-0})"
fi
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`\ntorture (${process.argv[2]} s): ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' "$report" "$elapsed" 2>/dev/null || echo "torture (${elapsed} s): 0 passed, 1 failed, 0 skipped"
exit $status

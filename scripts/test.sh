#!/usr/bin/env bash
# The one test command (`npm test`): type check, lint, builds, then every test suite, with the
# OS keychain tests against a real Secret Service (gnome-keyring) inside a private D-Bus session.
# Prints a final "N passed, N failed, N skipped" line.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "type check";        npx tsc -p tsconfig.json --noEmit
step "lint";              npx eslint .
step "build (CLI bundle)"; npm run --silent build:cli
step "build (electron-vite)"; npx electron-vite build >/tmp/valetkey-electron-vite.log 2>&1 || { cat /tmp/valetkey-electron-vite.log; exit 1; }

for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
  command -v "$tool" >/dev/null || { echo "missing $tool: run 'bash .ci/run' (or apt-get install gnome-keyring dbus libsecret-tools)"; exit 1; }
done

step "Python SDK (pytest with Debian's python3, wheel build)"; bash scripts/test-python.sh

report=$(mktemp -d)/vitest.json
step "tests (vitest, real keychain under dbus-run-session)"
set +e
# A keyring of our own, created fresh each run: a login keyring left in ~/.local/share/keyrings
# with another password would make gnome-keyring prompt (and fail) instead of unlocking.
keyring_home=$(mktemp -d)
VALETKEY_REQUIRE_KEYCHAIN=1 XDG_DATA_HOME="$keyring_home" dbus-run-session -- sh -c '
  echo -n valetkey-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  exec npx vitest run --reporter=default --reporter=json --outputFile.json="$0" "$@"
' "$report" "$@"
status=$?
set -e

node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' "$report" || echo "0 passed, 1 failed"

# The torture suite (kill -9, revocation and disk full under load, 100,000 malformed requests, a
# 60 s soak), bounded to 10 minutes. Skipped when a test filter was given: it tests the whole engine.
if [ $# -eq 0 ]; then
  step "torture (npm run torture, soak 60 s, bounded to 600 s)"
  torture_report=$(mktemp -d)/torture.json
  set +e
  TORTURE_SOAK_SECONDS="${TORTURE_SOAK_SECONDS:-60}" TORTURE_TIMEOUT=600 TORTURE_REPORT="$torture_report" bash scripts/torture.sh
  torture_status=$?
  set -e
  [ "$torture_status" -eq 0 ] || status=$torture_status
  node -e '
    const fs = require("fs");
    const read = (f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch { return { numPassedTests: 0, numFailedTests: 1 }; } };
    const rs = process.argv.slice(1).map(read);
    const sum = (k) => rs.reduce((n, r) => n + (r[k] ?? 0), 0);
    console.log(`\ntotal: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests") + sum("numTodoTests")} skipped`);
  ' "$report" "$torture_report"
else
  echo "torture: skipped (a test filter was given; run npm run torture)"
fi
exit $status

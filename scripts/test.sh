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
VALETKEY_REQUIRE_KEYCHAIN=1 dbus-run-session -- sh -c '
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
exit $status

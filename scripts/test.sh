#!/usr/bin/env bash
# The one test command (`npm test`): type check, lint, builds, then every test suite, with the
# OS keychain tests against a real Secret Service (gnome-keyring) inside a private D-Bus session.
# A failed step does not stop the ones after it; scripts/test-summary.mjs counts every step and
# every report into the final "total: N passed, N failed, N skipped" line and the exit code.
set -uo pipefail
cd "$(dirname "$0")/.."

summary=()
step() { printf '\n== %s\n' "$*"; }
# Runs one step and records its exit code for the summary.
run_step() {
  local name=$1
  shift
  step "$name"
  "$@"
  summary+=(--step "$name=$?")
}
electron_vite_build() {
  local log
  log=$(mktemp)
  npx electron-vite build >"$log" 2>&1 || { cat "$log"; rm -f "$log"; return 1; }
  rm -f "$log"
}
keychain_tools() {
  for tool in dbus-run-session gnome-keyring-daemon secret-tool; do
    command -v "$tool" >/dev/null || { echo "missing $tool: run 'bash .ci/run' (or apt-get install gnome-keyring dbus libsecret-tools)"; return 1; }
  done
}

# Runs steps side by side (each is single-threaded; the machine has two cores or more), then
# prints each one's output in order and records its exit code for the summary. Arguments are
# "name=command" pairs; the command is a function or a program, word-split.
run_side_by_side() {
  local dir pair names=() pids=() i
  dir=$(mktemp -d)
  for pair in "$@"; do
    names+=("${pair%%=*}")
    # shellcheck disable=SC2086 # the command is meant to be word-split
    ( ${pair#*=} ) >"$dir/${#names[@]}.log" 2>&1 &
    pids+=($!)
  done
  for i in "${!names[@]}"; do
    wait "${pids[$i]}"
    local code=$?
    step "${names[$i]}"
    cat "$dir/$((i + 1)).log"
    summary+=(--step "${names[$i]}=$code")
  done
  rm -rf "$dir"
}

started=$(date +%s)
run_side_by_side "type check=npx tsc -p tsconfig.json --noEmit" "lint=npx eslint ."
run_side_by_side "build (CLI bundle)=npm run --silent build:cli" "build (electron-vite)=electron_vite_build"
run_step "keychain tools" keychain_tools
run_step "Python SDK (pytest with Debian's python3, wheel build)" bash scripts/test-python.sh

# Vitest's projects (vitest.config.ts): the light files in parallel first, then the files that start
# engine processes, browsers or other programs, one file at a time.
report=$(mktemp -d)/vitest.json
step "tests (vitest, real keychain under dbus-run-session)"
# A keyring of our own, created fresh each run: a login keyring left in ~/.local/share/keyrings
# with another password would make gnome-keyring prompt (and fail) instead of unlocking.
keyring_home=$(mktemp -d)
VALETKEY_REQUIRE_KEYCHAIN=1 XDG_DATA_HOME="$keyring_home" dbus-run-session -- sh -c '
  echo -n valetkey-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  exec npx vitest run --reporter=default --reporter=json --outputFile.json="$0" "$@"
' "$report" "$@"
summary+=(--vitest "vitest=$?:$report")

# The torture suite (kill -9, revocation and disk full under load, 100,000 malformed requests, a
# 60 s soak), bounded to 10 minutes. Skipped when a test filter was given: it tests the whole engine.
if [ $# -eq 0 ]; then
  step "torture (npm run torture, soak 60 s, bounded to 600 s)"
  torture_report=$(mktemp -d)/torture.json
  TORTURE_SOAK_SECONDS="${TORTURE_SOAK_SECONDS:-60}" TORTURE_TIMEOUT=600 TORTURE_REPORT="$torture_report" bash scripts/torture.sh
  summary+=(--vitest "torture=$?:$torture_report")
else
  echo "torture: skipped (a test filter was given; run npm run torture)"
fi

echo "took $(( $(date +%s) - started )) s"
node scripts/test-summary.mjs "${summary[@]}"

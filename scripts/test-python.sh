#!/usr/bin/env bash
# The Python SDK's checks, with Debian's python3 (python3-pytest, python3-cryptography,
# python3-build, python3-hatchling): its tests (pytest, against a real engine process started
# from this checkout with Node) and an offline wheel build that must contain the typed package.
# Exits non-zero on any failure; pytest's exit 5 (no tests collected) counts as a failure.
set -uo pipefail
cd "$(dirname "$0")/.."

PY=${VALETKEY_PYTHON:-/usr/bin/python3}
export PYTHONDONTWRITEBYTECODE=1

"$PY" -m pytest sdk/python/tests -q -p no:cacheprovider
status=$?
if [ "$status" -eq 5 ]; then echo "python SDK: pytest collected no tests"; exit 5; fi
[ "$status" -eq 0 ] || exit "$status"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# --skip-dependency-check: Debian's hatchling declares `editables`, which Debian does not package
# and a wheel build never uses; --no-isolation: no network, the system's backend.
if ! "$PY" -m build --wheel --no-isolation --skip-dependency-check --outdir "$out" sdk/python >"$out/build.log" 2>&1; then
  cat "$out/build.log"
  echo "python SDK: wheel build failed"
  exit 1
fi
wheel=$(ls "$out"/valetkey-*.whl)
# A pure-Python wheel is importable as a zip: the built package, not the source tree, must work.
PYTHONPATH="$wheel" "$PY" - "$wheel" <<'PYCHECK' || { echo "python SDK: the wheel is incomplete"; exit 1; }
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
assert "valetkey/py.typed" in names, "py.typed missing"
import valetkey
assert valetkey.__file__.startswith(sys.argv[1]), valetkey.__file__
assert valetkey.Valetkey.connect and issubclass(valetkey.ApprovalDeniedError, valetkey.ValetkeyError)
PYCHECK
echo "python SDK: wheel $(basename "$wheel") built and imports"

"""An agent process that ends gives its ephemeral token up: falling off the end, sys.exit(),
Ctrl-C (KeyboardInterrupt) and SIGTERM (after which it still dies of the signal). A key-file
token is meant to outlive the process and stays active: the control case.
"""
from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Tuple

import pytest

from engine import EngineProcess, eventually

CHILD = Path(__file__).resolve().parent / "agent_child.py"
SRC = Path(__file__).resolve().parents[1] / "src"


def run_child(engine: EngineProcess, seeded: Dict[str, Any], mode: str, name: str, **env: str) -> Tuple[subprocess.Popen, str]:
    token = engine.create_token(name=name, vaults=[seeded["accounting"]["id"]])
    child_env = engine.agent_env(VALETKEY_ENROLL_CODE=token["code"], CHILD_NAME=name, PYTHONPATH=str(SRC), **env)
    proc = subprocess.Popen([sys.executable, str(CHILD), mode], env=child_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("ready "):
        proc.kill()
        raise AssertionError(f"child not ready: {line!r} {proc.stderr.read() if proc.stderr else ''}")
    token_id = line.split()[1]
    assert token_id == token["id"]
    return proc, token_id


def test_revokes_when_the_script_ends(engine: EngineProcess, seeded: Dict[str, Any]) -> None:
    proc, token_id = run_child(engine, seeded, "drain", "py-drain-bot")
    assert proc.wait(30) == 0
    assert engine.token_status(token_id) == "revoked"


def test_revokes_on_sys_exit(engine: EngineProcess, seeded: Dict[str, Any]) -> None:
    proc, token_id = run_child(engine, seeded, "exit", "py-exit-bot")
    assert proc.wait(30) == 3
    assert engine.token_status(token_id) == "revoked"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_revokes_on_a_signal_and_still_dies_of_it(engine: EngineProcess, seeded: Dict[str, Any], sig: signal.Signals) -> None:
    proc, token_id = run_child(engine, seeded, "signal", f"py-signal-bot-{sig.name}")
    assert engine.token_status(token_id) == "active"
    proc.send_signal(sig)
    assert proc.wait(30) == -sig  # died of the signal, as without the SDK
    assert eventually(lambda: True if engine.token_status(token_id) == "revoked" else None)


def test_key_file_token_stays_active(engine: EngineProcess, seeded: Dict[str, Any], tmp_path: Path) -> None:
    proc, token_id = run_child(engine, seeded, "keyfile", "py-keyfile-bot", CHILD_KEY_FILE=str(tmp_path / "key.json"))
    assert proc.wait(30) == 0
    assert engine.token_status(token_id) == "active"

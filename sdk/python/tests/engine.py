"""A real Valetkey engine in another process, as an agent meets it.

``valetkey init --key-file``, ``valetkey daemon`` and ``valetkey unlock`` (the passphrase on stdin)
run as installed (``bin/valetkey.cjs``: the built bundle, or the TypeScript source with tsx when
there is no build), in a temp data directory, without D-Bus (key-file mode). The person's side (vaults, entries, tokens, approvals) goes through the admin
HTTP API on the daemon's Unix socket, with one grant session opened with the admin passphrase.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, TypeVar

from valetkey.transport import UnixHTTPConnection

ROOT = Path(__file__).resolve().parents[3]
VALETKEY = ROOT / "bin" / "valetkey.cjs"
PASSPHRASE = "correct horse battery staple"
SECRETS = {"bank": "b4nk-PY-s3cret-9431", "payroll": "p4yroll-PY-key-7702", "github": "ghp-PY-s3cret-5518"}

T = TypeVar("T")


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is needed to run the Valetkey engine for these tests")
    return node


def _cli_env(home: str) -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DBUS_SESSION_BUS_ADDRESS"}
    env.update({"VALETKEY_HOME": home, "NO_COLOR": "1"})
    return env


def run_cli(home: str, args: List[str], stdin: str = "") -> subprocess.CompletedProcess:
    cmd = [_node(), str(VALETKEY), *args]
    return subprocess.run(cmd, cwd=ROOT, env=_cli_env(home), input=stdin, capture_output=True, text=True, timeout=120)


class EngineProcess:
    def __init__(self) -> None:
        self.home = tempfile.mkdtemp(prefix="vk-py-")
        init = run_cli(self.home, ["init", "--key-file"], PASSPHRASE + "\n")
        if init.returncode != 0:
            raise RuntimeError(f"valetkey init failed: {init.stderr}")
        self.daemon = self._start_daemon()
        unlock = run_cli(self.home, ["unlock"], PASSPHRASE + "\n")
        if unlock.returncode != 0:
            raise RuntimeError(f"valetkey unlock failed: {unlock.stderr}")
        info = json.loads((Path(self.home) / "admin.json").read_text())
        self._admin_socket = info["socketPath"]
        self._session = info["sessionSecret"]
        self.grant = self._open_grant()

    def _start_daemon(self) -> subprocess.Popen:
        cmd = [_node(), str(VALETKEY), "daemon"]
        proc = subprocess.Popen(cmd, cwd=ROOT, env=_cli_env(self.home), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ready = threading.Event()
        output: List[str] = []

        def pump() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                output.append(line)
                if "engine ready" in line:
                    ready.set()

        threading.Thread(target=pump, daemon=True).start()
        if not ready.wait(60):
            proc.kill()
            raise RuntimeError("the daemon did not start:\n" + "".join(output))
        return proc

    def agent_env(self, **extra: str) -> Dict[str, str]:
        """Environment for an agent: VALETKEY_HOME points at this engine's discovery file."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("VALETKEY_")}
        env["VALETKEY_HOME"] = self.home
        env.update(extra)
        return env

    def _open_grant(self) -> Dict[str, Any]:
        """One grant session for the person's side of the tests, as the app keeps one while a person
        is there: each passphrase grant is an Argon2id run, and grants are not what these tests test."""
        return {"session": self.admin("openGrantSession", {"passphrase": PASSPHRASE, "minutes": 15})["session"]}

    def unlock(self) -> None:
        """The person unlocks again; locking ended the grant session, so a new one is opened."""
        self.admin("unlock", {"passphrase": PASSPHRASE})
        self.grant = self._open_grant()

    def discovery(self) -> Dict[str, Any]:
        return json.loads((Path(self.home) / "discovery.json").read_text())

    def admin(self, method: str, params: Optional[Dict[str, Any]] = None) -> Any:
        body = json.dumps(params or {}).encode()
        conn = UnixHTTPConnection(self._admin_socket, 30)
        try:
            conn.request("POST", f"/admin/v1/{method}", body=body, headers={"Host": "localhost", "x-valetkey-session": self._session, "Content-Type": "application/json"})
            result = json.loads(conn.getresponse().read())
        finally:
            conn.close()
        if not result.get("ok"):
            raise RuntimeError(f"admin {method} failed: {result.get('error', {}).get('error')}")
        return result["value"]

    def create_token(self, **token: Any) -> Dict[str, str]:
        created = self.admin("createToken", {"grant": self.grant, "token": {"actions": ["read"], "lifespanSeconds": 3600, **token}})
        return {"code": created["enrollmentCode"], "id": created["token"]["id"]}

    def token_status(self, token_id: str) -> Optional[str]:
        return next((t["status"] for t in self.admin("listTokens", {"status": "all"}) if t["id"] == token_id), None)

    def stop(self) -> None:
        self.daemon.terminate()
        try:
            self.daemon.wait(30)
        except subprocess.TimeoutExpired:
            self.daemon.kill()
        shutil.rmtree(self.home, ignore_errors=True)


def seed(e: EngineProcess) -> Dict[str, Any]:
    """Accounting (no approval: Bank, Payroll API) and Personal (every access asks: GitHub)."""
    accounting = e.admin("createVault", {"grant": e.grant, "vault": {"name": "Accounting"}})
    personal = e.admin("createVault", {"grant": e.grant, "vault": {"name": "Personal", "approval": {"mode": "every_access"}}})
    bank = e.admin("createEntry", {"grant": e.grant, "vaultId": accounting["id"], "entry": {"title": "Bank", "kind": "login", "fields": {"username": "acme", "password": SECRETS["bank"]}}})
    payroll = e.admin("createEntry", {"grant": e.grant, "vaultId": accounting["id"], "entry": {"title": "Payroll API", "kind": "api_key", "fields": {"apiKey": SECRETS["payroll"]}}})
    e.admin("createEntry", {"grant": e.grant, "vaultId": personal["id"], "entry": {"title": "GitHub", "kind": "api_key", "fields": {"apiKey": SECRETS["github"]}}})
    return {"accounting": accounting, "personal": personal, "bank": bank, "payroll": payroll}


def eventually(check: Callable[[], Optional[T]], seconds: float = 15) -> T:
    """Waits until ``check`` returns something (the engine works in another process)."""
    end = time.time() + seconds
    while True:
        value = check()
        if value is not None:
            return value
        if time.time() > end:
            raise AssertionError("condition not met in time")
        time.sleep(0.1)


class Person(threading.Thread):
    """Does what a person at the app would do, in the background, while the agent waits."""

    def __init__(self, act: Callable[[], None]) -> None:
        super().__init__(daemon=True)
        self._act = act
        self.error: Optional[BaseException] = None

    def run(self) -> None:
        try:
            self._act()
        except BaseException as e:  # noqa: BLE001 - re-raised by finish()
            self.error = e

    def finish(self) -> None:
        self.join(30)
        if self.error is not None:
            raise self.error

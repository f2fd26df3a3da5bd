"""The Python SDK against a real engine in another process: enroll, read and resolve with an
audited reason, list, exchange for a sub-agent, the device flow approved by a person, a key file
across runs, close(), and use() against a real local HTTP server.
"""
from __future__ import annotations

import http.server
import json
import re
import stat
import threading
from pathlib import Path
from typing import Any, Dict, List

import pytest

from engine import SECRETS, EngineProcess, Person, eventually
from valetkey import HostNotAllowedError, InsufficientScopeError, InvalidScopeError, InvalidTokenError, UserCodeInfo, Valetkey

REASON = "reconcile the March statement"


def enrolled(engine: EngineProcess, seeded: Dict[str, Any], name: str = "py-bot", **connect: Any) -> Any:
    token = engine.create_token(name=name, vaults=[seeded["accounting"]["id"]])
    env = connect.pop("env", engine.agent_env())
    vk = Valetkey.connect(reason=REASON, enroll_code=token["code"], name=name, env=env, **connect)
    return vk, token["id"]


def test_enrolls_over_the_discovered_socket_and_reads_with_an_audited_reason(engine: EngineProcess, seeded: Dict[str, Any]) -> None:
    vk, token_id = enrolled(engine, seeded, "reader-bot")
    try:
        assert vk.token_id == token_id
        assert vk.name == "reader-bot"
        assert vk.scope == f"vault:{seeded['accounting']['id']}:read"
        assert vk.read("vk://Accounting/Bank/password") == SECRETS["bank"]
        values = vk.resolve(["vk://Accounting/Bank/username", "vk://Accounting/Payroll API/api_key"], reason="pay the staff")
        assert values == {"vk://Accounting/Bank/username": "acme", "vk://Accounting/Payroll API/api_key": SECRETS["payroll"]}
        listed = next(t for t in engine.admin("listTokens", {"status": "active"}) if t["id"] == token_id)
        assert listed["keyThumbprint"] == vk.key_thumbprint

        def rows() -> Any:
            found = [r for r in engine.admin("queryAudit", {"action": "secret.read", "limit": 100})["rows"] if r["tokenId"] == token_id]
            return found if len(found) >= 3 else None

        audit = eventually(rows)
        assert sorted(r["reason"] for r in audit) == ["pay the staff", "pay the staff", REASON]
        assert SECRETS["bank"] not in json.dumps(audit)
        assert SECRETS["bank"] not in repr(vk)
    finally:
        vk.close()


def test_tcp_via_env_and_listings_without_values(engine: EngineProcess, seeded: Dict[str, Any]) -> None:
    url = engine.discovery()["url"].replace("127.0.0.1", "localhost")
    vk, _ = enrolled(engine, seeded, "tcp-bot", env=engine.agent_env(VALETKEY_HOME="/nonexistent", VALETKEY_AGENT_URL=url))
    try:
        assert [v["name"] for v in vk.vaults()] == ["Accounting"]
        entries = vk.entries("Accounting")
        assert sorted(e["title"] for e in entries) == ["Bank", "Payroll API"]
        assert SECRETS["bank"] not in json.dumps(entries)
        assert vk.read("vk://Accounting/Payroll API/api_key") == SECRETS["payroll"]
    finally:
        vk.close()


def test_refuses_a_non_loopback_endpoint() -> None:
    with pytest.raises(Exception) as info:
        Valetkey.connect(reason=REASON, enroll_code="vke_x", endpoint="http://example.com:80")
    assert getattr(info.value, "code", None) == "invalid_request"


def test_exchange_narrower_bound_to_a_new_key_wider_refused_and_cascading_revocation(engine: EngineProcess, seeded: Dict[str, Any]) -> None:
    vk, token_id = enrolled(engine, seeded, "parent-bot")
    accounting, payroll = seeded["accounting"]["id"], seeded["payroll"]["id"]
    sub = vk.exchange("sub-bot", scopes=[f"entry:{accounting}/{payroll}:read"], ttl=600)
    assert sub.name == "sub-bot"
    assert sub.key_thumbprint != vk.key_thumbprint
    assert sub.read("vk://Accounting/Payroll API/api_key") == SECRETS["payroll"]
    with pytest.raises(InsufficientScopeError):
        sub.read("vk://Accounting/Bank/password")
    with pytest.raises(InvalidScopeError):
        sub.exchange("grandchild", scopes=[f"vault:{accounting}:read"])
    engine.admin("revokeToken", {"tokenId": token_id})
    with pytest.raises(InvalidTokenError):
        sub.read("vk://Accounting/Payroll API/api_key")
    with pytest.raises(InvalidTokenError):
        vk.read("vk://Accounting/Bank/password")


def test_device_flow_shows_the_code_and_gets_the_approved_token(engine: EngineProcess, seeded: Dict[str, Any]) -> None:
    shown: List[UserCodeInfo] = []

    def approve() -> None:
        pending = eventually(lambda: next((r for r in engine.admin("listDeviceRequests", {"status": "pending"}) if r["clientName"] == "py-ci-bot"), None))
        assert pending["reason"] == "deploy release 3.2"
        assert shown and shown[0].user_code == pending["userCode"]
        engine.admin("decideDeviceRequest", {"grant": engine.grant, "requestId": pending["id"], "decision": "approve"})

    person = Person(approve)
    person.start()
    vk = Valetkey.connect(reason="deploy release 3.2", scopes=["vault:Accounting:read"], lifespan="1h", name="py-ci-bot", env=engine.agent_env(), on_user_code=shown.append)
    person.finish()
    try:
        assert re.fullmatch(r"[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}", shown[0].user_code)
        assert vk.read("vk://Accounting/Bank/password") == SECRETS["bank"]
    finally:
        vk.close()


def test_key_file_is_0600_and_reused_on_the_next_run(engine: EngineProcess, seeded: Dict[str, Any], tmp_path: Path) -> None:
    key_file = tmp_path / "agent-key.json"
    vk, token_id = enrolled(engine, seeded, "cron-bot", key_file=key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    vk.close()  # a key-file token outlives close()
    assert engine.token_status(token_id) == "active"
    again = Valetkey.connect(reason=REASON, key_file=key_file, env=engine.agent_env())
    assert again.token_id == token_id
    assert again.key_thumbprint == vk.key_thumbprint
    assert again.read("vk://Accounting/Bank/password") == SECRETS["bank"]
    again.revoke()
    assert engine.token_status(token_id) == "revoked"


def test_close_revokes_an_ephemeral_token_and_later_calls_fail(engine: EngineProcess, seeded: Dict[str, Any]) -> None:
    vk, token_id = enrolled(engine, seeded, "short-bot")
    with vk:
        assert vk.read("vk://Accounting/Bank/username") == "acme"
    assert engine.token_status(token_id) == "revoked"
    with pytest.raises(InvalidTokenError):
        vk.read("vk://Accounting/Bank/password")


class _Echo(http.server.BaseHTTPRequestHandler):
    seen: List[Dict[str, str]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        type(self).seen.append({"authorization": self.headers.get("Authorization", ""), "body": body})
        out = json.dumps({"youSent": self.headers.get("Authorization"), "body": body}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Echo-Auth", self.headers.get("Authorization", ""))
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *_args: Any) -> None:
        pass


def _serve() -> Any:
    handler = type("Echo", (_Echo,), {"seen": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, handler


def test_use_sends_the_secret_only_to_the_allowed_host_and_redacts_the_answer(engine: EngineProcess, seeded: Dict[str, Any]) -> None:
    allowed, allowed_seen = _serve()
    other, other_seen = _serve()
    api_key = "sk-live-PY-use-4417-secret"
    ref = "vk://Accounting/Webhook-PY/api_key"
    port = allowed.server_address[1]
    engine.admin("createEntry", {"grant": engine.grant, "vaultId": seeded["accounting"]["id"], "entry": {"title": "Webhook-PY", "kind": "api_key", "fields": {"apiKey": api_key}, "allowedHosts": [f"127.0.0.1:{port}"]}})
    token = engine.create_token(name="py-use-bot", vaults=[seeded["accounting"]["id"]], actions=["use"])
    vk = Valetkey.connect(reason="post the nightly report", enroll_code=token["code"], name="py-use-bot", env=engine.agent_env())
    try:
        res = vk.use({"method": "POST", "url": f"http://127.0.0.1:{port}/report", "headers": {"Authorization": "Bearer {{" + ref + "}}"}, "body": "key={{" + ref + "}}"})
        assert allowed_seen.seen[-1]["authorization"] == f"Bearer {api_key}"  # the target got the key
        assert res["status"] == 200
        assert api_key not in json.dumps(res)  # the agent did not
        assert json.loads(res["body"])["youSent"] == f"Bearer [REDACTED:{ref}]"
        with pytest.raises(HostNotAllowedError):
            vk.use({"method": "GET", "url": f"http://127.0.0.1:{other.server_address[1]}/x", "headers": {"X-Key": "{{" + ref + "}}"}})
        assert other_seen.seen == []
        with pytest.raises(InsufficientScopeError):
            vk.read(ref)
    finally:
        vk.close()
        allowed.shutdown()
        other.shutdown()

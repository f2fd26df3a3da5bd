"""What an agent meets when it may not have the secret, as typed exceptions, against a real
engine in another process. In every refused case no value comes back.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

from engine import SECRETS, EngineProcess, Person, eventually
from valetkey import (
    AgentsPausedError,
    ApprovalDeniedError,
    EngineUnreachableError,
    InvalidGrantError,
    InvalidTokenError,
    ReasonRequiredError,
    Valetkey,
    ValetkeyError,
    VaultLockedError,
)

REASON = "rotate the deploy key"
BANK = "vk://Accounting/Bank/password"
GITHUB = "vk://Personal/GitHub/api_key"


@pytest.fixture(scope="module")
def ops(engine: EngineProcess, seeded: Dict[str, Any]) -> Iterator[Any]:
    token = engine.create_token(name="py-ops-bot", vaults=[seeded["accounting"]["id"], seeded["personal"]["id"]])
    vk = Valetkey.connect(reason=REASON, enroll_code=token["code"], name="py-ops-bot", env=engine.agent_env())
    vk.test_token_id = token["id"]  # type: ignore[attr-defined]
    yield vk
    try:
        vk.close()
    except ValetkeyError:
        pass


def _person(engine: EngineProcess, token_id: str, decision: str) -> Person:
    def act() -> None:
        pending = eventually(lambda: next((a for a in engine.admin("listApprovals", {"status": "pending"}) if a["tokenId"] == token_id), None))
        assert pending["reason"] == REASON
        engine.admin("decideApproval", {"grant": engine.grant, "approvalId": pending["id"], "decision": decision})

    person = Person(act)
    person.start()
    return person


def test_sensitive_vault_waits_for_the_person_denied_then_allowed(engine: EngineProcess, ops: Any) -> None:
    person = _person(engine, ops.test_token_id, "deny")
    with pytest.raises(ApprovalDeniedError) as info:
        ops.read(GITHUB)
    person.finish()
    assert (info.value.code, info.value.status) == ("approval_denied", 403)
    assert SECRETS["github"] not in str(info.value)

    person = _person(engine, ops.test_token_id, "allow_once")
    assert ops.read(GITHUB) == SECRETS["github"]
    person.finish()


def test_missing_reason(ops: Any) -> None:
    with pytest.raises(ReasonRequiredError):
        ops.read(BANK, reason="")


def test_locked_until_a_person_unlocks(engine: EngineProcess, ops: Any) -> None:
    engine.admin("lock")
    try:
        with pytest.raises(VaultLockedError):
            ops.read(BANK)
    finally:
        engine.unlock()
    assert ops.read(BANK) == SECRETS["bank"]


def test_paused_until_a_person_resumes(engine: EngineProcess, ops: Any) -> None:
    engine.admin("pauseAgents")
    try:
        with pytest.raises(AgentsPausedError):
            ops.resolve([BANK])
    finally:
        engine.admin("resumeAgents", {"grant": engine.grant})
    assert ops.read(BANK) == SECRETS["bank"]


def test_spent_code_and_wrong_name(engine: EngineProcess, seeded: Dict[str, Any]) -> None:
    token = engine.create_token(name="py-once-bot", vaults=[seeded["accounting"]["id"]])
    with pytest.raises(ValetkeyError) as info:
        Valetkey.connect(reason=REASON, enroll_code=token["code"], name="someone-else", env=engine.agent_env())
    assert info.value.code == "invalid_client"
    Valetkey.connect(reason=REASON, enroll_code=token["code"], name="py-once-bot", env=engine.agent_env()).close()
    with pytest.raises(InvalidGrantError):
        Valetkey.connect(reason=REASON, enroll_code=token["code"], name="py-once-bot", env=engine.agent_env())


def test_denied_device_request(engine: EngineProcess) -> None:
    def deny() -> None:
        pending = eventually(lambda: next((r for r in engine.admin("listDeviceRequests", {"status": "pending"}) if r["clientName"] == "py-greedy-bot"), None))
        engine.admin("decideDeviceRequest", {"grant": engine.grant, "requestId": pending["id"], "decision": "deny"})

    person = Person(deny)
    person.start()
    with pytest.raises(ApprovalDeniedError) as info:
        Valetkey.connect(reason="just curious", scopes=["vault:Personal:read"], name="py-greedy-bot", env=engine.agent_env(), on_user_code=lambda _info: None)
    person.finish()
    assert info.value.code == "access_denied"


def test_no_engine(engine: EngineProcess) -> None:
    with pytest.raises(EngineUnreachableError):
        Valetkey.connect(reason=REASON, enroll_code="vke_x", env={"VALETKEY_HOME": str(Path(engine.home) / "nothing-here")})
    with pytest.raises(EngineUnreachableError):
        Valetkey.connect(reason=REASON, enroll_code="vke_x", endpoint=str(Path(engine.home) / "no.sock"))


def test_connect_needs_a_code_or_scopes(engine: EngineProcess) -> None:
    with pytest.raises(ValetkeyError) as info:
        Valetkey.connect(reason=REASON, env=engine.agent_env())
    assert info.value.code == "invalid_request"


def test_revoked_by_the_person(engine: EngineProcess, ops: Any) -> None:
    assert ops.read(BANK) == SECRETS["bank"]
    engine.admin("revokeToken", {"tokenId": ops.test_token_id})
    with pytest.raises(InvalidTokenError):
        ops.read(BANK)

"""The "waiting for approval" notice against a real engine in another process: a read of a vault
that asks a person is held, the agent says so once (callback or the CLI's stderr line), and
``on_waiting=None`` says nothing.
"""
from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List

import pytest

import valetkey.waiting as waiting
from engine import SECRETS, EngineProcess, Person, eventually
from valetkey import Valetkey, WaitingInfo
from valetkey.waiting import describe_refs, placeholder_refs

REASON = "rotate the deploy key"
GITHUB = "vk://Personal/GitHub/api_key"
LINE = "valetkey: waiting for approval in Valetkey (Personal, GitHub; up to 120 s)…\n"


def _connect(engine: EngineProcess, seeded: Dict[str, Any], name: str, **options: Any) -> "tuple[Valetkey, str]":
    token = engine.create_token(name=name, vaults=[seeded["personal"]["id"]])
    return Valetkey.connect(reason=REASON, enroll_code=token["code"], name=name, env=engine.agent_env(), **options), token["id"]


def _allow(engine: EngineProcess, token_id: str, first: Callable[[], object] = lambda: None) -> Person:
    def act() -> None:
        first()
        pending = eventually(lambda: next((a for a in engine.admin("listApprovals", {"status": "pending"}) if a["tokenId"] == token_id), None))
        engine.admin("decideApproval", {"grant": engine.grant, "approvalId": pending["id"], "decision": "allow_once"})

    person = Person(act)
    person.start()
    return person


def test_callback_called_once_while_the_person_decides(engine: EngineProcess, seeded: Dict[str, Any]) -> None:
    seen: List[WaitingInfo] = []
    told = threading.Event()

    def on_waiting(info: WaitingInfo) -> None:
        seen.append(info)
        told.set()

    vk, token_id = _connect(engine, seeded, "py-waiting-bot", on_waiting=on_waiting)
    with vk:
        # The person answers only once the agent has said it waits.
        person = _allow(engine, token_id, first=lambda: told.wait(30))
        assert vk.read(GITHUB) == SECRETS["github"]
        person.finish()
    assert seen == [WaitingInfo([GITHUB], "Personal, GitHub", 120, LINE[len("valetkey: "):-1])]


def test_default_prints_the_cli_line_to_stderr(engine: EngineProcess, seeded: Dict[str, Any], capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(waiting, "QUIET_S", 0.0)  # a held request is certainly slower than no time at all
    vk, token_id = _connect(engine, seeded, "py-default-bot")
    with vk:
        person = _allow(engine, token_id)
        assert vk.read(GITHUB) == SECRETS["github"]
        person.finish()
    captured = capfd.readouterr()
    assert captured.err.count(LINE) == 1
    assert LINE not in captured.out


def test_none_is_silent(engine: EngineProcess, seeded: Dict[str, Any], capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(waiting, "QUIET_S", 0.0)
    vk, token_id = _connect(engine, seeded, "py-quiet-bot", on_waiting=None)
    with vk:
        person = _allow(engine, token_id)
        assert vk.read(GITHUB) == SECRETS["github"]
        person.finish()
    assert "waiting for approval" not in capfd.readouterr().err


def test_names_vaults_and_entries_of_a_use_request() -> None:
    request = '{"url": "https://api.github.com/user", "headers": {"Authorization": "Bearer {{ vk://Personal/GitHub/api_key }}"}, "body": "{{vk://Work/CI%20Bot/token}}"}'
    refs = placeholder_refs(request)
    assert refs == [GITHUB, "vk://Work/CI%20Bot/token"]
    assert describe_refs(refs + [GITHUB + "?attribute=otp"]) == "Personal, GitHub; Work, CI Bot"

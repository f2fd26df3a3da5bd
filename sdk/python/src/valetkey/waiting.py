""""Waiting for approval" while the engine holds a read or ``use()`` for a person, so an agent's
terminal is not silent meanwhile. The agent cannot know in advance which vaults ask a person
(settings change), so like the CLI it speaks up once an answer is slow. Mirrors Valetkey's
src/cli/agent/waiting-notice.ts: the published SDK depends on nothing of the app.
"""
from __future__ import annotations

import re
import sys
import threading
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence, TypeVar
from urllib.parse import unquote

# Long enough that ordinary reads stay quiet; short enough that a waiting person's agent says so at once.
QUIET_S = 1.0
# The engine's approval timeout (its DEFAULT_APPROVAL_TIMEOUT_MS).
_APPROVAL_TIMEOUT_S = 120
# The engine's placeholder pattern (src/core/fetch/placeholders.ts).
_PLACEHOLDER = re.compile(r"\{\{\s*(vk://[^\s{}]+)\s*\}\}")

T = TypeVar("T")


@dataclass(frozen=True)
class WaitingInfo:
    refs: Sequence[str]  # the vk:// references the held request names
    what: str  # "Personal, GitHub": the vaults and entries, for people
    up_to_seconds: int  # how long the engine holds a request for a person at most
    message: str  # the sentence the default prints


OnWaiting = Optional[Callable[[WaitingInfo], None]]


def print_waiting(info: WaitingInfo) -> None:
    """The default: to stderr, never stdout (which may be a pipe of data), worded like the CLI."""
    sys.stderr.write(f"valetkey: {info.message}\n")
    sys.stderr.flush()


def describe_refs(refs: Sequence[str]) -> str:
    """"Personal, GitHub" for vk://Personal/GitHub/api_key; several references joined with "; "."""
    parts: List[str] = []
    for ref in refs:
        path = ref[len("vk://"):] if ref.startswith("vk://") else ref
        pieces = [unquote(p) for p in path.split("?")[0].split("/")[:2]]
        part = ", ".join(p for p in pieces if p)
        if part not in parts:
            parts.append(part)
    return "; ".join(parts)


def placeholder_refs(text: str) -> List[str]:
    """The vk:// references inside ``{{...}}`` placeholders of a use() request, without repeats."""
    return list(dict.fromkeys(_PLACEHOLDER.findall(text)))


def with_waiting_notice(refs: Sequence[str], on_waiting: OnWaiting, work: Callable[[], T]) -> T:
    """Runs ``work``; if it takes longer than the quiet second, calls ``on_waiting`` once (from a timer thread)."""
    if on_waiting is None:
        return work()
    what = describe_refs(refs)
    info = WaitingInfo(list(refs), what, _APPROVAL_TIMEOUT_S, f"waiting for approval in Valetkey ({what}; up to {_APPROVAL_TIMEOUT_S} s)…")
    timer = threading.Timer(QUIET_S, on_waiting, args=(info,))
    timer.daemon = True
    timer.start()
    try:
        return work()
    finally:
        timer.cancel()

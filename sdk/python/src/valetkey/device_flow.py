"""The device flow (RFC 8628, docs/tokens.md section 3b): ask for scopes with a reason, show the
user code, poll with the same key no faster than the interval (plus 5 s after each
``slow_down``) until the person approves or denies or the code expires.
"""
from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Callable, Optional, Sequence

from .dpop import DpopKey
from .errors import ValetkeyError
from .reason import check_reason
from .tokens import DEVICE_CODE_GRANT, StoredToken, stored_token
from .transport import AgentHttp


@dataclass(frozen=True)
class UserCodeInfo:
    user_code: str  # XXXX-XXXX: the person compares it with the prompt Valetkey shows
    verification_uri: str
    expires_in: int
    name: str
    scopes: Sequence[str]


def print_user_code(info: UserCodeInfo) -> None:
    """To stderr, never stdout (which may be a pipe of data)."""
    sys.stderr.write(
        f'Valetkey: "{info.name}" asks for {" ".join(info.scopes)}.\n'
        f"Valetkey: approve request {info.user_code} in the Valetkey app (check the code matches); waiting...\n"
    )
    sys.stderr.flush()


def device_flow(
    http: AgentHttp,
    key: DpopKey,
    *,
    name: str,
    scopes: Sequence[str],
    reason: str,
    lifespan: Optional[int],
    on_user_code: Callable[[UserCodeInfo], None],
    sleep: Callable[[float], None] = time.sleep,
) -> StoredToken:
    form = {"client_id": name, "scope": " ".join(scopes), "reason": check_reason(reason)}
    if lifespan is not None:
        form["lifespan"] = str(lifespan)
    asked = http.call("POST", "/v1/device_authorization", form=form, key=key)
    on_user_code(UserCodeInfo(str(asked.get("user_code")), str(asked.get("verification_uri")), int(asked.get("expires_in") or 600), name, list(scopes)))
    interval = float(asked.get("interval") or 5)
    poll = {"grant_type": DEVICE_CODE_GRANT, "device_code": str(asked.get("device_code")), "client_id": name}
    while True:
        sleep(interval)
        try:
            return stored_token(http.call("POST", "/v1/token", form=poll, key=key))
        except ValetkeyError as e:
            if e.code == "slow_down":
                interval += 5
            elif e.code != "authorization_pending":
                raise

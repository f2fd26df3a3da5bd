"""One agent's connection to Valetkey: its key, its token, and the calls an agent makes with them
(docs/tokens.md section 6): read and resolve ``vk://`` references with a reason, use a secret
without seeing it (``/v1/fetch``), list what the token can see, mint a narrower token for a
sub-agent, and give the token up. An ephemeral token is revoked when the interpreter exits.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Union
from urllib.parse import quote

from .device_flow import UserCodeInfo, device_flow, print_user_code
from .dpop import DpopKey, jwt_payload
from .endpoint import find_endpoint
from .errors import InvalidTokenError, TokenExpiredError, ValetkeyError, make_error
from .exit_revoker import revoke_at_exit
from .key_file import read_key_file, write_key_file
from .reason import check_reason
from .tokens import ACCESS_TOKEN_TYPE, ENROLLMENT_GRANT, TOKEN_EXCHANGE_GRANT, StoredToken, lifespan_seconds, stored_token
from .transport import AgentHttp
from .waiting import OnWaiting, placeholder_refs, print_waiting, with_waiting_notice

Lifespan = Union[int, str]

# A stored token is reused only with a minute of life left.
_REUSE_MARGIN_S = 60


class Valetkey:
    """A connected agent. Make one with :meth:`Valetkey.connect`."""

    def __init__(
        self, http: AgentHttp, key: DpopKey, token: StoredToken, reason: str, revoke_on_exit: bool, key_file: Optional[Path] = None, on_waiting: OnWaiting = print_waiting
    ) -> None:
        self._http = http
        self._on_waiting = on_waiting
        self._key = key
        self._token: Optional[StoredToken] = token
        self._reason = reason
        self._ephemeral = revoke_on_exit
        self._key_file = key_file
        self._closed = False
        claims = jwt_payload(token.access_token)
        self.token_id: str = str(claims.get("jti", ""))
        self.name: str = str(claims.get("client_id", ""))
        self.scope: str = token.scope or str(claims.get("scope", ""))
        self.expires_at: float = token.expires_at
        self._unregister: Callable[[], None] = revoke_at_exit(self._revoke_quietly) if revoke_on_exit else (lambda: None)

    def __repr__(self) -> str:  # never the token
        return f"Valetkey(name={self.name!r}, token_id={self.token_id!r}, scope={self.scope!r})"

    @classmethod
    def connect(
        cls,
        reason: str,
        *,
        enroll_code: Optional[str] = None,
        scopes: Optional[Sequence[str]] = None,
        lifespan: Optional[Lifespan] = None,
        name: Optional[str] = None,
        endpoint: Optional[str] = None,
        key_file: Optional[Union[str, Path]] = None,
        revoke_on_exit: Optional[bool] = None,
        on_user_code: Optional[Callable[[UserCodeInfo], None]] = None,
        on_waiting: OnWaiting = print_waiting,
        timeout: float = 180.0,
        env: Optional[Mapping[str, str]] = None,
    ) -> "Valetkey":
        """Find the engine, get a token (key file, enrollment code or device flow), return a ready client.

        ``reason`` is the default reason of every read and what the device-flow prompt shows.
        ``enroll_code`` defaults to $VALETKEY_ENROLL_CODE, ``name`` to $VALETKEY_AGENT_NAME.
        ``on_waiting`` is called once (from a timer thread) when a read or use() is held for a
        person's approval; the default prints the CLI's "waiting for approval" line to stderr; None: silent.
        """
        env = os.environ if env is None else env
        http = AgentHttp(find_endpoint(endpoint, env), timeout)
        path = Path(key_file) if key_file is not None else None
        stored = read_key_file(path) if path is not None else None
        key = DpopKey.from_private_jwk(stored[0]) if stored is not None else DpopKey.generate()
        name = name or env.get("VALETKEY_AGENT_NAME") or None
        token = stored[1] if stored is not None else None
        if token is None or token.expires_at - _REUSE_MARGIN_S <= time.time():
            code = enroll_code or env.get("VALETKEY_ENROLL_CODE") or None
            if code is not None:
                token = _enroll(http, key, code, name)
            elif scopes:
                seconds = lifespan_seconds(lifespan)
                token = device_flow(http, key, name=name or _default_name(), scopes=list(scopes), reason=reason, lifespan=seconds, on_user_code=on_user_code or print_user_code)
            else:
                raise make_error("invalid_request", "Valetkey.connect needs an enroll_code (or VALETKEY_ENROLL_CODE), or scopes to ask the person for.")
            if path is not None:
                write_key_file(path, key.private_jwk(), token)
        ephemeral = revoke_on_exit if revoke_on_exit is not None else path is None
        return cls(http, key, token, reason, ephemeral, path, on_waiting)

    @property
    def key_thumbprint(self) -> str:
        """RFC 7638 thumbprint of this agent's key (the token's ``cnf.jkt``)."""
        return self._key.thumbprint

    def read(self, ref: str, reason: Optional[str] = None) -> str:
        """One secret: ``vk://vault/entry/field`` (or ``?attribute=otp`` for the current TOTP code)."""
        values = self.resolve([ref], reason=reason)
        if ref not in values:
            raise ValetkeyError("internal_error", "Valetkey answered without the value asked for.")
        return values[ref]

    def resolve(self, refs: Sequence[str], reason: Optional[str] = None) -> Dict[str, str]:
        """Several secrets at once, all or nothing; keyed by the references as given."""
        payload = {"refs": list(refs), "reason": check_reason(self._reason if reason is None else reason)}
        body = with_waiting_notice(list(refs), self._on_waiting, lambda: self._call("POST", "/v1/resolve", json_body=payload))
        values = body.get("values")
        return dict(values) if isinstance(values, dict) else {}

    def use(self, request: Mapping[str, Any], reason: Optional[str] = None) -> Dict[str, Any]:
        """The engine fills ``{{vk://...}}`` placeholders in ``{method, url, headers?, body?}``, sends it to an
        allowed host, and returns ``{status, statusText, headers, body, bodyEncoding, redactions}`` with
        every substituted value redacted."""
        payload = {"request": dict(request), "reason": check_reason(self._reason if reason is None else reason)}
        refs = placeholder_refs(json.dumps(payload["request"], ensure_ascii=False))
        return with_waiting_notice(refs, self._on_waiting, lambda: self._call("POST", "/v1/fetch", json_body=payload))

    def vaults(self) -> List[Dict[str, Any]]:
        return list(self._call("GET", "/v1/vaults").get("vaults") or [])

    def entries(self, vault: str) -> List[Dict[str, Any]]:
        """Entries of a vault (id or name) this token may read or use; never a value."""
        return list(self._call("GET", f"/v1/vaults/{quote(vault, safe='')}/entries").get("entries") or [])

    def exchange(self, name: str, scopes: Optional[Sequence[str]] = None, ttl: Optional[Lifespan] = None, reason: Optional[str] = None) -> "Valetkey":
        """A narrower, no-longer-lived token for a sub-agent (RFC 8693), bound to a new key of its own.

        This agent's key signs the request; revoking this token revokes the sub-agent's too."""
        token = self._live()
        sub_key = DpopKey.generate()
        form = {
            "grant_type": TOKEN_EXCHANGE_GRANT,
            "subject_token": token.access_token,
            "subject_token_type": ACCESS_TOKEN_TYPE,
            "actor_jkt": sub_key.thumbprint,
            "actor_name": name,
        }
        if scopes is not None:
            form["scope"] = " ".join(scopes)
        seconds = lifespan_seconds(ttl)
        if seconds is not None:
            form["expires_in"] = str(seconds)
        bound = token.token_type == "DPoP"
        answer = self._http.call("POST", "/v1/token", form=form, key=self._key if bound else None, proof_token=token.access_token if bound else None)
        return Valetkey(self._http, sub_key, stored_token(answer), self._reason if reason is None else reason, True, on_waiting=self._on_waiting)

    def revoke(self) -> None:
        """Give the token up now (RFC 7009); later calls raise InvalidTokenError."""
        token = self._token
        if token is None:
            return
        self._http.call("POST", "/v1/revoke", form={"token": token.access_token})
        self._token = None
        self._unregister()
        if self._key_file is not None:
            write_key_file(self._key_file, self._key.private_jwk(), None)

    def close(self) -> None:
        """Done with this client: revokes an ephemeral token; a key-file token stays for the next run."""
        if self._closed:
            return
        self._closed = True
        if self._ephemeral:
            self.revoke()
        self._unregister()

    def __enter__(self) -> "Valetkey":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _revoke_quietly(self) -> None:
        try:
            self.revoke()
        except ValetkeyError:
            pass

    def _live(self) -> StoredToken:
        if self._closed or self._token is None:
            raise InvalidTokenError("invalid_token", "This Valetkey client was closed or its token revoked.")
        return self._token

    def _call(self, method: str, path: str, json_body: Any = None) -> Dict[str, Any]:
        token = self._live()
        bound = token.token_type == "DPoP"
        try:
            return self._http.call(method, path, json_body=json_body, token=(token.token_type, token.access_token), key=self._key if bound else None)
        except InvalidTokenError as e:
            # The engine says invalid_token for every dead token; the SDK knows when it merely expired.
            if token.expires_at <= time.time() + 5:
                raise TokenExpiredError("invalid_token", "The token has expired. Connect again for a new one.", e.status) from None
            raise


def _enroll(http: AgentHttp, key: DpopKey, code: str, name: Optional[str]) -> StoredToken:
    """The code binds the token to this key for good. A bearer token (the person's opt-in) is redeemed without a proof."""
    form = {"grant_type": ENROLLMENT_GRANT, "enrollment_code": code}
    if name is not None:
        form["client_id"] = name
    try:
        try:
            return stored_token(http.call("POST", "/v1/token", form=form, key=key))
        except ValetkeyError as e:
            # Refused before the code is spent; a DPoP token's code refuses the retry the same way.
            if e.code != "invalid_request":
                raise
            return stored_token(http.call("POST", "/v1/token", form=form))
    except ValetkeyError as e:
        if e.code == "invalid_client":
            raise make_error("invalid_client", "The enrollment needs the token's name as created in the app: pass name= to Valetkey.connect or set VALETKEY_AGENT_NAME.", e.status) from None
        raise


def _default_name() -> str:
    script = Path(sys.argv[0]).stem if sys.argv and sys.argv[0] else ""
    return (script or "python-agent")[:100]

"""Typed errors.

Every failure the engine reports is a ``ValetkeyError`` carrying the engine's stable ``code``
(docs/tokens.md section 9) and its fixed sentence; the common ones have their own subclass.
No message ever holds a token, a proof or a secret value.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Type


class ValetkeyError(Exception):
    """A refusal or failure, with the engine's stable error ``code`` and HTTP ``status`` (0: no answer)."""

    def __init__(self, code: str, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, status={self.status})"


class ApprovalDeniedError(ValetkeyError):
    """The person denied this access, or the device-flow request (``access_denied``)."""


class ApprovalTimeoutError(ValetkeyError):
    """Nobody answered in time (``approval_timeout``), or the device code expired."""


class InvalidTokenError(ValetkeyError):
    """The token is missing, malformed, revoked or bound to another key."""


class TokenExpiredError(InvalidTokenError):
    """The token's lifespan is over: connect again for a new one."""


class VaultLockedError(ValetkeyError):
    pass


class AgentsPausedError(ValetkeyError):
    pass


class InsufficientScopeError(ValetkeyError):
    pass


class ReasonRequiredError(ValetkeyError):
    pass


class HostNotAllowedError(ValetkeyError):
    pass


class InvalidGrantError(ValetkeyError):
    """An enrollment or device code that is unknown, used or expired."""


class InvalidScopeError(ValetkeyError):
    pass


class RateLimitedError(ValetkeyError):
    pass


class EngineUnreachableError(ValetkeyError):
    """No engine answers: not running, or the discovery file points nowhere."""


_CLASSES: Dict[str, Type[ValetkeyError]] = {
    "approval_denied": ApprovalDeniedError,
    "access_denied": ApprovalDeniedError,
    "approval_timeout": ApprovalTimeoutError,
    "expired_token": ApprovalTimeoutError,
    "invalid_token": InvalidTokenError,
    "vault_locked": VaultLockedError,
    "agents_paused": AgentsPausedError,
    "token_paused": AgentsPausedError,
    "insufficient_scope": InsufficientScopeError,
    "reason_required": ReasonRequiredError,
    "host_not_allowed": HostNotAllowedError,
    "invalid_grant": InvalidGrantError,
    "invalid_scope": InvalidScopeError,
    "rate_limited": RateLimitedError,
    "token_limit_reached": RateLimitedError,
    "engine_unreachable": EngineUnreachableError,
}

_CODE = re.compile(r"^[a-z_]{1,64}$")


def make_error(code: str, message: str, status: int = 0) -> ValetkeyError:
    return _CLASSES.get(code, ValetkeyError)(code, message, status)


def error_from_answer(status: int, body: Any) -> ValetkeyError:
    """The typed error for an engine's ``{error, error_description}`` answer."""
    body = body if isinstance(body, dict) else {}
    error = body.get("error")
    code = error if isinstance(error, str) and _CODE.match(error) else "internal_error"
    description = body.get("error_description")
    message = description[:500] if isinstance(description, str) else f"Valetkey answered {status} without an error description."
    return make_error(code, message, status)

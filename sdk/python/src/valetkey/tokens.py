"""The token endpoint's answer (RFC 6749 section 5.1) and the grant types the SDK sends."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Dict

from .errors import make_error

DEVICE_CODE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"
ENROLLMENT_GRANT = "urn:valetkey:params:oauth:grant-type:enrollment"
TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"

LIFESPAN_PRESETS = {"1h": 3600, "1d": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400, "1y": 365 * 86_400}


@dataclass(frozen=True)
class StoredToken:
    access_token: str
    token_type: str  # "DPoP" or "Bearer"
    expires_at: float  # seconds since the epoch
    scope: str

    def __repr__(self) -> str:  # never print the token itself
        return f"StoredToken(token_type={self.token_type!r}, expires_at={self.expires_at!r}, scope={self.scope!r})"


def stored_token(body: Dict[str, Any]) -> StoredToken:
    access_token = body.get("access_token")
    token_type = body.get("token_type")
    if not isinstance(access_token, str) or token_type not in ("DPoP", "Bearer"):
        raise make_error("internal_error", "Valetkey answered the token request without a token.")
    expires_in = body.get("expires_in")
    lifetime = float(expires_in) if isinstance(expires_in, (int, float)) else 0.0
    scope = body.get("scope")
    return StoredToken(access_token, str(token_type), time.time() + lifetime, scope if isinstance(scope, str) else "")


def lifespan_seconds(value: Any) -> Any:
    """Seconds, or one of the presets 1h, 1d, 7d, 30d, 1y; None stays None."""
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, str) and value in LIFESPAN_PRESETS:
        return LIFESPAN_PRESETS[value]
    raise ValueError(f"lifespan must be seconds or one of {', '.join(LIFESPAN_PRESETS)}")

"""Valetkey for agents: scoped, expiring, key-bound (DPoP) access to secrets, with a reason for every read.

    from valetkey import Valetkey
    vk = Valetkey.connect(enroll_code="vke_...", name="accounting-bot", reason="reconcile March")
    password = vk.read("vk://Accounting/Bank/password")
"""
from .client import Valetkey
from .device_flow import UserCodeInfo
from .errors import (
    AgentsPausedError,
    ApprovalDeniedError,
    ApprovalTimeoutError,
    EngineUnreachableError,
    HostNotAllowedError,
    InsufficientScopeError,
    InvalidGrantError,
    InvalidScopeError,
    InvalidTokenError,
    RateLimitedError,
    ReasonRequiredError,
    TokenExpiredError,
    ValetkeyError,
    VaultLockedError,
)
from .waiting import WaitingInfo

__version__ = "0.1.0"

__all__ = [
    "AgentsPausedError",
    "ApprovalDeniedError",
    "ApprovalTimeoutError",
    "EngineUnreachableError",
    "HostNotAllowedError",
    "InsufficientScopeError",
    "InvalidGrantError",
    "InvalidScopeError",
    "InvalidTokenError",
    "RateLimitedError",
    "ReasonRequiredError",
    "TokenExpiredError",
    "UserCodeInfo",
    "Valetkey",
    "ValetkeyError",
    "VaultLockedError",
    "WaitingInfo",
]

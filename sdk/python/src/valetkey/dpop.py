"""The agent's own key (Ed25519) and the DPoP proofs it signs (RFC 9449 section 4).

A proof is a compact JWS made by hand: base64url(header) . base64url(payload) . signature,
signed with ``cryptography``'s Ed25519. The private key stays in memory; it leaves only through
``private_jwk`` when the caller asked for a key file.
"""
from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from typing import Any, Dict, Optional

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sha256_b64url(text: str) -> str:
    return b64url(hashlib.sha256(text.encode("utf-8")).digest())


def _compact_json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def jwk_thumbprint(jwk: Dict[str, str]) -> str:
    """RFC 7638: the required members in lexicographic order, no whitespace."""
    return b64url(hashlib.sha256(_compact_json({"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"]})).digest())


class DpopKey:
    """An Ed25519 key and its RFC 7638 thumbprint (the token's ``cnf.jkt``)."""

    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private_key = private_key
        raw = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self.public_jwk: Dict[str, str] = {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw)}
        self.thumbprint = jwk_thumbprint(self.public_jwk)

    @classmethod
    def generate(cls) -> "DpopKey":
        return cls(Ed25519PrivateKey.generate())

    @classmethod
    def from_private_jwk(cls, jwk: Dict[str, str]) -> "DpopKey":
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or not isinstance(jwk.get("d"), str):
            raise ValueError("not an Ed25519 private JWK")
        key = cls(Ed25519PrivateKey.from_private_bytes(b64url_decode(jwk["d"])))
        if key.public_jwk["x"] != jwk.get("x"):
            raise ValueError("the JWK's public and private parts do not match")
        return key

    def private_jwk(self) -> Dict[str, str]:
        raw = self._private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        return {**self.public_jwk, "d": b64url(raw)}

    def proof(self, htm: str, htu: str, access_token: Optional[str] = None, nonce: Optional[str] = None) -> str:
        """A fresh proof: a new ``jti`` every time (the engine refuses a replay), ``iat`` now."""
        header = {"typ": "dpop+jwt", "alg": "EdDSA", "jwk": self.public_jwk}
        payload: Dict[str, Any] = {"jti": secrets.token_urlsafe(18), "htm": htm, "htu": htu, "iat": int(time.time())}
        if access_token is not None:
            payload["ath"] = sha256_b64url(access_token)
        if nonce is not None:
            payload["nonce"] = nonce
        signing_input = f"{b64url(_compact_json(header))}.{b64url(_compact_json(payload))}"
        signature = self._private_key.sign(signing_input.encode("ascii"))
        return f"{signing_input}.{b64url(signature)}"


def jwt_payload(jwt: str) -> Dict[str, Any]:
    """The claims of our own token, unverified (the SDK only reads its ``jti`` and ``client_id``)."""
    try:
        value = json.loads(b64url_decode(jwt.split(".")[1]))
        return value if isinstance(value, dict) else {}
    except (IndexError, ValueError):
        return {}

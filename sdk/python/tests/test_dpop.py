"""Hand-made DPoP proofs and thumbprints, checked against RFC values and by verifying signatures."""
from __future__ import annotations

import hashlib
import json
import socket
import time
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from valetkey.dpop import DpopKey, b64url, b64url_decode, jwk_thumbprint
from valetkey.endpoint import data_dir, find_endpoint, parse_endpoint
from valetkey.errors import EngineUnreachableError, ValetkeyError


def test_thumbprint_matches_rfc_8037_appendix_a3() -> None:
    jwk = {"kty": "OKP", "crv": "Ed25519", "x": "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}
    assert jwk_thumbprint(jwk) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"


def test_proof_header_claims_and_signature() -> None:
    key = DpopKey.generate()
    proof = key.proof("POST", "http://127.0.0.1:4000/v1/resolve", access_token="tok.en.value", nonce="n-1")
    header_b64, payload_b64, sig_b64 = proof.split(".")
    header = json.loads(b64url_decode(header_b64))
    payload = json.loads(b64url_decode(payload_b64))
    assert header == {"typ": "dpop+jwt", "alg": "EdDSA", "jwk": key.public_jwk}
    assert "d" not in header["jwk"]
    assert payload["htm"] == "POST" and payload["htu"] == "http://127.0.0.1:4000/v1/resolve" and payload["nonce"] == "n-1"
    assert payload["ath"] == b64url(hashlib.sha256(b"tok.en.value").digest())
    assert abs(payload["iat"] - time.time()) < 5
    assert 16 <= len(payload["jti"]) <= 64
    public = Ed25519PublicKey.from_public_bytes(b64url_decode(key.public_jwk["x"]))
    public.verify(b64url_decode(sig_b64), f"{header_b64}.{payload_b64}".encode())
    with pytest.raises(InvalidSignature):
        public.verify(b64url_decode(sig_b64), f"{header_b64}.{payload_b64}x".encode())
    assert json.loads(b64url_decode(key.proof("GET", "http://localhost/v1/vaults").split(".")[1]))["jti"] != payload["jti"]


def test_private_jwk_round_trip() -> None:
    key = DpopKey.generate()
    assert DpopKey.from_private_jwk(key.private_jwk()).thumbprint == key.thumbprint
    with pytest.raises(ValueError):
        DpopKey.from_private_jwk({"kty": "OKP", "crv": "Ed25519", "x": key.public_jwk["x"]})


def test_endpoint_only_loopback() -> None:
    ep = parse_endpoint("http://localhost:4711")
    assert (ep.host, ep.port, ep.base, ep.host_header) == ("127.0.0.1", 4711, "http://127.0.0.1:4711", "localhost:4711")
    assert parse_endpoint("http://[::1]:4711").host_header == "[::1]:4711"
    for bad in ["https://127.0.0.1:1", "http://10.0.0.5:1", "http://evil.example:1", "http://127.0.0.1", "nonsense"]:
        with pytest.raises(ValetkeyError):
            parse_endpoint(bad)
    assert parse_endpoint("unix:/run/vk.sock").socket_path == "/run/vk.sock"


def test_endpoint_order_and_discovery(tmp_path: Path) -> None:
    env = {"VALETKEY_AGENT_SOCKET": "/s.sock", "VALETKEY_AGENT_URL": "http://127.0.0.1:1"}
    assert find_endpoint("http://127.0.0.1:2", env).port == 2
    assert find_endpoint(None, env).socket_path == "/s.sock"
    assert find_endpoint(None, {"VALETKEY_AGENT_URL": "http://127.0.0.1:1"}).port == 1
    sock_path = tmp_path / "a.sock"
    (tmp_path / "discovery.json").write_text(json.dumps({"url": "http://127.0.0.1:5", "socketPath": str(sock_path)}))
    assert find_endpoint(None, {"VALETKEY_HOME": str(tmp_path)}).port == 5
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    try:
        assert find_endpoint(None, {"VALETKEY_HOME": str(tmp_path)}).socket_path == str(sock_path)
    finally:
        server.close()
    with pytest.raises(EngineUnreachableError):
        find_endpoint(None, {"VALETKEY_HOME": str(tmp_path / "none")})


def test_data_dir_like_the_engine() -> None:
    assert data_dir({"HOME": "/h"}, "linux") == Path("/h/.local/share/valetkey")
    assert data_dir({"HOME": "/h", "XDG_DATA_HOME": "/x"}, "linux") == Path("/x/valetkey")
    assert data_dir({"HOME": "/h"}, "darwin") == Path("/h/Library/Application Support/Valetkey")
    assert data_dir({"VALETKEY_HOME": "/v"}, "linux") == Path("/v")

"""HTTP/1.1 to the agent endpoint over TCP (loopback) or the Unix socket, with DPoP proofs and the
server-nonce dance (docs/tokens.md sections 4-5): every answer's ``DPoP-Nonce`` is kept and put
in the next proof, and a ``use_dpop_nonce`` answer is retried once with a fresh proof.
"""
from __future__ import annotations

import http.client
import json
import socket
import threading
from typing import Any, Dict, Mapping, Optional, Tuple
from urllib.parse import urlencode

from .dpop import DpopKey
from .endpoint import Endpoint
from .errors import error_from_answer, make_error

# Our own engine's answers are small; a use() response is at most 1 MiB before JSON escaping.
MAX_ANSWER_BYTES = 8 * 1024 * 1024


class UnixHTTPConnection(http.client.HTTPConnection):
    """http.client over a Unix domain socket."""

    def __init__(self, socket_path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = socket_path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.socket_path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


def open_connection(endpoint: Endpoint, timeout: float) -> http.client.HTTPConnection:
    if endpoint.socket_path is not None:
        return UnixHTTPConnection(endpoint.socket_path, timeout)
    return http.client.HTTPConnection(endpoint.host or "127.0.0.1", endpoint.port, timeout=timeout)


class AgentHttp:
    """One endpoint, the latest server nonce, and a per-request time limit (approvals wait for a person)."""

    def __init__(self, endpoint: Endpoint, timeout: float = 180.0) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self._nonce: Optional[str] = None
        self._lock = threading.Lock()

    def call(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: Optional[Mapping[str, str]] = None,
        token: Optional[Tuple[str, str]] = None,
        key: Optional[DpopKey] = None,
        proof_token: Optional[str] = None,
    ) -> Dict[str, Any]:
        """Sends the call; a 2xx answer comes back as its JSON body, anything else as a typed error.

        ``token`` is ``(scheme, value)``; ``key`` signs a DPoP proof; ``proof_token`` is the token the
        proof's ``ath`` names (default: the Authorization token).
        """
        body, content_type = _encode(json_body, form)
        ath = proof_token if proof_token is not None else (token[1] if token else None)
        status, answer = self._once(method, path, body, content_type, token, key, ath)
        if key is not None and isinstance(answer, dict) and answer.get("error") == "use_dpop_nonce":
            status, answer = self._once(method, path, body, content_type, token, key, ath)
        if not 200 <= status < 300:
            raise error_from_answer(status, answer)
        return answer if isinstance(answer, dict) else {}

    def _once(
        self,
        method: str,
        path: str,
        body: Optional[bytes],
        content_type: Optional[str],
        token: Optional[Tuple[str, str]],
        key: Optional[DpopKey],
        ath: Optional[str],
    ) -> Tuple[int, Any]:
        headers = {"Host": self.endpoint.host_header, "Accept": "application/json"}
        if content_type is not None:
            headers["Content-Type"] = content_type
        if token is not None:
            headers["Authorization"] = f"{token[0]} {token[1]}"
        if key is not None:
            headers["DPoP"] = key.proof(method, self.endpoint.base + path, access_token=ath, nonce=self._nonce)
        status, response_headers, raw = self._send(method, path, headers, body)
        nonce = response_headers.get("dpop-nonce")
        if nonce:
            with self._lock:
                self._nonce = nonce
        try:
            return status, json.loads(raw.decode("utf-8")) if raw else None
        except ValueError:
            return status, None

    def _send(self, method: str, path: str, headers: Dict[str, str], body: Optional[bytes]) -> Tuple[int, Dict[str, str], bytes]:
        conn = open_connection(self.endpoint, self.timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            res = conn.getresponse()
            raw = res.read(MAX_ANSWER_BYTES + 1)
            if len(raw) > MAX_ANSWER_BYTES:
                raise make_error("internal_error", "Valetkey's answer was too large.")
            return res.status, {k.lower(): v for k, v in res.getheaders()}, raw
        except socket.timeout:
            raise make_error("timeout", f"Valetkey did not answer within {round(self.timeout)} s.") from None
        except (OSError, http.client.HTTPException):
            raise make_error("engine_unreachable", f"No Valetkey engine answers at {self.endpoint.describe()}. Is Valetkey running?") from None
        finally:
            conn.close()


def _encode(json_body: Any, form: Optional[Mapping[str, str]]) -> Tuple[Optional[bytes], Optional[str]]:
    if form is not None:
        return urlencode(dict(form)).encode("utf-8"), "application/x-www-form-urlencoded"
    if json_body is not None:
        return json.dumps(json_body).encode("utf-8"), "application/json"
    return None, None

"""Finding the engine's agent endpoint (docs/tokens.md section 1).

Order: the ``endpoint`` argument, VALETKEY_AGENT_SOCKET, VALETKEY_AGENT_URL, then the discovery
file in the engine's data directory ($VALETKEY_HOME, else the platform's app-data directory).
From the discovery file the Unix socket is preferred (0600 in a 0700 directory). Tokens are
only ever sent to loopback: a URL naming another host is refused.
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional
from urllib.parse import urlsplit

from .errors import make_error

_LOOPBACK = {"127.0.0.1": "127.0.0.1", "localhost": "127.0.0.1", "::1": "::1"}


@dataclass(frozen=True)
class Endpoint:
    """Where to connect, and the canonical base URL that proofs name in ``htu``."""

    base: str
    host_header: str
    socket_path: Optional[str] = None
    host: Optional[str] = None
    port: Optional[int] = None

    def describe(self) -> str:
        return self.socket_path if self.socket_path is not None else self.base


def socket_endpoint(path: str) -> Endpoint:
    return Endpoint(base="http://localhost", host_header="localhost", socket_path=path)


def parse_endpoint(spec: str) -> Endpoint:
    """``http://127.0.0.1:PORT`` (also localhost, [::1]); ``unix:/path`` or an absolute path is a socket."""
    if spec.startswith("unix:"):
        return socket_endpoint(spec[len("unix:"):])
    if spec.startswith("/"):
        return socket_endpoint(spec)
    try:
        url = urlsplit(spec)
        port = url.port
    except ValueError:
        port = None
        url = None
    host = _LOOPBACK.get(url.hostname or "") if url is not None else None
    if url is None or url.scheme != "http" or host is None or port is None:
        raise make_error("invalid_request", "The Valetkey endpoint must be http on 127.0.0.1, localhost or [::1] with a port: tokens never leave this machine.")
    shown = f"[{url.hostname}]" if url.hostname == "::1" else url.hostname
    # The engine's canonical TCP base is always 127.0.0.1, whatever Host is sent.
    return Endpoint(base=f"http://127.0.0.1:{port}", host_header=f"{shown}:{port}", host=host, port=port)


def data_dir(env: Optional[Mapping[str, str]] = None, platform: Optional[str] = None) -> Path:
    """The engine's data directory, as the engine computes it."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if env.get("VALETKEY_HOME"):
        return Path(env["VALETKEY_HOME"])
    home = Path(env.get("HOME") or Path.home())
    if platform == "darwin":
        return home / "Library" / "Application Support" / "Valetkey"
    if platform.startswith("win"):
        return Path(env.get("APPDATA") or home / "AppData" / "Roaming") / "Valetkey"
    return Path(env.get("XDG_DATA_HOME") or home / ".local" / "share") / "valetkey"


def find_endpoint(explicit: Optional[str] = None, env: Optional[Mapping[str, str]] = None) -> Endpoint:
    env = os.environ if env is None else env
    if explicit is not None:
        return parse_endpoint(explicit)
    if env.get("VALETKEY_AGENT_SOCKET"):
        return socket_endpoint(env["VALETKEY_AGENT_SOCKET"])
    if env.get("VALETKEY_AGENT_URL"):
        return parse_endpoint(env["VALETKEY_AGENT_URL"])
    return _from_discovery_file(data_dir(env) / "discovery.json")


def _from_discovery_file(file: Path) -> Endpoint:
    try:
        discovery = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise make_error("engine_unreachable", f"No running Valetkey found (no readable {file}). Start Valetkey, or set VALETKEY_AGENT_URL.") from None
    socket_path = discovery.get("socketPath") if isinstance(discovery, dict) else None
    if isinstance(socket_path, str) and hasattr(os, "geteuid") and os.path.exists(socket_path):
        return socket_endpoint(socket_path)
    url = discovery.get("url") if isinstance(discovery, dict) else None
    if isinstance(url, str):
        return parse_endpoint(url)
    raise make_error("engine_unreachable", f"The Valetkey discovery file {file} is damaged. Restart Valetkey.")

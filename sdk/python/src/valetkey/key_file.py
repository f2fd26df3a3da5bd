"""The optional key file: the agent's private key and its token in a 0600 JSON file, so an agent
that runs again keeps its identity instead of enrolling anew. A key file others can read is
refused: it is as good as the token.
"""
from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

from .errors import make_error
from .tokens import StoredToken


def read_key_file(path: Path) -> Optional[Tuple[Dict[str, str], Optional[StoredToken]]]:
    if not path.exists():
        return None
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        raise make_error("insecure_key_file", f"The key file {path} can be read by other users. Run chmod 600 on it, or delete it to enroll again.")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != 1 or not isinstance(data.get("key"), dict):
            raise ValueError("shape")
        token = data.get("token")
        stored = None
        if isinstance(token, dict):
            stored = StoredToken(str(token["accessToken"]), str(token["tokenType"]), float(token["expiresAt"]) / 1000, str(token.get("scope", "")))
        return data["key"], stored
    except (ValueError, KeyError, TypeError):
        raise make_error("invalid_key_file", f"The key file {path} is damaged. Delete it to enroll again.") from None


def write_key_file(path: Path, key: Dict[str, str], token: Optional[StoredToken]) -> None:
    """Temp file (0600) then rename, so a crash never leaves half a key. Same format as the TypeScript SDK."""
    data: Dict[str, Any] = {"version": 1, "key": key}
    if token is not None:
        data["token"] = {"accessToken": token.access_token, "tokenType": token.token_type, "expiresAt": int(token.expires_at * 1000), "scope": token.scope}
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(json.dumps(data) + "\n")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)

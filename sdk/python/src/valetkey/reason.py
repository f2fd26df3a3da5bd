"""The engine's reason rule, mirrored so an agent hears it before anything is sent: a reason is
1..300 characters of plain text, without control characters (line breaks included) or
text-direction marks. The engine checks it again.
"""
from __future__ import annotations

import re

from .errors import make_error

MAX_REASON_LENGTH = 300
# C0, DEL, C1; LRM, RLM, ALM; LRE, RLE, PDF, LRO, RLO; LRI, RLI, FSI, PDI.
_NOT_TEXT = re.compile("[\u0000-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def check_reason(value: str) -> str:
    """The reason, trimmed; raises ``invalid_request`` for one that is not plain text, ``reason_required`` for an empty or long one."""
    if not isinstance(value, str):
        raise make_error("reason_required", "Every secret access needs a reason of 1 to 300 characters.", 400)
    if _NOT_TEXT.search(value):
        raise make_error("invalid_request", "The reason must be one line of plain text: no line breaks, tabs, control characters or text-direction marks.", 400)
    reason = value.strip()
    # UTF-16 units, as the engine counts them.
    if not reason or len(reason.encode("utf-16-le")) // 2 > MAX_REASON_LENGTH:
        raise make_error("reason_required", "Every secret access needs a reason of 1 to 300 characters.", 400)
    return reason

"""The reason rule, mirrored from the engine (docs/security.md): checked before anything is sent."""
from __future__ import annotations

import pytest

from valetkey import ValetkeyError
from valetkey.reason import check_reason

NOT_TEXT = ["a\nb", "a\rb", "a\tb", "a\x00b", "a\x7fb", "a\x85b", "a\u202eb", "a\u2066b", "a\u2069b", "a\u200eb", "a\u200fb", "a\u061cb", "a\u202ab"]


@pytest.mark.parametrize("reason", NOT_TEXT)
def test_not_plain_text_is_invalid_request(reason: str) -> None:
    with pytest.raises(ValetkeyError) as e:
        check_reason(reason)
    assert e.value.code == "invalid_request"
    assert reason not in str(e.value)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 301])
def test_empty_or_long_is_reason_required(reason: str) -> None:
    with pytest.raises(ValetkeyError) as e:
        check_reason(reason)
    assert e.value.code == "reason_required"


def test_plain_text_passes_trimmed() -> None:
    assert check_reason("  rotate the key — café 日本 ") == "rotate the key — café 日本"
    assert check_reason("x" * 300) == "x" * 300

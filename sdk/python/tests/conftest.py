"""One real engine process for the whole session (starting one costs seconds: Argon2id)."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import EngineProcess, seed  # noqa: E402


@pytest.fixture(scope="session")
def engine() -> Iterator[EngineProcess]:
    e = EngineProcess()
    try:
        yield e
    finally:
        e.stop()


@pytest.fixture(scope="session")
def seeded(engine: EngineProcess) -> Dict[str, Any]:
    return seed(engine)

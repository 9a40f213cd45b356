"""Golden files for generated output.

``golden(name, text)`` compares ``text`` with ``tests/strategies/golden/<name>``
byte for byte.  Review changes as diffs: run the tests with
``PARITY_UPDATE_GOLDEN=1`` to rewrite the files, then read ``git diff``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if os.environ.get("PARITY_UPDATE_GOLDEN") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert path.exists(), f"no golden file {name}: run with PARITY_UPDATE_GOLDEN=1"
        expected = path.read_text(encoding="utf-8")
        assert text == expected, f"{name} differs from its golden file (PARITY_UPDATE_GOLDEN=1)"

    return check

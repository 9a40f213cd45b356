"""Read TOML: tomllib from Python 3.11, its backport tomli on 3.10."""

from __future__ import annotations

import sys
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib as _toml
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as _toml  # type: ignore[import-not-found,unused-ignore]

TOMLDecodeError = _toml.TOMLDecodeError


def loads(text: str) -> dict[str, Any]:
    try:
        data: dict[str, Any] = _toml.loads(text)
    except RecursionError:  # arrays or tables nested thousands deep
        raise TOMLDecodeError("nested too deeply (at line 1, column 1)") from None
    return data

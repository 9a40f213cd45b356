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
        raise _too_deep(text) from None
    return data


def _too_deep(text: str) -> ValueError:
    if TOMLDecodeError.__init__ is not ValueError.__init__:
        # tomli 2.1 and Python 3.14 take (msg, doc, pos), deprecate a bare
        # message, and add "(at line 1, column 1)" themselves.
        error: ValueError = TOMLDecodeError("nested too deeply", text, 0)
    else:
        error = TOMLDecodeError("nested too deeply (at line 1, column 1)")
    return error

"""Read TOML: tomllib from Python 3.11, its backport tomli on 3.10.

The parser (with ``datetime``, which it imports) is loaded on first use: a
project without a pyproject.toml never needs it, and it costs a few
milliseconds of every command's start.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from typing import Any

    if sys.version_info >= (3, 11):
        from tomllib import TOMLDecodeError as TOMLDecodeError
    else:
        from tomli import (  # type: ignore[import-not-found,unused-ignore]
            TOMLDecodeError as TOMLDecodeError,
        )


def _parser() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    import tomli  # type: ignore[import-not-found,unused-ignore]  # pragma: no cover

    return tomli  # pragma: no cover - exercised on 3.10 only


def load_parser() -> None:
    """Load the parser now (``lock`` does it while uv resolves), not at its first use."""
    _parser()


def __getattr__(name: str) -> Any:
    # ``toml.TOMLDecodeError`` in an ``except`` clause is looked up only when an
    # exception is being handled, so the parser still loads only when needed.
    if name == "TOMLDecodeError":
        return _parser().TOMLDecodeError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def loads(text: str) -> dict[str, Any]:
    try:
        data: dict[str, Any] = _parser().loads(text)
    except RecursionError:  # arrays or tables nested thousands deep
        raise _too_deep(text) from None
    return data


def _too_deep(text: str) -> ValueError:
    error_type = _parser().TOMLDecodeError
    if error_type.__init__ is not ValueError.__init__:
        # tomli 2.1 and Python 3.14 take (msg, doc, pos), deprecate a bare
        # message, and add "(at line 1, column 1)" themselves.
        error: ValueError = error_type("nested too deeply", text, 0)
    else:
        error = error_type("nested too deeply (at line 1, column 1)")
    return error

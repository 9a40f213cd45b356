"""Regular expressions compiled the first time they are used, not at import.

A pattern that serves a rarer branch (an error message of uv's, writing
pylock.toml) costs its compile on every start-up when it is a module
constant; ``lazy_pattern`` defers that to the first call and keeps the result.
"""

from __future__ import annotations

import functools
import re

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import AnyStr


def lazy_pattern(pattern: AnyStr, flags: int = 0) -> Callable[[], re.Pattern[AnyStr]]:
    """A function returning ``re.compile(pattern, flags)``, compiled on its first call."""

    @functools.cache
    def compiled() -> re.Pattern[AnyStr]:
        return re.compile(pattern, flags)

    return compiled

"""Version questions answered as packaging answers them, mostly without importing it.

Nearly every version a lock meets is a plain release (``1.26.4``), and
importing packaging's version module (with its patterns) costs more than
reading a whole lockfile.  Anything that is not plain goes to packaging;
tests hold both to the same answers.
"""

from __future__ import annotations

import functools
import re

from parity.patterns import lazy_pattern


def valid_version(text: str) -> bool:
    """Whether packaging's ``Version`` reads ``text``."""
    if _is_release(text) or _normal_version().fullmatch(text) is not None:
        return True
    return version_pattern().match(text) is not None


def normal_prerelease(text: str) -> bool | None:
    """``Version(text).is_prerelease`` for a version in normal form, else None (ask packaging)."""
    match = _normal_version().fullmatch(text)
    if match is None:
        return None
    return match["pre"] is not None or match["dev"] is not None


# A version as uv and PyPI write it (``0.66b2``, ``1.0rc1``, ``2.1.0+cpu``,
# ``1.0.dev3``): packaging's own normal form, so it reads every text this matches.
_normal_version = lazy_pattern(
    r"[0-9]+(?:\.[0-9]+)*(?P<pre>(?:a|b|rc)[0-9]+)?(?:\.post[0-9]+)?(?P<dev>\.dev[0-9]+)?"
    r"(?:\+[a-z0-9]+(?:\.[a-z0-9]+)*)?"
)


@functools.lru_cache(maxsize=1)
def version_pattern() -> re.Pattern[str]:
    """packaging's version pattern, anchored (whitespace around it allowed, as Version does)."""
    from packaging.version import VERSION_PATTERN

    return re.compile(r"^\s*" + VERSION_PATTERN + r"\s*$", re.VERBOSE | re.IGNORECASE)


def newer(version: str, than: str) -> bool:
    """``Version(version) > Version(than)``; both must be valid versions."""
    if version == than:
        return False
    if _numbers_only(version) and _numbers_only(than):
        return _release(version) > _release(than)
    from packaging.version import Version

    return Version(version) > Version(than)


def _is_release(text: str) -> bool:
    """A release of plain numbers (``2``, ``1.26.4``, ``2.9.0.post0``): each is valid."""
    release, dot_post, post = text.partition(".post")
    if dot_post and not (post.isdigit() and post.isascii()):
        return False
    return _numbers_only(release)


def _numbers_only(text: str) -> bool:
    return all(part.isdigit() and part.isascii() for part in text.split("."))


def _release(text: str) -> tuple[int, ...]:
    # packaging compares releases with trailing zeros removed (1.0 == 1.0.0).
    numbers = [int(part) for part in text.split(".")]
    while len(numbers) > 1 and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def minor_wildcard(text: str) -> tuple[int, int] | None:
    """``==3.11.*`` -> ``(3, 11)``: a range of one minor release, read without packaging."""
    match = _minor_wildcard().fullmatch(text)
    return None if match is None else (int(match[1]), int(match[2]))


_minor_wildcard = lazy_pattern(r"\s*==\s*(\d+)\.(\d+)\.\*\s*")

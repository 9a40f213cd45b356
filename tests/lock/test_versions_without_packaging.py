"""The version questions a lock answers before uv starts, without packaging, as packaging does."""

from __future__ import annotations

import itertools
import sys

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

from parity import versions
from parity.lock import request

SPELLINGS = [
    "0",
    "1",
    "1.0",
    "1.0.0",
    "1.0.0.0",
    "01.2",
    "1.2",
    "1.10",
    "1.9.9",
    "2.0",
    "2.0.1",
    "10.0",
    "2024.1.15",
    "1.0.post1",
    "1.0rc1",
    "1.0a1",
    "1.0.dev0",
    "1!0.5",
    "1.0+local",
    *["0.66b2", "1.0rc1.post2.dev3", "2.1.0+cpu", "2.1.0+cu121.x1", "1.0+Local", "1.0b"],
    *["1.0rc", "1.0-1", "1.0.post", "1.0c1", "1.0+", "1.0+a..b", "1.0.dev", "1.0a1b2", "1a1.2"],
    "1..0",
    "",
    "1.",
    ".1",
    "v1.0",
    "1.0 ",
    "\u0661.\u0662",  # digits, but not ASCII ones
    "1.x",
]


def _valid(text: str) -> bool:
    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


@pytest.mark.parametrize("text", SPELLINGS)
def test_a_version_is_valid_as_packaging_says(text: str) -> None:
    assert versions.valid_version(text) is _valid(text)


VALID = [s for s in SPELLINGS if _valid(s)]


@pytest.mark.parametrize("text", SPELLINGS)
def test_a_pre_release_is_one_as_packaging_says(text: str) -> None:
    from parity.lock.prereleases import is_prerelease

    assert is_prerelease(text) is (_valid(text) and Version(text).is_prerelease)
    normal = versions.normal_prerelease(text)
    assert normal is None or normal is Version(text).is_prerelease


@pytest.mark.parametrize(
    ("a", "b"), list(itertools.permutations(VALID, 2)) + [(v, v) for v in VALID]
)
def test_newer_is_packaging_order(a: str, b: str) -> None:
    assert versions.newer(a, b) is (Version(a) > Version(b))


RANGES = ["==3.11.*", "==3.10.*", "==3.12.*", "==2.7.*", ">=3.10", "<3.11", ">=3.9,<3.13", "~=3.11"]


@pytest.mark.parametrize("requires_python", RANGES)
def test_the_running_python_is_inside_a_range_as_packaging_says(requires_python: str) -> None:
    running = ".".join(map(str, sys.version_info[:3]))
    expected = SpecifierSet(requires_python).contains(running, prereleases=True)
    assert request._runs_inside(requires_python) is expected


PYTHON_RANGES = [
    ">=3.10",
    ">= 3.10",
    " >=3.10 ",
    ">=3.9,<3.13",
    ">=3.9, <3.13",
    "==3.11.*",
    "~=3.11",
    "!=3.12.0,>=3.10",
    "<4",
    "===3.11",
    ">3",
    ">=3.10.0rc1",
    "3.11",
    ">=3.1O",
    ">=",
    "=>3.10",
    ">=3.10,",
    ">=3.10;",
    ">=3.10 or <3",
]


@pytest.mark.parametrize("text", PYTHON_RANGES)
def test_requires_python_is_read_as_packaging_reads_it(text: str) -> None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    from parity.errors import UsageError
    from parity.lock.target import _check_specifier

    try:
        expected: str | None = str(SpecifierSet(text))
    except InvalidSpecifier:
        expected = None
    if expected is None:
        with pytest.raises(UsageError):
            _check_specifier(text)
    else:
        assert _check_specifier(text) == expected


@pytest.mark.parametrize(
    ("text", "admits"),
    [("==3.11.*", True), ("== 3.39.*", True), ("==3.40.*", False), ("==4.0.*", False)],
)
def test_a_python_wildcard_admits_a_python_as_packaging_says(text: str, admits: bool) -> None:
    from parity.errors import SpecError
    from parity.spec.python_target import check_python_range

    if admits:
        check_python_range(text, None)
    else:
        with pytest.raises(SpecError):
            check_python_range(text, None)

"""A universal lock may hold one package at several versions; check picks the one that applies."""

from __future__ import annotations

from parity.diagnose.check import compare_with_lock, expected_pins
from parity.env.installed import InstalledDist
from parity.lock.model import Pin

SPLIT = (
    Pin("modern", "1.0", marker="python_full_version < '3.12'"),
    Pin("modern", "2.0", marker="python_full_version >= '3.12'"),
    Pin("alpha", "1.0"),
)


def findings(python: str, installed: dict[str, str]) -> list[str]:
    expected = expected_pins(SPLIT, python, "CPython")
    have = {name: InstalledDist(name, version) for name, version in installed.items()}
    return [
        f.message
        for f in compare_with_lock(expected, have, ignore=set(), venv_name=".venv", group="prod")
    ]


def test_each_python_expects_its_own_version() -> None:
    assert [p.version for p in expected_pins(SPLIT, "3.11.7", "CPython") if p.name == "modern"] == [
        "1.0"
    ]
    assert [p.version for p in expected_pins(SPLIT, "3.12.1", "CPython") if p.name == "modern"] == [
        "2.0"
    ]


def test_the_version_for_this_python_is_in_sync() -> None:
    assert findings("3.11.7", {"modern": "1.0", "alpha": "1.0"}) == []
    assert findings("3.12.1", {"modern": "2.0", "alpha": "1.0"}) == []


def test_the_other_pythons_version_is_drift() -> None:
    assert findings("3.11.7", {"modern": "2.0", "alpha": "1.0"}) == [
        "modern is 2.0 in .venv, the lock pins 1.0"
    ]

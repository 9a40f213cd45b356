"""check's cheap paths decide exactly as the general ones they stand in for.

``check`` runs on every commit, so it answers the everyday cases without
packaging or pathlib's glob (see tests/cli/test_import_guard.py); each
shortcut here is compared with what it replaces.
"""

from __future__ import annotations

import importlib
import os
from fnmatch import fnmatchcase
from pathlib import Path

import pytest
from packaging.version import Version

import parity
from fixtures import LocalIndex, make_project
from parity.diagnose.check import _same_version, expected_pins
from parity.diagnose.consistency import SOURCE_PATTERNS, _glob_files, _name_matches, matching_files
from parity.diagnose.consistency.compare import _release
from parity.diagnose.consistency.generated import MARK
from parity.env.matching import python_satisfies
from parity.interpreters import matches
from parity.lock.model import LockedGroup, LockMeta, Pin
from parity.lock.target import minor_of
from parity.strategies import generated_globs
from parity.strategies.header import MARK as HEADER_MARK

VERSIONS = ["3.11", "3.11.7", "3.11.0", "3.12.1", "3.1", "3", "3.011", "03.11.2", "3.11.7.1"]
REQUESTS = [*VERSIONS, "3.11.*", ">=3.10", "==3.11.*", " 3.11 ", "3.13.0rc1", "", "x", "3..1"]
INSTALLED = ["3.11.7", "3.11.0", "3.12.1", "3.10.13", "3.11", "3.13.0rc1", " 3.11.7", "3.011.7"]


def _locked(python: str | None, requires_python: str | None = None) -> LockedGroup:
    meta = LockMeta(digest="sha256:0", inputs=(), python=python, requires_python=requires_python)
    return LockedGroup(name="prod", output="requirements.txt", pins=(), meta=meta)


@pytest.mark.parametrize("wanted", REQUESTS)
def test_python_satisfies_as_packaging_decides(wanted: str) -> None:
    for installed in INSTALLED:
        expected = matches(installed, wanted) if wanted else True
        assert python_satisfies(installed, _locked(wanted or None)) is expected, installed
    assert python_satisfies("3.11.7", _locked(None, ">=3.10")) is True
    assert python_satisfies("3.9.1", _locked(None, ">=3.10")) is False


def test_minor_of_as_packaging_reads_it() -> None:
    for text in ["3.11", "3.11.7", "3.011", "03.11", "3.11.0.1", "10.2", "3.11rc1", "3.11.*0"]:
        try:
            parsed = Version(text)
        except ValueError:
            continue
        assert minor_of(text) == f"{parsed.major}.{parsed.minor}"


def test_release_as_packaging_reads_it() -> None:
    for text in [*VERSIONS, "3.11rc1", "v3.11", "3.11 ", "", "3..1", "x", "3.11.*"]:
        try:
            release: tuple[int, ...] | None = Version(text).release
        except ValueError:
            release = None
        assert _release(text) == release, text


def test_same_version_and_pins_without_markers() -> None:
    assert _same_version("1.0", "1.0") and _same_version("1.0", "1.0.0")
    assert not _same_version("1.0", "1.1") and _same_version("not a version", "not a version")
    pins = [Pin(name="a", version="1"), Pin(name="b", version="2")]
    assert expected_pins(pins, "3.11.7", "CPython") == pins
    marked = [*pins, Pin(name="c", version="3", marker="python_version < '3'")]
    assert expected_pins(marked, "3.11.7", "CPython") == pins


def test_every_source_module_is_in_the_table() -> None:
    """The table decides which modules are imported: one left out would never be read."""
    import parity.diagnose.consistency.sources as package

    found = {
        f"{package.__name__}.{path.stem}"
        for path in Path(package.__path__[0]).glob("*.py")
        if path.stem != "__init__"
        and hasattr(importlib.import_module(f"{package.__name__}.{path.stem}"), "facts")
    }
    assert found == set(SOURCE_PATTERNS)
    assert MARK == HEADER_MARK


NAMES = [
    "requirements.txt",
    "requirements-dev.txt",
    "requirements.txt.bak",
    "Requirements.txt",
    "requirementstxt",
    ".requirements.txt",
    "environment-x.yml",
    "environment.pinned.yml",
    "environment-.yaml",
    "a.Dockerfile",
    "Dockerfile",
    "Dockerfile.dev",
    "Dockerfile.",
    "x.mk",
    ".mk",
    "ci.yml",
    "ci.yaml",
    "ci.yml.yaml",
    "pylock.toml",
    "pylock.a.toml",
    "pylock..toml",
    "pylock.toml.toml",
]


def test_wildcard_names_match_as_fnmatch_matches_them() -> None:
    patterns = {p.rpartition("/")[2] for ps in SOURCE_PATTERNS.values() for p in ps}
    patterns |= {p.rpartition("/")[2] for p in generated_globs()}
    patterns |= {"a*b*c", "*", "**", "x?.txt", "[ab].txt", "*.*.*"}
    for pattern in patterns:
        for name in [*NAMES, "abc", "aXbYc", "ab", "acb", "x1.txt", "a.txt", "a.b.c", "a..b"]:
            assert _name_matches(pattern, name) == fnmatchcase(name, pattern), (pattern, name)


@pytest.mark.skipif(os.name == "nt", reason="Windows goes through pathlib's glob itself")
def test_matching_files_finds_what_pathlib_glob_finds(tmp_path: Path) -> None:
    for folder in ["", "requirements/", ".github/workflows/", ".devcontainer/", "docker/"]:
        for name in NAMES:
            path = tmp_path / (folder + name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("x\n", encoding="utf-8")
    (tmp_path / "requirements-dir.txt").mkdir()  # a folder is not a file
    (tmp_path / "docker" / "Dockerfile.link").symlink_to(tmp_path / "Dockerfile")
    (tmp_path / "docker" / "Dockerfile.gone").symlink_to(tmp_path / "nowhere")
    (tmp_path / ".venv").mkdir()
    patterns = [p for ps in SOURCE_PATTERNS.values() for p in ps] + list(generated_globs())
    patterns += ["*/Dockerfile", ".venv/*", "requirements/**/*.txt"]
    for pattern in patterns:
        assert matching_files(tmp_path, [pattern]) == _glob_files(tmp_path, [pattern]), pattern
    assert matching_files(tmp_path, patterns) == _glob_files(tmp_path, patterns)
    assert matching_files(tmp_path / "absent", patterns) == []


def _unqualified(text: str) -> str:
    return text.replace("test_frozen_facts_behave_as_the_dataclasses_they_were.<locals>.", "")


def test_frozen_facts_behave_as_the_dataclasses_they_were() -> None:
    import dataclasses
    import pickle

    from parity.diagnose.consistency import facts

    @dataclasses.dataclass(frozen=True, order=True)
    class Place:
        path: str
        line: int | None = None

    @dataclasses.dataclass(frozen=True)
    class PinFact:
        name: str
        version: str
        place: Place
        scope: str | None = None

    places = [("b", 2), ("a", 3), ("a", 1), ("a", None)]
    ours = [facts.Place(p, n) for p, n in places]
    theirs = [Place(p, n) for p, n in places]
    assert [repr(o) for o in ours] == [_unqualified(repr(t)) for t in theirs]
    assert [hash(o) for o in ours] == [hash(t) for t in theirs]
    key = [(o.path, o.line or 0) for o in sorted(ours[:3])]
    assert key == [(t.path, t.line or 0) for t in sorted(theirs[:3])]
    assert ours[0] == facts.Place("b", 2) and ours[0] != ours[1] and ours[0] != theirs[0]
    assert facts.Place("a") == facts.Place("a", None) and ours[0] <= facts.Place("b", 2)
    pin = facts.PinFact("x", "1", ours[0])
    assert repr(pin) == _unqualified(repr(PinFact("x", "1", theirs[0])))
    assert pin == facts.PinFact(name="x", version="1", place=facts.Place("b", 2), scope=None)
    assert len({pin, facts.PinFact("x", "1", facts.Place("b", 2))}) == 1
    assert pickle.loads(pickle.dumps(pin)) == pin
    for target in (ours[0], pin):
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field"):
            target.path = "c"  # type: ignore[misc]
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field"):
            del target.path  # type: ignore[misc]
    with pytest.raises(TypeError):
        _ = ours[0] < theirs[0]  # type: ignore[operator]


def test_severity_exists_at_run_time_as_the_literal_it_was() -> None:
    import typing

    import parity
    from parity.diagnose import findings

    assert typing.get_args(findings.Severity) == findings.SEVERITIES
    assert typing.get_origin(parity.Severity) is typing.Literal
    assert findings.HasSeverity.__name__ == "HasSeverity"
    with pytest.raises(AttributeError):
        _ = findings.NoSuchName  # type: ignore[attr-defined]


def test_a_marker_edited_by_hand_is_read_in_full_and_reported(
    tmp_path: Path, local_index: LocalIndex
) -> None:
    """check takes a lockfile's markers as written only while its seal holds."""
    root = make_project(
        tmp_path, {"requirements.in": f"-i {local_index.url}\ngamma\n", ".python-version": "3.11\n"}
    )
    parity.lock(parity.load_project(root))
    lockfile = root / "requirements.txt"
    text = lockfile.read_text(encoding="utf-8")
    assert "delta==1.0 ; sys_platform == 'win32'" in text
    assert parity.check(parity.load_project(root), environment=False).ok
    lockfile.write_text(text.replace("== 'win32'", "=== = 'win32'"), encoding="utf-8")
    report = parity.check(parity.load_project(root), environment=False)
    assert [f.code for f in report.findings] == ["lock-unreadable"], report.findings
    assert "not a pinned requirement" in report.findings[0].message

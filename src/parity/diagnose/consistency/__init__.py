"""Cross-file consistency: do the project's files agree with each other?

When a repository holds the files of several strategies (requirements*.txt,
poetry.lock, pylock.toml, environment.yml, a Dockerfile, CI workflows), each
says which version of a package and which Python the project uses.  Each
*source* module reads one kind of file into facts (pure: text in, facts out);
``compare.py`` turns disagreeing facts into findings naming both places.

Adding a kind of file is adding one module to ``sources/`` and one line to
:data:`SOURCE_PATTERNS`.  A source module has ``PATTERNS`` (globs relative to
the project root, repeated in the table: a test compares them) and
``facts(path, text) -> Iterable[PinFact | PythonFact]``.  A source module is
imported only when one of its files is there: ``parity check`` runs on every
commit, and most projects hold three or four of these kinds of file.
"""

from __future__ import annotations

import os

from parity.diagnose.findings import Finding

TYPE_CHECKING = False  # not typing's: ``check`` imports this module
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path
    from typing import Protocol

    from parity.diagnose.consistency.facts import PinFact, PythonFact
    from parity.spec.model import DirectRequirement

    class Source(Protocol):
        PATTERNS: tuple[str, ...]

        def facts(self, path: str, text: str) -> Iterable[PinFact | PythonFact]: ...


_SOURCES = "parity.diagnose.consistency.sources."
# Each source module and its PATTERNS, so that a module is imported only when it has files.
SOURCE_PATTERNS: dict[str, tuple[str, ...]] = {
    _SOURCES + "requirements_txt": ("requirements*.txt", "requirements/*.txt"),
    _SOURCES + "poetry_lock": ("poetry.lock",),
    _SOURCES + "uv_lock": ("uv.lock",),
    _SOURCES + "pdm_lock": ("pdm.lock",),
    _SOURCES + "pylock": ("pylock.toml", "pylock.*.toml"),
    _SOURCES + "python_version": (".python-version",),
    _SOURCES + "pyproject": ("pyproject.toml",),
    _SOURCES + "github_actions": (".github/workflows/*.yml", ".github/workflows/*.yaml"),
    _SOURCES + "gitlab_ci": (".gitlab-ci.yml",),
    _SOURCES + "conda_env": (
        "environment.yml",
        "environment.yaml",
        "environment-*.yml",
        "environment-*.yaml",
        "environment.*.yml",
    ),
    _SOURCES + "conda_lock": ("conda.lock",),
    _SOURCES + "dockerfile": (
        "Dockerfile",
        "*.Dockerfile",
        "Dockerfile.*",
        ".devcontainer/Dockerfile",
        "docker/Dockerfile*",
    ),
    _SOURCES + "devcontainer": (".devcontainer/devcontainer.json", ".devcontainer.json"),
    _SOURCES + "compose": (
        "docker-compose.yml",
        "docker-compose.yaml",
        "compose.yml",
        "compose.yaml",
        ".devcontainer/docker-compose.yml",
        ".devcontainer/compose.yml",
    ),
}
SOURCES: tuple[str, ...] = tuple(SOURCE_PATTERNS)

# Never looked into: environments, caches, VCS data.
_SKIP_PARTS = frozenset({".venv", "venv", ".git", "node_modules", "__pycache__", ".tox", ".nox"})


def matching_files(root: Path, patterns: Sequence[str]) -> list[str]:
    """Project-relative paths of the files matching ``patterns``, sorted, each once.

    As ``root.glob(pattern)`` finds them, with each folder listed once for all
    patterns (a glob compiles a regular expression per pattern and lists the
    folder again each time).  Windows, and a pattern with a wildcard before its
    last part, go through pathlib itself (matching there ignores case).
    """
    if os.name == "nt":
        return _glob_files(root, patterns)
    base = os.fspath(root)
    listings: dict[str, list[str]] = {}
    found: set[str] = set()
    for pattern in patterns:
        folder, _, name = pattern.rpartition("/")
        if _is_wildcard(folder) or not name or "**" in name:
            found.update(_glob_files(root, [pattern]))
            continue
        if _is_wildcard(name):
            if folder not in listings:
                try:
                    listings[folder] = os.listdir(os.path.join(base, folder))
                except OSError:
                    listings[folder] = []
            names = [entry for entry in listings[folder] if _name_matches(name, entry)]
        else:
            names = [name]
        for entry in names:
            rel = f"{folder}/{entry}" if folder else entry
            if not (set(rel.split("/")) & _SKIP_PARTS) and os.path.isfile(os.path.join(base, rel)):
                found.add(rel)
    return sorted(found)


def _glob_files(root: Path, patterns: Iterable[str]) -> list[str]:
    found: set[str] = set()
    for pattern in patterns:
        for path in root.glob(pattern):
            rel = path.relative_to(root)
            if path.is_file() and not (set(rel.parts) & _SKIP_PARTS):
                found.add(rel.as_posix())
    return sorted(found)


def _is_wildcard(text: str) -> bool:
    return "*" in text or "?" in text or "[" in text


def _name_matches(pattern: str, name: str) -> bool:
    """``fnmatch.fnmatchcase(name, pattern)`` for patterns whose only wildcard is ``*``."""
    if "?" in pattern or "[" in pattern:
        from fnmatch import fnmatchcase

        return fnmatchcase(name, pattern)
    if "*" not in pattern:
        return name == pattern
    first, *middle, last = pattern.split("*")
    if len(name) < len(first) + len(last) or not (name.startswith(first) and name.endswith(last)):
        return False
    start, end = len(first), len(name) - len(last)
    for part in middle:
        at = name.find(part, start, end)
        if at < 0:
            return False
        start = at + len(part)
    return True


def read_text(root: Path, rel: str) -> str | None:
    try:
        return (root / rel).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # not a text file: nothing to compare in it


def collect_facts(root: Path, sources: Sequence[str] = SOURCES) -> list[PinFact | PythonFact]:
    """Every fact every source finds in the project (the I/O edge of this package)."""
    import importlib

    facts: list[PinFact | PythonFact] = []
    for name in sources:
        patterns = SOURCE_PATTERNS.get(name)
        if patterns is None:
            patterns = importlib.import_module(name).PATTERNS
        files = matching_files(root, patterns)
        if not files:
            continue
        module = importlib.import_module(name)
        for rel in files:
            text = read_text(root, rel)
            if text is not None:
                facts.extend(module.facts(rel, text))
    return facts


def stated_python(root: Path) -> str | None:
    """The Python minor the files of a project that pins none build with (CI's
    setup-python, a Dockerfile's FROM): the one most files state, the lowest on a tie,
    among those its requires-python admits.  None when the project pins one
    (.python-version) or no file states one."""
    from parity.diagnose.consistency.facts import PythonFact

    if (root / ".python-version").exists():
        return None
    return most_stated_minor([f for f in collect_facts(root) if isinstance(f, PythonFact)])


def most_stated_minor(facts: Sequence[PythonFact]) -> str | None:
    """The decision of :func:`stated_python`, over facts already read."""
    import re
    from collections import Counter

    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    from parity.diagnose.consistency.facts import PIN, RANGE

    ranges: list[SpecifierSet] = []
    for fact in facts:
        if fact.kind == RANGE:
            try:
                ranges.append(SpecifierSet(fact.value))
            except InvalidSpecifier:
                continue
    counts: Counter[str] = Counter()
    for fact in facts:
        match = re.match(r"^(\d+)\.(\d+)", fact.value)
        if fact.kind != PIN or match is None:
            continue
        minor = f"{match.group(1)}.{match.group(2)}"
        if all(r.contains(f"{minor}.0") or r.contains(f"{minor}.99") for r in ranges):
            counts[minor] += 1
    if not counts:
        return None
    return min(counts, key=lambda m: (-counts[m], tuple(int(p) for p in m.split("."))))


def consistency_findings(
    root: Path, lockfiles: Sequence[str], requirements: Sequence[DirectRequirement] = ()
) -> list[Finding]:
    """Every cross-file disagreement in the project at ``root``.

    ``lockfiles`` are the project's own lockfiles (the outputs of its groups),
    whose ``# parity:digest`` is the current lock generated files are compared with;
    ``requirements`` are the project's direct requirements (every group), which
    a lock of the whole project written by another tool (poetry.lock) must hold.
    """
    from parity.diagnose.consistency.compare import (
        missing_requirements,
        pin_findings,
        python_findings,
    )
    from parity.diagnose.consistency.facts import PinFact, PythonFact
    from parity.diagnose.consistency.generated import (
        current_locks,
        generated_facts_files,
        generated_findings,
    )

    facts = collect_facts(root)
    pins = [f for f in facts if isinstance(f, PinFact)]
    findings = pin_findings(pins)
    findings += missing_requirements(pins, requirements)
    findings += python_findings([f for f in facts if isinstance(f, PythonFact)])
    findings += generated_findings(generated_facts_files(root), current_locks(root, lockfiles))
    return findings

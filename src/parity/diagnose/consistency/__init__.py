"""Cross-file consistency: do the project's files agree with each other?

When a repository holds the files of several strategies (requirements*.txt,
poetry.lock, pylock.toml, environment.yml, a Dockerfile, CI workflows), each
says which version of a package and which Python the project uses.  Each
*source* module reads one kind of file into facts (pure: text in, facts out);
``compare.py`` turns disagreeing facts into findings naming both places.

Adding a kind of file is adding one module to ``sources/`` and one line to
:data:`SOURCES`.  A source module has ``PATTERNS`` (globs relative to the
project root) and ``facts(path, text) -> Iterable[PinFact | PythonFact]``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

from parity.diagnose.consistency.facts import PIN, RANGE, PinFact, PythonFact
from parity.diagnose.findings import Finding
from parity.spec.model import DirectRequirement

SOURCES: tuple[str, ...] = (
    "parity.diagnose.consistency.sources.requirements_txt",
    "parity.diagnose.consistency.sources.poetry_lock",
    "parity.diagnose.consistency.sources.pylock",
    "parity.diagnose.consistency.sources.python_version",
    "parity.diagnose.consistency.sources.pyproject",
    "parity.diagnose.consistency.sources.github_actions",
    "parity.diagnose.consistency.sources.gitlab_ci",
    "parity.diagnose.consistency.sources.conda_env",
    "parity.diagnose.consistency.sources.conda_lock",
    "parity.diagnose.consistency.sources.dockerfile",
    "parity.diagnose.consistency.sources.compose",
)

# Never looked into: environments, caches, VCS data.
_SKIP_PARTS = frozenset({".venv", "venv", ".git", "node_modules", "__pycache__", ".tox", ".nox"})


class Source(Protocol):
    PATTERNS: tuple[str, ...]

    def facts(self, path: str, text: str) -> Iterable[PinFact | PythonFact]: ...


def matching_files(root: Path, patterns: Sequence[str]) -> list[str]:
    """Project-relative paths of the files matching ``patterns``, sorted, each once."""
    found: set[str] = set()
    for pattern in patterns:
        for path in root.glob(pattern):
            rel = path.relative_to(root)
            if path.is_file() and not (set(rel.parts) & _SKIP_PARTS):
                found.add(rel.as_posix())
    return sorted(found)


def read_text(root: Path, rel: str) -> str | None:
    try:
        return (root / rel).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # not a text file: nothing to compare in it


def collect_facts(root: Path, sources: Sequence[str] = SOURCES) -> list[PinFact | PythonFact]:
    """Every fact every source finds in the project (the I/O edge of this package)."""
    facts: list[PinFact | PythonFact] = []
    for name in sources:
        module = importlib.import_module(name)
        for rel in matching_files(root, module.PATTERNS):
            text = read_text(root, rel)
            if text is not None:
                facts.extend(module.facts(rel, text))
    return facts


def stated_python(root: Path) -> str | None:
    """The Python minor the files of a project that pins none build with (CI's
    setup-python, a Dockerfile's FROM): the one most files state, the lowest on a tie,
    among those its requires-python admits.  None when the project pins one
    (.python-version) or no file states one."""
    if (root / ".python-version").exists():
        return None
    return most_stated_minor([f for f in collect_facts(root) if isinstance(f, PythonFact)])


def most_stated_minor(facts: Sequence[PythonFact]) -> str | None:
    """The decision of :func:`stated_python`, over facts already read."""
    from collections import Counter

    from packaging.specifiers import InvalidSpecifier, SpecifierSet

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

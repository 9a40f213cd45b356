"""``parity diff`` sides from conda's files: an environment.yml and a conda lock file.

A conda prefix is a live side like a venv (``parity.env.snapshot`` reads its
records).  An environment file is a *spec* side: its conda packages read back
as PyPI names (pytables is tables), pinned where the match spec names one
version, plus its pip section.  A lock file (rattler/pixi's, or conda-lock's)
is a *lock* side: the packages of one platform (this machine's when locked,
else the first) and environment.  Packages with no PyPI name (conda-only
libraries, unmapped names) are no Python distributions: they are listed in
the side's notes, not compared.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from packaging.utils import canonicalize_name

from parity.lock.formats import detect as _detect
from parity.lock.model import Origin, Pin
from parity.spec.conda_env import ParsedEnvironment

# The one format detector (shared with lock) names conda's files too.
CONDA_ENV = _detect.CONDA_ENV
CONDA_LOCK_SIDE = _detect.CONDA_LOCK
conda_format = _detect.conda_format


def environment_side(
    text: str,
    *,
    label: str,
    include: Callable[[str], str] | None = None,
) -> tuple[tuple[Pin, ...], str | None, frozenset[str], tuple[str, ...]]:
    """(pins, python, direct names, notes) of an environment file."""
    from parity.conda.matchspec import exact_version, parse_match_spec, to_pep440
    from parity.conda.names import INSTALLERS, INTERPRETER, NameMap
    from parity.diagnose.sides.requirements import spec_pins
    from parity.spec.conda_env import parse_environment

    parsed = parse_environment(text, path=label, follow_includes=False)
    env = parsed.environment
    names = NameMap()
    pins: list[Pin] = []
    notes: list[str] = []
    for dependency in env.dependencies:
        if dependency.name in (INTERPRETER, *INSTALLERS):
            continue
        match = names.to_pypi(dependency.name)
        if match.name is None:
            notes.append(f"{label}: {match.note}")
            continue
        match_spec = parse_match_spec(dependency.spec)
        version = exact_version(match_spec)
        translated = to_pep440(match_spec)
        if translated.note:
            notes.append(f"{label}:{dependency.source.line}: {match.name}: {translated.note}")
        pins.append(
            Pin(
                name=canonicalize_name(match.name),
                version=version,
                origins=(Origin(path=label),),
            )
        )
    pip_lines = _pip_lines(parsed)
    if pip_lines:
        pins += spec_pins("\n".join(pip_lines) + "\n", label, include=include)
    python = None
    if env.python is not None:
        found = re.fullmatch(r"(?:==)?(\d+\.\d+(?:\.\d+)?)(?:\.\*)?", env.python.version or "")
        python = found.group(1) if found else None
    direct = frozenset(p.name for p in pins)
    return tuple(pins), python, direct, tuple(notes)


def _pip_lines(parsed: ParsedEnvironment) -> list[str]:
    """The pip section as requirements-file lines (``-r`` kept, to be followed by the includer)."""
    if parsed.pip_section is None:
        return []
    from parity.spec.model import DirectRequirement

    return [
        entry.requirement if isinstance(entry, DirectRequirement) else f"-r {entry.target}"
        for entry in parsed.pip_section.entries
    ]


def lock_side(
    text: str, *, label: str, groups: frozenset[str]
) -> tuple[tuple[Pin, ...], str | None, tuple[str, ...]]:
    """(pins, python, notes) of one environment and platform of a conda lock file."""
    from parity.conda.names import INSTALLERS, INTERPRETER, NameMap
    from parity.conda.platform import this_platform
    from parity.errors import UsageError
    from parity.lock.formats.conda_lock import DEFAULT_ENVIRONMENT, parse_conda_lock

    lock = parse_conda_lock(text, path=label)
    wanted = sorted(groups) or [DEFAULT_ENVIRONMENT]
    names_env = [lock.groups.get(g, g) for g in wanted]
    environment = next((lock.environments[n] for n in names_env if n in lock.environments), None)
    if environment is None:
        if len(lock.environments) == 1 and not groups:
            environment = next(iter(lock.environments.values()))
        else:
            raise UsageError(
                f"{label}: no environment {', '.join(wanted)}",
                hint=f"Its environments: {', '.join(sorted(lock.environments))} (choose with -g).",
            )
    here = this_platform()
    platform = here if here in environment.platforms else (environment.platforms or ("",))[0]
    notes: list[str] = []
    if platform != here:
        notes.append(f"{label}: no packages for {here}; compared its {platform} packages")
    names = NameMap()
    pins: list[Pin] = []
    python: str | None = None
    skipped: list[str] = []
    for record in environment.conda.get(platform, ()):
        if record.name == INTERPRETER:
            python = record.version
            continue
        match = names.to_pypi(record.name)
        if match.name is None:
            skipped.append(record.name)
            continue
        if record.name in INSTALLERS:
            continue
        pins.append(Pin(name=canonicalize_name(match.name), version=record.version))
    for wheel in environment.pypi.get(platform, ()):
        pins.append(Pin(name=canonicalize_name(wheel.name), version=wheel.version))
    if skipped:
        notes.append(
            f"{label}: {len(skipped)} conda package(s) with no PyPI name not compared "
            f"({', '.join(sorted(skipped)[:8])}{', ...' if len(skipped) > 8 else ''})"
        )
    return tuple(pins), python, tuple(notes)

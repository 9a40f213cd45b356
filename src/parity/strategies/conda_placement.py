"""Which requirements a conda environment takes from conda and which from pip.

Pure decisions over the native-packages table and the name mapping: a
requirement goes to conda when the table says its native side is conda's
business (or the project says so), and it has a conda-forge name; everything
else stays a pip requirement.  What cannot be carried across is said in notes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from parity.conda.matchspec import from_pep440
from parity.conda.names import NameMap
from parity.conda.native import NativeTable, goes_to_conda, native_table
from parity.frozen import dataclass, field
from parity.lock.model import Pin
from parity.spec.model import CondaSettings, DirectRequirement


@dataclass(frozen=True)
class CondaEntry:
    """One conda match spec, and the PyPI name it stands for."""

    spec: str
    pypi: str


@dataclass
class Placement:
    conda: list[CondaEntry] = field(default_factory=list)
    pip: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Packages conda brings with the conda side, so pip does not install them again.
    left_to_conda: list[str] = field(default_factory=list)


def _wants_conda(name: str, settings: CondaSettings, table: NativeTable) -> bool:
    return goes_to_conda(
        name, from_conda=settings.from_conda, from_pip=settings.from_pip, table=table
    )


def place_requirements(
    requirements: Iterable[DirectRequirement],
    settings: CondaSettings,
    *,
    names: NameMap | None = None,
    table: NativeTable | None = None,
) -> Placement:
    """The from-history form: what the project asks for, each where it belongs."""
    names = names or NameMap(dict(settings.names))
    table = table or native_table()
    out = Placement()
    seen: set[str] = set()
    for direct in requirements:
        if direct.name in seen:
            continue
        seen.add(direct.name)
        text = direct.requirement
        if direct.editable or direct.path is not None:
            out.pip.append(f"-e {direct.path}" if direct.editable and direct.path else text)
            continue
        if not _wants_conda(direct.name, settings, table):
            out.pip.append(text)
            continue
        entry = _conda_entry(text, direct.name, names, out.notes)
        if entry is None:
            out.pip.append(text)
        else:
            out.conda.append(entry)
    return out


def _conda_entry(text: str, name: str, names: NameMap, notes: list[str]) -> CondaEntry | None:
    match = names.to_conda(name)
    if match.name is None:
        notes.append(
            f"{name} is native-heavy but has no known conda-forge name: it stays with pip "
            "(name it in [tool.parity.conda] names)"
        )
        return None
    try:
        req = Requirement(text)
    except InvalidRequirement:
        notes.append(f"{name}: {text!r} is not PEP 508; it stays with pip")
        return None
    if req.url:
        notes.append(f"{name} comes from a URL; it stays with pip")
        return None
    if req.marker is not None:
        notes.append(
            f"{name} has an environment marker ({req.marker}), which environment.yml cannot "
            "express for conda packages: it stays with pip"
        )
        return None
    version = from_pep440(str(req.specifier))
    if version is None:
        notes.append(
            f"{name}{req.specifier}: no conda form of this version range; it stays with pip"
        )
        return None
    if req.extras:
        notes.append(
            f"{name}[{','.join(sorted(req.extras))}]: conda packages have no extras; "
            f"install what the extras add as packages of their own"
        )
    return CondaEntry(spec=f"{match.name}{_spaced(version)}", pypi=canonicalize_name(name))


def _spaced(version: str) -> str:
    if not version:
        return ""
    return (
        version
        if version[0] in "<>=!~"
        else f"={version}"
        if version.endswith("*")
        else f"=={version}"
    )


def place_pins(
    pins: Sequence[Pin],
    settings: CondaSettings,
    *,
    names: NameMap | None = None,
    table: NativeTable | None = None,
) -> Placement:
    """The pinned form: every pin of a lock at its exact version, never re-resolved.

    Direct pins that belong in conda go to conda; what only they need (by the
    lock's dependency graph) is left to conda's own solve; what both sides
    need goes to conda too when it has a conda-forge name (so pip never
    replaces a package conda's packages were built against), else stays with pip.
    """
    names = names or NameMap(dict(settings.names))
    table = table or native_table()
    out = Placement()
    # A name the lock pins once per Python (or platform) fork keeps every pin, markers and all.
    by_name: dict[str, list[Pin]] = {}
    for pin in pins:
        by_name.setdefault(pin.name, []).append(pin)
    conda_roots = {
        p.name
        for p in pins
        if p.is_direct
        and len(by_name[p.name]) == 1
        and _wants_conda(p.name, settings, table)
        and p.marker is None
        and names.to_conda(p.name).name is not None
        and _exact(p) is not None
    }
    children: dict[str, set[str]] = {}
    for pin in pins:
        for parent in pin.required_by:
            children.setdefault(canonicalize_name(parent), set()).add(pin.name)
    conda_closure = _closure(conda_roots, children)
    pip_roots = {p.name for p in pins if p.is_direct and p.name not in conda_roots}
    pip_closure = _closure(pip_roots, {k: v - conda_roots for k, v in children.items()})
    for name in sorted(by_name):
        forks = by_name[name]
        conda_name = names.to_conda(name).name
        if name not in conda_roots and name in conda_closure and name not in pip_closure:
            out.left_to_conda.append(name)
            continue
        for pin in forks:
            exact = _exact(pin)
            if name in conda_roots:
                assert exact is not None and conda_name is not None
                native = table.package(name)
                version = native.conda_version(exact) if native else exact
                out.conda.append(CondaEntry(f"{conda_name}=={version}", name))
            elif (
                name in conda_closure
                and conda_name is not None
                and exact
                and pin.marker is None
                and len(forks) == 1
            ):
                out.conda.append(CondaEntry(f"{conda_name}=={exact}", name))
            else:
                out.pip.append(_pip_pin(pin))
    if out.left_to_conda:
        out.notes.append(
            f"left to conda's solve (only conda packages need them): {', '.join(out.left_to_conda)}"
        )
    return out


def _exact(pin: Pin) -> str | None:
    if pin.version is None or pin.source is not None:
        return None
    version = pin.version.split("+", 1)[0]
    return version if from_pep440(f"=={version}") is not None else None


def _pip_pin(pin: Pin) -> str:
    text = f"{pin.name} @ {pin.source}" if pin.source else f"{pin.name}=={pin.version}"
    if pin.marker:
        text += f" ; {pin.marker}"
    return text


def _closure(roots: Iterable[str], children: Mapping[str, set[str]]) -> set[str]:
    seen = set(roots)
    stack = list(seen)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen

"""Poetry's ``[tool.poetry]`` dependencies, translated to PEP 508 / PEP 440.

Caret, tilde and wildcard constraints follow Poetry's documented semantics
(python-poetry.org/docs/dependency-specification); ``||`` alternatives have
no single PEP 440 equivalent and are refused with an explanation.  Everything
here is pure: the reader in ``pyproject.py`` adds file locations and resolves
local paths.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from parity.errors import SpecError

_COMPARISON = re.compile(r"(===|==|!=|>=|<=|<>|~=|>|<|=)?\s*(\S+)")


def _release(version: str) -> tuple[int, ...]:
    try:
        return Version(version).release
    except InvalidVersion:
        raise ValueError(version) from None


def _lower(version: str) -> str:
    # Keep plain releases as written (``1.2`` stays ``1.2``); normalize the rest.
    return version if re.fullmatch(r"\d+(\.\d+)*", version) else str(Version(version))


def _upper(release: tuple[int, ...], position: int) -> str:
    """``release`` with component ``position`` raised by one and zeros after.

    The bound keeps as many components as were written (``^1.2`` -> ``<2.0``),
    as Poetry prints them.
    """
    upper = list(release[: position + 1])
    upper[position] += 1
    upper += [0] * (len(release) - len(upper))
    return ".".join(map(str, upper))


def _caret(version: str) -> str:
    release = _release(version)
    # Bump the left-most non-zero component among those written.
    position = next((i for i, v in enumerate(release) if v != 0), len(release) - 1)
    return f">={_lower(version)},<{_upper(release, position)}"


def _tilde(version: str) -> str:
    release = _release(version)
    return f">={_lower(version)},<{_upper(release, 0 if len(release) == 1 else 1)}"


def poetry_to_pep440(constraint: str) -> str:
    """Translate one Poetry version constraint to a PEP 440 specifier ('' = any version).

    Raises SpecError (without a location; callers add it) when the constraint
    cannot be read or cannot be said in PEP 440.
    """
    text = constraint.strip()
    if "|" in text:
        raise SpecError(
            f"Poetry constraint {constraint!r} has alternatives (||); a PEP 440 specifier "
            "is a list of conditions that must all hold, so it cannot say 'this or that'",
            hint="Replace it with one range that covers what you need (e.g. >=1.2,<3), "
            "or pin the version you use.",
        )
    if text in ("", "*"):
        return ""
    pieces = [p for p in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", text) if p.strip()]
    out: list[str] = []
    for piece in pieces:
        try:
            out.append(_one(piece.strip()))
        except ValueError:
            raise SpecError(
                f"cannot read Poetry constraint {constraint!r}",
                hint="Use ^1.2, ~1.2, 1.2.*, >=1.2,<2 or an exact version.",
            ) from None
    result = ",".join(o for o in out if o)
    try:
        SpecifierSet(result)
    except InvalidSpecifier:
        raise SpecError(
            f"Poetry constraint {constraint!r} becomes {result!r}, which is not valid PEP 440",
            hint="Use ^1.2, ~1.2, 1.2.*, >=1.2,<2 or an exact version.",
        ) from None
    return result


def _one(piece: str) -> str:
    if piece == "*":
        return ""
    if piece.startswith("^"):
        return _caret(piece[1:].strip())
    if piece.startswith("~") and not piece.startswith("~="):
        return _tilde(piece[1:].strip())
    match = _COMPARISON.fullmatch(piece)
    if not match:
        raise ValueError(piece)
    operator, version = match.group(1) or "", match.group(2)
    if operator in ("", "="):
        operator = "=="
    elif operator == "<>":
        operator = "!="
    if version != "*" and not version[0].isdigit():
        raise ValueError(piece)
    if version == "*":
        if operator != "==":
            raise ValueError(piece)
        return ""
    return f"{operator}{version}"


def python_marker(constraint: str) -> str:
    """A PEP 508 marker for Poetry's ``python = "..."`` on one dependency ('' = always).

    A bound with a patch number compares ``python_full_version``, since
    ``python_version`` holds only major.minor.
    """
    spec = poetry_to_pep440(constraint)
    parts: list[str] = []
    for item in spec.split(","):
        if not item:
            continue
        match = re.match(r"(===|==|!=|>=|<=|~=|>|<)(.*)", item)
        if not match:  # pragma: no cover - poetry_to_pep440 only yields these
            continue
        operator, version = match.groups()
        variable = (
            "python_full_version"
            if len(version.removesuffix(".*").split(".")) > 2
            else "python_version"
        )
        parts.append(f"{variable} {operator} '{version}'")
    return " and ".join(parts)


@dataclass(frozen=True)
class PoetryDependency:
    """One PEP 508 requirement a Poetry dependency entry stands for.

    ``path`` is the local path as written (relative to pyproject.toml);
    the reader turns it into a project-relative one.
    """

    text: str
    optional: bool = False
    path: str | None = None
    editable: bool = False


def _git_url(url: str) -> str:
    # Poetry accepts scp-like addresses (git@host:org/repo.git); PEP 508 needs a URL.
    scp = re.fullmatch(r"(?P<user>[\w.-]+)@(?P<host>[\w.-]+):(?P<path>[^/].*)", url)
    if scp and "://" not in url:
        url = f"ssh://{scp['user']}@{scp['host']}/{scp['path']}"
    return url if url.startswith("git+") else f"git+{url}"


def dependency_requirements(name: str, value: Any) -> list[PoetryDependency]:
    """PEP 508 requirements for one ``name = value`` entry of a Poetry dependency table."""
    if isinstance(value, list):
        out: list[PoetryDependency] = []
        for item in value:
            if not isinstance(item, (str, Mapping)):
                raise SpecError(
                    f"dependency {name!r}: each alternative must be a table",
                    hint='Write [{version = "^1.0", python = "<3.12"}, ...].',
                )
            out += dependency_requirements(name, item)
        return out
    if isinstance(value, str):
        return [PoetryDependency(f"{name}{poetry_to_pep440(value)}")]
    if not isinstance(value, Mapping):
        raise SpecError(
            f"cannot read the dependency {name!r}",
            hint='Use a version string ("^1.2") or a table ({ version = "^1.2" }).',
        )
    extras = value.get("extras") or []
    if not isinstance(extras, list) or not all(isinstance(e, str) for e in extras):
        raise SpecError(f"dependency {name!r}: extras must be a list of names")
    extra_text = f"[{','.join(extras)}]" if extras else ""
    markers: list[str] = []
    if value.get("markers"):
        markers.append(f"({value['markers']})")
    if value.get("python"):
        marker = python_marker(str(value["python"]))
        if marker:
            markers.append(f"({marker})")
    if value.get("platform"):
        markers.append(f"(sys_platform == '{value['platform']}')")
    marker_text = f" ; {' and '.join(markers)}" if markers else ""
    optional = bool(value.get("optional"))
    if "path" in value:
        return [
            PoetryDependency(
                f"{name}{extra_text} @ {value['path']}{marker_text}",
                optional=optional,
                path=str(value["path"]),
                editable=bool(value.get("develop")),
            )
        ]
    if "git" in value:
        rev = value.get("rev") or value.get("tag") or value.get("branch")
        url = _git_url(str(value["git"])) + (f"@{rev}" if rev else "")
        if value.get("subdirectory"):
            url += f"#subdirectory={value['subdirectory']}"
        return [PoetryDependency(f"{name}{extra_text} @ {url}{marker_text}", optional=optional)]
    if "url" in value:
        return [
            PoetryDependency(f"{name}{extra_text} @ {value['url']}{marker_text}", optional=optional)
        ]
    spec = poetry_to_pep440(str(value.get("version", "*")))
    return [PoetryDependency(f"{name}{extra_text}{spec}{marker_text}", optional=optional)]


def requires_python(constraint: str) -> str | None:
    """Poetry's project-wide ``python = "..."`` as a PEP 440 range (None = any)."""
    return poetry_to_pep440(constraint) or None

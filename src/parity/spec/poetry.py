"""Poetry's ``[tool.poetry]`` dependencies, translated to PEP 508 / PEP 440.

Caret, tilde and wildcard constraints follow Poetry's documented semantics
(python-poetry.org/docs/dependency-specification); ``||`` alternatives have
no single PEP 440 equivalent and are refused with an explanation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from parity.errors import SpecError
from parity.spec.model import DEFAULT_GROUP, DirectRequirement, Group, SourceRef

PYPROJECT = "pyproject.toml"


def _release(text: str) -> list[int]:
    parts = text.split(".")
    if not all(p.isdigit() for p in parts):
        raise ValueError(text)
    return [int(p) for p in parts]


def _caret(version: str) -> str:
    release = _release(version)
    # Bump the left-most non-zero component among those written.
    index = next((i for i, v in enumerate(release) if v != 0), len(release) - 1)
    upper = release[: index + 1]
    upper[index] += 1
    upper += [0] * (len(release) - len(upper))
    return f">={version},<{'.'.join(map(str, upper))}"


def _tilde(version: str) -> str:
    release = _release(version)
    if len(release) == 1:
        upper = [release[0] + 1]
    else:
        upper = [release[0], release[1] + 1] + [0] * (len(release) - 2)
    return f">={version},<{'.'.join(map(str, upper))}"


def poetry_to_pep440(constraint: str) -> str:
    """Translate one Poetry version constraint to a PEP 440 specifier ('' = any)."""
    text = constraint.strip()
    if "||" in text or "|" in text:
        raise SpecError(
            f"Poetry constraint {constraint!r} has alternatives (||), which PEP 440 cannot express",
            hint="Replace it with one range (e.g. >=1.2,<3), or pin the version you need.",
        )
    if text in ("", "*"):
        return ""
    pieces = [p.strip() for p in re.split(r"\s*,\s*|\s+(?=[<>=!~^])", text) if p.strip()]
    out: list[str] = []
    for piece in pieces:
        try:
            out.append(_one(piece))
        except ValueError:
            raise SpecError(
                f"cannot read Poetry constraint {constraint!r}",
                hint="Use ^1.2, ~1.2, 1.2.*, >=1.2,<2 or an exact version.",
            ) from None
    return ",".join(o for o in out if o)


def _one(piece: str) -> str:
    if piece.startswith("^"):
        return _caret(piece[1:].strip())
    if piece.startswith("~="):
        return "~=" + piece[2:].strip()
    if piece.startswith("~"):
        return _tilde(piece[1:].strip())
    match = re.fullmatch(r"(==|!=|>=|<=|>|<|===)?\s*([0-9][0-9A-Za-z.*+!-]*)", piece)
    if not match:
        raise ValueError(piece)
    operator, version = match.group(1) or "", match.group(2)
    if version.endswith(".*") or version == "*":
        return f"{operator or '=='}{version}"
    if not operator:
        return f"=={version}"
    return f"{operator}{version}"


def python_marker(constraint: str) -> str:
    spec = poetry_to_pep440(constraint)
    parts = []
    for item in spec.split(","):
        if item:
            match = re.match(r"(==|!=|>=|<=|>|<|~=)(.*)", item)
            if match:
                parts.append(f"python_version {match.group(1)} '{match.group(2)}'")
    return " and ".join(parts)


def dependency_strings(name: str, value: Any, ref: SourceRef) -> list[tuple[str, dict[str, Any]]]:
    """PEP 508 strings for one Poetry dependency, with extra facts (path, editable)."""
    if isinstance(value, list):
        out: list[tuple[str, dict[str, Any]]] = []
        for item in value:
            out += dependency_strings(name, item, ref)
        return out
    if isinstance(value, str):
        spec = poetry_to_pep440(value)
        return [(f"{name}{spec}", {})]
    if not isinstance(value, Mapping):
        raise SpecError(
            f"cannot read the dependency {name!r}", path=ref.path, hint="Use a string or a table."
        )
    extras = value.get("extras") or []
    extra_text = f"[{','.join(extras)}]" if extras else ""
    markers: list[str] = []
    if value.get("markers"):
        markers.append(f"({value['markers']})")
    if value.get("python"):
        marker = python_marker(str(value["python"]))
        if marker:
            markers.append(f"({marker})")
    marker_text = f" ; {' and '.join(markers)}" if markers else ""
    facts: dict[str, Any] = {"optional": bool(value.get("optional"))}
    if "path" in value:
        facts.update(path=str(value["path"]), editable=bool(value.get("develop")))
        return [(f"{name}{extra_text} @ {value['path']}{marker_text}", facts)]
    if "git" in value:
        rev = value.get("rev") or value.get("tag") or value.get("branch")
        url = f"git+{value['git']}" + (f"@{rev}" if rev else "")
        if value.get("subdirectory"):
            url += f"#subdirectory={value['subdirectory']}"
        return [(f"{name}{extra_text} @ {url}{marker_text}", facts)]
    if "url" in value:
        return [(f"{name}{extra_text} @ {value['url']}{marker_text}", facts)]
    spec = poetry_to_pep440(str(value.get("version", "*")))
    return [(f"{name}{extra_text}{spec}{marker_text}", facts)]


def read_poetry_groups(poetry: Mapping[str, Any], make: Any) -> tuple[list[Group], str | None]:
    """Groups of a Poetry project and its Python constraint (as PEP 440).

    ``make(name, text, ref, facts)`` builds a DirectRequirement (local paths
    are resolved by the caller, which knows the project root).
    """
    groups: list[Group] = []
    deps = dict(poetry.get("dependencies", {}))
    python = deps.pop("python", None)
    requires_python = poetry_to_pep440(str(python)) if python else None
    prod: list[DirectRequirement] = []
    optional: dict[str, DirectRequirement] = {}
    for name, value in deps.items():
        ref = SourceRef(PYPROJECT)
        for text, facts in dependency_strings(name, value, ref):
            req = make(name, text, ref, facts)
            if facts.get("optional"):
                optional[req.name] = req
            else:
                prod.append(req)
    groups.append(
        Group(DEFAULT_GROUP, tuple(prod), "requirements.txt", source=SourceRef(PYPROJECT))
    )
    for extra, names in (poetry.get("extras") or {}).items():
        chosen = tuple(optional[n.lower()] for n in names if n.lower() in optional)
        groups.append(Group(extra, chosen, f"requirements-{extra}.txt", includes=(DEFAULT_GROUP,)))
    tables: dict[str, Mapping[str, Any]] = {}
    if "dev-dependencies" in poetry:
        tables["dev"] = poetry["dev-dependencies"]
    for group, table in (poetry.get("group") or {}).items():
        tables[group] = table.get("dependencies", {})
    for group, table in tables.items():
        reqs: list[DirectRequirement] = []
        for name, value in table.items():
            ref = SourceRef(PYPROJECT)
            for text, facts in dependency_strings(name, value, ref):
                reqs.append(make(name, text, ref, facts))
        groups.append(
            Group(group, tuple(reqs), f"requirements-{group}.txt", includes=(DEFAULT_GROUP,))
        )
    return groups, requires_python

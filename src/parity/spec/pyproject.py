"""pyproject.toml: PEP 621 dependencies and extras, PEP 735 dependency groups,
Poetry tables, and the index settings of ``[tool.uv]`` / Poetry sources."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement

from parity import toml as tomllib
from parity.errors import SpecError
from parity.spec.local import local_requirement
from parity.spec.model import DEFAULT_GROUP, DirectRequirement, Group, IndexConfig, SourceRef
from parity.spec.poetry import read_poetry_groups
from parity.spec.requirements_in import check_include_cycles

PYPROJECT = "pyproject.toml"
_GROUP_NAME = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")


def read_toml(root: Path, name: str) -> dict[str, Any]:
    path = root / name
    try:
        return dict(tomllib.loads(path.read_text(encoding="utf-8")))
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(match.group(1)) if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise SpecError(
            f"invalid TOML: {message}",
            path=name,
            line=line,
            hint="Fix the TOML syntax at that line.",
        ) from None


def is_poetry(data: dict[str, Any]) -> bool:
    poetry = data.get("tool", {}).get("poetry", {})
    return bool(poetry.get("dependencies") or poetry.get("group") or poetry.get("dev-dependencies"))


def is_pep621(data: dict[str, Any]) -> bool:
    project = data.get("project", {})
    return bool(
        "dependencies" in project
        or project.get("optional-dependencies")
        or data.get("dependency-groups")
    )


def _line_finder(text: str) -> Any:
    lines = text.splitlines()

    def find(requirement: str) -> int | None:
        for number, line in enumerate(lines, start=1):
            if f'"{requirement}"' in line or f"'{requirement}'" in line:
                return number
        return None

    return find


def _requirement(root: Path, text: str, find: Any, *, where: str) -> DirectRequirement:
    ref = SourceRef(PYPROJECT, find(text))
    if not isinstance(text, str):
        raise SpecError(f"{where} must hold requirement strings", path=PYPROJECT)
    try:
        req = Requirement(text)
    except InvalidRequirement as exc:
        raise SpecError(
            f"not a valid requirement in {where}: {text!r} ({exc})",
            path=PYPROJECT,
            line=ref.line,
            hint="Write it as in PEP 508, e.g. `pandas>=2.0`.",
        ) from None
    if req.url and req.url.startswith("file:"):
        return local_requirement(root, PurePosixPath("."), text, ref, editable=False)
    return DirectRequirement.make(text, ref, name=req.name)


def read_pep621_groups(root: Path, data: dict[str, Any], text: str) -> list[Group]:
    find = _line_finder(text)
    project = data.get("project", {})
    prod = tuple(
        _requirement(root, r, find, where="[project.dependencies]")
        for r in project.get("dependencies", [])
    )
    groups = [Group(DEFAULT_GROUP, prod, "requirements.txt", source=SourceRef(PYPROJECT))]
    for extra, reqs in (project.get("optional-dependencies") or {}).items():
        name = _normalize_group(extra)
        items = tuple(_requirement(root, r, find, where=f"extra {extra!r}") for r in reqs)
        groups.append(Group(name, items, f"requirements-{name}.txt", includes=(DEFAULT_GROUP,)))
    declared = data.get("dependency-groups") or {}
    normalized = {_normalize_group(k): k for k in declared}
    for raw_name, items in declared.items():
        name = _normalize_group(raw_name)
        requirements: list[DirectRequirement] = []
        includes: list[str] = [DEFAULT_GROUP]
        for item in items:
            if isinstance(item, dict) and "include-group" in item:
                target = _normalize_group(str(item["include-group"]))
                if target not in normalized:
                    raise SpecError(
                        f"group {raw_name!r} includes unknown group {item['include-group']!r}",
                        path=PYPROJECT,
                        hint=f"Known groups: {', '.join(declared)}.",
                    )
                includes.append(target)
            else:
                requirements.append(_requirement(root, item, find, where=f"group {raw_name!r}"))
        if any(g.name == name for g in groups):
            raise SpecError(
                f"group {name!r} is both an extra and a dependency group", path=PYPROJECT
            )
        groups.append(
            Group(name, tuple(requirements), f"requirements-{name}.txt", includes=tuple(includes))
        )
    check_include_cycles(groups)
    return groups


def _normalize_group(name: str) -> str:
    if not _GROUP_NAME.match(name):
        raise SpecError(
            f"invalid group name {name!r}",
            path=PYPROJECT,
            hint="Use letters, digits, '-', '_' and '.'.",
        )
    return re.sub(r"[-_.]+", "-", name).lower()


def read_poetry(root: Path, data: dict[str, Any]) -> tuple[list[Group], str | None]:
    poetry = data["tool"]["poetry"]

    def make(name: str, text: str, ref: SourceRef, facts: dict[str, Any]) -> DirectRequirement:
        if "path" in facts:
            return local_requirement(
                root,
                PurePosixPath("."),
                f"{name} @ {facts['path']}",
                ref,
                editable=bool(facts.get("editable")),
            )
        try:
            Requirement(text)
        except InvalidRequirement as exc:
            raise SpecError(
                f"cannot translate Poetry dependency {name!r}: {exc}", path=PYPROJECT
            ) from None
        return DirectRequirement.make(text, ref, name=name)

    return read_poetry_groups(poetry, make)


def index_config(data: dict[str, Any]) -> IndexConfig:
    """Index settings a pyproject declares: [tool.uv] or Poetry sources."""
    tool = data.get("tool", {})
    uv = tool.get("uv", {})
    index_url: str | None = uv.get("index-url")
    extras: list[str] = list(uv.get("extra-index-url", []))
    for index in uv.get("index", []):
        url = index.get("url")
        if not url:
            continue
        if index.get("default"):
            index_url = url
        elif not index.get("explicit"):
            extras.append(url)
    for source in tool.get("poetry", {}).get("source", []):
        url = source.get("url")
        if not url:
            continue
        if source.get("priority") in ("primary", "default") or source.get("default"):
            index_url = url
        elif source.get("priority") != "explicit":
            extras.append(url)
    return IndexConfig(
        index_url=index_url,
        extra_index_urls=tuple(extras),
        find_links=tuple(uv.get("find-links", [])),
        no_index=bool(uv.get("no-index", False)),
    )

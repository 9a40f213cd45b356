"""Find a project's inputs and read them into one ProjectSpec.

Detection order: Poetry tables in pyproject.toml, then PEP 621/735 tables,
then pip-tools ``*.in`` files.  ``.python-version`` pins the interpreter and
``[tool.parity]`` (in pyproject.toml or parity.toml) names output files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from parity.errors import SpecError
from parity.spec.digest import digest_data, digest_requirements_file
from parity.spec.model import Group, InputFile, ProjectSpec, PythonTarget, SourceRef
from parity.spec.pyproject import (
    PYPROJECT,
    index_config,
    is_pep621,
    is_poetry,
    read_pep621_groups,
    read_poetry,
    read_toml,
)
from parity.spec.requirements_in import discover_group_files, read_groups

_TABLES_READ = ("project", "dependency-groups")


def load_project(root: Path, *, groups_output: Mapping[str, str] | None = None) -> ProjectSpec:
    root = root.resolve()
    if not root.is_dir():
        raise SpecError(
            "no such project directory", path=root.name, hint="Pass the project directory with -p."
        )
    pyproject_data: dict[str, Any] = {}
    pyproject_text = ""
    if (root / PYPROJECT).is_file():
        pyproject_text = (root / PYPROJECT).read_text(encoding="utf-8")
        pyproject_data = read_toml(root, PYPROJECT)
    inputs: list[InputFile] = []
    name = pyproject_data.get("project", {}).get("name") or pyproject_data.get("tool", {}).get(
        "poetry", {}
    ).get("name")
    installable = "build-system" in pyproject_data and bool(name)
    requires_python: str | None = pyproject_data.get("project", {}).get("requires-python")
    if is_poetry(pyproject_data):
        fmt = "poetry"
        groups, poetry_python = read_poetry(root, pyproject_data)
        requires_python = requires_python or poetry_python
        index = index_config(pyproject_data)
        inputs.append(_pyproject_digest(pyproject_data))
    elif is_pep621(pyproject_data):
        fmt = "pep621"
        groups = read_pep621_groups(root, pyproject_data, pyproject_text)
        index = index_config(pyproject_data)
        inputs.append(_pyproject_digest(pyproject_data))
    elif discover_group_files(root):
        fmt = "requirements-in"
        groups, index, parsed = read_groups(root)
        installable = False
        for item in parsed:
            inputs.append(
                digest_requirements_file(
                    item.path,
                    item.requirements,
                    item.constraints,
                    [t for t, _ in item.includes],
                    item.index,
                )
            )
    else:
        raise SpecError(
            "no project inputs found",
            path=root.name,
            hint="parity reads requirements.in (and requirements-<group>.in), or pyproject.toml with "
            "[project] dependencies, [dependency-groups] or [tool.poetry.dependencies].",
        )
    config = _parity_config(root, pyproject_data)
    outputs = dict(config.get("outputs", {}))
    outputs.update(groups_output or {})
    groups = _apply_outputs(groups, outputs)
    if config:
        inputs.append(digest_data("[tool.parity]", config))
    python = _python_target(root, requires_python, config)
    if python.pinned:
        inputs.append(digest_data(".python-version", python.pinned))
    return ProjectSpec(
        root=root,
        format=fmt,
        groups=tuple(groups),
        python=python,
        index=index,
        inputs=tuple(sorted(inputs, key=lambda i: i.path)),
        name=name if isinstance(name, str) else None,
        installable=installable,
    )


def _pyproject_digest(data: dict[str, Any]) -> InputFile:
    tool = data.get("tool", {})
    read = {key: data.get(key) for key in _TABLES_READ}
    read["poetry"] = {
        k: tool.get("poetry", {}).get(k)
        for k in ("dependencies", "group", "dev-dependencies", "extras", "source")
    }
    read["uv-index"] = {
        k: tool.get("uv", {}).get(k)
        for k in ("index", "index-url", "extra-index-url", "find-links", "no-index")
    }
    project = read.get("project") or {}
    read["project"] = {
        k: project.get(k) for k in ("dependencies", "optional-dependencies", "requires-python")
    }
    return digest_data(PYPROJECT, read)


def _parity_config(root: Path, pyproject: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = dict(pyproject.get("tool", {}).get("parity", {}))
    if (root / "parity.toml").is_file():
        config.update(read_toml(root, "parity.toml"))
    outputs = config.get("outputs", {})
    if not isinstance(outputs, dict) or not all(isinstance(v, str) for v in outputs.values()):
        raise SpecError("[tool.parity] outputs must map group names to file names", path=PYPROJECT)
    return config


def _apply_outputs(groups: list[Group], outputs: Mapping[str, str]) -> list[Group]:
    known = {g.name for g in groups}
    unknown = sorted(set(outputs) - known)
    if unknown:
        raise SpecError(
            f"outputs named for unknown group(s): {', '.join(unknown)}",
            path=PYPROJECT,
            hint=f"This project's groups are: {', '.join(g.name for g in groups)}.",
        )
    for name, path in outputs.items():
        if Path(path).is_absolute() or ".." in Path(path).parts:
            raise SpecError(
                f"output file for {name!r} must stay inside the project: {path!r}", path=PYPROJECT
            )
    return [replace(g, output=outputs.get(g.name, g.output)) for g in groups]


def _python_target(
    root: Path, requires_python: str | None, config: Mapping[str, Any]
) -> PythonTarget:
    pinned: str | None = None
    source: SourceRef | None = None
    version_file = root / ".python-version"
    if version_file.is_file():
        for number, raw in enumerate(
            version_file.read_text(encoding="utf-8").splitlines(), start=1
        ):
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            match = re.fullmatch(r"(?:cpython-|python)?(\d+\.\d+(?:\.\d+)?)\S*", line)
            if not match:
                raise SpecError(
                    f"not a Python version: {line!r}",
                    path=".python-version",
                    line=number,
                    hint="Write a version such as 3.11 or 3.11.7.",
                )
            pinned, source = match.group(1), SourceRef(".python-version", number)
            break
    if pinned is None and isinstance(config.get("python"), str):
        pinned, source = str(config["python"]), SourceRef(PYPROJECT)
    return PythonTarget(requires_python=requires_python, pinned=pinned, source=source)

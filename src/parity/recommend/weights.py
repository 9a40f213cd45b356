"""Weights of the criteria: the course's defaults, the project's, the command line's.

The project sets them in pyproject.toml (or parity.toml)::

    [tool.parity.recommend.weights]
    reproducibility = 4
    disk = 0

and ``--weight NAME=NUMBER`` overrides one for a run.  A weight is a number
from 0 to 100; at least one must be above 0.  Anything else is an error
naming the file and line (or the flag), never a silent default.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from parity.errors import SpecError, UsageError
from parity.recommend.model import CRITERIA, STRATEGIES, Weights

MAX_WEIGHT = 100.0
_ALIASES = {
    "simple": "simplicity",
    "reproducible": "reproducibility",
    "non-python-deps": "non-python",
    "native": "non-python",
    "lockfile": "native-lockfile",
    "lock": "native-lockfile",
    "ci-cd": "ci",
    "ci-friendliness": "ci",
    "disk-use": "disk",
    "learning": "learning-curve",
}
KNOWN_KEYS = ("weights", "strategies")


def criterion_name(text: str) -> str | None:
    key = text.strip().lower().replace("_", "-").replace(" ", "-")
    if key in CRITERIA:
        return key
    return _ALIASES.get(key)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    if math.isnan(number) or math.isinf(number):
        return None
    return number


def parse_flag(text: str) -> tuple[str, float]:
    """``reproducibility=4`` -> (criterion, weight); a clear error otherwise."""
    name, sep, raw = text.partition("=")
    criterion = criterion_name(name)
    if not sep or not name.strip():
        raise UsageError(
            f"--weight {text!r}: expected NAME=NUMBER",
            hint=f"For example --weight reproducibility=4. Criteria: {', '.join(CRITERIA)}.",
        )
    if criterion is None:
        raise UsageError(
            f"--weight {text!r}: unknown criterion {name.strip()!r}",
            hint=f"Criteria: {', '.join(CRITERIA)}.",
        )
    number = _number(raw)
    if number is None or not 0 <= number <= MAX_WEIGHT:
        raise UsageError(
            f"--weight {text!r}: the weight must be a number from 0 to {MAX_WEIGHT:g}",
            hint="0 leaves the criterion out; the default weights are 1 to 3.",
        )
    return criterion, number


def project_settings(root: Path) -> tuple[dict[str, Any], str, tuple[Any, tuple[str, ...]]] | None:
    """The recommend settings of the project: ``[tool.parity.recommend]`` of parity.toml
    (or its top-level ``[recommend]``), else of pyproject.toml.  Returns (the table, the
    file, (a line finder, the table's keys)), or None when the project sets none."""
    from parity.spec.pyproject import TomlLines, parse_toml
    from parity.textfile import read_text_file

    for name in ("parity.toml", "pyproject.toml"):
        path = root / name
        if not path.is_file():
            continue
        text = read_text_file(path, shown=name)
        data = parse_toml(text, name)
        tool = data.get("tool")
        parity = tool.get("parity") if isinstance(tool, Mapping) else None
        at: tuple[str, ...] = ("tool", "parity", "recommend")
        if name == "parity.toml" and parity is None:
            parity, at = data, ("recommend",)
        found = parity.get("recommend") if isinstance(parity, Mapping) else None
        if found is None:
            continue
        lines = TomlLines(text)
        where = "[" + ".".join(at) + "]"
        if not isinstance(found, Mapping):
            raise SpecError(
                f"{where} must be a table",
                path=name,
                line=lines.key(at[:-1], at[-1]),
                hint=f"Write {where} on a line of its own, then weights = {{ speed = 2 }}.",
            )
        for key in found:
            if key not in KNOWN_KEYS:
                raise SpecError(
                    f"{where}: unknown key {key!r}",
                    path=name,
                    line=lines.key(at, key),
                    hint=f"{where} takes: {', '.join(KNOWN_KEYS)}.",
                )
        return dict(found), name, (lines, at)
    return None


def project_weights(root: Path) -> tuple[dict[str, float], dict[str, str]]:
    """The weights a project sets, and where (``pyproject.toml:12``)."""
    found = project_settings(root)
    if found is None or "weights" not in found[0]:
        return {}, {}
    data, name, (lines, at) = found
    table = data["weights"]
    where = "[" + ".".join((*at, "weights")) + "]"
    if not isinstance(table, Mapping):
        raise SpecError(
            f"{where} must be a table of criterion = number",
            path=name,
            line=lines.key(at, "weights"),
            hint="Write weights = { reproducibility = 4, disk = 0 }.",
        )
    values: dict[str, float] = {}
    sources: dict[str, str] = {}
    for key, raw in table.items():
        line = lines.key((*at, "weights"), key) or lines.key(at, "weights")
        criterion = criterion_name(str(key))
        if criterion is None:
            raise SpecError(
                f"{where}: unknown criterion {key!r}",
                path=name,
                line=line,
                hint=f"Criteria: {', '.join(CRITERIA)}.",
            )
        number = _number(raw)
        if number is None or isinstance(raw, str) or not 0 <= number <= MAX_WEIGHT:
            raise SpecError(
                f"{where}: {key} = {_toml_value(raw)} is not a weight "
                f"(a number from 0 to {MAX_WEIGHT:g})",
                path=name,
                line=line,
                hint=f"Write {key} = 2 (0 leaves the criterion out).",
            )
        values[criterion] = number
        sources[criterion] = f"{name}:{line}" if line else name
    return values, sources


def _toml_value(value: object) -> str:
    """A value as it is written in the file (``true``, ``"high"``), not Python's repr."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def project_strategies(root: Path) -> tuple[str, ...] | None:
    found = project_settings(root)
    if found is None or "strategies" not in found[0]:
        return None
    data, name, (lines, at) = found
    value = data["strategies"]
    line = lines.key(at, "strategies")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(
            "[tool.parity.recommend] strategies must be a list of strategy names",
            path=name,
            line=line,
            hint=f'Write strategies = ["pip-tools", "poetry"] (from {", ".join(STRATEGIES)}).',
        )
    return check_strategies(value, where=f"{name}:{line}" if line else name)


def check_strategies(names: Sequence[str], *, where: str = "--strategies") -> tuple[str, ...]:
    out: list[str] = []
    for raw in names:
        for name in (n.strip() for n in raw.split(",")):
            if not name:
                continue
            if name not in STRATEGIES:
                raise UsageError(
                    f"{where}: unknown strategy {name!r}",
                    hint=f"Strategies: {', '.join(STRATEGIES)}.",
                )
            if name not in out:
                out.append(name)
    if not out:
        raise UsageError(
            f"{where}: no strategy named", hint=f"Name some of: {', '.join(STRATEGIES)}."
        )
    return tuple(out)


def resolve_weights(
    defaults: Mapping[str, float],
    project: Mapping[str, float],
    project_sources: Mapping[str, str],
    flags: Sequence[str],
) -> Weights:
    values = dict(defaults)
    sources = {c: "default" for c in values}
    for criterion, number in project.items():
        values[criterion] = number
        sources[criterion] = project_sources.get(criterion, "project")
    for text in flags:
        criterion, number = parse_flag(text)
        values[criterion] = number
        sources[criterion] = "--weight"
    if not any(v > 0 for v in values.values()):
        raise UsageError(
            "every weight is 0: nothing to rank on",
            hint="Give at least one criterion a weight above 0.",
        )
    return Weights({c: values[c] for c in CRITERIA}, sources)

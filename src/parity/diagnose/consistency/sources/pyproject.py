"""pyproject.toml: requires-python, Poetry's ``python`` and ``[tool.parity] python``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from parity.diagnose.consistency import SOURCE_PATTERNS
from parity.diagnose.consistency.facts import PIN, RANGE, Place, PythonFact

PATTERNS = SOURCE_PATTERNS[__name__]


def facts(path: str, text: str) -> Iterator[PythonFact]:
    from parity import toml
    from parity.spec.pyproject import TomlLines

    try:
        data: dict[str, Any] = toml.loads(text)
    except toml.TOMLDecodeError:
        return  # the spec reader reports bad TOML with its line
    lines = TomlLines(text)
    project = data.get("project")
    if isinstance(project, dict) and isinstance(project.get("requires-python"), str):
        where = Place(path, lines.key(("project",), "requires-python"))
        yield PythonFact(RANGE, project["requires-python"], where, "requires-python")
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    assert isinstance(tool, dict)
    poetry = tool.get("poetry", {})
    deps = poetry.get("dependencies", {}) if isinstance(poetry, dict) else {}
    if isinstance(deps, dict) and isinstance(deps.get("python"), str):
        where = Place(path, lines.key(("tool", "poetry", "dependencies"), "python"))
        from parity.errors import SpecError
        from parity.spec.poetry import requires_python  # packaging: only for Poetry's python

        try:
            translated = requires_python(deps["python"])
        except SpecError:
            translated = None
        if translated:
            yield PythonFact(RANGE, translated, where, "Poetry's python")
    parity = tool.get("parity", {})
    if isinstance(parity, dict) and isinstance(parity.get("python"), str):
        where = Place(path, lines.key(("tool", "parity"), "python"))
        yield PythonFact(PIN, parity["python"].strip(), where, "[tool.parity] python")

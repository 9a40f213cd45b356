"""Facts about parity's own source that no behaviour test would notice breaking."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from parity import toml

ROOT = Path(__file__).resolve().parents[1]
# Distribution name -> the module it is imported as.
IMPORT_NAMES = {"ruamel.yaml": "ruamel.yaml", "tomli": "tomli"}


def imported_modules(folder: Path) -> dict[str, set[Path]]:
    """Every module imported anywhere under ``folder`` (at any depth), with the files."""
    found: dict[str, set[Path]] = {}
    for path in folder.rglob("*.py"):
        if "_vendor" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                parts = name.split(".")
                for i in range(1, len(parts) + 1):
                    found.setdefault(".".join(parts[:i]), set()).add(path)
    return found


def test_tomllib_is_imported_only_by_the_guarded_toml_module() -> None:
    # tomllib is new in 3.11; parity supports 3.10 (a test importing it broke the suite there).
    users = imported_modules(ROOT / "src").get("tomllib", set())
    users |= imported_modules(ROOT / "tests").get("tomllib", set())
    assert {p.relative_to(ROOT).as_posix() for p in users} == {"src/parity/toml.py"}


def test_every_runtime_dependency_is_imported() -> None:
    # A dependency nothing imports is weight every user installs for nothing.
    project = toml.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    imported = imported_modules(ROOT / "src" / "parity")
    for requirement in project["dependencies"]:
        name = re.match(r"[A-Za-z0-9._-]+", requirement).group(0)  # type: ignore[union-attr]
        module = IMPORT_NAMES.get(name, name.replace("-", "_"))
        assert module in imported, f"{name} is a runtime dependency that nothing imports"

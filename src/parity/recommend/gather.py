"""The edge of the recommendation: read the project's files, hand them to the pure parts.

Reads the text of the files the facts come from (configuration, code,
requirement and lock files, CI, Docker and editor files), bounded in count
and size so a huge repository costs a bounded time, and what the
consistency readers find in them (pins of every lockfile, every Python
version stated).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from parity.diagnose.consistency import collect_facts
from parity.diagnose.consistency.facts import PinFact, PythonFact
from parity.recommend.facts import Measured, ProjectFacts, facts_from
from parity.spec.model import ProjectSpec
from parity.spec.plain import PlainProject
from parity.spec.services import project_texts

PIN_SOURCES = (
    "parity.diagnose.consistency.sources.requirements_txt",
    "parity.diagnose.consistency.sources.poetry_lock",
    "parity.diagnose.consistency.sources.pylock",
    "parity.diagnose.consistency.sources.conda_lock",
)
PYTHON_SOURCES = (
    "parity.diagnose.consistency.sources.python_version",
    "parity.diagnose.consistency.sources.pyproject",
    "parity.diagnose.consistency.sources.github_actions",
    "parity.diagnose.consistency.sources.gitlab_ci",
    "parity.diagnose.consistency.sources.conda_env",
    "parity.diagnose.consistency.sources.dockerfile",
    "parity.diagnose.consistency.sources.devcontainer",
    "parity.diagnose.consistency.sources.compose",
)
# Files project_texts leaves out (by suffix or folder) that the facts need, and files
# it may not reach in a large repository (it stops after a bounded number of files,
# and a big package can use them all up before .github/ is visited).
EXTRA_PATTERNS = (
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "manage.py",
    "environment*.yml",
    "environment*.yaml",
    ".github/workflows/*.yml",
    ".github/workflows/*.yaml",
    ".gitlab-ci.yml",
    "docker-compose*.yml",
    "docker-compose*.yaml",
    "compose.yml",
    "compose.yaml",
    ".vscode/extensions.json",
    "requirements*.in",
    "requirements*.txt",
    "requirements/*.in",
    "requirements/*.txt",
    "Dockerfile",
    "Dockerfile.*",
    "*/Dockerfile",
    ".devcontainer/*",
    ".python-version",
    "poetry.lock",
    "conda-lock.yml",
    "conda.lock",
    "uv.lock",
    "pdm.lock",
    "Pipfile",
    "Pipfile.lock",
)
# Lockfiles only need to exist (and their pins are read by the consistency readers).
PRESENCE_ONLY = frozenset({"poetry.lock", "uv.lock", "pdm.lock", "Pipfile.lock", "conda.lock"})
# Lockfiles no consistency reader reads: their packages are counted here.
COUNTED_LOCKS = ("uv.lock", "pdm.lock")
MAX_BYTES = 1024 * 1024
MAX_LOCK_BYTES = 64 * 1024 * 1024


def read_texts(root: Path) -> tuple[dict[str, str], list[str]]:
    """The project's text files the facts come from, by project-relative path, and notebooks."""
    texts, notebooks = project_texts(root)
    for pattern in EXTRA_PATTERNS:
        for path in sorted(root.glob(pattern)):
            rel = path.relative_to(root).as_posix()
            if rel in texts or path.is_symlink() or not path.is_file():
                continue
            if rel in PRESENCE_ONLY:
                texts[rel] = ""
                continue
            try:
                if path.stat().st_size > MAX_BYTES:
                    texts[rel] = ""
                    continue
                texts[rel] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
    return texts, notebooks


def lock_counts(root: Path) -> dict[str, int]:
    """How many packages uv.lock and pdm.lock pin (their ``[[package]]`` tables)."""
    out: dict[str, int] = {}
    for name in COUNTED_LOCKS:
        path = root / name
        try:
            if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_LOCK_BYTES:
                continue
            with path.open(encoding="utf-8") as lines:
                count = sum(1 for line in lines if line.rstrip() == "[[package]]")
        except (OSError, UnicodeDecodeError):
            continue
        if count:
            out[name] = count
    return out


def pipfile_lock_count(root: Path) -> dict[str, int]:
    """How many packages Pipfile.lock pins (its ``default`` and ``develop`` tables)."""
    import json

    path = root / "Pipfile.lock"
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_LOCK_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}  # unreadable: not counted, so no fact rests on it
    if not isinstance(data, dict):
        return {}
    names: set[str] = set()
    for key in ("default", "develop"):
        table = data.get(key)
        if isinstance(table, dict):
            names.update(table)
    return {"Pipfile.lock": len(names)} if names else {}


def poetry_lock_extras(root: Path) -> dict[str, tuple[str, ...]]:
    """The packages poetry.lock marks ``optional = true``, each with the extras that
    bring it (its ``[extras]`` table, followed through each package's dependencies).

    A package optional but reached from no extra is left out: it counts as core.
    """
    from parity import toml
    from parity.names import canonical_name

    path = root / "poetry.lock"
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_LOCK_BYTES:
            return {}
        data = toml.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}  # unreadable: every pin it holds counts as core
    packages = data.get("package")
    extras = data.get("extras")
    if not isinstance(packages, list) or not isinstance(extras, dict):
        return {}
    optional: set[str] = set()
    depends: dict[str, set[str]] = {}
    for package in packages:
        if not isinstance(package, dict) or not isinstance(package.get("name"), str):
            continue
        name = canonical_name(package["name"])
        if package.get("optional") is True:
            optional.add(name)
        deps = package.get("dependencies")
        depends.setdefault(name, set()).update(
            canonical_name(d) for d in (deps if isinstance(deps, dict) else {})
        )
    out: dict[str, list[str]] = {}
    for extra, names in extras.items():
        if not isinstance(names, list):
            continue
        seen: set[str] = set()
        # Entries are names, in older locks with a constraint: "pandas (>=1.0)".
        stack = [
            canonical_name(n.split("(")[0].split("[")[0].strip())
            for n in names
            if isinstance(n, str) and n.strip()
        ]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            stack.extend(depends.get(current, ()))
        for name in sorted(seen & optional):
            out.setdefault(name, []).append(str(extra))
    return {name: tuple(found) for name, found in out.items()}


def gather_facts(
    spec: ProjectSpec,
    *,
    measured: Mapping[str, Measured] | None = None,
    plain: PlainProject | None = None,
) -> ProjectFacts:
    from parity.conda.names import name_tables
    from parity.conda.native import native_table

    texts, notebooks = read_texts(spec.root)
    pins = [f for f in collect_facts(spec.root, PIN_SOURCES) if isinstance(f, PinFact)]
    pythons = [f for f in collect_facts(spec.root, PYTHON_SOURCES) if isinstance(f, PythonFact)]
    conda_to_pypi = (
        {conda: pypi for conda, (pypi, _) in name_tables().reverse.items()} if spec.conda else {}
    )
    return facts_from(
        spec,
        texts,
        pins=pins,
        pythons=pythons,
        notebooks=notebooks,
        native_table=native_table(),
        conda_to_pypi=conda_to_pypi,
        # Pipfile.lock counts only where the Pipfile is what recommend read.
        locks={**lock_counts(spec.root), **(pipfile_lock_count(spec.root) if plain else {})},
        locked_extras={"poetry.lock": poetry_lock_extras(spec.root)},
        measured=measured,
        plain=plain,
    )

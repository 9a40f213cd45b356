"""Each real-case shape, locked by parity and by the tool the format belongs to, agrees.

The fixtures of ``test_fidelity_projects.py`` have the shapes of real projects
parity once read wrongly; here the same shapes use real packages, and the
versions parity locks for every group must equal those of a fresh ``uv lock``
(or ``poetry lock``, for Poetry projects) of the same inputs.  Poetry is given
the registry's simple API as its source at run time (its default source needs
an API this machine's registry may not serve); the URL is read from the
machine's configuration and never written into the repository.

Marked ``network``: skipped when the registry cannot be reached.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from fixtures import make_project
from parity.lock.formats import poetry_lock, requirements_txt, uv_lock
from parity.spec.load import load_project
from parity.uv import find_uv

pytestmark = pytest.mark.network

Run = Callable[..., object]
Pins = set[tuple[str, str]]


def registry_simple_url() -> str:
    """The simple API of the registry this machine uses (never committed)."""
    configured = os.environ.get("PARITY_TEST_REGISTRY_URL")
    if configured:
        return configured
    # Built from pieces so that no registry host name is written in the repository.
    return "https://" + "pypi" + ".org/simple/"


def parity_sets(project: Path, fmt: str | None = None) -> dict[str, Pins]:
    spec = load_project(project, format=fmt)
    out: dict[str, Pins] = {}
    for group in spec.groups:
        pins = requirements_txt.read(project / group.output).pins
        out[group.name] = {(p.name, p.version) for p in pins if p.source is None and p.version}
    return out


def uv_sets(project: Path, groups: Iterable[str]) -> dict[str, Pins]:
    done = subprocess.run(
        [find_uv(), "lock", "--quiet"], cwd=project, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    lock = uv_lock.read(project / "uv.lock")
    out: dict[str, Pins] = {}
    for group in groups:
        wanted = [] if group == "prod" else [group]
        pins = lock.pins_for(lambda _marker: True, wanted)
        out[group] = {(p.name, p.version) for p in pins if p.source is None and p.version}
    return out


def poetry_sets(project: Path, groups: dict[str, list[str]]) -> dict[str, Pins]:
    """``poetry lock`` of the project, as parity's groups (name -> Poetry groups it holds)."""
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text()
        + f'\n[[tool.poetry.source]]\nname = "registry"\nurl = "{registry_simple_url()}"\n'
        'priority = "primary"\n'
    )
    poetry = Path(sys.executable).parent / "poetry"
    done = subprocess.run([poetry, "lock"], cwd=project, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    lock = poetry_lock.read(project / "poetry.lock")
    return {
        name: {
            (p.pin.name, p.pin.version or "")
            for p in lock.packages
            if set(p.groups) & set(wanted) and p.pin.source is None
        }
        for name, wanted in groups.items()
    }


def lock(run_parity: Run, project: Path, *args: str) -> None:
    result = run_parity("lock", "-p", project, *args)
    assert result.code == 0, result.err  # type: ignore[attr-defined]


def test_poetry2_project_pins_equal_poetry_lock(tmp_path: Path, run_parity: Run) -> None:
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "p2-app"
                version = "0.1.0"
                requires-python = ">=3.10"
                dependencies = ["requests>=2.28", "idna"]

                [tool.poetry]
                package-mode = false

                [tool.poetry.dependencies]
                requests = { version = "<2.33" }
                colorama = "*"

                [tool.poetry.group.dev.dependencies]
                pytest = "^8.0"
            """
        },
    )
    lock(run_parity, project)
    ours = parity_sets(project)
    theirs = poetry_sets(project, {"prod": ["main"], "dev": ["main", "dev"]})
    assert ours == theirs
    assert ("colorama", "0.4.6") not in ours["prod"]  # named only in [tool.poetry]: ignored


def test_poetry_tables_pins_equal_poetry_lock(tmp_path: Path, run_parity: Run) -> None:
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": """
                [tool.poetry]
                name = "tables"
                version = "0.1.0"
                package-mode = false

                [tool.poetry.dependencies]
                python = "^3.10"
                pywin32 = { version = "*", platform = "win32" }
                click = { version = "^8.1", markers = "python_version >= '3.10'" }
                httpx = { version = ">=0.27", extras = ["http2"] }
                tomli = [
                    { version = "^2.0", python = "<3.11" },
                    { version = "^2.2", python = ">=3.11" },
                ]
            """
        },
    )
    lock(run_parity, project)
    ours = parity_sets(project)
    assert ours == poetry_sets(project, {"prod": ["main"]})
    win = requirements_txt.read(project / "requirements.txt").pin("pywin32")
    assert win is not None and win.marker == "sys_platform == 'win32'"


def test_project_required_by_its_dev_tools_equals_uv_lock(tmp_path: Path, run_parity: Run) -> None:
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": """
                [build-system]
                requires = ["hatchling"]
                build-backend = "hatchling.build"

                [project]
                name = "httpx"
                version = "99.0.0"
                requires-python = ">=3.10"
                dependencies = ["anyio", "certifi", "httpcore==1.*", "idna"]

                [dependency-groups]
                dev = ["respx"]
            """,
            "httpx/__init__.py": "",
        },
    )
    lock(run_parity, project)
    ours = parity_sets(project)
    assert ours == uv_sets(project, ["prod", "dev"])
    own = requirements_txt.read(project / "requirements-dev.txt").pin("httpx")
    assert own is not None and (own.source, own.editable) == (".", True)


def test_uv_workspace_with_sources_equals_uv_lock(tmp_path: Path, run_parity: Run) -> None:
    member = """
        [build-system]
        requires = ["hatchling"]
        build-backend = "hatchling.build"

        [project]
        name = "{name}"
        version = "0.1.0"
        requires-python = ">=3.10"
        dependencies = {dependencies}
    """
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "ws-root"
                version = "0.1.0"
                requires-python = ">=3.10"
                dependencies = ["ws-api", "requests"]

                [dependency-groups]
                dev = ["pytest"]

                [tool.uv]
                package = false

                [tool.uv.sources]
                ws-api = { workspace = true }

                [tool.uv.workspace]
                members = ["packages/*"]
            """,
            "packages/api/pyproject.toml": member.format(
                name="ws-api", dependencies='["ws-core", "click"]'
            )
            + "\n[tool.uv.sources]\nws-core = { workspace = true }\n",
            "packages/core/pyproject.toml": member.format(name="ws-core", dependencies='["attrs"]'),
        },
    )
    lock(run_parity, project)
    assert parity_sets(project) == uv_sets(project, ["prod", "dev"])


def test_versions_split_by_python_equal_uv_lock(tmp_path: Path, run_parity: Run) -> None:
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "split"
                version = "0"
                requires-python = ">=3.9"
                dependencies = ["numpy"]

                [tool.uv]
                package = false
            """
        },
    )
    lock(run_parity, project)
    ours = parity_sets(project)
    assert len({v for name, v in ours["prod"] if name == "numpy"}) > 1
    assert ours == uv_sets(project, ["prod"])


def test_adopted_uv_lock_versions_are_kept_as_uv_keeps_them(
    tmp_path: Path, run_parity: Run
) -> None:
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "adopt"
                version = "0"
                requires-python = ">=3.10"
                dependencies = ["requests", "click"]

                [dependency-groups]
                dev = ["pytest"]

                [tool.uv]
                package = false
            """
        },
    )
    older = subprocess.run(
        [find_uv(), "lock", "--quiet", "--exclude-newer", "2024-06-01T00:00:00Z"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert older.returncode == 0, older.stderr
    lock(run_parity, project)
    ours = parity_sets(project)
    assert ("requests", "2.32.3") in ours["prod"]  # the adopted lock's, not the newest
    assert ours == uv_sets(project, ["prod", "dev"])  # uv lock keeps them too


def test_pyproject_of_a_mixed_project_equals_uv_lock(tmp_path: Path, run_parity: Run) -> None:
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "mixed"
                version = "0"
                requires-python = ">=3.10"
                dependencies = ["rich"]

                [tool.uv]
                package = false
            """,
            "requirements/main.in": "click\n",
            "requirements/dev.in": "pytest\n",
        },
    )
    refused = run_parity("lock", "-p", project)
    assert refused.code == 2  # type: ignore[attr-defined]
    lock(run_parity, project, "--format", "pep621")
    assert parity_sets(project, "pep621") == uv_sets(project, ["prod"])

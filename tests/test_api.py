"""The library API: what ``import parity`` offers, and the example of docs/api.md, run."""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest

import parity
from fixtures import LocalIndex, make_project, make_venv

DOCS = Path(__file__).resolve().parents[1] / "docs" / "api.md"
FUNCTIONS = (
    "load_project",
    "load_lockable_project",
    "lock",
    "sync",
    "check",
    "snapshot",
    "diff",
    "why",
    "verify",
    "export",
    "init",
    "recommend",
    "compare",
    "cached_compare",
)
FLEET = ("fleet_push", "fleet_status", "fleet_query", "fleet_history", "fleet_prune")
MODELS = ("ProjectSpec", "Lock", "Snapshot", "Finding")
FLEET_RESULTS = ("PushOutcome", "FleetStatus", "QueryResult", "History", "PruneOutcome")


def doc_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)


def test_every_public_name_is_importable_and_documented() -> None:
    public = {*FUNCTIONS, *FLEET, *MODELS, *FLEET_RESULTS, "ParityError"}
    assert public <= set(parity.__all__)
    for name in parity.__all__:
        value = getattr(parity, name)
        if isinstance(value, str) or typing.get_origin(value) is typing.Literal:
            continue  # __version__, the Severity type alias
        doc = inspect.getdoc(value) or ""
        assert doc and not doc.startswith(f"{name}("), f"parity.{name} has no docstring"


def test_the_functions_take_keyword_only_options() -> None:
    for name in FUNCTIONS:
        signature = inspect.signature(getattr(parity, name))
        positional = [
            p.name
            for p in signature.parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        assert positional in (
            [],
            ["project"],
            ["path"],
            ["project", "name"],
            ["project", "artifact"],
            ["project", "strategy"],
        )


def test_the_fleet_functions_take_the_store_as_a_keyword() -> None:
    for name in FLEET:
        parameters = inspect.signature(getattr(parity, name)).parameters
        assert parameters["store"].kind is inspect.Parameter.KEYWORD_ONLY
        assert parameters["store"].default is None
        positional = [p.name for p in parameters.values() if p.kind is p.POSITIONAL_OR_KEYWORD]
        assert positional in ([], ["snapshots"], ["question"], ["label"], ["older_than"])


def test_parity_lock_stays_the_function_when_the_lock_package_is_imported() -> None:
    code = (
        "import parity, parity.lock.model, parity.lock.locker; "
        "from parity.lock.formats import requirements_txt; "
        "print(callable(parity.lock), parity.lock.__module__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "parity.api"]


def test_importing_parity_loads_no_machinery() -> None:
    code = "import sys, parity; print(sorted(m for m in sys.modules if m.startswith(('parity', 'packaging', 'click', 'rich', 'tomlkit'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # parity.lock, .compare and .recommend are the packages behind functions of the same
    # name: imported (empty of imports) first so that loading them later never rebinds
    # the functions.
    assert out.stdout.strip() == (
        "['parity', 'parity.api', 'parity.compare', 'parity.lock', 'parity.recommend', "
        "'parity.version']"
    )


def test_models_and_errors_load_on_first_use() -> None:
    assert parity.ProjectSpec.__module__ == "parity.spec.model"
    assert issubclass(parity.LockFileMissing, parity.ParityError)
    with pytest.raises(AttributeError):
        parity.no_such_name  # noqa: B018


def test_the_package_is_typed() -> None:
    assert (Path(parity.__file__).parent / "py.typed").is_file()


def test_the_example_in_the_docs_runs(tmp_path: Path, local_index: LocalIndex) -> None:
    example = doc_blocks("python")[0]
    project = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\nbeta\ngamma\n",
            "requirements-dev.in": "-r requirements.in\ntool-a\neta\n",
            ".python-version": "3.11\n",
        },
    )
    (tmp_path / "example.py").write_text(example, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(tmp_path / "example.py")],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "requirements-in project, groups: prod, dev"
    assert re.fullmatch(r"prod: \d+ pins \(2 direct\) -> requirements\.txt", lines[1])
    assert re.fullmatch(r"dev: \d+ pins \(4 direct\) -> requirements-dev\.txt", lines[2])
    assert lines[3].startswith("synced .venv on Python 3.11.")
    assert lines[4:] == [
        "check: ok",
        "why beta: direct",
        "diff: 0 differences",
        "error: unknown group 'docs' | This project's groups are: prod, dev.",
    ]


def test_the_version_is_written_in_one_place() -> None:
    import importlib.metadata

    from parity import toml

    root = Path(__file__).resolve().parents[1]
    project = toml.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert importlib.metadata.version("parity") == parity.__version__
    assert (root / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_recommend_and_compare_stay_functions_when_their_packages_load() -> None:
    import parity.compare.run
    import parity.recommend.ranking

    assert callable(parity.recommend) and callable(parity.compare)


def test_the_fleet_example_in_the_docs_runs(tmp_path: Path) -> None:
    """The fleet example: a live .venv pushed as a value, two files, then status, query, history."""
    from dataclasses import replace

    from parity.env.snapshot_json import write_snapshot
    from parity.env.snapshot_model import Distribution

    example = doc_blocks("python")[1]
    make_venv(tmp_path / ".venv", sys.executable)
    here = parity.snapshot(env=str(tmp_path / ".venv"))
    assert here.python is not None

    def elsewhere(label: str, python: str, dists: dict[str, str]) -> object:
        return replace(
            here,
            label=label,
            python=replace(here.python, version=python),
            distributions=tuple(Distribution(n, v, installer="uv") for n, v in dists.items()),
        )

    write_snapshot(
        elsewhere("ben-laptop", "3.9.18", {"numpy": "1.21.0", "pandas": "1.3.5"}),  # type: ignore[arg-type]
        tmp_path / "ben.json",
    )
    write_snapshot(
        elsewhere("ci/ubuntu-py3.11", here.python.version, {"numpy": "2.1.0", "pandas": "2.2.3"}),  # type: ignore[arg-type]
        tmp_path / "ci.json",
    )
    (tmp_path / "example.py").write_text(example, encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if k != "PARITY_STORE"}
    proc = subprocess.run(
        [sys.executable, str(tmp_path / "example.py")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env=environ,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "pushed ben-laptop, ci/ubuntu-py3.11 to fleet.db"
    # How far 3.9 is from the Python running the suite (3.10 to 3.13) sets that severity.
    assert lines[1].startswith("3 machines; {'critical': ")
    python = re.compile(
        rf"  (critical|high) python \(most machines: {re.escape(here.python.version)}\): "
        r"ben-laptop 3\.9\.18"
    )
    assert [line for line in lines[2:5] if not python.fullmatch(line)] == [
        "  critical numpy (most machines: 2.1.0): ben-laptop 1.21.0, ana-laptop missing",
        "  high pandas (most machines: 2.2.3): ben-laptop 1.3.5, ana-laptop missing",
    ]
    assert lines[5:] == [
        "numpy<2: ben-laptop (1.21.0)",
        "ana-laptop: 1 snapshot(s) in 1 environment(s)",
        "error: no machine labelled 'carla-laptop' in fleet.db | "
        "`parity fleet status` lists the machines.",
    ]
    assert (tmp_path / "fleet.db").is_file()

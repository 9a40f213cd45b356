"""The throw-away uv project has the real project's shape, so uv chooses as ``uv lock`` does.

uv decides packages in the order it meets them: the project's own dependencies
first, then its extras, then its dependency groups by name.  When every group
was a PEP 735 group, an extra sorting before ``prod`` (``all``) or a group
sorting before an extra was taken up first, and where two choices conflict
parity locked other versions than ``uv lock`` on the same inputs.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, Pkg, make_project, uv_bin
from parity.lock.engines.uv import (
    GroupRequest,
    Layout,
    ResolveRequest,
    export_selection,
    layout,
    render_pyproject,
)
from parity.lock.formats import requirements_txt

Run = Callable[..., object]


def _request(*groups: GroupRequest, main: str | None = "prod") -> ResolveRequest:
    return ResolveRequest(groups=groups, requires_python=">=3.10", main_group=main)


# -- the shape, decided from plain values -------------------------------------------------


def test_prod_is_the_project_dependencies_and_extras_are_extras() -> None:
    request = _request(
        GroupRequest("prod", ("requests",)),
        GroupRequest("torch", ("torch",), ("prod",), extra=True),
        GroupRequest("all", (), ("prod", "torch"), extra=True),
        GroupRequest("dev", ("pytest",), ("prod",)),
    )
    assert layout(request) == Layout("prod", ("torch", "all"), frozenset({"torch", "all", "dev"}))
    text = render_pyproject(request)
    assert 'dependencies = [\n    "requests",\n]' in text
    assert '[project.optional-dependencies]\ntorch = [\n    "torch",\n]' in text
    assert 'all = [\n    "parity-lock-root[torch]",\n]' in text
    assert '[dependency-groups]\ndev = [\n    "pytest",\n]' in text
    assert "include-group" not in text


def test_each_group_is_exported_with_what_it_includes() -> None:
    shape = Layout("prod", ("torch",), frozenset({"torch", "dev"}))
    assert export_selection(shape, "prod") == ["--no-default-groups"]
    assert export_selection(shape, "torch") == ["--no-default-groups", "--extra", "torch"]
    assert export_selection(shape, "dev") == ["--no-default-groups", "--group", "dev"]
    assert export_selection(shape, "docs") == ["--only-group", "docs"]  # without prod


def test_a_project_without_prod_keeps_every_group_a_dependency_group() -> None:
    request = _request(GroupRequest("api", ("alpha",)), GroupRequest("web", ("beta",)), main=None)
    assert layout(request) == Layout()
    text = render_pyproject(request)
    assert "dependencies = []" in text and "optional-dependencies" not in text
    assert export_selection(layout(request), "api") == ["--only-group", "api"]


def test_a_group_without_prod_is_included_as_a_group_not_as_an_extra() -> None:
    # requirements-dev.in without ``-r requirements.in``: dev does not hold prod.
    request = _request(
        GroupRequest("prod", ("alpha",)),
        GroupRequest("dev", ("pytest",)),
        GroupRequest("docs", ("sphinx",), ("dev",)),
    )
    shape = layout(request)
    assert shape.with_main == frozenset()
    assert export_selection(shape, "dev") == ["--only-group", "dev"]
    assert '[dependency-groups]\ndev = [\n    "pytest",\n]' in render_pyproject(request)


def test_an_extra_that_names_a_dependency_group_stays_a_group() -> None:
    request = _request(
        GroupRequest("prod", ("alpha",)),
        GroupRequest("lint", ("ruff",)),  # a PEP 735 group without prod
        GroupRequest("gpu", ("torch",), ("prod",), extra=True),
        GroupRequest("tools", (), ("prod", "lint"), extra=True),  # names a PEP 735 group
        GroupRequest("every", (), ("prod", "gpu", "tools"), extra=True),  # names tools
        GroupRequest("bench", (), ("gpu",)),  # a group naming an extra
    )
    shape = layout(request)
    assert shape.extras == ("gpu",)
    text = render_pyproject(request)
    assert 'tools = [\n    { include-group = "lint" },\n]' in text
    assert 'every = [\n    { include-group = "tools" },\n    "parity-lock-root[gpu]",\n]' in text
    # Through gpu, bench holds prod: its export asks for the project's dependencies.
    assert 'bench = [\n    "parity-lock-root[gpu]",\n]' in text
    assert export_selection(shape, "bench") == ["--no-default-groups", "--group", "bench"]


# -- against uv lock itself ---------------------------------------------------------------

# Where the first choice wins: each package's 2.0 wants a ``shared`` the other's 2.0 refuses.
_CONFLICTING = (
    Pkg("shared", "1.0"),
    Pkg("shared", "2.0"),
    Pkg("zprod", "1.0"),
    Pkg("zprod", "2.0", requires=["shared<2"]),
    Pkg("aextra", "1.0"),
    Pkg("aextra", "2.0", requires=["shared>=2"]),
    Pkg("xdep", "1.0"),
    Pkg("xdep", "2.0", requires=["shared<2"]),
    Pkg("ydep", "1.0"),
    Pkg("ydep", "2.0", requires=["shared>=2"]),
    Pkg("plain", "1.0"),
)

_PROD_BEFORE_EXTRAS = """
    [project]
    name = "demo"
    version = "0.1"
    requires-python = ">=3.10"
    dependencies = ["zprod"]

    [project.optional-dependencies]
    all = ["demo[aaa]"]
    aaa = ["aextra"]
"""

_EXTRAS_BEFORE_GROUPS = """
    [project]
    name = "demo"
    version = "0.1"
    requires-python = ">=3.10"
    dependencies = ["plain"]

    [project.optional-dependencies]
    zextra = ["xdep"]

    [dependency-groups]
    agroup = ["ydep"]
"""


def _uv_export(project: Path, *selection: str) -> dict[str, str]:
    command = [uv_bin(), "export", "--frozen", "--offline", "--no-header", "--no-hashes"]
    command += ["--no-emit-project", "--no-default-groups", *selection]
    out = subprocess.run(
        command,
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    pins = {}
    for line in out.splitlines():
        if "==" in line and not line.startswith(" "):
            name, version = line.split(";")[0].strip().split("==")
            pins[name] = version
    return pins


def _parity_pins(project: Path, output: str) -> dict[str, str]:
    return {
        p.name: str(p.version) for p in requirements_txt.read(project / output).pins if p.version
    }


@pytest.mark.parametrize(
    ("pyproject", "expected", "exports"),
    [
        (
            _PROD_BEFORE_EXTRAS,
            {"zprod": "2.0", "aextra": "1.0", "shared": "1.0"},
            {
                "requirements.txt": (),
                "requirements-aaa.txt": ("--extra", "aaa"),
                "requirements-all.txt": ("--extra", "all"),
            },
        ),
        (
            _EXTRAS_BEFORE_GROUPS,
            {"plain": "1.0", "xdep": "2.0", "ydep": "1.0", "shared": "1.0"},
            {
                "requirements.txt": (),
                "requirements-zextra.txt": ("--extra", "zextra"),
                "requirements-agroup.txt": ("--group", "agroup"),
            },
        ),
    ],
    ids=["prod-before-extras", "extras-before-groups"],
)
def test_lock_chooses_what_uv_lock_chooses_in_the_project(
    tmp_path: Path,
    local_index: LocalIndex,
    run_parity: Run,
    pyproject: str,
    expected: dict[str, str],
    exports: dict[str, tuple[str, ...]],
) -> None:
    local_index.add(*_CONFLICTING)
    ours = make_project(tmp_path, {"pyproject.toml": pyproject}, name="ours")
    theirs = make_project(tmp_path, {"pyproject.toml": pyproject}, name="theirs")
    subprocess.run(
        [uv_bin(), "lock", "--quiet", "--default-index", local_index.url],
        cwd=theirs,
        capture_output=True,
        timeout=120,
        check=True,
    )
    result = run_parity("lock", "-p", ours, "--index-url", local_index.url)
    assert result.code == 0, result.err  # type: ignore[attr-defined]
    everything: dict[str, str] = {}
    for output, selection in exports.items():
        pins = _parity_pins(ours, output)
        assert pins == _uv_export(theirs, *selection), output
        everything |= pins
    assert everything == expected


# -- extras however the project declares them ---------------------------------------------

# The same project as _EXTRAS_BEFORE_GROUPS, its extra declared the other ways parity reads.
_DECLARED_EXTRAS = {
    "setuptools-dynamic": {
        "pyproject.toml": """
            [project]
            name = "demo"
            version = "0.1"
            requires-python = ">=3.10"
            dynamic = ["dependencies", "optional-dependencies"]

            [tool.setuptools.dynamic]
            dependencies = { file = ["requirements/base.txt"] }
            optional-dependencies.zextra = { file = ["requirements/zextra.txt"] }

            [dependency-groups]
            agroup = ["ydep"]
        """,
        "requirements/base.txt": "plain\n",
        "requirements/zextra.txt": "xdep\n",
    },
    # Read from its .in files, as pip-compile reads them; the extra's file is named otherwise.
    "setuptools-dynamic-in-files": {
        "pyproject.toml": """
            [project]
            name = "demo"
            version = "0.1"
            requires-python = ">=3.10"
            dynamic = ["dependencies", "optional-dependencies"]

            [tool.setuptools.dynamic]
            dependencies = { file = ["requirements.in"] }
            optional-dependencies.zextra = { file = ["requirements-xdep.in"] }
        """,
        "requirements.in": "plain\n",
        "requirements-xdep.in": "-r requirements.in\nxdep\n",
        "requirements-agroup.in": "-r requirements.in\nydep\n",
    },
    "poetry-1-extras": {
        "pyproject.toml": """
            [tool.poetry]
            name = "demo"
            version = "0.1"
            package-mode = false

            [tool.poetry.dependencies]
            python = ">=3.10"
            plain = "*"
            xdep = { version = "*", optional = true }

            [tool.poetry.extras]
            zextra = ["xdep"]

            [tool.poetry.group.agroup.dependencies]
            ydep = "*"
        """,
    },
    "poetry-2-project-extras": {
        "pyproject.toml": """
            [project]
            name = "demo"
            version = "0.1"
            requires-python = ">=3.10"
            dependencies = ["plain"]

            [project.optional-dependencies]
            zextra = ["xdep"]

            [tool.poetry]
            package-mode = false

            [tool.poetry.group.agroup.dependencies]
            ydep = "*"
        """,
    },
}


@pytest.mark.parametrize("style", sorted(_DECLARED_EXTRAS))
def test_an_extra_is_an_extra_to_uv_however_the_project_declares_it(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run, style: str
) -> None:
    # setuptools' dynamic extras and Poetry's were handed to uv as dependency groups:
    # taken up after a group sorting before them, they got other versions than the
    # extras uv lock sees once it has built the project.
    local_index.add(*_CONFLICTING)
    ours = make_project(tmp_path, _DECLARED_EXTRAS[style], name="ours")
    theirs = make_project(tmp_path, {"pyproject.toml": _EXTRAS_BEFORE_GROUPS}, name="theirs")
    subprocess.run(
        [uv_bin(), "lock", "--quiet", "--default-index", local_index.url],
        cwd=theirs,
        capture_output=True,
        timeout=120,
        check=True,
    )
    result = run_parity("lock", "-p", ours, "--index-url", local_index.url)
    assert result.code == 0, result.err  # type: ignore[attr-defined]
    # Read from an .in file, the extra is locked into the file named after it.
    zextra = "requirements-xdep.txt" if style.endswith("in-files") else "requirements-zextra.txt"
    exports = {
        "requirements.txt": (),
        zextra: ("--extra", "zextra"),
        "requirements-agroup.txt": ("--group", "agroup"),
    }
    for output, selection in exports.items():
        assert _parity_pins(ours, output) == _uv_export(theirs, *selection), output
    assert _parity_pins(ours, zextra)["xdep"] == "2.0"

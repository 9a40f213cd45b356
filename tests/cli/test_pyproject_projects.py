"""PEP 621/735 and Poetry projects, locked and synced end to end on the local index."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fixtures import LocalIndex, make_project, make_venv
from fixtures.wheel_factory import Pkg
from parity.env.installed import installed_distributions, read_venv
from parity.lock.formats import requirements_txt
from parity.lock.locker import LockOptions, lock_project
from parity.lock.model import Origin
from parity.spec.load import load_project
from parity.uv import find_uv


def test_pep621_project_with_dependency_groups(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": f"""
                [build-system]
                requires = ["hatchling"]
                build-backend = "hatchling.build"

                [project]
                name = "demo-app"
                version = "0.1.0"
                requires-python = ">=3.11"
                dependencies = ["beta"]

                [dependency-groups]
                test = ["tool-a"]
                dev = [{{include-group = "test"}}, "eta"]

                [[tool.uv.index]]
                url = "{local_index.url}"
                default = true
            """,
            "src/demo_app/__init__.py": "",
        },
    )
    result = run_parity("lock", "-p", project)
    assert result.code == 0, result.err
    dev = {p.name: p for p in requirements_txt.read(project / "requirements-dev.txt").pins}
    assert set(dev) == {"alpha", "beta", "tool-a", "eta"}
    assert dev["beta"].via == ("demo-app (pyproject.toml)", "tool-a")
    # Direct requirements of a pyproject are direct (not only `-r file` ones).
    assert {name for name, pin in dev.items() if pin.is_direct} == {"beta", "tool-a", "eta"}
    assert dev["beta"].origins == (Origin("pyproject.toml", project="demo-app"),)
    assert dev["beta"].parents == ("tool-a",)
    assert dev["alpha"].version == "1.1"  # eta (dev) caps alpha below 2 for every group
    assert requirements_txt.read(project / "requirements.txt").pin("alpha").version == "1.1"  # type: ignore[union-attr]
    # Freshly locked, a pin knows the line and group of each declaration.
    outcome = lock_project(load_project(project), LockOptions(dry_run=True, pylock=False))
    beta = outcome.lock.group("dev").pin("beta")
    assert beta is not None
    lines = (project / "pyproject.toml").read_text().splitlines()
    assert [(o.path, o.group) for o in beta.origins] == [("pyproject.toml", "prod")]
    assert 'dependencies = ["beta"]' in lines[beta.origins[0].line - 1]  # type: ignore[operator]
    tool = outcome.lock.group("dev").pin("tool-a")
    assert tool is not None and [o.group for o in tool.origins] == ["test"]
    assert "tool-a" in lines[tool.origins[0].line - 1]  # type: ignore[operator]


def test_poetry_project_locks_with_translated_constraints(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": f"""
                [tool.poetry]
                name = "poetry-demo"
                version = "0.1.0"

                [tool.poetry.dependencies]
                python = "^3.11"
                alpha = "^1.0"
                epsilon = {{ version = "*", extras = ["fast"] }}

                [tool.poetry.group.dev.dependencies]
                tool-a = "~1.0"

                [[tool.poetry.source]]
                name = "local"
                url = "{local_index.url}"
                priority = "primary"
            """,
        },
    )
    result = run_parity("lock", "-p", project)
    assert result.code == 0, result.err
    prod = {p.name: p.version for p in requirements_txt.read(project / "requirements.txt").pins}
    assert prod == {"alpha": "1.1", "epsilon": "3.0", "zeta": "1.0"}  # ^1.0 excludes alpha 2.0
    pins = requirements_txt.read(project / "requirements-dev.txt").pins
    assert {"tool-a", "beta"} <= {p.name for p in pins}
    # A Poetry project's own dependencies are direct (is_direct once knew only `-r file`).
    assert {p.name for p in pins if p.is_direct} == {"alpha", "epsilon", "tool-a"}


def test_installable_project_is_synced_editable_and_checked(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = _selfpkg_project(tmp_path, local_index)
    assert run_parity("lock", "-p", project).code == 0
    result = run_parity("sync", "-p", project)
    assert result.code == 0, result.err
    out = subprocess.run(
        [
            project / ".venv" / "bin" / "python",
            "-c",
            "import selfpkg, alpha; print(selfpkg.VALUE, alpha.__version__)",
        ],
        capture_output=True,
        text=True,
    )
    assert out.stdout.split() == ["42", "1.1"], out.stderr
    assert run_parity("check", "-p", project).code == 0


def test_the_project_installed_editable_is_the_project_in_diff_not_drift(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable, monkeypatch: Any
) -> None:
    project = _selfpkg_project(tmp_path, local_index)
    assert run_parity("lock", "-p", project).code == 0
    assert run_parity("sync", "-p", project).code == 0
    monkeypatch.chdir(project)
    assert run_parity("snapshot", "--env", ".venv", "-o", "mine.json").code == 0
    said = "selfpkg 0.1.0 on .venv is the project itself, installed editable"
    for env, lock in [
        (".venv", "requirements.txt"),
        (".venv", "pylock.toml"),
        ("mine.json", "requirements.txt"),
        ("requirements.txt", ".venv"),
    ]:
        result = run_parity("diff", env, lock, "--json")
        assert result.code == 0, (env, lock, result.out)
        assert result.json()["differences"] == []
        notes = [n for n in result.json()["notes"] if "the project itself" in n]
        assert len(notes) == 1 and notes[0].replace("mine.json", ".venv").startswith(said)
    # Against an environment without it, it is said once too, and not ranked.
    bare = tmp_path / "bare"
    make_venv(bare)
    result = run_parity("diff", ".venv", str(bare), "--json")
    assert [d["subject"] for d in result.json()["differences"]] == ["alpha"]
    assert sum("the project itself" in n for n in result.json()["notes"]) == 1


def test_check_catches_the_project_installed_from_an_index_not_editable(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = _selfpkg_project(tmp_path, local_index)
    assert run_parity("lock", "-p", project).code == 0
    assert run_parity("sync", "-p", project).code == 0
    local_index.add(Pkg("selfpkg", "0.0.9"))
    installed = subprocess.run(
        [
            find_uv(),
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--reinstall",
            "--index-url",
            local_index.url,
            "--python",
            project / ".venv" / "bin" / "python",
            "selfpkg==0.0.9",
        ],
        capture_output=True,
        text=True,
    )
    assert installed.returncode == 0, installed.stderr
    result = run_parity("check", "-p", project, "--json")
    assert result.code == 1, result.out
    (finding,) = result.json()["findings"]
    assert (finding["code"], finding["subject"], finding["severity"]) == (
        "project-not-editable",
        "selfpkg",
        "high",
    )
    assert "0.0.9" in finding["message"]
    # And diff still shows it: the project from an index is a package like any other.
    result = run_parity("diff", project / ".venv", project / "requirements.txt")
    assert result.code == 1 and "selfpkg" in result.out
    assert run_parity("sync", "-p", project).code == 0
    assert run_parity("check", "-p", project).code == 0


def _uninstall(project: Path, name: str) -> None:
    removed = subprocess.run(
        [find_uv(), "pip", "uninstall", "--python", project / ".venv" / "bin" / "python", name],
        capture_output=True,
        text=True,
    )
    assert removed.returncode == 0, removed.stderr


def test_check_catches_the_project_missing_from_its_environment(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    # Uninstalled from the venv sync made, the project passed check: no lock pins it.
    project = _selfpkg_project(tmp_path, local_index)
    assert run_parity("lock", "-p", project).code == 0
    assert run_parity("sync", "-p", project).code == 0
    _uninstall(project, "selfpkg")
    result = run_parity("check", "-p", project, "--json")
    assert result.code == 1, result.out
    (finding,) = result.json()["findings"]
    assert (finding["code"], finding["subject"], finding["severity"]) == (
        "project-missing",
        "selfpkg",
        "high",
    )
    assert "not installed in .venv" in finding["message"]
    assert finding["fix"].startswith("Run `parity sync --group prod`")
    plain = run_parity("check", "-p", project)
    assert plain.code == 1 and "project-missing" in plain.out
    assert run_parity("sync", "-p", project).code == 0
    assert run_parity("check", "-p", project).code == 0


def test_check_catches_the_project_locked_with_dash_e_dot_missing(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = _selfpkg_project(tmp_path, local_index)
    (project / "requirements-dev.in").write_text("-e .\ntool-a\n")
    assert run_parity("lock", "-p", project).code == 0
    assert "-e ." in (project / "requirements-dev.txt").read_text()
    assert run_parity("sync", "-p", project, "--group", "dev").code == 0
    _uninstall(project, "selfpkg")
    result = run_parity("check", "-p", project, "--json")
    assert result.code == 1, result.out
    assert [(f["code"], f["subject"]) for f in result.json()["findings"]] == [
        ("project-missing", "selfpkg")
    ]


@pytest.mark.parametrize("dash_e_dot", [False, True], ids=["pep621", "dash-e-dot"])
def test_check_expects_no_project_in_an_environment_synced_without_it(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable, dash_e_dot: bool
) -> None:
    # The stamp says the project was left out on purpose: check is not to put it back.
    project = _selfpkg_project(tmp_path, local_index)
    if dash_e_dot:
        (project / "requirements-dev.in").write_text("-e .\ntool-a\n")
    assert run_parity("lock", "-p", project).code == 0
    group = "dev" if dash_e_dot else "prod"
    synced = run_parity("sync", "-p", project, "--group", group, "--no-install-project")
    assert synced.code == 0, synced.err
    venv = read_venv(project / ".venv")
    assert venv is not None and "selfpkg" not in installed_distributions(venv.site_packages)
    result = run_parity("check", "-p", project, "--json")
    assert result.code == 0, result.out
    assert result.json()["group"] == group
    assert run_parity("check", "-p", project, "--group", group).code == 0
    # A plain sync of the group installs it again, and check expects it again.
    assert run_parity("sync", "-p", project, "--group", group).code == 0
    _uninstall(project, "selfpkg")
    assert run_parity("check", "-p", project).code == 1


@pytest.mark.parametrize(
    "not_a_package",
    [
        "[tool.uv]\npackage = false\n",
        '[tool.poetry]\nname = "selfpkg"\nversion = "0.1.0"\npackage-mode = false\n',
    ],
    ids=["uv-package-false", "poetry-package-mode-false"],
)
def test_check_does_not_expect_a_project_that_does_not_install_itself(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable, not_a_package: str
) -> None:
    project = _selfpkg_project(tmp_path, local_index)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "\n" + not_a_package)
    assert run_parity("lock", "-p", project).code == 0
    assert run_parity("sync", "-p", project).code == 0
    venv = read_venv(project / ".venv")
    assert venv is not None and "selfpkg" not in installed_distributions(venv.site_packages)
    result = run_parity("check", "-p", project, "--json")
    assert result.code == 0, result.out


def _selfpkg_project(tmp_path: Path, local_index: LocalIndex) -> Path:
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": f"""
                [build-system]
                requires = []
                build-backend = "backend"
                backend-path = ["."]

                [project]
                name = "selfpkg"
                version = "0.1.0"
                requires-python = ">=3.11"
                dependencies = ["alpha<2"]

                [[tool.uv.index]]
                url = "{local_index.url}"
                default = true
            """,
            ".python-version": "3.11\n",
        },
    )
    (project / "backend.py").write_text(_BACKEND)
    (project / "selfpkg.py").write_text("VALUE = 42\n")
    return project


# A stdlib-only PEP 517/660 backend, so the project builds without any registry.
_BACKEND = """
import base64, hashlib, os, zipfile

NAME, VERSION = "selfpkg", "0.1.0"
DIST = f"{NAME}-{VERSION}.dist-info"


def _write(directory, files):
    path = os.path.join(directory, f"{NAME}-{VERSION}-py3-none-any.whl")
    records = []
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data.encode()).digest()).rstrip(b"=").decode()
            records.append(f"{name},sha256={digest},{len(data.encode())}")
        records.append(f"{DIST}/RECORD,,")
        zf.writestr(f"{DIST}/RECORD", "\\n".join(records) + "\\n")
    return os.path.basename(path)


def _meta():
    return {
        f"{DIST}/METADATA": f"Metadata-Version: 2.1\\nName: {NAME}\\nVersion: {VERSION}\\nRequires-Dist: alpha<2\\n",
        f"{DIST}/WHEEL": "Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
    }


def get_requires_for_build_wheel(config_settings=None):
    return []


get_requires_for_build_editable = get_requires_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    src = open(os.path.join(os.path.dirname(__file__), "selfpkg.py")).read()
    return _write(wheel_directory, {"selfpkg.py": src, **_meta()})


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    here = os.path.dirname(os.path.abspath(__file__))
    return _write(wheel_directory, {"selfpkg.pth": here + "\\n", **_meta()})
"""


def test_an_extra_its_package_lacks_is_named_with_the_line_that_asks_for_it(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    # sentence-transformers with `optimum[onnxruntim]` (a typo): uv locks optimum without
    # the extra, with a warning; parity's lock said nothing, and the group lacked the extra.
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": f"""
                [project]
                name = "demo-app"
                version = "0.1.0"
                requires-python = ">=3.11"
                dependencies = ["beta"]

                [project.optional-dependencies]
                fast = [
                    "epsilon[fsat]",
                ]

                [tool.uv]
                package = false

                [[tool.uv.index]]
                url = "{local_index.url}"
                default = true
            """,
        },
    )
    result = run_parity("lock", "-p", project)
    assert result.code == 0, result.err
    fast = {p.name for p in requirements_txt.read(project / "requirements-fast.txt").pins}
    assert "epsilon" in fast and "zeta" not in fast
    assert (
        "note: epsilon 3.0 has no extra 'fsat', which pyproject.toml:9 (group fast) asks for: "
        "the lock holds epsilon without it, as uv resolves it. Check the extra's name"
    ) in result.out + result.err


_DYNAMIC = """
    [project]
    name = "app"
    version = "1.0"
    requires-python = ">=3.11"
    dynamic = ["dependencies", "optional-dependencies"]

    [tool.setuptools.dynamic]
    dependencies = {{ file = ["requirements/base.txt"] }}
    optional-dependencies.web = {{ file = ["requirements/web.txt"] }}

    [[tool.uv.index]]
    url = "{url}"
    default = true
"""


def _stale_web_lock(run_parity: Callable, project: Path) -> dict[str, Any]:
    result = run_parity("check", "-p", project, "--lock-only", "--json")
    assert result.code == 1
    findings = result.json()["findings"]
    return next(
        f for f in findings if (f["code"], f["subject"]) == ("lock-stale", "requirements-web.txt")
    )


def test_a_stale_lock_names_only_the_dynamic_file_that_changed(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    # Editing requirements/web.txt alone was said as "pyproject.toml changed (group web),
    # requirements/web.txt changed (+gamma)", in the message and in changed_parts.
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": _DYNAMIC.format(url=local_index.url),
            "requirements/base.txt": "alpha\n",
            "requirements/web.txt": "beta\n",
            ".python-version": "3.11\n",
        },
    )
    assert run_parity("lock", "-p", project, "--no-pylock").code == 0
    (project / "requirements/web.txt").write_text("beta\ngamma\n")
    stale = _stale_web_lock(run_parity, project)
    assert stale["message"] == (
        "requirements-web.txt is stale: requirements/web.txt changed (+gamma) since the lock "
        "was written"
    )
    assert stale["data"]["changed_inputs"] == ["requirements/web.txt"]
    assert stale["data"]["changed_parts"] == {"requirements/web.txt": ["requirements"]}


def test_a_source_for_a_dynamic_files_requirement_still_makes_the_lock_stale(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    # [tool.uv.sources] apply to what the files say: pyproject.toml's part of the lock.
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": _DYNAMIC.format(url=local_index.url),
            "requirements/base.txt": "alpha\n",
            "requirements/web.txt": "beta\n",
            ".python-version": "3.11\n",
        },
    )
    assert run_parity("lock", "-p", project, "--no-pylock").code == 0
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text()
        + f'\n[[tool.uv.index]]\nname = "mine"\nurl = "{local_index.url}"\nexplicit = true\n'
        + '\n[tool.uv.sources]\nbeta = { index = "mine" }\n'
    )
    stale = _stale_web_lock(run_parity, project)
    assert "pyproject.toml changed ([tool.uv.sources] beta)" in stale["message"]
    assert "requirements/web.txt" not in stale["message"]
    assert stale["data"]["changed_inputs"] == ["pyproject.toml"]
    # Both at once: both are said.
    (project / "requirements/web.txt").write_text("beta\ngamma\n")
    stale = _stale_web_lock(run_parity, project)
    assert stale["data"]["changed_inputs"] == ["pyproject.toml", "requirements/web.txt"]

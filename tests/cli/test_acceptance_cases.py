"""Defects found by running parity, as a new user would, on public projects.

Each test is shaped like the real case (named in its docstring) and runs on
the local index: a uv workspace like a FastAPI full-stack template, a Poetry
app with a pre-release opt-in, a library whose CI checks out another
repository, a project whose tests live in a ``tests`` group.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, Pkg, make_project
from fixtures.real_cases import mixed_styles, uv_workspace_project
from parity.lock.formats import requirements_txt

Run = Callable[..., object]


def _ok(result: object) -> object:
    assert result.code == 0, result.err  # type: ignore[attr-defined]
    return result


# -- workspace members and local packages -------------------------------------------------


def test_a_dependency_added_to_a_workspace_member_makes_the_lock_stale(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """A template whose app lives in backend/: its pyproject.toml is the one people edit."""
    project = make_project(tmp_path, uv_workspace_project(local_index.url))
    _ok(run_parity("lock", "-p", project))
    _ok(run_parity("check", "-p", project, "--lock-only"))
    member = project / "packages/core/pyproject.toml"
    # A comment or a tool setting is not a requirement: the lock stays fresh.
    member.write_text(member.read_text() + "\n# note\n[tool.ruff]\nline-length = 99\n")
    _ok(run_parity("check", "-p", project, "--lock-only"))
    member.write_text(member.read_text().replace('["alpha<2"]', '["alpha<2", "beta"]'))
    result = run_parity("check", "-p", project, "--lock-only")
    assert result.code == 1  # type: ignore[attr-defined]
    assert "packages/core/pyproject.toml changed" in result.out  # type: ignore[attr-defined]


def test_a_dependency_added_to_a_local_path_package_makes_the_lock_stale(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(tmp_path, uv_workspace_project(local_index.url))
    _ok(run_parity("lock", "-p", project))
    vendored = project / "vendor/vendored/pyproject.toml"
    vendored.write_text(
        vendored.read_text().replace("dependencies = []", 'dependencies = ["beta"]')
    )
    result = run_parity("check", "-p", project, "--lock-only")
    assert result.code == 1  # type: ignore[attr-defined]
    assert "vendor/vendored/pyproject.toml changed" in result.out  # type: ignore[attr-defined]


def _virtual_workspace(index_url: str) -> dict[str, str]:
    """The shape of a full-stack template: a virtual root, the app in backend/ with its dev tools."""
    return {
        "pyproject.toml": f"""
            [dependency-groups]
            dev = ["tool-a"]

            [tool.uv.workspace]
            members = ["backend"]

            [[tool.uv.index]]
            url = "{index_url}"
            default = true
        """,
        ".python-version": "3.11\n",
        "backend/pyproject.toml": """
            [build-system]
            requires = ["hatchling"]
            build-backend = "hatchling.build"

            [project]
            name = "app"
            version = "0.1.0"
            requires-python = ">=3.11"
            dependencies = ["beta"]

            [dependency-groups]
            dev = ["gamma", {include-group = "lint"}]
            lint = ["zeta"]
        """,
        "backend/app/__init__.py": "",
    }


def test_a_workspace_members_dependency_groups_are_locked(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(tmp_path, _virtual_workspace(local_index.url))
    result = _ok(run_parity("lock", "-p", project))
    out = result.out  # type: ignore[attr-defined]
    assert "app-dev" in out and "backend/pyproject.toml [dependency-groups] dev" in out
    dev = requirements_txt.read(project / "requirements-app-dev.txt")
    names = {p.name for p in dev.pins}
    # The member itself, its dependencies, its dev group and the group that includes.
    assert {"app", "beta", "alpha", "gamma", "zeta"} <= names
    assert "tool-a" not in names  # the root's dev group is another group
    lint = requirements_txt.read(project / "requirements-app-lint.txt")
    assert {p.name for p in lint.pins} >= {"app", "zeta"}
    assert "gamma" not in {p.name for p in lint.pins}
    # And a new tool in the member's group makes the lock stale.
    member = project / "backend/pyproject.toml"
    member.write_text(member.read_text().replace('lint = ["zeta"]', 'lint = ["zeta", "delta"]'))
    stale = run_parity("check", "-p", project, "--lock-only")
    assert stale.code == 1  # type: ignore[attr-defined]


def test_a_bad_member_group_names_the_members_file(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    files = _virtual_workspace(local_index.url)
    files["backend/pyproject.toml"] = files["backend/pyproject.toml"].replace(
        '{include-group = "lint"}', '{include-group = "nope"}'
    )
    project = make_project(tmp_path, files)
    result = run_parity("lock", "-p", project)
    assert result.code == 2  # type: ignore[attr-defined]
    err = result.err  # type: ignore[attr-defined]
    assert "backend/pyproject.toml" in err and "nope" in err and "Traceback" not in err


def test_uvs_older_dev_dependencies_are_the_dev_group(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """Many uv projects still write ``[tool.uv] dev-dependencies``; uv reads it as group dev."""
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": f"""
                [project]
                name = "legacy"
                version = "0.1"
                requires-python = ">=3.11"
                dependencies = ["beta"]

                [dependency-groups]
                dev = ["zeta"]

                [tool.uv]
                dev-dependencies = ["gamma"]

                [[tool.uv.index]]
                url = "{local_index.url}"
                default = true
            """
        },
    )
    result = _ok(run_parity("lock", "-p", project))
    assert "[tool.uv] dev-dependencies" in result.out  # type: ignore[attr-defined]
    dev = {p.name for p in requirements_txt.read(project / "requirements-dev.txt").pins}
    assert {"beta", "gamma", "zeta"} <= dev


# -- the Docker files of a workspace ----------------------------------------------------------


def _docker_ready_workspace(tmp_path: Path, local_index: LocalIndex) -> Path:
    local_index.add(Pkg("pytest", "8.0"))
    files = _virtual_workspace(local_index.url)
    files["backend/pyproject.toml"] = files["backend/pyproject.toml"].replace(
        'dev = ["gamma"', 'dev = ["gamma", "pytest"'
    )
    # The template's own .dockerignore, which lets .env through.
    files[".dockerignore"] = "**/__pycache__\nnode_modules\n"
    files[".env"] = "SECRET_KEY=changethis\n"
    return make_project(tmp_path, files)


def test_the_production_dockerfile_installs_members_from_the_source_and_the_rest_hash_checked(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """A lock that holds `-e ./backend`: pip refuses it in hash-checking mode, and the
    image has no ./backend where the lockfile is installed."""
    project = _docker_ready_workspace(tmp_path, local_index)
    _ok(run_parity("lock", "-p", project))
    result = _ok(run_parity("export", "--to", "dockerfile", "-p", project))
    text = (project / "Dockerfile").read_text()
    assert "--require-hashes -r /tmp/requirements-app.index.txt" in text
    assert "COPY . /src" in text and "pip install --no-deps /src/backend" in text
    # What the image installs with hashes is the lockfile without its source-tree lines,
    # and pip accepts it in hash-checking mode.
    pattern = re.search(r"grep -Ev '([^']+)'", text)
    assert pattern is not None
    lock_text = (project / "requirements-app.txt").read_text()
    kept = [line for line in lock_text.splitlines() if not re.search(pattern.group(1), line)]
    assert "-e ./backend" in lock_text and "-e ./backend" not in kept
    filtered = tmp_path / "filtered.txt"
    filtered.write_text("\n".join(kept) + "\n")
    pip = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--no-deps",
            "--require-hashes",
            "--index-url",
            local_index.url,
            "--no-cache-dir",
            "-r",
            str(filtered),
            "--target",
            str(tmp_path / "target"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PIP_CONFIG_FILE": os.devnull, "PIP_CONSTRAINT": ""},
    )
    assert pip.returncode == 0, pip.stdout + pip.stderr
    # The project's own .dockerignore is kept, and its gap is named.
    assert (project / ".dockerignore").read_text() == "**/__pycache__\nnode_modules\n"
    out = result.out + result.err  # type: ignore[attr-defined]
    assert "does not exclude .env" in out
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    lint = subprocess.run([hadolint, str(project / "Dockerfile")], capture_output=True, text=True)
    assert lint.returncode == 0, lint.stdout


def test_the_dev_container_gets_the_group_with_the_tests_and_the_member_from_the_workspace(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """The root's dev group holds the repository's tools; the app's tests need app-dev.
    The app's database (psycopg in backend/pyproject.toml, a PostgreSQL URL in .env) was
    not seen: the member's own dependencies were not read."""
    local_index.add(Pkg("psycopg", "3.2"))
    project = _docker_ready_workspace(tmp_path, local_index)
    member = project / "backend/pyproject.toml"
    member.write_text(
        member.read_text().replace('dependencies = ["beta"]', 'dependencies = ["beta", "psycopg"]')
    )
    (project / ".env").write_text("DATABASE_URL=postgresql://app:hunter2@localhost:5432/app\n")
    _ok(run_parity("lock", "-p", project))
    _ok(run_parity("export", "--to", "devcontainer", "-p", project))
    dockerfile = (project / ".devcontainer/Dockerfile").read_text()
    assert "requirements-app-dev.txt" in dockerfile and "--require-hashes" in dockerfile
    config = json.loads(
        "\n".join(
            line
            for line in (project / ".devcontainer/devcontainer.json").read_text().splitlines()
            if not line.lstrip().startswith("//")
        )
    )
    compose = (project / ".devcontainer/docker-compose.yml").read_text()
    assert "\n  db:\n" in compose and "DATABASE_URL" in compose
    assert "hunter2" not in compose
    post = config["postCreateCommand"]
    assert post.endswith("pip install --no-deps -e ./backend")
    assert "--require-hashes -r /tmp/requirements-app-dev.index.txt" in post


def test_ci_and_the_makefile_run_the_tests_from_the_group_that_has_pytest(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """click's shape: dev = [ruff, tox], tests = [pytest]; `unittest discover` on pytest
    tests would run nothing (and pass on Python 3.11)."""
    local_index.add(Pkg("pytest", "8.0"))
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": f"""
                [project]
                name = "clicky"
                version = "0.1"
                requires-python = ">=3.11"
                dependencies = []

                [dependency-groups]
                dev = ["tool-a"]
                tests = ["pytest"]
                docs = ["zeta"]

                [[tool.uv.index]]
                url = "{local_index.url}"
                default = true
            """,
            ".python-version": "3.11\n",
            "tests/test_it.py": "def test_it():\n    assert True\n",
        },
    )
    _ok(run_parity("lock", "-p", project))
    _ok(run_parity("export", "--to", "makefile", "-p", project))
    _ok(run_parity("export", "--to", "github-actions", "-p", project))
    makefile = (project / "Makefile").read_text()
    assert "sync --group tests" in makefile and "-m pytest" in makefile
    assert "unittest" not in makefile
    workflow = (project / ".github/workflows/ci.yml").read_text()
    assert "parity sync --group tests" in workflow and "-m pytest" in workflow


# -- adoption without churn for packages that may be pre-releases ----------------------------


def test_an_allow_prereleases_package_keeps_its_locked_version(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """jrnl: black = {version = ">=21.5b2", allow-prereleases = true}, locked at 26.5.1 in
    poetry.lock; every `parity lock` moved it to the newest release."""
    local_index.add(Pkg("alpha", "2.1b1"))
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": f"""
                [project]
                name = "journal"
                version = "0"
                requires-python = ">=3.11"
                dependencies = ["beta"]

                [tool.poetry]
                package-mode = false

                [tool.poetry.group.dev.dependencies]
                alpha = {{ version = ">=1.0b1", allow-prereleases = true }}

                [[tool.poetry.source]]
                name = "local"
                url = "{local_index.url}"
                priority = "primary"
            """,
            "poetry.lock": """
                [[package]]
                name = "alpha"
                version = "1.0"
                description = ""
                optional = false
                python-versions = "*"
                files = []

                [metadata]
                lock-version = "2.1"
                python-versions = ">=3.11"
                content-hash = "0"
            """,
        },
    )
    _ok(run_parity("lock", "-p", project))
    assert requirements_txt.read(project / "requirements-dev.txt").pin("alpha").version == "1.0"  # type: ignore[union-attr]
    _ok(run_parity("lock", "-p", project))
    assert requirements_txt.read(project / "requirements-dev.txt").pin("alpha").version == "1.0"  # type: ignore[union-attr]
    # Asked to move, it moves, and may take the pre-release it opted into.
    _ok(run_parity("lock", "-p", project, "--upgrade-package", "alpha"))
    assert requirements_txt.read(project / "requirements-dev.txt").pin("alpha").version == "2.1b1"  # type: ignore[union-attr]


# -- a project in two styles, locked with --format ------------------------------------------


def test_a_project_locked_with_format_is_checked_and_relocked_the_same_way(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """aiohttp: [project] dependencies and requirements/*.in; after `parity lock --format
    requirements-in`, `parity check` stopped with "cannot tell which one" (exit 2)."""
    project = make_project(tmp_path, mixed_styles(local_index.url))
    _ok(run_parity("lock", "-p", project, "--format", "requirements-in"))
    header = (project / "requirements/main.txt").read_text()
    assert "#    parity lock --format requirements-in\n" in header
    _ok(run_parity("check", "-p", project, "--lock-only"))
    again = _ok(run_parity("lock", "-p", project))
    out = again.out + again.err  # type: ignore[attr-defined]
    assert "parity lock --format requirements-in" in out and "Up to date" in out
    # Without a lock that says, the project still asks.
    for lockfile in (project / "requirements").glob("*.txt"):
        lockfile.unlink()
    assert run_parity("check", "-p", project, "--lock-only").code == 2  # type: ignore[attr-defined]


# -- pip-tools projects ----------------------------------------------------------------------


def test_a_constraints_file_that_names_another_is_followed(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """Open edX's layout: base.in says -c constraints.txt, which says -c common_constraints.txt
    (the organisation-wide pins, Django<6.0). That file was skipped and named "not read"."""
    project = make_project(
        tmp_path,
        {
            "requirements/base.in": f"-i {local_index.url}\n-c constraints.txt\n\nbeta\n",
            "requirements/test.in": "-r base.in\ngamma\n",
            "requirements/constraints.txt": "# local pins\n-c common_constraints.txt\n",
            "requirements/common_constraints.txt": "alpha<1.1\n",
        },
    )
    result = _ok(run_parity("lock", "-p", project))
    assert "common_constraints" not in result.out + result.err  # type: ignore[attr-defined]
    for lockfile in ("requirements/base.txt", "requirements/test.txt"):
        assert requirements_txt.read(project / lockfile).pin("alpha").version == "1.0"  # type: ignore[union-attr]
    common = project / "requirements/common_constraints.txt"
    common.write_text("alpha<1.1,!=1.0\n")
    stale = run_parity("check", "-p", project, "--lock-only")
    assert stale.code == 1  # type: ignore[attr-defined]
    failed = run_parity("lock", "-p", project)
    assert failed.code == 2 and "alpha" in failed.err  # type: ignore[attr-defined]


def test_constraints_files_that_name_each_other_are_read_once(tmp_path: Path) -> None:
    from parity.spec.model import SourceRef
    from parity.spec.requirements_in.constraints import read_constraints

    project = make_project(
        tmp_path,
        {
            "c/a.txt": "-c b.txt\nalpha<2\n",
            "c/b.txt": "--constraint=a.txt\n-r ../d.txt\nbeta<2\n",
            "d.txt": "gamma<1\n",
        },
    )
    read = read_constraints(project, "c/a.txt", SourceRef("requirements.in", 1))
    assert sorted(c.requirement for c in read.constraints) == ["alpha<2", "beta<2", "gamma<1"]


def test_a_versioned_egg_fragment_gets_a_message_that_names_it(
    tmp_path: Path, run_parity: Run
) -> None:
    """Open edX: git+https://...@0.5.6#egg=edx_credentials_themes==0.5.6 was "cannot tell
    the package name", while the line names it."""
    project = make_project(
        tmp_path,
        {
            "requirements.in": "git+https://git.example/org/themes.git@0.5.6"
            "#egg=edx_credentials_themes==0.5.6\n"
        },
    )
    result = run_parity("lock", "-p", project)
    assert result.code == 2  # type: ignore[attr-defined]
    err = result.err  # type: ignore[attr-defined]
    assert "requirements.in:1" in err and "#egg=edx_credentials_themes==0.5.6" in err
    assert "edx_credentials_themes @ git+https://git.example/org/themes.git@0.5.6" in err
    assert not (project / "requirements.txt").exists()


def test_pdms_dev_dependencies_are_groups(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """PDM projects keep their tools in [tool.pdm.dev-dependencies]: they were dropped."""
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": f"""
                [build-system]
                requires = ["hatchling"]
                build-backend = "hatchling.build"

                [project]
                name = "pdmish"
                version = "0.1"
                requires-python = ">=3.11"
                dependencies = ["beta"]

                [dependency-groups]
                test = ["zeta"]

                [tool.pdm.dev-dependencies]
                test = ["gamma"]
                lint = ["tool-a", "-e file:///${{PROJECT_ROOT}}/plugins/extra"]

                [[tool.uv.index]]
                url = "{local_index.url}"
                default = true
            """,
            "pdmish/__init__.py": "",
            "plugins/extra/pyproject.toml": """
                [build-system]
                requires = ["hatchling"]
                build-backend = "hatchling.build"

                [project]
                name = "extra-plugin"
                version = "0.1"
                dependencies = ["eta"]
            """,
            "plugins/extra/extra_plugin/__init__.py": "",
        },
    )
    result = _ok(run_parity("lock", "-p", project))
    assert "[tool.pdm.dev-dependencies] lint" in result.out  # type: ignore[attr-defined]
    test = {p.name for p in requirements_txt.read(project / "requirements-test.txt").pins}
    assert {"beta", "gamma", "zeta"} <= test
    lint = requirements_txt.read(project / "requirements-lint.txt")
    plugin = lint.pin("extra-plugin")
    assert plugin is not None and plugin.source == "./plugins/extra" and plugin.editable
    assert {"tool-a", "eta"} <= {p.name for p in lint.pins}


# -- converting to Poetry ---------------------------------------------------------------------


def test_converting_to_poetry_leaves_no_setting_that_names_the_moved_groups(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """click: [tool.uv] default-groups named the PEP 735 groups; after the conversion every
    uv command failed ("Default group dev is not defined"), and tox's groups were gone."""
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": f"""
                [project]
                name = "clicky"
                version = "0.1"
                requires-python = ">=3.11"
                dependencies = ["beta"]

                [dependency-groups]
                dev = ["tool-a"]
                tests = ["zeta"]

                [tool.uv]
                default-groups = ["dev", "tests"]

                [[tool.uv.index]]
                url = "{local_index.url}"
                default = true

                [tool.tox.env.py]
                dependency_groups = ["tests"]
            """,
            ".python-version": "3.11\n",
        },
    )
    result = _ok(run_parity("init", "--strategy", "poetry", "-p", project))
    text = (project / "pyproject.toml").read_text()
    assert "default-groups" not in text and "[tool.poetry.group.tests.dependencies]" in text
    out = result.out + result.err  # type: ignore[attr-defined]
    assert "[tool.uv] default-groups removed" in out
    assert "[tool.tox] installs dependency groups" in out


# -- converting a conda project ----------------------------------------------------------------


def test_converting_a_conda_project_to_a_pypi_strategy_stops_instead_of_dropping_packages(
    tmp_path: Path, run_parity: Run
) -> None:
    """latent-diffusion: pytorch, torchvision, numpy and the Python pin come from conda;
    `init --strategy pip-tools` wrote a requirements.in of the pip: section alone."""
    environment = (
        "name: ldm\nchannels:\n  - pytorch\n  - defaults\ndependencies:\n"
        "  - python=3.8.5\n  - cudatoolkit=11.0\n  - pytorch=1.7.0\n  - numpy=1.19.2\n"
        "  - pip:\n    - omegaconf==2.1.1\n"
    )
    project = make_project(tmp_path, {"environment.yaml": environment})
    for strategy in ("pip-tools", "poetry"):
        result = run_parity("init", "--strategy", strategy, "-p", project, "--no-lock")
        assert result.code == 2, result.out  # type: ignore[attr-defined]
        err = result.err  # type: ignore[attr-defined]
        assert "conda project" in err and "pytorch=1.7.0" in err and "environment.yaml:7" in err
        assert sorted(p.name for p in project.iterdir()) == ["environment.yaml"]


def test_init_docker_dry_run_shows_the_files_the_real_run_writes(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """`init --strategy docker --dry-run` said "0 file(s) would change"; the run wrote four."""
    project = _docker_ready_workspace(tmp_path, local_index)
    _ok(run_parity("lock", "-p", project))
    before = sorted(p.relative_to(project).as_posix() for p in project.rglob("*"))
    shown = _ok(run_parity("init", "--strategy", "docker", "-p", project, "--dry-run"))
    out = shown.out  # type: ignore[attr-defined]
    assert "+++ b/.devcontainer/devcontainer.json" in out and "+++ b/Dockerfile" in out
    assert "(0 file(s) would change)" not in out
    assert sorted(p.relative_to(project).as_posix() for p in project.rglob("*")) == before
    done = _ok(run_parity("init", "--strategy", "docker", "-p", project))
    for path in (".devcontainer/devcontainer.json", "Dockerfile"):
        assert path in done.out  # type: ignore[attr-defined]


def test_init_docker_again_says_each_note_once(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """A second `init --strategy docker` printed the dev container's notes twice: once from
    refreshing the files the first run generated, once from writing them again."""
    project = _docker_ready_workspace(tmp_path, local_index)
    _ok(run_parity("init", "--strategy", "docker", "-p", project))
    again = _ok(run_parity("init", "--strategy", "docker", "-p", project))
    notes = [line for line in again.out.splitlines() if line.startswith("note:")]  # type: ignore[attr-defined]
    assert notes and len(notes) == len(set(notes)), notes


def test_the_first_lock_of_a_pdm_project_keeps_the_versions_of_pdm_lock(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """PDM's own repository: pdm.lock was not read, so the first lock moved every package."""
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": f"""
                [project]
                name = "adopt"
                version = "0"
                requires-python = ">=3.11"
                dependencies = ["alpha"]

                [[tool.uv.index]]
                url = "{local_index.url}"
                default = true
            """,
            "pdm.lock": """
                # This file is @generated by PDM.
                [metadata]
                groups = ["default"]
                lock_version = "4.5.1"

                [[package]]
                name = "alpha"
                version = "1.0"
                requires_python = ">=3.8"
                groups = ["default"]
                files = []
            """,
        },
    )
    result = _ok(run_parity("lock", "-p", project))
    assert "Kept the versions of pdm.lock" in result.out  # type: ignore[attr-defined]
    assert requirements_txt.read(project / "requirements.txt").pin("alpha").version == "1.0"  # type: ignore[union-attr]


def test_a_project_read_from_requirements_files_is_told_when_its_own_name_comes_from_the_index(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """aiohttp read as requirements/*.in: pytest-aiohttp brings aiohttp from the index into
    the test lock, so the tests run the release, not the checkout (pip-compile does the same;
    aiohttp's own setup passes --unsafe-package=aiohttp)."""
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "alpha"\nversion = "0"\n',
            "requirements.in": f"-i {local_index.url}\nbeta\n",
        },
    )
    result = _ok(run_parity("lock", "-p", project))
    assert "alpha, the name of this project, is locked from the index in prod" in result.out  # type: ignore[attr-defined]


def test_exporting_requirements_over_a_lockfile_says_what_that_file_is(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """`export --to requirements` in a pip-tools project pointed at --force, which would
    replace the prod lockfile with an export."""
    project = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\nbeta\n",
            "requirements-dev.in": "-r requirements.in\nzeta\n",
        },
    )
    _ok(run_parity("lock", "-p", project))
    before = (project / "requirements.txt").read_text()
    refused = run_parity("export", "--to", "requirements", "-p", project)
    assert refused.code == 2  # type: ignore[attr-defined]
    assert "'prod' lockfile" in refused.err and "-o" in refused.err  # type: ignore[attr-defined]
    assert (project / "requirements.txt").read_text() == before
    _ok(run_parity("export", "--to", "requirements", "-p", project, "-o", "image.txt"))
    assert "beta==1.0" in (project / "image.txt").read_text()


def test_a_crlf_pyproject_keeps_its_line_endings_when_converted(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """A pyproject.toml saved on Windows: the conversion rewrote every line as LF."""
    text = (
        '[project]\r\nname = "crlf-app"\r\nversion = "0.1"\r\nrequires-python = ">=3.11"\r\n'
        'dependencies = [\r\n    "beta",  # the why\r\n]\r\n\r\n'
        '[dependency-groups]\r\ndev = ["zeta"]\r\n\r\n'
        f'[[tool.uv.index]]\r\nurl = "{local_index.url}"\r\ndefault = true\r\n'
    )
    project = make_project(tmp_path, {".python-version": "3.11\n"})
    (project / "pyproject.toml").write_bytes(text.encode())
    _ok(run_parity("init", "--strategy", "poetry", "-p", project))
    data = (project / "pyproject.toml").read_bytes()
    assert b"[tool.poetry.group.dev.dependencies]\r\n" in data
    assert data.count(b"\n") == data.count(b"\r\n")
    assert b'"beta",  # the why\r\n' in data
    _ok(run_parity("export", "--to", "poetry", "-p", project, "--with-tools"))
    edited = (project / "pyproject.toml").read_bytes()
    assert b"[tool.ruff]\r\n" in edited and edited.count(b"\n") == edited.count(b"\r\n")


def test_check_on_a_hand_written_requirements_txt_does_not_point_at_a_lock_that_refuses(
    tmp_path: Path, run_parity: Run
) -> None:
    """starlette: requirements.txt is the hand-written dev set (`-e .[full]` and pins);
    check said "Run `parity lock`", and `parity lock` refuses to replace that file."""
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "alpha"\nversion = "0"\ndependencies = ["beta"]\n',
            "requirements.txt": "# Testing\n-e .[full]\nbeta==1.0\n",
        },
    )
    result = run_parity("check", "--json", "-p", project)
    assert result.code == 1  # type: ignore[attr-defined]
    findings = json.loads(result.out)["findings"]  # type: ignore[attr-defined]
    [foreign] = [f for f in findings if f["code"] == "lock-foreign"]
    assert "will not replace it" in foreign["fix"] and "outputs" in foreign["fix"]
    assert (project / "requirements.txt").read_text() == "# Testing\n-e .[full]\nbeta==1.0\n"


def _groups_project(tmp_path: Path, index_url: str, dependencies: str) -> Path:
    """commitizen's shape: [project] dependencies and [dependency-groups] that include others."""
    return make_project(
        tmp_path,
        {
            "pyproject.toml": f"""
                [project]
                name = "cz"
                version = "0.1"
                requires-python = ">=3.11"
                dependencies = [
                    "beta",
                    {dependencies}
                ]

                [dependency-groups]
                dev = [{{ include-group = "base" }}, "zeta"]
                base = ["delta"]

                [[tool.uv.index]]
                url = "{index_url}"
                default = true
            """
        },
    )


def test_a_misspelled_requirement_names_its_line_and_says_check_the_spelling(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """commitizen with pyyaml typed pyymal: uv blamed "group base", a group that never
    names it, and the hint said to relax constraints."""
    project = _groups_project(tmp_path, local_index.url, '"alphx>=1.0",')
    result = run_parity("lock", "-p", project)
    assert result.code == 2  # type: ignore[attr-defined]
    err = result.err  # type: ignore[attr-defined]
    lines = (project / "pyproject.toml").read_text().splitlines()
    assert "alphx" in lines[6] and "pyproject.toml:7" in err and "group prod" in err
    assert "no package named 'alphx'" in err and "spelling" in err
    assert "Relax" not in err
    assert not (project / "requirements.txt").exists()


def test_a_conflict_lists_where_the_project_asks_for_each_side(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = _groups_project(tmp_path, local_index.url, '"alpha>=2", "alpha<1.1",')
    result = run_parity("lock", "-p", project)
    assert result.code == 2  # type: ignore[attr-defined]
    err = result.err  # type: ignore[attr-defined]
    assert "where the project asks for them" in err
    assert "alpha>=2  pyproject.toml:7 (group prod)" in err
    assert "alpha<1.1  pyproject.toml:7 (group prod)" in err


def test_a_project_root_path_dependency_is_read_from_the_project_not_the_resolver_dir(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """PDM's `name @ file:///${PROJECT_ROOT}/libs/x` in [project] dependencies: parity said
    the path did not exist, then uv read ${PROJECT_ROOT} as parity's throw-away directory."""
    build = '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": build
            + f"""
                [project]
                name = "app"
                version = "0.1"
                requires-python = ">=3.11"
                dependencies = ["beta", "mylib @ file:///${{PROJECT_ROOT}}/libs/mylib"]

                [[tool.uv.index]]
                url = "{local_index.url}"
                default = true
            """,
            "app/__init__.py": "",
            "libs/mylib/pyproject.toml": build
            + '[project]\nname = "mylib"\nversion = "0.1"\ndependencies = ["zeta"]\n',
            "libs/mylib/mylib/__init__.py": "",
            ".python-version": "3.11\n",
        },
    )
    result = _ok(run_parity("lock", "-p", project))
    text = (project / "requirements.txt").read_text()
    assert "./libs/mylib" in text and "zeta==" in text, result.out  # type: ignore[attr-defined]
    assert str(tmp_path) not in text


def test_an_unreachable_url_requirement_is_named_at_its_line_without_its_credentials(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """A URL requirement with a token: parity blamed "the package index", gave no line, and
    with --offline its hint said to use --offline."""
    url = "http://user:s3cr3t@127.0.0.1:9/secretpkg-1.0.tar.gz"
    project = _groups_project(tmp_path, local_index.url, f'"secretpkg @ {url}",')
    online = run_parity("lock", "-p", project)
    assert online.code == 2  # type: ignore[attr-defined]
    err = online.err  # type: ignore[attr-defined]
    assert "pyproject.toml:7" in err and "cannot download secretpkg from its URL" in err
    assert "s3cr3t" not in err and "package index" not in err
    offline = run_parity("lock", "-p", project, "--offline")
    assert offline.code == 2  # type: ignore[attr-defined]
    assert "cannot resolve offline" in offline.err and "s3cr3t" not in offline.err  # type: ignore[attr-defined]
    assert "use --offline" not in offline.err  # type: ignore[attr-defined]
    assert not (project / "requirements.txt").exists()


def test_a_pin_that_needs_a_newer_python_points_at_the_python_not_at_relaxing(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """healthchecks: Django 6.1 (3.12+) locked for .python-version 3.11; the hint said to
    relax the conflicting constraints, and there was only one."""
    project = make_project(
        tmp_path,
        {"requirements.in": f"-i {local_index.url}\nmodern==2.0\n", ".python-version": "3.11\n"},
    )
    result = run_parity("lock", "-p", project)
    assert result.code == 2  # type: ignore[attr-defined]
    err = result.err  # type: ignore[attr-defined]
    assert "modern==2.0  requirements.in:2 (group prod)" in err
    assert "another Python than the lock's (.python-version:1)" in err
    assert "Relax" not in err


def test_init_docker_on_a_project_that_pins_no_python_stops_before_writing_anything(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """starlette (requires-python >=3.9, no .python-version): init docker locked, wrote
    no Docker file, and exited 0 with two notes."""
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": f"""
                [project]
                name = "lib"
                version = "0.1"
                requires-python = ">=3.9"
                dependencies = ["beta"]

                [[tool.uv.index]]
                url = "{local_index.url}"
                default = true
            """
        },
    )
    before = sorted(p.name for p in project.iterdir())
    result = run_parity("init", "--strategy", "docker", "-p", project)
    assert result.code == 2  # type: ignore[attr-defined]
    assert "pins no Python" in result.err  # type: ignore[attr-defined]
    assert sorted(p.name for p in project.iterdir()) == before


def test_a_group_file_that_is_a_broken_link_stops_lock_and_check(
    tmp_path: Path, run_parity: Run
) -> None:
    """readthedocs.org's requirements/*.in with one of them a symbolic link loop: lock said
    "Up to date" and check passed, the group skipped as if it were not there."""
    project = make_project(
        tmp_path, {"requirements/pip.in": "alpha\n", "requirements/docs.in": "beta\n"}
    )
    (project / "requirements" / "extra.in").symlink_to("extra.in")
    before = sorted(p.name for p in project.rglob("*"))
    for command in ("lock", "check"):
        result = run_parity(command, "-p", project)
        err = result.err  # type: ignore[attr-defined]
        assert result.code == 2, err  # type: ignore[attr-defined]
        assert "error: requirements/extra.in: a symbolic link loop" in err
        assert "Traceback" not in err and str(tmp_path) not in err
    assert sorted(p.name for p in project.rglob("*")) == before


def test_a_pip_compile_lock_made_on_another_python_is_named_when_no_python_is_pinned(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """readthedocs.org pins no Python; its pip-compile outputs say Python 3.14. Locked for
    the interpreter parity runs on, sphinx 9.1 moved back to 8.2 with nothing saying why."""
    header = (
        "#\n# This file is autogenerated by pip-compile with Python {}\n"
        "# by the following command:\n#\n#    pip-compile requirements/{}.in\n#\n"
    )
    project = make_project(
        tmp_path,
        {
            "requirements/base.in": f"-i {local_index.url}\nalpha\n",
            "requirements/base.txt": header.format("3.99", "base") + "alpha==1.0\n",
            "requirements/docs.in": "-r base.in\nbeta\n",
            "requirements/docs.txt": header.format("3.99", "docs") + "alpha==1.0\nbeta==1.0\n",
        },
    )
    result = _ok(run_parity("lock", "-p", project))
    err = result.out + result.err  # type: ignore[attr-defined]
    assert "pins no Python" in err
    assert (
        "pip-compile made requirements/base.txt and 1 more with Python 3.99 (their header "
        "says so)" in err
    )
    assert "echo 3.99 > .python-version" in err
    # Made by parity now: the next lock has nothing of pip-compile's to name.
    again = _ok(run_parity("lock", "-p", project))
    assert "pip-compile made" not in again.out + again.err  # type: ignore[attr-defined]


def test_pip_compile_locks_made_on_several_pythons_name_the_one_most_were_made_on(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    """edx-lint: base, dev and test .txt say Python 3.12, pip.txt says the Python parity
    runs on. Because one header matched, nothing said why code-annotations moved back."""
    header = (
        "#\n# This file is autogenerated by pip-compile with Python {}\n"
        "# by the following command:\n#\n#    make upgrade\n#\n"
    )
    here = f"{sys.version_info[0]}.{sys.version_info[1]}"
    project = make_project(
        tmp_path,
        {
            "requirements/base.in": f"-i {local_index.url}\nalpha\n",
            "requirements/base.txt": header.format("3.99") + "alpha==1.0\n",
            "requirements/dev.in": "-r base.in\nbeta\n",
            "requirements/dev.txt": header.format("3.99") + "alpha==1.0\nbeta==1.0\n",
            "requirements/pip.in": "gamma\n",
            "requirements/pip.txt": header.format(here) + "gamma==1.0\n",
        },
    )
    result = _ok(run_parity("lock", "-p", project))
    err = result.out + result.err  # type: ignore[attr-defined]
    assert (
        "pip-compile made requirements/base.txt and 1 more with Python 3.99 (their header "
        f"says so), not {here}" in err
    )


def test_uvs_exclude_newer_holds_in_the_lock_and_a_change_makes_it_stale(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """attrs sets `[tool.uv] exclude-newer = "1 week"`; parity resolved without it."""
    # uv reads [tool.uv] settings as configuration, which UV_NO_CONFIG turns off, for
    # `uv lock` as for parity; no user configuration is found without it.
    monkeypatch.delenv("UV_NO_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    pyproject = (
        "[project]\nname = 'app'\nversion = '1'\nrequires-python = '>=3.11'\n"
        "dependencies = ['alpha', 'beta']\n\n"
        f"[[tool.uv.index]]\nname = 'local'\nurl = '{local_index.url}'\ndefault = true\n\n"
        "[tool.uv]\npackage = false\nexclude-newer = '2001-01-01T00:00:00Z'\n"
    )
    project = make_project(tmp_path, {"pyproject.toml": pyproject})
    # The local index gives no upload times: uv leaves out every file under a cutoff.
    refused = run_parity("lock", "-p", project)
    assert refused.code == 2, refused.out  # type: ignore[attr-defined]
    assert "exclude-newer" in refused.err  # type: ignore[attr-defined]
    assert not (project / "requirements.txt").exists()
    exempt = "\n[tool.uv.exclude-newer-package]\nalpha = false\nbeta = false\n"
    (project / "pyproject.toml").write_text(pyproject + exempt)
    _ok(run_parity("lock", "-p", project, "--no-pylock"))
    assert _ok(run_parity("check", "-p", project, "--lock-only"))
    (project / "pyproject.toml").write_text(pyproject + exempt.replace("beta = false", ""))
    stale = run_parity("check", "-p", project, "--lock-only")
    assert stale.code == 1  # type: ignore[attr-defined]
    assert "pyproject.toml [tool.uv] changed" in stale.out  # type: ignore[attr-defined]


def test_uvs_no_build_and_dependency_metadata_hold_in_the_lock_and_a_change_makes_it_stale(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`[tool.uv] no-build`, `no-binary` and `dependency-metadata` were not read at all:
    parity built an sdist uv lock refuses to build, and ignored metadata given for it."""
    monkeypatch.delenv("UV_NO_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-config"))
    pyproject = (
        "[project]\nname = 'app'\nversion = '1'\nrequires-python = '>=3.11'\n"
        "dependencies = ['srconly']\n\n"
        f"[[tool.uv.index]]\nname = 'local'\nurl = '{local_index.url}'\ndefault = true\n\n"
        "[tool.uv]\npackage = false\n"
    )
    project = make_project(tmp_path, {"pyproject.toml": pyproject})
    # srconly is published as an sdist only: with building turned off it has no version.
    write = (project / "pyproject.toml").write_text
    write(pyproject + "no-build-package = ['srconly']\n")
    refused = run_parity("lock", "-p", project, "--no-pylock")
    assert refused.code == 2, refused.out  # type: ignore[attr-defined]
    assert "--no-build-package srconly" in refused.err  # type: ignore[attr-defined]
    assert not (project / "requirements.txt").exists()
    # Metadata given instead of the sdist's own: srconly then asks for alpha<2.
    metadata = (
        "dependency-metadata = [{ name = 'srconly', version = '0.1', "
        "requires-dist = ['alpha<2'] }]\n"
    )
    write(pyproject + metadata)
    _ok(run_parity("lock", "-p", project, "--no-pylock"))
    assert "alpha==1.1" in (project / "requirements.txt").read_text()
    assert _ok(run_parity("check", "-p", project, "--lock-only"))
    # Wheels turned off too: alpha has none, and uv lock has nothing to pick; the lock
    # that was current is stale, and lock resolves again instead of saying Up to date.
    write(pyproject + metadata + "no-binary = true\n")
    stale = run_parity("check", "-p", project, "--lock-only")
    assert stale.code == 1  # type: ignore[attr-defined]
    assert "pyproject.toml [tool.uv] changed" in stale.out  # type: ignore[attr-defined]
    again = run_parity("lock", "-p", project, "--no-pylock")
    assert again.code == 2, again.out  # type: ignore[attr-defined]
    assert "--no-binary" in again.err  # type: ignore[attr-defined]

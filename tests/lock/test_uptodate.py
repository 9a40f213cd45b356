"""A lock whose own digests answer the project is returned as it is; anything else resolves.

Every test locks once for real (uv, the local index), then locks again with uv
replaced by a function that counts its calls: "answered" means uv was not
called and not a byte changed; "resolved" means uv was called.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import parity
from fixtures import LocalIndex, Pkg, make_project
from fixtures.wheel_factory import build_wheel
from parity.errors import ParityError
from parity.lock.engines import uv as uv_engine

LOCKFILES = ("requirements.txt", "requirements-dev.txt", "pylock.toml")


@pytest.fixture
def project(tmp_path: Path, local_index: LocalIndex, monkeypatch: pytest.MonkeyPatch) -> Path:
    # The index comes from pip's configuration (as on most machines), not from the project.
    monkeypatch.setenv("PIP_INDEX_URL", local_index.url)
    root = make_project(
        tmp_path,
        {
            "requirements.in": "beta\ngamma\n",
            "requirements-dev.in": "-r requirements.in\ntool-a\n",
            ".python-version": "3.11\n",
        },
    )
    parity.lock(parity.load_project(root))
    return root


@pytest.fixture
def resolutions(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the resolutions of the next locks (each still runs uv for real)."""
    calls: list[int] = []
    real = uv_engine.resolve

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(uv_engine, "resolve", counted)
    yield calls


def _pins(outcome: Any) -> list[list[tuple[Any, ...]]]:
    return [
        [(p.name, p.version, p.marker, p.hashes, p.via) for p in g.pins]
        for g in outcome.lock.groups
    ]


def _files(root: Path) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in LOCKFILES}


def _lock(root: Path, **options: Any) -> Any:
    return parity.lock(parity.load_project(root), **options)


def test_an_unchanged_project_is_answered_from_the_lock_without_uv(
    project: Path, resolutions: list[int]
) -> None:
    before = _files(project)
    outcome = _lock(project)
    assert resolutions == []
    assert outcome.resolved is False and outcome.changed_files == ()
    assert _files(project) == before
    assert [g.name for g in outcome.lock.groups] == ["prod", "dev"]
    assert {p.name for p in outcome.lock.group("dev").pins} >= {"beta", "gamma", "tool-a"}


def test_the_answer_reads_like_a_resolution_that_changed_nothing(
    project: Path, resolutions: list[int]
) -> None:
    resolved = _lock(project, dry_run=True)  # resolves, writes nothing
    answered = _lock(project)
    assert len(resolutions) == 1
    assert _pins(answered) == _pins(resolved)
    assert answered.lock.meta == resolved.lock.meta
    assert answered.notes == resolved.notes and answered.read == resolved.read
    assert answered.prereleases == resolved.prereleases


@pytest.mark.parametrize(
    "options",
    [
        {"upgrade": True},
        {"upgrade_packages": ["beta"]},
        {"groups": ["dev"]},
        {"pylock": False},
        {"prerelease": True},
    ],
    ids=lambda o: ",".join(o),
)
def test_options_that_ask_for_another_lock_resolve(
    project: Path, resolutions: list[int], options: dict[str, Any]
) -> None:
    outcome = _lock(project, **options)
    assert resolutions == [1] and outcome.resolved


def test_a_lock_made_with_pre_is_not_answered_for_a_lock_without_it(
    project: Path, resolutions: list[int]
) -> None:
    _lock(project, prerelease=True)
    assert "#    parity lock --pre\n" in (project / "requirements.txt").read_text()
    assert _lock(project, prerelease=True).resolved is False
    assert _lock(project).resolved is True
    assert len(resolutions) == 2


def _edit_input(root: Path) -> None:
    (root / "requirements.in").write_text("beta\ngamma\ndelta\n")


def _reformat_lockfile(root: Path) -> None:
    path = root / "requirements.txt"
    path.write_text(path.read_text().replace("    # via", "    #  via", 1))


def _edit_pin(root: Path) -> None:
    path = root / "requirements-dev.txt"
    text = path.read_text()
    path.write_text(text.replace("--hash=sha256:", "--hash=sha256:0", 1))


def _remove_pylock(root: Path) -> None:
    (root / "pylock.toml").unlink()


def _pylock_of_another_run(root: Path) -> None:
    path = root / "pylock.toml"
    text = path.read_text()
    path.write_text(text.replace('generation = "sha256:', 'generation = "sha256:0', 1))


def _crlf_pylock(root: Path) -> None:
    path = root / "pylock.toml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))


def _lockfile_as_link(root: Path) -> None:
    path = root / "requirements.txt"
    (root / "elsewhere.txt").write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to("elsewhere.txt")


@pytest.mark.parametrize(
    "change",
    [
        _edit_input,
        _reformat_lockfile,
        _edit_pin,
        _remove_pylock,
        _pylock_of_another_run,
        _crlf_pylock,
        _lockfile_as_link,
    ],
    ids=lambda f: f.__name__.strip("_"),
)
def test_a_changed_project_or_lockfile_is_resolved_again(
    project: Path, resolutions: list[int], change: Callable[[Path], None]
) -> None:
    change(project)
    try:
        outcome = _lock(project)
    except ParityError:
        outcome = None  # refused (a link, a foreign file): never answered either
    assert resolutions == [1] or outcome is None
    assert outcome is None or outcome.resolved


def test_a_lock_that_writes_only_pylock_again_leaves_the_requirements_files_byte_identical(
    project: Path,
    resolutions: list[int],
    local_index: LocalIndex,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A clone of a project that keeps pylock.toml out of git, on a machine whose pip
    configuration names another index: `parity lock` writes a pylock.toml other than the
    committer's (its URLs) and leaves the committed requirements files byte for byte as
    they are, generation line included; and what it leaves is one lock, answered next."""
    committed = {name: (project / name).read_bytes() for name in LOCKFILES[:2]}
    old_pylock = (project / "pylock.toml").read_bytes()
    (project / "pylock.toml").unlink()
    other = local_index.clone(tmp_path / "mirror")
    with other.serve():
        monkeypatch.setenv("PIP_INDEX_URL", other.url)
        outcome = _lock(project)
        assert resolutions == [1] and outcome.resolved
        assert outcome.changed_files == ("pylock.toml",)
        assert (project / "pylock.toml").read_bytes() != old_pylock
        assert {name: (project / name).read_bytes() for name in LOCKFILES[:2]} == committed
        assert _lock(project).resolved is False and resolutions == [1]


def test_another_index_is_resolved_again(
    project: Path,
    resolutions: list[int],
    local_index: LocalIndex,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = local_index.clone(tmp_path / "mirror")
    with other.serve():
        monkeypatch.setenv("PIP_INDEX_URL", other.url)
        assert _lock(project).resolved
        assert _lock(project).resolved is False  # and then it is the lock's index
    assert len(resolutions) == 1


def test_an_index_on_the_command_line_is_resolved_again(
    project: Path, resolutions: list[int], local_index: LocalIndex
) -> None:
    assert _lock(project, extra_index_urls=[local_index.url]).resolved
    assert resolutions == [1]


@pytest.mark.parametrize("variable", ["UV_PRERELEASE", "UV_RESOLUTION", "UV_INDEX_URL"])
def test_uv_settings_that_may_change_a_resolution_resolve(
    project: Path,
    resolutions: list[int],
    local_index: LocalIndex,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    value = {
        "UV_PRERELEASE": "allow",
        "UV_RESOLUTION": "highest",
        "UV_INDEX_URL": local_index.url,
    }[variable]
    monkeypatch.setenv(variable, value)
    assert _lock(project).resolved
    # A lock made under them records no indexes, so the next one resolves too.
    monkeypatch.delenv(variable)
    assert _lock(project).resolved
    assert _lock(project).resolved is False
    assert len(resolutions) == 2


def test_a_uv_configuration_file_resolves(
    project: Path, resolutions: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "xdg"
    (config / "uv").mkdir(parents=True)
    (config / "uv" / "uv.toml").write_text('resolution = "highest"\n')
    monkeypatch.delenv("UV_NO_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "none"))
    assert _lock(project).resolved
    assert resolutions == [1]


def test_a_dependency_added_to_the_project_installed_by_its_requirements_is_locked(
    tmp_path: Path, local_index: LocalIndex, resolutions: list[int]
) -> None:
    """``-e .`` in requirements.in: uv reads the project's dependencies from its
    pyproject.toml, which the requirements-in spec does not read. A dependency added
    there made neither `check` nor the lock's digests see a change."""
    root = make_project(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "demo"
                version = "0.1"
                dependencies = ["beta"]

                [tool.parity]
                format = "requirements-in"

                [build-system]
                requires = ["setuptools"]
                build-backend = "setuptools.build_meta"
                """,
            "requirements.in": f"-i {local_index.url}\n-e .\n",
            ".python-version": "3.11\n",
        },
    )
    (root / "demo").mkdir()
    (root / "demo" / "__init__.py").write_text("")
    _lock(root)
    assert "gamma" not in (root / "requirements.txt").read_text()
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('["beta"]', '["beta", "gamma"]'))
    report = parity.check(parity.load_project(root), environment=False)
    assert not report.ok
    assert any("pyproject.toml [project]" in f.message for f in report.findings)
    assert _lock(root).resolved
    assert "gamma==" in (root / "requirements.txt").read_text()
    assert _lock(root).resolved is False


def test_each_lockfile_is_read_once_to_decide(
    project: Path, resolutions: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check that refuses a file a person wrote and the up-to-date check share one read."""
    import builtins
    import io

    spec = parity.load_project(project)
    opened: list[str] = []
    real_open = io.open

    def counting_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, (str, Path)) and Path(file).name in LOCKFILES:
            opened.append(Path(file).name)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(io, "open", counting_open)
    monkeypatch.setattr(builtins, "open", counting_open)
    outcome = parity.lock(spec)
    monkeypatch.undo()
    assert outcome.resolved is False and resolutions == []
    assert sorted(opened) == sorted(LOCKFILES)


def test_a_lockfile_installing_the_source_tree_beside_hashes_says_pip_refuses_it(
    tmp_path: Path, local_index: LocalIndex
) -> None:
    # cookiecutter-data-science's dev-requirements.in starts with `-e .`: the lock has
    # hashes, so `pip install -r dev-requirements.txt` (its Makefile) stops on `-e .`.
    root = make_project(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "demo"
                version = "0.1"
                dependencies = ["beta"]

                [build-system]
                requires = ["setuptools"]
                build-backend = "setuptools.build_meta"
                """,
            "dev-requirements.in": f"-i {local_index.url}\n-e .\ngamma\n",
            ".python-version": "3.11\n",
        },
    )
    (root / "demo").mkdir()
    (root / "demo" / "__init__.py").write_text("")
    outcome = _lock(root)
    assert "-e .\n" in (root / "dev-requirements.txt").read_text()
    [note] = [n for n in outcome.notes if "source tree" in n]
    assert note.startswith("dev-requirements.txt installs a source tree (-e .)")
    assert "`parity sync --group dev`" in note
    assert not any("source tree" in n and "requirements.txt," in n for n in outcome.notes)


def test_the_source_tree_note_names_the_folder_the_lockfile_installs(
    tmp_path: Path, local_index: LocalIndex
) -> None:
    # A monorepo's requirements.in names ./libs/mylib: the note said "(-e .)", a line
    # the file does not hold, and told pip to install `-e .` in the second step.
    root = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\n./libs/mylib\ngamma\n",
            "libs/mylib/pyproject.toml": """
                [project]
                name = "mylib"
                version = "0.1"

                [build-system]
                requires = ["setuptools"]
                build-backend = "setuptools.build_meta"
                """,
            "libs/mylib/mylib/__init__.py": "",
            ".python-version": "3.11\n",
        },
    )
    outcome = _lock(root)
    [note] = [n for n in outcome.notes if "source tree" in n]
    assert note.startswith("requirements.txt installs a source tree (./libs/mylib)")
    assert "`pip install --no-deps ./libs/mylib`" in note
    assert "-e ." not in note


def test_a_local_wheel_rebuilt_in_place_makes_the_lock_stale_and_lock_hashes_it_again(
    tmp_path: Path, resolutions: list[int]
) -> None:
    # Nothing the inputs say changed: lock said "Up to date", check passed, and sync then
    # stopped on a hash mismatch whose hint (`parity lock`) did nothing.
    root = make_project(
        tmp_path,
        {
            "requirements.in": "./wheels/mywheel-1.0-py3-none-any.whl\n",
            ".python-version": "3.11\n",
        },
    )
    wheel = build_wheel(Pkg("mywheel", "1.0"), root / "wheels")
    _lock(root, offline=True)
    assert parity.check(parity.load_project(root), environment=False).ok
    build_wheel(Pkg("mywheel", "1.0", files={"mywheel/data.txt": "rebuilt"}), root / "wheels")
    rebuilt = hashlib.sha256(wheel.read_bytes()).hexdigest()
    report = parity.check(parity.load_project(root), environment=False)
    [finding] = report.findings
    assert finding.code == "lock-stale" and "mywheel" in finding.message
    assert finding.data["rehashed_archives"] == ["mywheel"]
    outcome = _lock(root, offline=True)
    assert outcome.resolved and len(resolutions) == 2
    assert f"--hash=sha256:{rebuilt}" in (root / "requirements.txt").read_text()
    assert rebuilt in (root / "pylock.toml").read_text()
    assert parity.check(parity.load_project(root), environment=False).ok


def _named_index_project(tmp_path: Path, index: str) -> Path:
    return make_project(
        tmp_path / "named",
        {
            "requirements.in": f"-i {index}\nbeta\ngamma\n",
            "requirements-dev.in": "-r requirements.in\ntool-a\n",
            ".python-version": "3.11\n",
        },
    )


def test_a_lock_without_pylock_is_answered_when_the_project_names_its_index(
    tmp_path: Path, local_index: LocalIndex, resolutions: list[int]
) -> None:
    # `lock --no-pylock` always resolved again: only pylock.toml recorded the indexes,
    # yet the lockfiles' own index lines record those the project names.
    root = _named_index_project(tmp_path, local_index.url)
    assert _lock(root, pylock=False).resolved
    before = {n: (root / n).read_bytes() for n in LOCKFILES[:2]}
    outcome = _lock(root, pylock=False)
    assert outcome.resolved is False and outcome.changed_files == ()
    assert resolutions == [1]
    assert {n: (root / n).read_bytes() for n in LOCKFILES[:2]} == before
    assert not (root / "pylock.toml").exists()
    assert _lock(root).resolved  # and pylock.toml is then written by a resolution
    assert (root / "pylock.toml").is_file()


def test_a_lock_without_pylock_resolves_when_pip_configuration_chose_the_index(
    project: Path, resolutions: list[int]
) -> None:
    # Nothing records pip's configuration: another index there would lock other files.
    assert _lock(project, pylock=False).resolved
    assert _lock(project, pylock=False).resolved
    assert resolutions == [1, 1]


def test_a_lock_without_pylock_resolves_when_its_index_is_a_variable(
    tmp_path: Path, local_index: LocalIndex, resolutions: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARITY_TEST_INDEX", local_index.url)
    root = _named_index_project(tmp_path, "${PARITY_TEST_INDEX}")
    assert _lock(root, pylock=False).resolved
    assert _lock(root, pylock=False).resolved
    assert resolutions == [1, 1]


def test_a_lock_without_pylock_made_under_uv_settings_resolves_again(
    tmp_path: Path, local_index: LocalIndex, resolutions: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _named_index_project(tmp_path, local_index.url)
    monkeypatch.setenv("UV_PRERELEASE", "allow")
    assert _lock(root, pylock=False).resolved
    assert "# parity:uv-settings in-effect\n" in (root / "requirements.txt").read_text()
    monkeypatch.delenv("UV_PRERELEASE")
    assert _lock(root, pylock=False).resolved  # what they changed is recorded nowhere
    assert "uv-settings" not in (root / "requirements.txt").read_text()
    assert _lock(root, pylock=False).resolved is False
    assert len(resolutions) == 2

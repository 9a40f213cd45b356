"""Fingerprinting real environments: venvs on several Pythons, fake distributions inside."""

from __future__ import annotations

import ast
import json
import os
import platform
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from fixtures import find_python, make_venv
from parity.env.installed import read_venv
from parity.env.snapshot import capture_snapshot
from parity.env.snapshot.capture import PROBE_PATH, PROBE_STDLIB
from parity.env.snapshot_json import dumps_snapshot, read_snapshot, write_snapshot
from parity.env.snapshot_model import NativeLibrary
from parity.errors import EnvironmentError_, ParityError

COMMIT = "4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c"

TORCH_VERSION_PY = "__version__ = '2.1.0+cu121'\ncuda: Optional[str] = '12.1'\nhip = None\n"
NUMPY_CONFIG = """
CONFIG = _cleanup(
    {
        "Build Dependencies": {
            "blas": {
                "name": "scipy-openblas",
                "found": bool("True".lower().replace("false", "")),
                "version": "0.3.27",
            },
            "lapack": {"name": "scipy-openblas", "version": "0.3.27"},
        },
    }
)
"""


def add_dist(
    site: Path,
    name: str,
    version: str,
    *,
    installer: str | None = "uv",
    requested: bool = True,
    direct_url: dict[str, object] | None = None,
    dirname: str | None = None,
) -> Path:
    """A minimal installed distribution: a dist-info directory, as an installer leaves it."""
    info = site / (dirname or f"{name.replace('-', '_')}-{version}.dist-info")
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\nA long description.\n",
        encoding="utf-8",
    )
    (info / "RECORD").write_text(f"{info.name}/METADATA,,\n", encoding="utf-8")
    if installer is not None:
        (info / "INSTALLER").write_text(installer + "\n", encoding="utf-8")
    if requested:
        (info / "REQUESTED").write_text("", encoding="utf-8")
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url), encoding="utf-8")
    return info


def site_packages(venv: Path) -> Path:
    info = read_venv(venv)
    assert info is not None
    return info.site_packages


def populate(venv: Path) -> Path:
    """The fake distributions every capture test looks for; returns site-packages."""
    site = site_packages(venv)
    add_dist(site, "Alpha_Pkg", "1.0", installer="pip")
    add_dist(site, "transitive", "0.3", requested=False)
    add_dist(
        site,
        "mylib",
        "0.1.dev0",
        direct_url={"url": (venv.parent / "mylib").as_uri(), "dir_info": {"editable": True}},
    )
    add_dist(
        site,
        "fromgit",
        "2.0",
        direct_url={
            "url": "https://deploy:s3cr3t@git.example/org/fromgit.git",
            "vcs_info": {"vcs": "git", "commit_id": COMMIT, "requested_revision": "v2.0"},
        },
    )
    add_dist(site, "odd-name", "1.0", dirname="odd_name-1.0_local.dist-info")
    old = site / "Old.Pkg-0.9-py3.8.egg-info"
    old.mkdir()
    (old / "PKG-INFO").write_text(
        "Metadata-Version: 1.0\nName: Old.Pkg\nVersion: 0.9\n", encoding="utf-8"
    )
    project = venv.parent / "devproj"
    (project / "devproj.egg-info").mkdir(parents=True)
    (project / "devproj.egg-info" / "PKG-INFO").write_text(
        "Metadata-Version: 1.0\nName: devproj\nVersion: 0.2\n", encoding="utf-8"
    )
    (site / "devproj.egg-link").write_text(f"{project}\n.\n", encoding="utf-8")
    return site


@pytest.fixture
def venv311(tmp_path: Path) -> Path:
    venv = tmp_path / "venv"
    make_venv(venv, "3.11")
    populate(venv)
    return venv


def _python_or_skip(version: str) -> Path:
    found = find_python(version)
    if found is None:
        pytest.skip(f"Python {version} is not installed on this machine")
    return found


@pytest.mark.parametrize("minor", ["3.8", "3.11", "3.12"])
def test_a_venv_is_fingerprinted_on_each_python(tmp_path: Path, minor: str) -> None:
    venv = tmp_path / f"venv{minor}"
    make_venv(venv, str(_python_or_skip(minor)))
    populate(venv)
    snapshot = capture_snapshot(env_dir=venv, cwd=tmp_path)
    assert snapshot.label == f"venv{minor}"
    assert snapshot.kind == "venv"
    assert snapshot.python is not None
    assert snapshot.python.implementation == "CPython"
    assert snapshot.python.version.startswith(minor + ".")
    assert snapshot.python.abi and f"{minor.replace('.', '')}" in snapshot.python.abi
    assert snapshot.platform is not None
    assert snapshot.platform.system == platform.system()
    assert snapshot.platform.machine == platform.machine()
    assert {d.name for d in snapshot.distributions} >= {
        "alpha-pkg",
        "transitive",
        "mylib",
        "fromgit",
        "odd-name",
        "old-pkg",
        "devproj",
    }


def test_installed_distributions_carry_installer_requested_and_source(venv311: Path) -> None:
    snapshot = capture_snapshot(env_dir=venv311)
    alpha = snapshot.distribution("alpha-pkg")
    assert alpha is not None
    assert (alpha.version, alpha.installer, alpha.requested, alpha.source) == (
        "1.0",
        "pip",
        True,
        None,
    )
    transitive = snapshot.distribution("transitive")
    assert transitive is not None and transitive.requested is False
    mylib = snapshot.distribution("mylib")
    assert mylib is not None
    assert (mylib.editable, mylib.source) == (True, "local")
    fromgit = snapshot.distribution("fromgit")
    assert fromgit is not None
    assert fromgit.source == f"git+https://***@git.example/org/fromgit.git@{COMMIT}"
    odd = snapshot.distribution("odd-name")
    assert odd is not None and odd.version == "1.0"  # read from METADATA
    old = snapshot.distribution("old-pkg")
    assert old is not None and old.version == "0.9"  # an egg-info, from PKG-INFO
    devproj = snapshot.distribution("devproj")
    assert devproj is not None
    assert (devproj.version, devproj.editable, devproj.source) == ("0.2", True, "local")


def test_distributions_are_sorted_by_name(venv311: Path) -> None:
    names = [d.name for d in capture_snapshot(env_dir=venv311).distributions]
    assert names == sorted(names)


def test_native_libraries_are_found_without_importing_anything(venv311: Path) -> None:
    site = site_packages(venv311)
    (site / "numpy").mkdir()
    # Importing this numpy would fail loudly: capture must only read it.
    (site / "numpy" / "__init__.py").write_text("raise SystemExit('imported')\n", encoding="utf-8")
    (site / "numpy" / "__config__.py").write_text(NUMPY_CONFIG, encoding="utf-8")
    (site / "numpy.libs").mkdir()
    for lib in ("libscipy_openblas64_-ff651d7f.so", "libgfortran-040039e1.so.5.0.0"):
        (site / "numpy.libs" / lib).write_bytes(b"")
    (site / "scikit_learn.libs").mkdir()
    (site / "scikit_learn.libs" / "libgomp-a34b3233.so.1.0.0").write_bytes(b"")
    (site / "torch").mkdir()
    (site / "torch" / "version.py").write_text(TORCH_VERSION_PY, encoding="utf-8")
    add_dist(site, "nvidia-cudnn-cu12", "8.9.2.26", requested=False)
    add_dist(site, "nvidia-cuda-runtime-cu12", "12.1.105", requested=False)
    snapshot = capture_snapshot(env_dir=venv311)
    assert set(snapshot.native) == {
        NativeLibrary("blas", "scipy-openblas", "0.3.27", "numpy"),
        NativeLibrary("lapack", "scipy-openblas", "0.3.27", "numpy"),
        NativeLibrary("fortran", "libgfortran", "5", "numpy"),
        NativeLibrary("openmp", "libgomp", None, "scikit-learn"),
        NativeLibrary("cuda", "cuda", "12.1", "torch"),
        NativeLibrary("cuda", "cuda-runtime", "12.1.105", "nvidia-cuda-runtime-cu12"),
        NativeLibrary("cudnn", "cudnn", "8.9.2.26", "nvidia-cudnn-cu12"),
    }


def test_behaviour_variables_and_index_settings_are_captured_redacted(
    venv311: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    monkeypatch.setenv("PYTHONHASHSEED", "0")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path / "extra"))
    monkeypatch.setenv("PIP_INDEX_URL", "https://ci:hunter2@index.example/simple")
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path / "wheels"))
    monkeypatch.setenv("UV_INDEX", f"mirror={(tmp_path / 'mirror').as_uri()}")
    snapshot = capture_snapshot(env_dir=venv311)
    assert snapshot.env_vars["OMP_NUM_THREADS"] == "4"
    assert snapshot.env_vars["PYTHONHASHSEED"] == "0"
    assert snapshot.env_vars["PYTHONPATH"] == "<local>"
    assert snapshot.index == {
        "index-url": ["https://***@index.example/simple"],
        "extra-index-url": ["<local>"],
        "find-links": ["<local>"],
    }


def test_no_machine_path_or_credential_reaches_the_snapshot_file(
    venv311: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), str(Path.home() / "src")]))
    monkeypatch.setenv("PIP_EXTRA_INDEX_URL", f"https://u:pw@index.example/simple {tmp_path}")
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "out" / "snapshot.json"
    target.parent.mkdir()  # -o never creates folders
    write_snapshot(capture_snapshot(env_dir=venv311), target)
    text = target.read_text(encoding="utf-8")
    for secret in (str(tmp_path), str(Path.home()), "s3cr3t", "deploy:", "pw@", sys.prefix):
        assert secret not in text
    assert json.loads(text)["label"] == "venv"


def test_a_snapshot_survives_a_json_round_trip(
    venv311: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    monkeypatch.setenv("PIP_INDEX_URL", "https://index.example/simple")
    snapshot = capture_snapshot(env_dir=venv311)
    path = tmp_path / "snap.json"
    write_snapshot(snapshot, path)
    again = read_snapshot(path)
    assert again == snapshot
    assert (again.env_vars, again.index) == (snapshot.env_vars, snapshot.index)
    assert dumps_snapshot(again) == path.read_text(encoding="utf-8")


def test_one_process_reads_the_whole_environment(
    venv311: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = site_packages(venv311)
    for i in range(40):
        add_dist(site, f"pkg{i}", "1.0")
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(cmd: list[str], *args: object, **kwargs: object) -> object:
        calls.append(list(cmd))
        return real_run(cmd, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", counting_run)
    monkeypatch.setenv("PARITY_CACHE_DIR", str(venv311.parent / "fresh-cache"))
    snapshot = capture_snapshot(env_dir=venv311)
    assert len(snapshot.distributions) >= 45
    assert len(calls) == 1
    assert {"-E", "-s"} <= set(calls[0])  # isolated from PYTHON* variables and user site


def test_a_venv_of_an_interpreter_read_before_is_read_from_its_files_alone(
    venv311: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARITY_CACHE_DIR", str(tmp_path / "fresh-cache"))
    first = capture_snapshot(env_dir=venv311)
    other = tmp_path / "other"
    make_venv(other, "3.11")
    add_dist(site_packages(other), "only-here", "3.0")

    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError("the interpreter was read before: no process")

    monkeypatch.setattr(subprocess, "run", no_process)
    again = capture_snapshot(env_dir=venv311)
    assert dumps_snapshot(replace(again, taken_at=first.taken_at)) == dumps_snapshot(first)
    assert again.python == first.python and again.platform == first.platform
    fresh = capture_snapshot(env_dir=other)
    assert [d.name for d in fresh.distributions] == ["only-here"]
    assert fresh.python == first.python and fresh.kind == "venv"


def test_the_running_interpreter_is_read_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_process(*args: object, **kwargs: object) -> None:
        raise AssertionError("no process may be started for the running interpreter")

    monkeypatch.setattr(subprocess, "run", no_process)
    snapshot = capture_snapshot()
    assert snapshot.python is not None
    assert snapshot.python.version == platform.python_version()
    assert snapshot.distribution("pytest") is not None
    assert not snapshot.label.startswith("/")


def test_a_venv_interpreter_given_by_relative_path_is_labelled_by_its_venv(
    venv311: Path, tmp_path: Path
) -> None:
    snapshot = capture_snapshot(python=Path("venv/bin/python"), cwd=tmp_path)
    assert snapshot.label == "venv"
    assert snapshot.kind == "venv"


def test_an_environment_outside_the_working_directory_is_labelled_by_its_name(
    venv311: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    assert capture_snapshot(env_dir=venv311, cwd=elsewhere).label == "venv"
    assert capture_snapshot(env_dir=venv311, label="prod").label == "prod"


def test_a_base_interpreter_is_a_system_environment() -> None:
    python = _python_or_skip("3.12")
    snapshot = capture_snapshot(python=python)
    assert snapshot.kind == "system"
    assert snapshot.label == python.name


def test_a_version_managers_shim_is_looked_past(tmp_path: Path) -> None:
    if os.name == "nt":
        pytest.skip("POSIX shims")
    real = _python_or_skip("3.12")
    shims = tmp_path / "shims"
    shims.mkdir()
    shim = shims / "python3.12"
    shim.write_text(
        "#!/bin/sh\necho 'version 3.12 is not active' >&2\nexit 127\n", encoding="utf-8"
    )
    shim.chmod(0o755)
    bindir = tmp_path / "pyenv" / "versions" / "3.12.99" / "bin"
    bindir.mkdir(parents=True)
    (bindir / "python3.12").symlink_to(real)
    environ = {"PATH": str(shims), "PYENV_ROOT": str(tmp_path / "pyenv"), "HOME": str(tmp_path)}
    snapshot = capture_snapshot(python="python3.12", environ=environ)
    assert snapshot.python is not None and snapshot.python.version.startswith("3.12.")
    assert snapshot.label == "python3.12"


def test_a_directory_without_an_interpreter_is_an_error_with_a_hint(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(EnvironmentError_) as info:
        capture_snapshot(env_dir=tmp_path / "empty", cwd=tmp_path)
    assert info.value.path == "empty"
    assert "no Python interpreter" in info.value.message
    assert info.value.hint and "pyvenv.cfg" in info.value.hint


def test_a_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentError_, match="no such directory"):
        capture_snapshot(env_dir=Path("nope"), cwd=tmp_path)


def test_an_unknown_interpreter_command_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(EnvironmentError_) as info:
        capture_snapshot(python="python-that-does-not-exist", cwd=tmp_path)
    assert isinstance(info.value, ParityError)
    assert info.value.hint


def test_an_interpreter_that_fails_is_an_error(tmp_path: Path) -> None:
    if os.name == "nt":
        pytest.skip("POSIX shell script")
    fake = tmp_path / "python"
    fake.write_text("#!/bin/sh\necho broken >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    with pytest.raises(EnvironmentError_, match="broken"):
        capture_snapshot(python=fake, cwd=tmp_path)


# ------------------------------------------------------------------ the probe itself


def _probe_tree() -> ast.Module:
    return ast.parse(PROBE_PATH.read_text(encoding="utf-8"), feature_version=(3, 8))


def test_the_probe_is_python_3_8_syntax() -> None:
    _probe_tree()  # raises SyntaxError on newer syntax (match, X | Y at run time, ...)


def test_the_probe_imports_only_the_standard_modules_loaded_before_it() -> None:
    imported: set[str] = set()
    for node in _probe_tree().body:  # top level only: TYPE_CHECKING imports never run
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            imported.add((node.module or "").split(".")[0])
    assert imported <= set(PROBE_STDLIB)


def test_the_probe_runs_by_path_and_prints_one_json_document() -> None:
    out = subprocess.run(
        [sys.executable, "-I", str(PROBE_PATH)], capture_output=True, text=True, check=True
    )
    data = json.loads(out.stdout)
    assert data["python"]["version"] == platform.python_version()
    assert isinstance(data["sites"], list)


def test_canonical_names_are_packagings() -> None:
    from packaging.utils import canonicalize_name

    from parity.names import canonical_name

    names = ("Foo_Bar.baz", "a--b__c..d", "Django", "zope.interface", "ruamel.yaml", "x")
    for name in (*names, "_Leading-", "a._-b", "___", "", "İx"):
        assert canonical_name(name) == canonicalize_name(name)

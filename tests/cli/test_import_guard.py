"""What a command imports on the paths run many times a day: nothing heavy.

Each command runs as a user runs it, in its own process (``python -X
importtime -m parity ...``), and the modules it imported are read from
``-X importtime``.  ``check``, ``sync`` with nothing to do and ``<cmd>
--help`` answer from the record of an identical earlier run (see
cli/resultcache.py), so they run twice and the second run is the one
checked; ``--version``, ``--help`` and ``snapshot`` have click-free paths of
their own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, make_project

# Heavy for a command that must cost little more than Python's start-up.
HEAVY = ("click", "rich", "ruamel", "tomlkit", "packaging", "yaml", "pygments", "markdown_it")
# ``parity snapshot`` must cost at most twice ``uv pip freeze``: besides its own
# modules it imports only what Python starts with.  Each of these (with what it
# imports) costs more than reading a 100-package environment.
SNAPSHOT_AVOIDS = (
    "ast",
    "dataclasses",
    "inspect",
    "pathlib",
    "re",
    "json",
    "configparser",
    "urllib",
    "contextlib",
    "functools",
    "collections",
    "enum",
    "typing",
    "subprocess",
    "tomllib",
    "tomli",
)


# What the ``parity`` console script runs (``-m`` itself imports contextlib & co).
SCRIPT = ("-c", "import sys; from parity.cli.main import main; sys.exit(main())")


def imported(
    args: list[str],
    cwd: Path,
    extra: dict[str, str] | None = None,
    entry: tuple[str, ...] = ("-m", "parity"),
) -> set[str]:
    """The modules ``parity *args`` imported (a fresh process, bytecode caching on)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra or {})
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", *entry, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    names = set()
    for line in proc.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip())
    return names


def heavy(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in HEAVY)


@pytest.fixture
def synced(tmp_path: Path, local_index: LocalIndex, run_parity: Callable) -> Path:
    root = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\nbeta\n",
            "requirements-dev.in": "-r requirements.in\ntool-a\n",
            ".python-version": "3.11\n",
        },
    )
    assert run_parity("lock", "-p", root).code == 0
    assert run_parity("sync", "-p", root, "--group", "dev").code == 0
    return root


@pytest.mark.parametrize(
    "args",
    [
        ["check"],
        ["check", "--lock-only"],
        ["sync", "--group", "dev"],
        ["lock"],
        ["lock", "--help"],
        ["check", "--help"],
    ],
    ids=" ".join,
)
@pytest.mark.skipif(
    not (3, 11) <= sys.version_info[:2] <= (3, 12),
    reason="records are used on Python 3.11 and 3.12 only (see cli/resultcache.py)",
)
def test_a_repeated_command_imports_nothing_heavy(synced: Path, args: list[str]) -> None:
    first = imported(args, synced)  # runs in full (and, for lock, finds nothing to change)
    if args[-1] == "--help":
        assert "click" in first  # click builds the help, once
    if args == ["lock"]:
        imported(args, synced)  # the run that finds nothing to change is the one recorded
    assert heavy(imported(args, synced)) == []


@pytest.mark.parametrize("args", [["--version"], ["--help"]], ids=" ".join)
def test_version_and_help_import_nothing_heavy(tmp_path: Path, args: list[str]) -> None:
    assert heavy(imported(args, tmp_path)) == []


def test_a_snapshot_imports_nothing_heavy(synced: Path) -> None:
    imported(["snapshot", "--env", ".venv", "-o", "a.json"], synced)  # the interpreter, once
    modules = imported(["snapshot", "--env", ".venv", "-o", "b.json"], synced)
    assert heavy(modules) == []
    if sys.version_info >= (3, 11):  # 3.10's platform module imports subprocess itself
        assert "subprocess" not in modules  # read from the files: no process started


# What numpy's wheels hold that a snapshot reads: a Meson build configuration
# (read without ast) and bundled libraries (their versions read without re).
NUMPY_CONFIG = """\
CONFIG = _cleanup(
    {
        "Build Dependencies": {
            "blas": {
                "name": "scipy-openblas",
                "found": bool("True".lower().replace("false", "")),
                "version": "0.3.27",
                "include directory": r"/project/include",
            },
            "lapack": {"name": "dep140213194937296", "version": "0.3.27"},
        },
    }
)
"""


def test_a_snapshot_imports_only_what_python_starts_with(synced: Path, tmp_path: Path) -> None:
    (site,) = (synced / ".venv").glob("lib/python3*/site-packages")
    (site / "numpy").mkdir()
    (site / "numpy" / "__config__.py").write_text(NUMPY_CONFIG, encoding="utf-8")
    (site / "numpy.libs").mkdir()
    for name in ("libgfortran-040039e1-0352e75f.so.5.0.0", "libscipy_openblas64_-ff651d7f.so"):
        (site / "numpy.libs" / name).write_bytes(b"")
    # A plain pip configuration, as most machines have: read without configparser.
    conf = tmp_path / "pip.conf"
    conf.write_text(
        "[global]\nfind-links = /srv/wheels\nextra-index-url = file:///srv/simple\n",
        encoding="utf-8",
    )
    extra = {"PIP_CONFIG_FILE": str(conf), "LANG": "C.UTF-8"}
    snap = ["snapshot", "--env", ".venv", "-o"]
    imported([*snap, "a.json"], synced, extra, SCRIPT)  # the interpreter, once
    started = imported(["--version"], synced, extra, SCRIPT)  # Python's start-up
    modules = imported([*snap, "b.json"], synced, extra, SCRIPT)
    assert sorted(m for m in modules - started if m.split(".")[0] in SNAPSHOT_AVOIDS) == []
    written = (synced / "b.json").read_text(encoding="utf-8")
    assert '"find-links": [\n      "<local>"' in written
    assert '"name": "libgfortran",\n      "provider": "numpy",\n      "version": "5"' in written
    assert '"kind": "lapack",\n      "name": "scipy-openblas"' in written


def test_a_lock_answered_from_its_digests_imports_no_resolver(synced: Path) -> None:
    """Nothing recorded (a fresh clone, CI): the lockfiles' digests answer, without uv."""
    modules = imported(["lock"], synced, {"PARITY_NO_CACHE": "1"})
    assert "parity.lock.engines.uv" not in modules
    assert "parity.uv" not in modules
    assert [m for m in heavy(modules) if not m.startswith("packaging")] == []


# A project whose inputs say ``name``, ``name>=1.0`` or ``name[extra]`` (most do), and whose lock holds a
# marker (``delta ; sys_platform == 'win32'``, from gamma): reading it, deciding its lock
# is current (``lock``, ``check``), syncing nothing and reporting it need no packaging.
PLAIN_PROJECT = {
    "requirements.in": "beta>=1.0\ngamma\nepsilon[fast]\n",
    "requirements-dev.in": "-r requirements.in\ntool-a ~= 1.0\n",
    ".python-version": "3.11\n",
}
# The same in a pyproject.toml, whose tables validate-pyproject's schemas check first.
PLAIN_PYPROJECT = {
    "pyproject.toml": (
        '[project]\nname = "demo"\nversion = "0.1.0"\nrequires-python = ">=3.11"\n'
        'dependencies = ["beta>=1.0", "gamma", "epsilon [fast]"]\n\n'
        '[dependency-groups]\ndev = ["tool-a ~= 1.0"]\n'
    ),
}


@pytest.mark.parametrize("requires_python", [">=3.11", "==3.11.*"])
@pytest.mark.parametrize("args", [["lock"], ["check", "--lock-only"]], ids=" ".join)
def test_a_current_lock_of_a_plain_pyproject_imports_no_packaging(
    tmp_path: Path,
    local_index: LocalIndex,
    run_parity: Callable,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    requires_python: str,
) -> None:
    files = {"pyproject.toml": PLAIN_PYPROJECT["pyproject.toml"].replace(">=3.11", requires_python)}
    root = make_project(tmp_path, files)
    monkeypatch.setenv("PIP_INDEX_URL", local_index.url)
    assert run_parity("lock", "-p", root).code == 0
    modules = imported(args, root, {"PARITY_NO_CACHE": "1"})
    assert "parity._vendor.validate_pyproject.fastjsonschema_validations" in modules  # checked
    assert sorted(m for m in modules if m.split(".")[0] == "packaging") == []


@pytest.mark.parametrize(
    "args", [["lock"], ["check", "--lock-only"], ["sync"], ["check"]], ids=" ".join
)
def test_a_current_lock_of_a_plain_project_imports_no_packaging(
    tmp_path: Path,
    local_index: LocalIndex,
    run_parity: Callable,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:
    root = make_project(tmp_path, PLAIN_PROJECT)
    monkeypatch.setenv("PIP_INDEX_URL", local_index.url)  # as on most machines
    assert run_parity("lock", "-p", root).code == 0
    assert "sys_platform == 'win32'" in (root / "requirements.txt").read_text(encoding="utf-8")
    if args != ["check", "--lock-only"] and args != ["lock"]:
        assert run_parity("sync", "-p", root).code == 0  # then nothing to do
    modules = imported(args, root, {"PARITY_NO_CACHE": "1"})
    # The lockfile was read and its seal checked (so every marker in it was read).
    assert {"parity.lock.integrity", "parity.lock.formats.requirements_txt"} <= modules
    assert sorted(m for m in modules if m.split(".")[0] in ("packaging", "shlex")) == []
    if args != ["sync"]:  # parity's modules on these paths declare their types without it
        assert "typing" not in modules


@pytest.mark.parametrize(
    "args", [["sync", "--group", "dev"], ["check"], ["check", "--lock-only"]], ids=" ".join
)
def test_everyday_commands_without_a_record_run_without_click_or_rich(
    synced: Path, args: list[str]
) -> None:
    modules = imported(args, synced, {"PARITY_NO_CACHE": "1"})
    assert [m for m in heavy(modules) if not m.startswith("packaging")] == []


# -- check on a fresh clone or in CI: no record of an earlier run ---------------------------
#
# ``-X importtime`` does not see a module imported with ``importlib.import_module`` (check's
# consistency sources are), so these read ``sys.modules`` as the process exits.

# Never needed to tell whether a lock is fresh, sealed and agrees with the other files.
CHECK_AVOIDS = (
    "click",
    "rich",
    "ruamel",
    "tomlkit",
    "yaml",
    "parity.uv",
    "parity.lock.engines",
    "parity.lock.locker",
    "parity.env.sync",
    "parity.env.venv",
    "parity.projectlock",
    "parity.diagnose.diff",
    "parity.diagnose.risk",
)
# What only comparing the environment needs (``check`` without --lock-only).
ENVIRONMENT_ONLY = ("parity.env.installed", "parity.env.stamp", "parity.env.health")
# Sources of facts about files the project does not have, and the header reader of
# generated files it does not have either.
ABSENT_FILES = (
    "parity.diagnose.consistency.sources.dockerfile",
    "parity.diagnose.consistency.sources.compose",
    "parity.diagnose.consistency.sources.conda_env",
    "parity.diagnose.consistency.sources.conda_lock",
    "parity.diagnose.consistency.sources.gitlab_ci",
    "parity.diagnose.consistency.sources.github_actions",
    "parity.strategies.header",
)
_MODULES_AT_EXIT = (
    "import atexit, sys\n"
    "atexit.register(lambda: sys.__stderr__.write('MODULES ' + ' '.join(sorted(sys.modules)) + '\\n'))\n"
)


def loaded(args: list[str], cwd: Path) -> set[str]:
    """Every module ``parity *args`` had loaded when it exited (no record of an earlier run)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PARITY_NO_CACHE"] = "1"
    code = _MODULES_AT_EXIT + "from parity.cli.main import main\nsys.exit(main())\n"
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr[-2000:]
    line = [row for row in proc.stderr.splitlines() if row.startswith("MODULES ")][-1]
    return set(line.split()[1:])


def among(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_check_lock_only_imports_only_what_the_lock_needs(synced: Path) -> None:
    modules = loaded(["check", "--lock-only"], synced)
    assert among(modules, CHECK_AVOIDS + ENVIRONMENT_ONLY + ABSENT_FILES) == []
    # What it does need, so that the list above is read from a real check.
    assert {"parity.lock.integrity", "parity.diagnose.consistency.sources.pylock"} <= modules


def test_check_of_a_synced_environment_reads_files_only(synced: Path) -> None:
    modules = loaded(["check"], synced)  # the sync stamp answers
    assert among(modules, CHECK_AVOIDS + ABSENT_FILES + ("parity.env.health",)) == []
    assert "parity.env.stamp" in modules
    (synced / ".venv" / ".parity-sync.json").unlink()  # now every installed package is read
    modules = loaded(["check"], synced)
    assert among(modules, CHECK_AVOIDS + ABSENT_FILES) == []
    assert "parity.env.health" in modules


# Imported by reading the project and its lock (spec/, lock/formats/), not by check itself.
CHECK_ITSELF_AVOIDS = ("packaging", "subprocess", "click", "rich", "parity.env.sync", "parity.uv")


def test_check_itself_adds_no_heavy_import(synced: Path) -> None:
    # The project and its lock are read first; then what they imported is forgotten, and
    # the check must not import any of it again: deciding freshness, the seal, the files'
    # consistency and (from the stamp) the environment is check's own, cheap part.
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from parity.api import check, load_project\n"
        "from parity.lock.load import read_groups\n"
        "spec = load_project(Path('.'))\n"
        "read_groups(spec)\n"
        f"heavy = {CHECK_ITSELF_AVOIDS!r}\n"
        "for name in [m for m in sys.modules if m.split('.')[0] in heavy]:\n"
        "    del sys.modules[name]\n"
        "from parity.report.check_report import render_check\n"
        "for environment in (False, True):\n"
        "    report = check(spec, environment=environment)\n"
        "    render_check(report, as_json=False)\n"
        "    assert report.ok, report.findings\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy"
        " or m in ('parity.env.sync', 'parity.uv')))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=synced, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "[]"


# Modules on the everyday paths whose patterns serve a rarer branch (uv's error
# messages, writing pylock.toml, conda settings, ...): each is compiled on first use.
COMPILE_ON_USE = (
    "parity.lock.locker",
    "parity.lock.formats.pylock",
    "parity.lock.formats.files",
    "parity.lock.model",
    "parity.spec.conda_settings",
    "parity.spec.detect",
    "parity.spec.local",
    "parity.spec.pyproject",
    "parity.spec.requirements_file",
    "parity.report.style",
)


def test_importing_the_everyday_modules_compiles_none_of_their_patterns() -> None:
    code = (
        "import importlib, re, sys\n"
        # re's compiler: re._compiler from Python 3.11, sre_compile before.
        "compiler = importlib.import_module("
        "'re._compiler' if sys.version_info >= (3, 11) else 'sre_compile')\n"
        "seen = []\n"
        "real = compiler.compile\n"
        "def compile(pattern, flags=0):\n"
        "    frame = sys._getframe(1)\n"
        "    while frame and frame.f_globals.get('__name__', '').startswith(('re', 'functools')):\n"
        "        frame = frame.f_back\n"
        "    seen.append(frame.f_globals.get('__name__') if frame else None)\n"
        "    return real(pattern, flags)\n"
        "compiler.compile = compile\n"
        f"for name in {COMPILE_ON_USE!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(set(seen) & set({COMPILE_ON_USE!r})))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "[]"


# Run in a fresh process: the modules loaded when parity starts its first uv process,
# which is then not run (the lock's first uv run is ``uv lock``, so this is what every
# resolution waits for before uv can start).
_AT_FIRST_UV = """
import os, subprocess, sys
def stop(self, args, *rest, **options):
    sys.stdout.write("\\n".join(sorted(sys.modules)))
    sys.stdout.flush()
    os._exit(0)
subprocess.Popen.__init__ = stop
from parity.cli.main import main
sys.argv = ["parity", "lock"]
main()
"""


def loaded_when_uv_starts(root: Path) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PARITY_NO_CACHE"] = "1"
    proc = subprocess.run(
        [sys.executable, "-c", _AT_FIRST_UV], cwd=root, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return set(proc.stdout.split())


@pytest.mark.parametrize("relock", [False, True], ids=["from scratch", "an input changed"])
def test_a_lock_of_a_plain_project_starts_uv_before_heavy_imports(
    tmp_path: Path,
    local_index: LocalIndex,
    run_parity: Callable,
    monkeypatch: pytest.MonkeyPatch,
    relock: bool,
) -> None:
    """What reads uv's answer loads while uv resolves (on another core), not before."""
    root = make_project(tmp_path, PLAIN_PROJECT)
    monkeypatch.setenv("PIP_INDEX_URL", local_index.url)
    if relock:  # the old lockfiles' pins are read as versions to keep, before uv starts
        assert run_parity("lock", "-p", root).code == 0
        with open(root / "requirements.in", "a", encoding="utf-8") as handle:
            handle.write("alpha\n")
    modules = loaded_when_uv_starts(root)
    assert "parity.uv" in modules  # it did stop at uv
    early = sorted(m for m in modules if m.split(".")[0] in (*HEAVY, "logging", "typing"))
    assert early == []

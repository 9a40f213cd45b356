"""A record is never a way around a check: each trust scenario, with records on, as from the shell.

Every scenario records ``check``, ``check --lock-only``, ``check --deep``,
a ``sync`` with nothing to do and a ``lock`` with nothing to change (each
run twice, so that the second run is proven to be a replay), then breaks
something the way a user or an attacker would, and runs the commands again
as whole processes:

- a ``check`` must print and exit exactly as the same check with
  ``PARITY_NO_CACHE=1`` does;
- a ``sync`` or ``lock`` answered from its record must be one a full run
  agrees with (a full run afterwards has nothing to do either).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from fixtures import LocalIndex, find_python, make_project, uv_bin
from parity.report.lock_report import CURRENT

pytestmark = pytest.mark.skipif(
    not (3, 11) <= sys.version_info[:2] <= (3, 12),
    reason="records are used on Python 3.11 and 3.12 only",
)

CHECKS = (("check",), ("check", "--lock-only"), ("check", "--deep"))
SYNC = ("sync", "--group", "dev")
LOCK = ("lock",)
REPLAYED = "answered from the record"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def replayed(self) -> bool:
        return REPLAYED in self.err

    def shown(self) -> str:
        return f"exit {self.code}\n{self.out}\n{self.err[-2000:]}"


class Shell:
    """``parity`` started as a user starts it, in the project folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        self.env["PARITY_DEBUG"] = "1"  # says on stderr when an answer came from a record
        self.env.pop("PARITY_NO_CACHE", None)

    def run(self, *args: str, cache: bool = True) -> Run:
        env = dict(self.env)
        if not cache:
            env["PARITY_NO_CACHE"] = "1"
        proc = subprocess.run(
            [sys.executable, "-m", "parity", *args],
            cwd=self.root,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)


def _without_debug(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("debug:"))


def _stdout_and_errors(run: Run) -> tuple[int, str, str]:
    return run.code, run.out, _without_debug(run.err)


def _site_packages(root: Path) -> Path:
    return next((root / ".venv" / "lib").glob("python*/site-packages"))


def _uv_pip(root: Path, index: LocalIndex, *args: str) -> None:
    python = root / ".venv" / "bin" / "python"
    subprocess.run(
        [uv_bin(), "pip", *args, "--python", str(python), "--index-url", index.url, "--quiet"],
        check=True,
        capture_output=True,
    )


def _replace_keeping_status(path: Path, old: bytes, new: bytes) -> None:
    """An edit that keeps the size and sets the mtime back, as a careful attacker would."""
    assert len(old) == len(new)
    before = path.stat()
    data = path.read_bytes()
    assert old in data, (old, data[:200])
    path.write_bytes(data.replace(old, new, 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text[:400])
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- the breakages ---------------------------------------------------------------------------


def pin_edited(root: Path, index: LocalIndex, shell: Shell) -> None:
    _edit(root / "requirements-dev.txt", "alpha==2.0", "alpha==1.1")


def pin_edited_keeping_status(root: Path, index: LocalIndex, shell: Shell) -> None:
    _replace_keeping_status(root / "requirements-dev.txt", b"alpha==2.0", b"alpha==1.1")


def hash_edited(root: Path, index: LocalIndex, shell: Shell) -> None:
    path = root / "requirements.txt"
    text = path.read_text(encoding="utf-8")
    match = re.search(r"--hash=sha256:([0-9a-f])", text)
    assert match is not None
    flipped = "0" if match.group(1) != "0" else "1"
    path.write_text(text[: match.start(1)] + flipped + text[match.end(1) :], encoding="utf-8")


def pin_block_deleted(root: Path, index: LocalIndex, shell: Shell) -> None:
    path = root / "requirements-dev.txt"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("tool-a=="))
    end = start + 1
    while end < len(lines) and lines[end].startswith((" ", "\t")):
        end += 1
    path.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")


def pylock_removed(root: Path, index: LocalIndex, shell: Shell) -> None:
    (root / "pylock.toml").unlink()


def input_edited(root: Path, index: LocalIndex, shell: Shell) -> None:
    _edit(root / "requirements.in", "beta\n", "beta\ngamma\n")


def input_edited_keeping_status(root: Path, index: LocalIndex, shell: Shell) -> None:
    _replace_keeping_status(root / "requirements.in", b"\nbeta\n", b"\nzeta\n")


def input_added(root: Path, index: LocalIndex, shell: Shell) -> None:
    (root / "requirements-test.in").write_text("-r requirements.in\nzeta\n", encoding="utf-8")


def constraint_added(root: Path, index: LocalIndex, shell: Shell) -> None:
    (root / "constraints.txt").write_text("alpha<2\n", encoding="utf-8")
    _edit(root / "requirements.in", "beta\n", "-c constraints.txt\nbeta\n")


def python_version_changed(root: Path, index: LocalIndex, shell: Shell) -> None:
    (root / ".python-version").write_text("3.12\n", encoding="utf-8")


def pyproject_appeared(root: Path, index: LocalIndex, shell: Shell) -> None:
    (root / "pyproject.toml").write_text(
        '[project]\nname = "intruder"\nversion = "0"\ndependencies = ["zeta"]\n',
        encoding="utf-8",
    )


def parity_config_added(root: Path, index: LocalIndex, shell: Shell) -> None:
    (root / "parity.toml").write_text('[tool.parity]\nvenv = "other"\n', encoding="utf-8")


def package_installed(root: Path, index: LocalIndex, shell: Shell) -> None:
    _uv_pip(root, index, "install", "zeta")


def package_uninstalled(root: Path, index: LocalIndex, shell: Shell) -> None:
    python = root / ".venv" / "bin" / "python"
    subprocess.run(
        [uv_bin(), "pip", "uninstall", "--python", str(python), "--quiet", "tool-a"],
        check=True,
        capture_output=True,
    )


def package_downgraded(root: Path, index: LocalIndex, shell: Shell) -> None:
    _uv_pip(root, index, "install", "alpha==1.1")


def package_file_modified(root: Path, index: LocalIndex, shell: Shell) -> None:
    """Same size, mtime set back: only RECORD's hashes (``check --deep``) can see it."""
    path = _site_packages(root) / "alpha" / "__init__.py"
    data = path.read_bytes()
    assert b"__version__" in data
    _replace_keeping_status(path, b"__version__", b"__VERSION__")


def package_file_deleted(root: Path, index: LocalIndex, shell: Shell) -> None:
    (_site_packages(root) / "tool_a" / "__init__.py").unlink()


def metadata_rewritten_keeping_status(root: Path, index: LocalIndex, shell: Shell) -> None:
    dist = next(_site_packages(root).glob("alpha-*.dist-info"))
    _replace_keeping_status(dist / "METADATA", b"Version: 2.0", b"Version: 2.1")


def interpreter_replaced(root: Path, index: LocalIndex, shell: Shell) -> None:
    other = find_python("3.12") or find_python("3.10")
    if other is None:
        pytest.skip("needs a second Python (3.12 or 3.10)")
    link = root / ".venv" / "bin" / "python"
    target = link.resolve()
    link.unlink()
    link.symlink_to(other)
    assert link.resolve() != target


def interpreter_removed(root: Path, index: LocalIndex, shell: Shell) -> None:
    (root / ".venv" / "bin" / "python").unlink()


def pyvenv_cfg_edited(root: Path, index: LocalIndex, shell: Shell) -> None:
    path = root / ".venv" / "pyvenv.cfg"
    text = path.read_text(encoding="utf-8")
    new = re.sub(r"(version(?:_info)? = 3\.)11", r"\g<1>10", text)
    assert new != text, text
    path.write_text(new, encoding="utf-8")


def stamp_touched(root: Path, index: LocalIndex, shell: Shell) -> None:
    os.utime(root / ".venv" / ".parity-sync.json")


def stamp_marked_syncing(root: Path, index: LocalIndex, shell: Shell) -> None:
    _edit(root / ".venv" / ".parity-sync.json", '"state": "synced"', '"state": "syncing"')


def stamp_removed(root: Path, index: LocalIndex, shell: Shell) -> None:
    (root / ".venv" / ".parity-sync.json").unlink()


def venv_removed(root: Path, index: LocalIndex, shell: Shell) -> None:
    shutil.rmtree(root / ".venv")


def _variable(name: str, value: str) -> Callable[[Path, LocalIndex, Shell], None]:
    def change(root: Path, index: LocalIndex, shell: Shell) -> None:
        shell.env[name] = value.format(index=index.url)

    change.__name__ = f"{name}_set"
    return change


BREAKAGES = [
    pin_edited,
    pin_edited_keeping_status,
    hash_edited,
    pin_block_deleted,
    pylock_removed,
    input_edited,
    input_edited_keeping_status,
    input_added,
    constraint_added,
    python_version_changed,
    pyproject_appeared,
    parity_config_added,
    package_installed,
    package_uninstalled,
    package_downgraded,
    package_file_modified,
    package_file_deleted,
    metadata_rewritten_keeping_status,
    interpreter_replaced,
    interpreter_removed,
    pyvenv_cfg_edited,
    stamp_touched,
    stamp_marked_syncing,
    stamp_removed,
    venv_removed,
    _variable("PARITY_VENV", "other"),
    _variable("UV_INDEX_URL", "{index}"),
    _variable("PIP_INDEX_URL", "{index}"),
    _variable("UV_EXCLUDE_NEWER", "2001-01-01T00:00:00Z"),
]


@pytest.fixture
def recorded(
    tmp_path: Path, local_index: LocalIndex, request: pytest.FixtureRequest
) -> tuple[Path, Shell]:
    """A locked and synced project whose every everyday command was answered from a record."""
    root = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\nbeta\n",
            "requirements-dev.in": "-r requirements.in\ntool-a\n",
            ".python-version": "3.11\n",
        },
    )
    shell = Shell(root)
    assert shell.run(*LOCK).code == 0
    assert shell.run(*SYNC).code == 0
    assert "alpha==2.0" in (root / "requirements-dev.txt").read_text(encoding="utf-8")
    if "keeping_status" in request.node.name or "file_modified" in request.node.name:
        # Records made over 3 s after the files' last change trust an unchanged
        # status without hashing (git's rule): prove a same-size edit still shows.
        time.sleep(3.2)
    for args in (*CHECKS, SYNC, LOCK):
        first = shell.run(*args)
        assert first.code == 0, first.shown()
        second = shell.run(*args)
        assert second.replayed, f"{args}: not answered from its record\n{second.shown()}"
        assert (second.code, second.out) == (first.code, first.out) or args == LOCK
    return root, shell


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda b: b.__name__)
def test_a_record_never_hides_what_a_full_run_finds(
    recorded: tuple[Path, Shell],
    local_index: LocalIndex,
    breakage: Callable[[Path, LocalIndex, Shell], None],
) -> None:
    root, shell = recorded
    breakage(root, local_index, shell)
    for args in CHECKS:
        cached = shell.run(*args)
        full = shell.run(*args, cache=False)
        assert _stdout_and_errors(cached) == _stdout_and_errors(full), (
            f"{' '.join(args)} with records differs from a full run\n"
            f"--- with records:\n{cached.shown()}\n--- full:\n{full.shown()}"
        )
    synced = shell.run(*SYNC)
    if synced.replayed:
        again = shell.run(*SYNC, cache=False)
        assert again.out == synced.out, f"sync replayed\n{synced.shown()}\nfull:\n{again.shown()}"
    locked = shell.run(*LOCK)
    if locked.replayed:
        again = shell.run(*LOCK, cache=False)
        assert "Nothing changed" in again.out or CURRENT in again.out, (
            f"lock replayed\n{locked.shown()}\nfull:\n{again.shown()}"
        )


def test_each_scenario_breaks_something_a_full_check_sees(
    recorded: tuple[Path, Shell], local_index: LocalIndex
) -> None:
    """The scenarios are real: a full check finds each (a sample; --deep for files)."""
    root, shell = recorded
    package_file_modified(root, local_index, shell)
    assert shell.run("check", "--deep", cache=False).code == 1
    assert shell.run("check", "--deep").code == 1


@pytest.mark.parametrize("line", ["./sub", "-e ./sub", "sub @ file:./sub"])
def test_a_lock_is_not_replayed_when_a_local_package_it_depends_on_changed(
    tmp_path: Path, local_index: LocalIndex, line: str
) -> None:
    """uv reads the local package's metadata itself: its edit must resolve again."""
    root = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\n{line}\n",
            ".python-version": "3.11\n",
            "sub/pyproject.toml": '[project]\nname = "sub"\nversion = "1.0"\n'
            'dependencies = ["beta"]\n\n[build-system]\nrequires = []\n'
            'build-backend = "backend"\nbackend-path = ["."]\n',
            "sub/sub/__init__.py": "",
        },
    )
    shell = Shell(root)
    assert shell.run(*LOCK).code == 0, shell.run(*LOCK).shown()
    shell.run(*LOCK)
    assert shell.run(*LOCK).replayed
    _edit(root / "sub" / "pyproject.toml", '["beta"]', '["beta", "zeta"]')
    locked = shell.run(*LOCK)
    assert "zeta==" in (root / "requirements.txt").read_text(encoding="utf-8"), locked.shown()
    assert not locked.replayed


@pytest.mark.parametrize("where", ["uv.toml", "pyproject.toml"])
def test_a_lock_is_not_replayed_when_uv_configuration_changed(
    tmp_path: Path, local_index: LocalIndex, uv_project_config: None, where: str
) -> None:
    """uv reads its configuration itself (the project's, the user's): a change resolves again."""
    root = make_project(
        tmp_path,
        {"requirements.in": f"-i {local_index.url}\nbeta\n", ".python-version": "3.11\n"},
    )
    shell = Shell(root)
    assert shell.run(*LOCK).code == 0
    shell.run(*LOCK)
    assert shell.run(*LOCK).replayed
    text = 'constraint-dependencies = ["alpha<2"]\n'
    (root / where).write_text(text if where == "uv.toml" else f"[tool.uv]\n{text}", "utf-8")
    cached = shell.run(*LOCK)
    cached_lock = (root / "requirements.txt").read_text(encoding="utf-8")
    full = shell.run(*LOCK, cache=False)
    assert not cached.replayed or "alpha==2.0" in cached_lock
    assert (root / "requirements.txt").read_text(encoding="utf-8") == cached_lock, full.shown()
    (root / where).unlink()
    config = Path(os.environ["XDG_CONFIG_HOME"]) / "uv"
    config.mkdir(parents=True, exist_ok=True)
    (config / "uv.toml").write_text(text, encoding="utf-8")
    cached = shell.run(*LOCK)
    cached_lock = (root / "requirements.txt").read_text(encoding="utf-8")
    shell.run(*LOCK, cache=False)
    assert (root / "requirements.txt").read_text(encoding="utf-8") == cached_lock

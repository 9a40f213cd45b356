"""Faults: parity killed at random points, run twice at once, or cut off from its index.

Every trial starts parity as a real process against a deliberately slow
local index, interrupts it, then checks what a user would see:

- no uv process runs on, and (after the next run) no work folder is left;
- ``check`` tells the truth about what is on disk at that moment;
- running the command again converges to exactly what an undisturbed run
  writes, and ``check`` then passes.

The kill points are random but seeded, so a failure can be replayed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from fixtures import LocalIndex, make_project
from parity.generation import JOURNAL, TMP_MARK

SEED = int(os.environ.get("PARITY_FAULT_SEED", "20261202"))
TRIALS = int(os.environ.get("PARITY_FAULT_TRIALS", "6"))
LOCKFILES = ("requirements.txt", "requirements-dev.txt", "pylock.toml")


@pytest.fixture
def slow_index(local_index: LocalIndex) -> Iterator[str]:
    """A second server of the same index whose every answer takes a while."""
    clone = local_index.clone(local_index.root.parent / "slow-index")
    with clone.serve(delay=0.15) as url:
        yield url


@pytest.fixture
def temp_root(tmp_path: Path) -> Path:
    """The TMPDIR parity's processes use here, so leftovers can be counted."""
    root = tmp_path / "tmp"
    root.mkdir()
    return root


DEV = "-r requirements.in\ntool-a\nepsilon[fast]\n"
CHANGED_DEV = "-r requirements.in\ntool-a\n"


def project_files(tmp_path: Path, url: str, name: str) -> Path:
    return make_project(
        tmp_path,
        {
            "requirements.in": f"-i {url}\nbeta\ngamma\n",
            "requirements-dev.in": DEV,
            ".python-version": "3.11\n",
        },
        name=name,
    )


def parity(
    *args: str | Path, env: Mapping[str, str], check: bool = False
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "parity", *map(str, args)],
        capture_output=True,
        text=True,
        env=dict(env),
        check=check,
        timeout=300,
    )


def start(*args: str | Path, env: Mapping[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "parity", *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(env),
    )


def processes_inside(folder: Path) -> list[str]:
    """Processes whose working directory or command line is inside ``folder`` (Linux /proc)."""
    found: list[str] = []
    mark = str(folder)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cwd = os.readlink(entry / "cwd")
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if cwd.startswith(mark) or mark in cmdline:
            found.append(f"{entry.name}: {cmdline[:120]}")
    return found


def wait_until_gone(folder: Path, seconds: float = 5.0) -> list[str]:
    deadline = time.monotonic() + seconds
    while True:
        left = processes_inside(folder)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def snapshot(root: Path) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in LOCKFILES if (root / name).exists()}


def leftovers(root: Path) -> list[str]:
    found = [str(p.relative_to(root)) for p in root.rglob(f"*{TMP_MARK}*")]
    if (root / JOURNAL).exists():
        found.append(JOURNAL)
    return found


def work_folders(temp_root: Path) -> list[str]:
    return sorted(str(p.relative_to(temp_root)) for p in temp_root.glob("parity-*/*"))


needs_proc = pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="needs Linux /proc")


@needs_proc
def test_sigkill_during_lock_converges_and_check_tells_the_truth(
    tmp_path: Path, slow_index: str, temp_root: Path, uv_env: dict[str, str]
) -> None:
    env = {**uv_env, "TMPDIR": str(temp_root)}
    reference = project_files(tmp_path, slow_index, "reference")
    started = time.monotonic()
    parity("lock", "-p", reference, env=env, check=True)
    duration = time.monotonic() - started
    expected = snapshot(reference)
    assert set(expected) == set(LOCKFILES)
    # What a lock of the changed inputs (odd trials) writes when it is not disturbed.
    changed = project_files(tmp_path, slow_index, "reference-changed")
    (changed / "requirements-dev.in").write_text(CHANGED_DEV)
    parity("lock", "-p", changed, env=env, check=True)
    expected_changed = snapshot(changed)
    rng = random.Random(SEED)
    for trial in range(TRIALS):
        root = project_files(tmp_path, slow_index, f"trial-{trial}")
        target = expected
        if trial % 2:  # half the trials relock over an older lock
            parity("lock", "-p", root, "--no-pylock", env=env, check=True)
            (root / "requirements-dev.in").write_text(CHANGED_DEV)
            target = expected_changed
        proc = start("lock", "-p", root, env=env)
        time.sleep(rng.uniform(0.2, duration * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert wait_until_gone(temp_root) == [], f"trial {trial}: uv ran on"
        # check passes exactly when the killed run had written its whole lock.
        whole = snapshot(root) == target and not (root / JOURNAL).exists()
        truth = parity("check", "-p", root, "--lock-only", env=env)
        assert (truth.returncode == 0) == whole, f"trial {trial}: {truth.stdout}"
        (root / "requirements-dev.in").write_text(DEV)
        again = parity("lock", "-p", root, env=env)
        assert again.returncode == 0, again.stderr
        assert snapshot(root) == expected, f"trial {trial}: the rerun did not converge"
        assert leftovers(root) == []
        assert parity("check", "-p", root, "--lock-only", env=env).returncode == 0
    assert work_folders(temp_root) == []


@needs_proc
def test_sigterm_during_lock_stops_uv_and_cleans_up_at_once(
    tmp_path: Path, slow_index: str, temp_root: Path, uv_env: dict[str, str]
) -> None:
    env = {**uv_env, "TMPDIR": str(temp_root)}
    # Signal while uv resolves (a signal during the write is held until the
    # whole generation is in place: see test_generation.py).  On a machine busy
    # enough that the lock ends before the signal is sent, try again.
    for attempt in range(3):
        root = project_files(tmp_path, slow_index, f"project-{attempt}")
        proc = start("lock", "-p", root, env=env)
        deadline = time.monotonic() + 30
        while not processes_inside(temp_root) and proc.poll() is None:
            assert time.monotonic() < deadline, "uv never started"
            time.sleep(0.02)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        if proc.returncode != 0:
            break
    assert proc.returncode == 143, "the lock ended before the signal, 3 times"
    assert "Terminated." in err and "Traceback" not in err
    assert wait_until_gone(temp_root) == []
    assert work_folders(temp_root) == []
    assert snapshot(root) == {} and leftovers(root) == []


@needs_proc
def test_sigkill_during_sync_converges_and_check_tells_the_truth(
    tmp_path: Path, slow_index: str, temp_root: Path, uv_env: dict[str, str]
) -> None:
    env = {**uv_env, "TMPDIR": str(temp_root)}
    root = project_files(tmp_path, slow_index, "project")
    parity("lock", "-p", root, env=env, check=True)
    rng = random.Random(SEED + 1)
    for trial in range(TRIALS // 2):
        # A cache of its own: every wheel comes through the slow index.
        trial_env = {**env, "UV_CACHE_DIR": str(tmp_path / f"cache-{trial}")}
        proc = start("sync", "-p", root, "--group", "dev", env=trial_env)
        time.sleep(rng.uniform(0.3, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert wait_until_gone(temp_root) == [], f"trial {trial}: uv ran on"
        assert wait_until_gone(root / ".venv") == []
        truth = parity("check", "-p", root, "--group", "dev", env=trial_env)
        if proc.returncode == -signal.SIGKILL and truth.returncode == 0:
            # Only a sync that had finished may pass.
            assert "environment" in truth.stdout or "matches" in truth.stdout
        again = parity("sync", "-p", root, "--group", "dev", env=trial_env)
        assert again.returncode == 0, again.stderr
        assert parity("check", "-p", root, "--group", "dev", env=trial_env).returncode == 0
        assert parity("check", "-p", root, "--group", "dev", "--deep", env=env).returncode == 0


def test_concurrent_locks_and_syncs_are_serialised(
    tmp_path: Path, local_index: LocalIndex, temp_root: Path, uv_env: dict[str, str]
) -> None:
    env = {**uv_env, "TMPDIR": str(temp_root)}
    root = project_files(tmp_path, local_index.url, "project")
    parity("lock", "-p", root, env=env, check=True)
    expected = snapshot(root)
    runs = [
        start("lock", "-p", root, env=env),
        start("sync", "-p", root, "--group", "dev", env=env),
        start("lock", "-p", root, env=env),
        start("sync", "-p", root, "--group", "dev", env=env),
    ]
    for proc in runs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
    assert snapshot(root) == expected and leftovers(root) == []
    assert parity("check", "-p", root, "--group", "dev", env=env).returncode == 0


def test_an_unreachable_index_is_a_clear_error_and_writes_nothing(
    tmp_path: Path, uv_env: dict[str, str], temp_root: Path
) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    env = {**uv_env, "TMPDIR": str(temp_root), "UV_CACHE_DIR": str(tmp_path / "empty-cache")}
    env["UV_HTTP_RETRIES"] = "0"
    root = project_files(tmp_path, f"http://ci:s3cret@127.0.0.1:{port}/simple", "project")
    result = parity("lock", "-p", root, env=env)
    assert result.returncode == 2
    # The index is named (its password masked), with what to do.
    assert f"cannot reach the package index http://***@127.0.0.1:{port}/simple: " in result.stderr
    assert "s3cret" not in result.stderr
    assert "proxy" in result.stderr and "parity lock --offline" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(root) == {} and leftovers(root) == []
    assert work_folders(temp_root) == []


def test_sync_against_an_unreachable_index_says_so_not_hashes(
    tmp_path: Path, local_index: LocalIndex, uv_env: dict[str, str], temp_root: Path
) -> None:
    env = {**uv_env, "TMPDIR": str(temp_root)}
    root = project_files(tmp_path, local_index.url, "project")
    parity("lock", "-p", root, env=env, check=True)
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # The index moved (the lock is stale now, which sync only warns about).
    text = (root / "requirements.in").read_text()
    (root / "requirements.in").write_text(
        text.replace(local_index.url, f"http://127.0.0.1:{port}/simple")
    )
    cold = {**env, "UV_CACHE_DIR": str(tmp_path / "empty-cache"), "UV_HTTP_RETRIES": "0"}
    result = parity("sync", "-p", root, env=cold)
    assert result.returncode == 2
    assert f"cannot reach the package index http://127.0.0.1:{port}/simple:" in result.stderr
    assert "proxy" in result.stderr and "parity sync --offline" in result.stderr
    assert "hash" not in result.stderr.lower()

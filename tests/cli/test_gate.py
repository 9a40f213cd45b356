"""The gate sees what changed: the lockfiles themselves, and the environment as it is.

Each test is one way a lock or an environment goes wrong after ``parity
lock`` and ``parity sync`` said all was well; ``check`` must fail and
``sync`` must refuse or repair.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, edit_lock, make_project
from parity.generation import JOURNAL, TMP_MARK

SITE = ".venv/lib/python3.11/site-packages"


@pytest.fixture
def project(tmp_path: Path, local_index: LocalIndex) -> Path:
    return make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\nbeta\n",
            "requirements-dev.in": "-r requirements.in\ngamma\n",
            ".python-version": "3.11\n",
        },
    )


@pytest.fixture
def synced(project: Path, run_parity: Callable) -> Path:
    assert run_parity("lock", "-p", project, "--no-pylock").code == 0
    assert run_parity("sync", "-p", project).code == 0
    assert run_parity("check", "-p", project).code == 0
    return project


def codes(result: object) -> set[str]:
    return {f["code"] for f in result.json()["findings"]}  # type: ignore[attr-defined]


def alpha_hash(lockfile: Path) -> str:
    match = re.search(r"alpha==2.0 \\\n    --hash=(sha256:[0-9a-f]+)", lockfile.read_text())
    assert match
    return match.group(1)


# -- the lockfiles


def test_a_pin_edited_by_hand_fails_check_and_is_not_installed(
    synced: Path, run_parity: Callable
) -> None:
    lockfile = synced / "requirements.txt"
    lockfile.write_text(lockfile.read_text().replace("alpha==2.0", "alpha==1.0"))
    check = run_parity("check", "-p", synced, "--json")
    assert check.code == 1 and "lock-edited" in codes(check)
    sync = run_parity("sync", "-p", synced)
    assert sync.code == 2
    assert "changed after parity wrote it" in sync.err and "Traceback" not in sync.err


def test_a_deleted_pin_block_fails_check(synced: Path, run_parity: Callable) -> None:
    lockfile = synced / "requirements.txt"
    text = lockfile.read_text()
    start = text.index("alpha==2.0")
    lockfile.write_text(text[:start] + text[text.index("beta==1.0") :])
    assert "lock-edited" in codes(run_parity("check", "-p", synced, "--json", "--lock-only"))


def test_a_lock_edited_without_meaning_still_passes(synced: Path, run_parity: Callable) -> None:
    """Line endings and spacing are not content: a checkout with CRLF is the same lock."""
    lockfile = synced / "requirements.txt"
    lockfile.write_bytes(lockfile.read_bytes().replace(b"\n", b"\r\n"))
    assert run_parity("check", "-p", synced, "--lock-only").code == 0


def test_files_of_two_lock_runs_fail_check(synced: Path, run_parity: Callable) -> None:
    old_prod = (synced / "requirements.txt").read_bytes()
    (synced / "requirements-dev.in").write_text("-r requirements.in\ngamma\nzeta\n")
    assert run_parity("lock", "-p", synced, "--no-pylock").code == 0
    (synced / "requirements.txt").write_bytes(old_prod)
    result = run_parity("check", "-p", synced, "--json", "--lock-only")
    assert "lock-mixed" in codes(result)


def test_a_pylock_of_a_lock_with_other_pins_fails_check(
    project: Path, run_parity: Callable
) -> None:
    """pylock.toml adds nothing to the generation, but carries it: one from another lock shows."""
    assert run_parity("lock", "-p", project).code == 0
    old_pylock = (project / "pylock.toml").read_bytes()
    (project / "requirements-dev.in").write_text("-r requirements.in\ngamma\nzeta\n")
    assert run_parity("lock", "-p", project).code == 0
    assert run_parity("check", "-p", project, "--lock-only").code == 0
    (project / "pylock.toml").write_bytes(old_pylock)
    result = run_parity("check", "-p", project, "--json", "--lock-only")
    assert "lock-mixed" in codes(result)


def test_an_interrupted_write_is_reported_then_finished_by_the_next_run(
    synced: Path, run_parity: Callable
) -> None:
    """A kill between the renames: the journal and one complete temp file remain."""
    new_dev = (synced / "requirements-dev.txt").read_text()
    tmp_name = f".requirements-dev.txt{TMP_MARK}0001"
    (synced / tmp_name).write_text(new_dev)
    moves = f'[["{tmp_name}", "requirements-dev.txt"]]'
    (synced / JOURNAL).write_text(f'{{"schema": "parity/journal@1", "moves": {moves}}}')
    check = run_parity("check", "-p", synced, "--json", "--lock-only")
    assert check.code == 1 and "lock-interrupted" in codes(check)
    assert run_parity("sync", "-p", synced).code == 0
    assert not (synced / JOURNAL).exists() and not (synced / tmp_name).exists()
    assert run_parity("check", "-p", synced).code == 0


def test_a_journal_left_by_a_complete_write_is_not_reported_and_the_next_lock_removes_it(
    synced: Path, run_parity: Callable
) -> None:
    """A power cut can bring back the journal of a write whose renames all reached the disk."""
    before = {p.name: p.read_bytes() for p in synced.glob("requirements*.txt")}
    moves = f'[[".requirements-dev.txt{TMP_MARK}0001", "requirements-dev.txt"]]'
    (synced / JOURNAL).write_text(f'{{"schema": "parity/journal@1", "moves": {moves}}}')
    check = run_parity("check", "-p", synced, "--json", "--lock-only")
    assert check.code == 0 and "lock-interrupted" not in codes(check)
    assert run_parity("lock", "-p", synced, "--no-pylock").code == 0
    assert not (synced / JOURNAL).exists()
    assert {p.name: p.read_bytes() for p in synced.glob("requirements*.txt")} == before


def test_a_hand_written_requirements_txt_is_never_overwritten(
    project: Path, run_parity: Callable
) -> None:
    (project / "requirements.txt").write_text("beta>=1  # what we run in production\n")
    started = time.monotonic()
    result = run_parity("lock", "-p", project)
    assert result.code == 2
    assert "was not generated by a locking tool" in result.err
    # The hint names the group whose lockfile it is, as the setting needs it.
    assert 'outputs = { prod = "requirements/prod.txt" }' in result.err
    assert time.monotonic() - started < 5  # refused before resolving
    assert (project / "requirements.txt").read_text() == "beta>=1  # what we run in production\n"
    assert not (project / "requirements-dev.txt").exists()


# -- hashes


def test_a_tampered_hash_of_an_installed_package_is_caught(
    synced: Path, run_parity: Callable
) -> None:
    """Resealed too, as a careful attacker would: the stamp remembers what was verified."""
    lockfile = synced / "requirements.txt"
    good = alpha_hash(lockfile)
    edit_lock(lockfile, good, "sha256:" + "0" * 64)
    check = run_parity("check", "-p", synced, "--json")
    assert check.code == 1 and "package-unverified" in codes(check)
    sync = run_parity("sync", "-p", synced)
    assert sync.code == 2 and "Hash mismatch" in sync.err
    after = run_parity("check", "-p", synced, "--json")
    assert after.code == 1 and "env-sync-incomplete" in codes(after)


def test_hashes_verified_is_claimed_only_when_true(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    root = make_project(
        tmp_path,
        {"requirements.in": "--no-index\n-f ./wheels\nbeta\n", ".python-version": "3.11\n"},
    )
    (root / "wheels").mkdir()
    for name in ("alpha", "beta"):
        for entry in local_index.files_for(name):
            if entry.version in {"2.0", "1.0"} and entry.is_wheel:
                shutil.copy(local_index.path(entry.filename), root / "wheels")
    assert run_parity("lock", "-p", root).code == 0
    text = (root / "requirements.txt").read_text()
    assert text.count("--hash=sha256:") == 2  # local artifacts are locked with hashes
    result = run_parity("sync", "-p", root)
    assert result.code == 0, result.err
    assert "(hashes verified)" in result.out


def test_a_lock_without_hashes_says_nothing_was_verified(
    synced: Path, run_parity: Callable
) -> None:
    lockfile = synced / "requirements.txt"
    text = lockfile.read_text()
    edit_lock(lockfile, text, re.sub(r" \\\n    --hash=\S+", "", text))
    result = run_parity("sync", "-p", synced, "--reinstall")
    assert result.code == 0, result.err
    assert "hashes verified)" not in result.out
    assert "nothing verified" in result.out and "NOT verified" in result.err


# -- the environment


def test_a_deleted_interpreter_fails_check_and_sync_rebuilds(
    synced: Path, run_parity: Callable
) -> None:
    (synced / ".venv" / "bin" / "python").unlink()
    check = run_parity("check", "-p", synced, "--json")
    assert check.code == 1 and "env-broken" in codes(check)
    assert run_parity("sync", "-p", synced).code == 0
    assert run_parity("check", "-p", synced).code == 0


def test_deleted_package_files_fail_check_and_sync_repairs(
    synced: Path, run_parity: Callable
) -> None:
    (synced / SITE / "alpha" / "__init__.py").unlink()
    check = run_parity("check", "-p", synced, "--json")
    assert check.code == 1 and "package-broken" in codes(check)
    assert run_parity("sync", "-p", synced).code == 0
    assert (synced / SITE / "alpha" / "__init__.py").exists()
    assert run_parity("check", "-p", synced).code == 0


def test_a_changed_metadata_version_fails_check(synced: Path, run_parity: Callable) -> None:
    metadata = synced / SITE / "alpha-2.0.dist-info" / "METADATA"
    metadata.write_text(metadata.read_text().replace("Version: 2.0", "Version: 9.9"))
    check = run_parity("check", "-p", synced, "--json")
    assert check.code == 1
    broken = [f for f in check.json()["findings"] if f["code"] == "package-broken"]
    assert broken and "METADATA says alpha 9.9" in broken[0]["message"]
    assert run_parity("sync", "-p", synced).code == 0
    assert run_parity("check", "-p", synced).code == 0


def test_deep_check_finds_a_file_rewritten_in_place(synced: Path, run_parity: Callable) -> None:
    module = synced / SITE / "alpha" / "__init__.py"
    stat = module.stat()
    module.write_text(module.read_text().replace("2.0", "6.6"))
    import os

    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    deep = run_parity("check", "-p", synced, "--deep", "--json")
    assert deep.code == 1 and "package-broken" in codes(deep)
    assert deep.json()["environment_method"] == "deep"
    assert "--reinstall" in deep.out


def test_running_the_code_keeps_the_fast_path(synced: Path, run_parity: Callable) -> None:
    import subprocess

    python = synced / ".venv" / "bin" / "python"
    subprocess.run([python, "-c", "import alpha, beta"], check=True, env={"PATH": "/usr/bin"})
    assert list((synced / SITE / "alpha" / "__pycache__").iterdir())
    result = run_parity("check", "-p", synced, "--json")
    assert result.code == 0 and result.json()["environment_method"] == "stamp"


def test_a_failed_sync_leaves_the_environment_marked(
    synced: Path, run_parity: Callable, local_index: LocalIndex
) -> None:
    (synced / "requirements.in").write_text(f"-i {local_index.url}\nbeta\nzeta\n")
    assert run_parity("lock", "-p", synced, "--no-pylock").code == 0
    for entry in local_index.files_for("zeta"):
        local_index.path(entry.filename).unlink()  # the index lost a file
    result = run_parity("sync", "-p", synced)
    assert result.code == 2
    check = run_parity("check", "-p", synced, "--json")
    assert check.code == 1 and "env-sync-incomplete" in codes(check)


# -- one parity at a time


def test_a_second_run_waits_for_the_project_lock(synced: Path, run_parity: Callable) -> None:
    import subprocess
    import sys

    from parity.projectlock import project_lock

    release = threading.Event()
    held = threading.Event()

    def hold() -> None:
        with project_lock(synced):
            held.set()
            release.wait(120)  # a safety net; the test releases it as soon as parity waits

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    proc = subprocess.Popen(
        [sys.executable, "-m", "parity", "sync", "-p", str(synced)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    first = proc.stderr.readline()  # parity says it waits, then blocks
    assert "waiting for another parity process" in first
    assert proc.poll() is None
    release.set()
    holder.join()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err


def test_the_refusal_names_the_group_whose_lockfile_is_a_persons_file(
    project: Path, run_parity: Callable
) -> None:
    # A hand-written requirements-dev.txt (a common layout) was answered with
    # an example for prod, which does not move dev's lockfile.
    (project / "requirements-dev.txt").write_text("pytest\n")
    result = run_parity("lock", "-p", project)
    assert result.code == 2
    assert "requirements-dev.txt exists and was not generated by a locking tool" in result.err
    assert 'outputs = { dev = "requirements/dev.txt" }' in result.err
    assert (project / "requirements-dev.txt").read_text() == "pytest\n"


def test_a_persons_pylock_toml_is_answered_with_no_pylock(
    project: Path, run_parity: Callable
) -> None:
    (project / "pylock.toml").write_text("# notes\n")
    result = run_parity("lock", "-p", project)
    assert result.code == 2
    assert "pylock.toml exists and is not a PEP 751 lockfile" in result.err
    assert "--no-pylock" in result.err
    assert run_parity("lock", "-p", project, "--no-pylock").code == 0
    assert (project / "pylock.toml").read_text() == "# notes\n"

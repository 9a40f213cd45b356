"""What a run looked at on disk: recorded as facts, checked again, and what makes a run unsafe."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parity.fswatch.facts import facts_hold
from parity.fswatch.recorder import Recorder
from parity.fswatch.selftest import tracking_works

pytestmark = pytest.mark.skipif(
    not (3, 11) <= sys.version_info[:2] <= (3, 12),
    reason="reuse is on for Python 3.11 and 3.12 only (where tracking is proven)",
)


def record(action, **options) -> tuple[Recorder, int]:  # type: ignore[no-untyped-def]
    made = time.time_ns()
    recorder = Recorder(**options)
    with recorder:
        action()
    return recorder, made


def holds(recorder: Recorder, made: int) -> bool:
    return facts_hold(recorder.observed(), made)


def test_tracking_is_proven_on_this_interpreter(tmp_path: Path) -> None:
    assert tracking_works(str(tmp_path))


def test_a_file_read_holds_until_its_bytes_change_even_within_the_same_second(
    tmp_path: Path,
) -> None:
    path = tmp_path / "requirements.in"
    path.write_text("alpha==1.0\n")
    recorder, made = record(lambda: path.read_text())
    assert holds(recorder, made)
    stat = path.stat()
    path.write_text("alpha==2.0\n")  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same mtime
    assert not holds(recorder, made)


def test_a_file_touched_but_unchanged_still_holds(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x")
    recorder, made = record(lambda: path.read_bytes())
    path.touch()
    assert holds(recorder, made)


def test_a_file_found_missing_breaks_when_it_appears(tmp_path: Path) -> None:
    recorder, made = record(lambda: (tmp_path / "parity.toml").is_file())
    assert holds(recorder, made)
    (tmp_path / "parity.toml").write_text("")
    assert not holds(recorder, made)


def test_a_new_file_in_a_folder_that_was_globbed_breaks_it(tmp_path: Path) -> None:
    (tmp_path / "requirements.in").write_text("")
    recorder, made = record(lambda: sorted(tmp_path.glob("requirements-*.in")))
    assert holds(recorder, made)
    (tmp_path / "requirements-test.in").write_text("")
    assert not holds(recorder, made)


def test_only_the_status_fields_read_are_facts(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    kind_only, made = record(lambda: folder.is_dir())
    with_mtime, _ = record(lambda: folder.stat().st_mtime_ns)
    (folder / "new").write_text("")
    assert holds(kind_only, made)  # a folder's type did not change
    assert not holds(with_mtime, made)  # its mtime did


def test_entries_of_a_scan_are_facts(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    recorder, made = record(lambda: [e.name for e in os.scandir(tmp_path) if e.is_dir()])
    assert holds(recorder, made)
    (tmp_path / "pkg").rmdir()
    (tmp_path / "pkg").write_text("")  # same name, now a file
    assert not holds(recorder, made)


def test_writes_outside_the_scratch_folders_make_a_run_unsafe(tmp_path: Path) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    inside, _ = record(lambda: (scratch / "x").write_text("1"), writable=[str(scratch)])
    assert inside.unsafe == []
    assert not any(fact[1].startswith(str(scratch)) for fact in inside.facts)
    outside, _ = record(lambda: (tmp_path / "y").write_text("1"), writable=[str(scratch)])
    assert outside.unsafe and "wrote" in outside.unsafe[0]
    removed, _ = record(lambda: (tmp_path / "y").unlink())
    assert removed.unsafe


def test_a_subprocess_is_unsafe_unless_allowed_and_then_the_program_is_a_fact(
    tmp_path: Path,
) -> None:
    def run() -> None:
        subprocess.run([sys.executable, "-c", "pass"], check=True)

    refused, _ = record(run)
    assert refused.unsafe and "ran" in refused.unsafe[0]
    allowed, made = record(run, allow_subprocess=lambda argv: True)
    assert allowed.unsafe == []
    assert ("stat", os.path.abspath(sys.executable), True) in allowed.facts
    assert holds(allowed, made)


def test_paths_given_as_descriptors_cannot_be_checked(tmp_path: Path) -> None:
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        recorder, _ = record(lambda: os.listdir(fd))
    finally:
        os.close(fd)
    assert recorder.unsafe


def test_the_wrappers_are_removed_afterwards() -> None:
    before = (os.stat, os.scandir, open)
    record(lambda: None)
    assert (os.stat, os.scandir, open) == before

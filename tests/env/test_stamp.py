from __future__ import annotations

import json
from pathlib import Path

import pytest

from parity.env.stamp import (
    STAMP_NAME,
    SYNCING,
    SyncStamp,
    fingerprint,
    hashes_digest,
    mark_syncing,
    read_stamp,
    stamp_matches,
    stamped_group,
    watched_paths,
    write_stamp,
)
from parity.frozen import replace


def venv_like(root: Path) -> Path:
    """A folder shaped like a venv with one installed package (enough for the fingerprint)."""
    site = root / "lib" / "python3.11" / "site-packages"
    (site / "pkg").mkdir(parents=True)
    (site / "pkg" / "__init__.py").write_text("x = 1\n")
    dist = site / "pkg-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: pkg\nVersion: 1.0\n")
    (dist / "RECORD").write_text("pkg/__init__.py,,\npkg-1.0.dist-info/METADATA,,\n")
    (root / "pyvenv.cfg").write_text("version_info = 3.11.7\n")
    (root / "bin").mkdir()
    (root / "bin" / "python").write_text("")
    return site


def stamp_for(root: Path) -> SyncStamp:
    site = venv_like(root)
    watched = watched_paths(root, site, root / "bin" / "python")
    return SyncStamp(
        lock_digest="sha256:l",
        group="dev",
        python="3.11.7",
        lockfile="requirements-dev.txt",
        fingerprint=fingerprint(root, watched),
        watched=watched,
        verified={"pkg": hashes_digest(["sha256:aa"])},
    )


def matches(stamp: SyncStamp | None, root: Path, **changes: str) -> bool:
    values = {"lock_digest": "sha256:l", "group": "dev", "python": "3.11.7", **changes}
    return stamp_matches(stamp, venv=root, **values)


def test_stamp_round_trips(tmp_path: Path) -> None:
    stamp = stamp_for(tmp_path)
    write_stamp(tmp_path, stamp)
    assert read_stamp(tmp_path) == stamp


def test_the_stamp_says_whether_sync_left_the_project_out(tmp_path: Path) -> None:
    stamp = replace(stamp_for(tmp_path), group=stamped_group("dev", project=False), project=False)
    write_stamp(tmp_path, stamp)
    assert read_stamp(tmp_path) == stamp
    assert stamp.group == "dev (no project)"
    assert stamped_group("dev", ("socks",)) == "dev+socks"
    mark_syncing(tmp_path, lockfile="requirements-dev.txt", group="dev", project=False)
    assert read_stamp(tmp_path).project is False  # type: ignore[union-attr]


def test_a_stamp_written_before_it_recorded_the_project_reads_it_from_the_group(
    tmp_path: Path,
) -> None:
    stamp = stamp_for(tmp_path)
    for group, project in [("dev (no project)", False), ("dev", True)]:
        write_stamp(tmp_path, replace(stamp, group=group))
        data = json.loads((tmp_path / STAMP_NAME).read_text())
        del data["project"]
        (tmp_path / STAMP_NAME).write_text(json.dumps(data))
        assert read_stamp(tmp_path).project is project  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "[]",
        '{"schema": "parity/sync-stamp@2", "group": 5}',
        '{"schema": "parity/sync-stamp@1", "lock_digest": "x"}',
        "[" * 100_000 + "]" * 100_000,
        '{"schema": "parity/sync-stamp@2", "watched": "x"}',
        '{"schema": "parity/sync-stamp@2", "lock_digest": "", "group": "dev", "python": "",'
        ' "lockfile": "r.txt", "state": "synced", "fingerprint": "", "project": "no"}',
    ],
)
def test_missing_or_invalid_stamp_reads_as_none(tmp_path: Path, text: str) -> None:
    assert read_stamp(tmp_path) is None
    (tmp_path / STAMP_NAME).write_text(text)
    assert read_stamp(tmp_path) is None


def test_the_watched_paths_cover_interpreter_metadata_and_package_folders(tmp_path: Path) -> None:
    stamp = stamp_for(tmp_path)
    site = "lib/python3.11/site-packages"
    assert set(stamp.watched) >= {
        "bin/python",
        "pyvenv.cfg",
        site,
        f"{site}/pkg",
        f"{site}/pkg-1.0.dist-info/METADATA",
        f"{site}/pkg-1.0.dist-info/RECORD",
    }


def test_any_change_of_lock_group_or_python_breaks_the_match(tmp_path: Path) -> None:
    stamp = stamp_for(tmp_path)
    assert matches(stamp, tmp_path)
    for key, value in [("lock_digest", "x"), ("group", "prod"), ("python", "3.12.0")]:
        assert not matches(stamp, tmp_path, **{key: value})


def test_a_deleted_file_breaks_the_match(tmp_path: Path) -> None:
    stamp = stamp_for(tmp_path)
    (tmp_path / "lib/python3.11/site-packages/pkg/__init__.py").unlink()
    assert not matches(stamp, tmp_path)


def test_a_rewritten_metadata_breaks_the_match(tmp_path: Path) -> None:
    stamp = stamp_for(tmp_path)
    metadata = tmp_path / "lib/python3.11/site-packages/pkg-1.0.dist-info/METADATA"
    metadata.write_text(metadata.read_text().replace("1.0", "9.9"))
    assert not matches(stamp, tmp_path)


def test_a_deleted_interpreter_breaks_the_match(tmp_path: Path) -> None:
    stamp = stamp_for(tmp_path)
    (tmp_path / "bin" / "python").unlink()
    assert not matches(stamp, tmp_path)


def test_python_filling_its_bytecode_cache_keeps_the_match(tmp_path: Path) -> None:
    from parity.env.health import prepare_bytecode_dirs

    site = venv_like(tmp_path)
    prepare_bytecode_dirs(site)
    watched = watched_paths(tmp_path, site, tmp_path / "bin" / "python")
    stamp = SyncStamp(
        "sha256:l",
        "dev",
        "3.11.7",
        "r.txt",
        fingerprint=fingerprint(tmp_path, watched),
        watched=watched,
    )
    (site / "pkg" / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(b"x")
    assert matches(stamp, tmp_path)


def test_a_sync_in_progress_never_matches(tmp_path: Path) -> None:
    stamp_for(tmp_path)
    mark_syncing(tmp_path, lockfile="requirements.txt", group="dev")
    stamp = read_stamp(tmp_path)
    assert stamp is not None and stamp.state == SYNCING
    assert not matches(stamp, tmp_path, lock_digest="")


def test_hashes_digest_ignores_order_and_is_empty_without_hashes() -> None:
    assert hashes_digest(["sha256:b", "sha256:a"]) == hashes_digest(["sha256:a", "sha256:b"])
    assert hashes_digest([]) == ""


def _watched_as_pathlib_reads_it(venv: Path, site: Path, interpreter: Path) -> tuple[str, ...]:
    """The reading watched_paths had with pathlib objects (too slow on 15,000 files)."""
    import os

    from parity.env.stamp import record_paths

    paths: set[str] = set()
    base = venv.resolve()

    def add(path: Path) -> None:
        rel = os.path.relpath(os.path.abspath(path), base)
        if not rel.startswith(".."):
            paths.add(Path(rel).as_posix())

    add(interpreter)
    add(venv / "pyvenv.cfg")
    add(site)
    for entry in sorted(os.listdir(site)):
        if entry.endswith(".dist-info"):
            add(site / entry)
            add(site / entry / "METADATA")
            add(site / entry / "RECORD")
            for rel in record_paths(site / entry):
                if "__pycache__" not in rel:
                    add((site / rel).parent)
    return tuple(sorted(paths))


def test_the_watched_paths_and_bytecode_folders_are_those_pathlib_gives(tmp_path: Path) -> None:
    import os

    from parity.env.health import bytecode_dirs

    root = tmp_path / "venv"
    site = venv_like(root)
    dist = site / "odd-2.0.dist-info"
    dist.mkdir()
    (dist / "RECORD").write_text(
        "odd/a/b/c.py,,\nodd/./x.py,,\nodd/a/../y.py,,\nodd/__pycache__/x.cpython-311.pyc,,\n"
        "../../../bin/odd-script,,\n../../../../outside/thing.py,,\ntop.py,,\n"
        'odd/data/,,\n"odd/with,comma.py",,\n'
        # Spellings whose folder is not the one their neighbours give (see scan_records).
        "odd/a/b/d.py,,\nodd/a/..,,\nodd/a/.,,\nodd//double.py,,\nodd/a/b/../e.py,,\n"
        "/abs/elsewhere/f.py,,\n/g.py,,\nodd\\back.py,,\n../../../h.py,,\nodd/...,,\n"
    )
    (tmp_path / "link").symlink_to(root)
    for venv in (root, tmp_path / "link"):
        s = venv / "lib" / "python3.11" / "site-packages"
        interpreter = venv / "bin" / "python"
        assert watched_paths(venv, s, interpreter) == _watched_as_pathlib_reads_it(
            venv, s, interpreter
        )
    expected = set()
    from parity.env.stamp import record_paths

    for entry in os.listdir(site):
        if entry.endswith(".dist-info"):
            for rel in record_paths(site / entry):
                if rel.endswith(".py") and "__pycache__" not in rel:
                    expected.add(Path(os.path.normpath(site / rel)).parent)
    assert bytecode_dirs(site) == expected

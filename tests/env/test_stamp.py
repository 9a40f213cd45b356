from __future__ import annotations

from pathlib import Path

from parity.env.stamp import SyncStamp, read_stamp, stamp_matches, write_stamp

STAMP = SyncStamp("sha256:l", "dev", "3.11.7", 42, "requirements-dev.txt")


def test_stamp_round_trips(tmp_path: Path) -> None:
    write_stamp(tmp_path, STAMP)
    assert read_stamp(tmp_path) == STAMP


def test_missing_or_corrupt_stamp_reads_as_none(tmp_path: Path) -> None:
    assert read_stamp(tmp_path) is None
    (tmp_path / ".parity-sync.json").write_text("{not json")
    assert read_stamp(tmp_path) is None


def test_any_change_breaks_the_match() -> None:
    same = dict(lock_digest="sha256:l", group="dev", python="3.11.7", current_mtime_ns=42)
    assert stamp_matches(STAMP, **same)  # type: ignore[arg-type]
    for key, value in [
        ("lock_digest", "x"),
        ("group", "prod"),
        ("python", "3.12.0"),
        ("current_mtime_ns", 43),
    ]:
        assert not stamp_matches(STAMP, **{**same, key: value})  # type: ignore[arg-type]

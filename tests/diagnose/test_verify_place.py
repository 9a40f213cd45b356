"""Where verify rebuilds: a folder per lock content, held by one verify at a time, its bytecode kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from parity.diagnose.verify.place import KEEP, place_key, rebuild_place
from parity.lock.model import LockedGroup, LockMeta, Pin

META = LockMeta(digest="sha256:0", inputs=(), requires_python=None, python="3.11")
pytestmark = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX file locks")


def lock(*pins: Pin) -> LockedGroup:
    return LockedGroup(
        "prod", "requirements.txt", pins or (Pin("a", "1.0", hashes=("sha256:1",)),), META
    )


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PARITY_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "verify"


def test_the_folder_is_emptied_and_the_bytecode_kept(own_cache: Path) -> None:
    with rebuild_place(lock(), "3.11") as where:
        assert where.pycache is not None and where.folder.is_dir()
        (where.folder / "venv").mkdir()
        where.pycache.mkdir()
        (where.pycache / "x.pyc").write_bytes(b"")
    assert not where.folder.exists()
    assert (where.pycache / "x.pyc").exists()


def test_any_change_of_a_pin_version_hash_or_python_is_another_folder() -> None:
    base = place_key(lock(), "3.11")
    assert place_key(lock(Pin("a", "1.1", hashes=("sha256:1",))), "3.11") != base
    assert place_key(lock(Pin("a", "1.0", hashes=("sha256:2",))), "3.11") != base
    assert place_key(lock(), "3.12") != base
    assert place_key(lock(), "3.11") == base


def test_a_second_verify_of_the_same_lock_at_once_works_in_a_temporary_folder(
    own_cache: Path,
) -> None:
    with rebuild_place(lock(), "3.11") as first, rebuild_place(lock(), "3.11") as second:
        assert first.pycache is not None
        assert second.pycache is None  # no bytecode written
        assert own_cache not in second.folder.parents
    with rebuild_place(lock(), "3.11") as again:
        assert again.pycache is not None  # released


def test_a_folder_left_by_a_killed_verify_is_emptied(own_cache: Path) -> None:
    with rebuild_place(lock(), "3.11") as where:
        folder = where.folder
    folder.mkdir()
    (folder / "venv").mkdir()
    with rebuild_place(lock(), "3.11") as where:
        assert list(where.folder.iterdir()) == []


def test_only_the_most_recently_used_folders_are_kept(own_cache: Path) -> None:
    for version in range(KEEP + 3):
        with rebuild_place(lock(Pin("a", f"1.{version}", hashes=("sha256:1",))), "3.11"):
            pass
    assert len(list(own_cache.iterdir())) == KEEP


def test_a_link_in_place_of_a_folder_is_not_followed(own_cache: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    (victim / "work").mkdir(parents=True)
    (victim / "work" / "precious.txt").write_text("keep me")
    own_cache.mkdir(parents=True)
    (own_cache / place_key(lock(), "3.11")).symlink_to(victim)
    with rebuild_place(lock(), "3.11") as where:
        assert where.pycache is None
    assert (victim / "work" / "precious.txt").read_text() == "keep me"


def test_a_changed_set_of_system_libraries_imports_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library removed by the package manager (ldconfig rewrites its cache) may break an import."""
    from parity.diagnose.verify import import_record

    cache = tmp_path / "ld.so.cache"
    cache.write_bytes(b"libgomp.so.1")
    monkeypatch.setattr(import_record, "_LOADER_CACHES", (str(cache),))
    before = import_record.system_libraries()
    cache.write_bytes(b"libgomp.so.2")
    assert import_record.system_libraries() != before
    cache.unlink()
    assert import_record.system_libraries() != before

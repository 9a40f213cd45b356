"""Atomic writes and cache folders, with os.path alone (``parity snapshot`` imports no pathlib)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from parity.errors import WriteError
from parity.fsutil import atomic_write_text, cache_dir, cache_root, path_text


@pytest.mark.parametrize(
    "text",
    [
        "",
        ".",
        "./",
        "a",
        "a/",
        "./a/./b/",
        "a//b",
        "/",
        "//",
        "///",
        "//a/b",
        "/a/../b",
        "..",
        "~/x",
    ],
)
def test_paths_are_spelled_as_pathlib_spells_them(text: str) -> None:
    assert path_text(text) == str(Path(text))
    assert path_text(Path(text)) == str(Path(text))


def test_the_cache_folder_is_the_same_as_a_string_and_a_path() -> None:
    env = {"XDG_CACHE_HOME": "/xdg-cache"}
    assert cache_root(env) == Path(cache_dir(env)) == Path("/xdg-cache/parity")
    assert cache_dir({"PARITY_CACHE_DIR": "/c"}) == "/c"


def test_a_file_is_written_in_place_of_the_old_one_keeping_its_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    monkeypatch.chdir(tmp_path)
    atomic_write_text("./out.json", "new", make_parents=False)
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(os.listdir(tmp_path)) == ["out.json"]


def test_a_missing_folder_is_an_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match=r"cannot write x\.json: the folder nope does not exist"):
        atomic_write_text(str(tmp_path / "nope" / "x.json"), "{}", make_parents=False)
    atomic_write_text(str(tmp_path / "made" / "x.json"), "{}")
    assert (tmp_path / "made" / "x.json").read_text(encoding="utf-8") == "{}"


@pytest.mark.parametrize("size", [0, 3, 64 * 1024, 64 * 1024 + 1, 300_000])
def test_sha256_is_hashlib_s_with_or_without_hashlib_loaded(
    size: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib
    import sys

    from parity.fsutil import sha256_bytes

    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    expected = hashlib.sha256(data).hexdigest()
    assert sha256_bytes(data) == expected
    monkeypatch.delitem(sys.modules, "hashlib")  # as before anything imported it
    assert sha256_bytes(data) == expected

"""One reader for every input file: regular files only, bounded, UTF-8 (a BOM accepted)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from parity.errors import LockFileError, SpecError
from parity.textfile import parse_json, read_text_file


def test_a_byte_order_mark_is_accepted_and_dropped(tmp_path: Path) -> None:
    path = tmp_path / "requirements.in"
    path.write_bytes(b"\xef\xbb\xbfalpha\n")
    assert read_text_file(path, shown="requirements.in") == "alpha\n"


def test_bytes_that_are_not_utf8_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "r.in"
    path.write_bytes(b"alpha\nbeta\n\xff\n")
    with pytest.raises(SpecError) as caught:
        read_text_file(path, shown="r.in")
    assert caught.value.location == "r.in:3" and "not UTF-8" in caught.value.message


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p.mkdir(), "a folder"),
        (lambda p: os.mkfifo(p), r"pipe \(FIFO\)"),
        (lambda p: p.symlink_to(p), "symbolic link loop"),
        (lambda p: p.symlink_to("/dev/zero"), "a device"),
    ],
)
def test_what_is_not_a_regular_file_is_refused_without_reading_it(
    tmp_path: Path, make: object, words: str
) -> None:
    path = tmp_path / "input.txt"
    make(path)  # type: ignore[operator]
    with pytest.raises(LockFileError, match=words):
        read_text_file(path, shown="input.txt", error=LockFileError)


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.in"
    path.write_text("alpha\n" * 100)
    with pytest.raises(SpecError, match="too large"):
        read_text_file(path, shown="big.in", limit=10)


def test_a_missing_file_is_the_callers_to_name(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_text_file(tmp_path / "nope", shown="nope")
    with pytest.raises(SpecError, match="file not found"):
        read_text_file(tmp_path / "nope", shown="nope", missing_hint="Create it.")


def test_json_nested_too_deeply_is_a_decoding_error() -> None:
    with pytest.raises(ValueError, match="nested too deeply"):
        parse_json("[" * 100_000 + "]" * 100_000)

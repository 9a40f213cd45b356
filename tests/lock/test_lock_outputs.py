"""The files of a lock, byte for byte: golden files for every lock writer.

Run with ``PARITY_UPDATE_GOLDEN=1`` to rewrite ``golden/``, then review the diff.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from parity.lock.formats import pylock, requirements_txt
from parity.lock.integrity import read_seal
from parity.lock.model import InputDigest, Lock, LockedGroup, LockMeta, Origin, Pin
from parity.lock.outputs import PYLOCK_NAME, group_file, lock_files
from parity.spec.model import IndexConfig

META = LockMeta(
    digest="sha256:" + "d" * 64,
    inputs=(
        InputDigest("pyproject.toml", "sha256:" + "1" * 64),
        InputDigest("python", "sha256:" + "2" * 64),
        InputDigest("resolver", "sha256:" + "3" * 64),
    ),
    requires_python="==3.11.*",
    python="3.11.7",
    target="linux / Python 3.11.7",
    command="parity lock --python-platform linux --python-version 3.11.7",
    python_version="3.11.7",
    python_platform="linux",
)
INDEX = IndexConfig(
    index_url="https://${TOKEN}@index.example/simple",
    extra_index_urls=("https://mirror.example/simple",),
    find_links=("./wheels",),
)
PROJECT = Origin("pyproject.toml", project="demo")
ALPHA = Pin("alpha", "1.0", hashes=("sha256:" + "a" * 64,), origins=(PROJECT,))
BETA = Pin(
    "beta",
    "2.0",
    marker="sys_platform == 'win32'",
    hashes=("sha256:" + "b" * 64, "sha256:" + "c" * 64),
    required_by=("alpha", "tool"),
)
LIB = Pin("local-lib", None, origins=(PROJECT,), source="./libs/local-lib", editable=True)
GIT = Pin(
    "fromgit",
    None,
    origins=(Origin("requirements-dev.in"),),
    source="git+https://git.example/org/fromgit@" + "0" * 40,
)
TOOL = Pin(
    "tool",
    "3.1",
    extras=("cli",),
    hashes=("sha256:" + "e" * 64,),
    origins=(Origin("pyproject.toml", project="demo"), Origin("constraints.txt", constraint=True)),
)
UV_PYLOCK = """lock-version = "1.0"
created-by = "uv"
requires-python = "==3.11.*"

[[packages]]
name = "alpha"
version = "1.0"
index = "https://index.example/simple"
wheels = [{ url = "https://index.example/files/alpha-1.0-py3-none-any.whl", size = 1, hashes = { sha256 = "aa" } }]

[[packages]]
name = "tool"
version = "3.1"
index = "https://index.example/simple"
wheels = [{ url = "https://index.example/files/tool-3.1-py3-none-any.whl", size = 1, hashes = { sha256 = "ee" } }]
"""


def lock() -> Lock:
    prod = LockedGroup("prod", "requirements.txt", (ALPHA, BETA, LIB), META, index=INDEX)
    dev = LockedGroup(
        "dev", "requirements/dev.txt", (ALPHA, BETA, GIT, LIB, TOOL), META, index=INDEX
    )
    text, note = pylock.write(UV_PYLOCK, groups=(prod, dev), root=Path("/project"), meta=META)
    assert note is None
    return Lock(groups=(prod, dev), meta=META, pylock=text)


def test_every_file_of_a_lock_matches_its_golden_file(golden: Callable[[str, str], None]) -> None:
    files = lock_files(lock())
    assert sorted(files) == ["pylock.toml", "requirements.txt", "requirements/dev.txt"]
    for path, text in files.items():
        golden(path.replace("/", "__"), text)


def test_the_files_of_a_lock_are_sealed_together() -> None:
    files = lock_files(lock())
    seals = [read_seal(path, text) for path, text in files.items()]
    assert all(s.sealed and s.intact for s in seals)
    assert len({s.stored_generation for s in seals}) == 1


def test_the_same_lock_gives_the_same_bytes() -> None:
    assert lock_files(lock()) == lock_files(lock())


def test_a_written_group_reads_back_to_the_same_pins_index_and_options() -> None:
    group = lock().group("dev")
    again = requirements_txt.parse(requirements_txt.write(group), output="requirements/dev.txt")
    assert [(p.name, p.version, p.via, p.source, p.editable) for p in again.pins] == [
        (p.name, p.version, p.via, p.source, p.editable) for p in group.pins
    ]
    assert again.index == INDEX
    assert (again.meta.python_version, again.meta.python_platform) == ("3.11.7", "linux")
    assert again.pin("tool") is not None and again.pin("tool").is_direct  # type: ignore[union-attr]


def test_a_lock_without_pylock_writes_requirements_files_only() -> None:
    without = Lock(groups=lock().groups, meta=META)
    assert PYLOCK_NAME not in lock_files(without)


def test_the_content_digest_covers_the_fields_it_names() -> None:
    # A new field must not change old digests: the fields are named, and read one by one.
    from parity.lock.integrity import _PIN_FIELDS, _pin_fields

    assert tuple(_pin_fields(Pin(name="a", version="1"))) == _PIN_FIELDS


def test_a_sealed_lock_is_known_clean_and_is_clean() -> None:
    """The writer trusts a sealed file as clean only when the redaction policy agrees."""
    from parity import redact

    for text in lock_files(lock()).values():
        assert redact.is_known_clean(text)
        assert redact._redact_file_text(text) == text


def test_a_file_holding_a_secret_is_never_taken_as_clean() -> None:
    from parity import redact

    text = "--index-url https://user:hunter2@index.example/simple\nalpha==1.0\n"
    for _ in range(2):
        assert "hunter2" not in redact.redact_file_text(text)
        assert not redact.is_known_clean(text)


def test_group_files_made_ahead_give_the_same_bytes() -> None:
    # ``parity lock`` makes each group's file while uv still writes the other exports.
    whole = lock()
    ahead = [group_file(g) for g in whole.groups]
    assert lock_files(whole, ahead) == lock_files(whole)


def test_a_file_made_ahead_serves_only_the_group_it_was_made_from() -> None:
    from dataclasses import replace

    whole = lock()
    stale = [group_file(replace(g, pins=g.pins[:1])) for g in whole.groups]
    assert lock_files(whole, stale) == lock_files(whole)

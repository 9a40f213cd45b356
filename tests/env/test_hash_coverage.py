"""Which locked packages a sync can verify against a hash, and which it must warn about."""

from __future__ import annotations

from parity.env.sync import hash_coverage
from parity.lock.model import LockedGroup, LockMeta, Pin

META = LockMeta(digest="sha256:d", inputs=(), requires_python="==3.11.*", python="3.11")


def test_the_projects_own_source_tree_is_not_an_unverified_download() -> None:
    # cookiecutter-data-science's dev-requirements.in starts with `-e .`: sync warned
    # that the project itself was "NOT verified", which no tool can hash.
    pins = (
        Pin("app", None, source=".", editable=True),
        Pin("lib", "1.0", source="libs/lib"),
        Pin("alpha", "1.0", hashes=("sha256:" + "a" * 64,)),
    )
    coverage = hash_coverage(LockedGroup("dev", "requirements-dev.txt", pins, META))
    assert coverage.total == 1 and coverage.unverified == ()
    assert coverage.all_verified


def test_downloads_without_a_hash_are_still_named() -> None:
    pins = (
        Pin("app", None, source=".", editable=True),
        Pin("tool", "2.0", source="git+https://example.org/tool.git@0123abc"),
        Pin("wheel", "1.0", source="wheels/wheel-1.0-py3-none-any.whl"),
        Pin("alpha", "1.0"),
    )
    coverage = hash_coverage(LockedGroup("dev", "requirements-dev.txt", pins, META))
    assert coverage.total == 3
    assert coverage.unverified == ("alpha", "tool", "wheel")

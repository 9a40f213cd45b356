"""Item 2: a lockfile with exact versions (and hashes) exists."""

from __future__ import annotations

import re

from parity.diagnose.verify.checklist import FAIL, PASS, Item, item, some
from parity.lock.model import LockedGroup

_COMMIT = re.compile(r"@[0-9a-f]{40}\b")


def lockfile_item(locked: LockedGroup) -> Item:
    """Every index pin ``==`` with hashes; VCS pins at a full commit; local paths noted."""
    index_pins = [p for p in locked.pins if p.source is None]
    unpinned = [p.name for p in index_pins if not p.version]
    unhashed = [p.name for p in index_pins if not p.hashes]
    vcs = [p for p in locked.pins if p.source is not None and p.source.startswith(("git+", "hg+"))]
    floating = [p.name for p in vcs if not _COMMIT.search(p.source or "")]
    local = [p for p in locked.pins if p.source is not None and p not in vcs]
    hashed = len(index_pins) - len(unhashed)
    evidence = [
        f"{locked.output}: {len(locked.pins)} pins; {len(index_pins)} from the index, "
        f"all `==`, {hashed} with hashes"
        if not unpinned
        else f"{locked.output}: {len(locked.pins)} pins"
    ]
    if vcs:
        evidence.append(f"{len(vcs)} from version control, {len(vcs) - len(floating)} at a commit")
    if local:
        evidence.append(
            "not hash-pinned, read from the project or a URL: "
            + ", ".join(f"{p.name} ({p.source})" for p in local[:6])
        )
    problems = []
    if unpinned:
        problems.append(f"without an exact version: {some(unpinned)}")
    if unhashed:
        problems.append(f"without hashes: {some(unhashed)}")
    if floating:
        problems.append(f"not pinned to a commit: {some(floating)}")
    if problems:
        return item("lockfile", FAIL, evidence + problems, "Run `parity lock`.")
    return item("lockfile", PASS, evidence)


def hashes_enforced(locked: LockedGroup) -> bool:
    """Whether ``install_lock`` passes ``--require-hashes`` (its own condition)."""
    index = [p for p in locked.pins if p.source is None]
    return all(p.hashes for p in index) and len(index) == len(locked.pins)

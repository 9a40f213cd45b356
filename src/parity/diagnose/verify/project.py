"""Running the whole checklist on a project: the cheap items in-process while the rebuild runs."""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from parity.diagnose.verify.checklist import FAIL, TITLES, Item, VerifyReport, item, not_run
from parity.diagnose.verify.ci import ci_item
from parity.diagnose.verify.committed import git_item
from parity.diagnose.verify.fresh import freshness_item
from parity.diagnose.verify.lockfile import lockfile_item
from parity.diagnose.verify.rebuild import rebuild_items
from parity.env.matching import resolve_group
from parity.errors import LockFileError
from parity.lock.load import read_group, read_groups
from parity.lock.model import LockedGroup
from parity.spec.model import ProjectSpec


def verify_project(spec: ProjectSpec, *, group: str | None = None) -> VerifyReport:
    name = resolve_group(spec, group)
    output = spec.group(name).output
    try:
        locked = read_group(spec, name)
    except LockFileError as exc:
        why = f"{output} cannot be read"
        items = {
            "lockfile": item("lockfile", FAIL, (str(exc),), "Run `parity lock`."),
            **{i: not_run(i, why) for i in ("create", "committed", "fresh", "rebuild", "usable")},
            "ci": project_ci_item(spec, {}),
        }
        return VerifyReport(name, output, tuple(items[i] for i in TITLES))
    # The rebuild waits on uv for most of its time; everything else (imports
    # of the freshness machinery included) runs meanwhile.
    with ThreadPoolExecutor(max_workers=1) as pool:
        rebuilt = pool.submit(rebuild_items, spec, locked)
        items = {
            "lockfile": lockfile_item(locked),
            "committed": git_item(spec.root, output),
            "fresh": freshness_item(spec, name, locked),
            "ci": project_ci_item(spec, {name: locked}),
        }
        items.update(rebuilt.result())
    return VerifyReport(name, output, tuple(items[i] for i in TITLES))


def project_ci_item(spec: ProjectSpec, known: Mapping[str, LockedGroup]) -> Item:
    """Item 7 for this project: its lockfiles, and the names every readable lock pins."""
    names = {p.name for lock in known.values() for p in lock.pins}
    others, _unreadable = read_groups(spec, [g for g in spec.group_names if g not in known])
    names.update(p.name for lock in others.values() for p in lock.pins)
    return ci_item(spec.root, lockfiles=[g.output for g in spec.groups], locked_names=names)

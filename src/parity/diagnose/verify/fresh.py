"""Item 4: the lock matches its inputs (their digests, without resolving)."""

from __future__ import annotations

from parity.diagnose.verify.checklist import FAIL, PASS, Item, item
from parity.lock.model import LockedGroup
from parity.spec.model import ProjectSpec


def freshness_item(spec: ProjectSpec, name: str, locked: LockedGroup) -> Item:
    from parity.diagnose.check import freshness_findings

    findings = freshness_findings(spec, {name: locked})
    if findings:
        return item(
            "fresh",
            FAIL,
            tuple(f.message for f in findings),
            "Run `parity lock` and commit the result.",
        )
    inputs = ", ".join(i.name for i in locked.meta.inputs)
    return item(
        "fresh",
        PASS,
        (
            f"the digests of the current inputs equal the lock's ({locked.meta.digest[:19]}...)",
            f"inputs: {inputs}",
        ),
    )

"""Specs and locks built in memory, so module output does not depend on a resolver run."""

from __future__ import annotations

from pathlib import Path

from parity.lock.model import InputDigest, Lock, LockedGroup, LockMeta, Origin, Pin
from parity.spec.model import DirectRequirement, Group, ProjectSpec, PythonTarget, SourceRef

DIGEST = "sha256:" + "ab" * 32


def requirement(text: str, path: str, line: int) -> DirectRequirement:
    from packaging.requirements import Requirement

    return DirectRequirement.make(text, SourceRef(path, line), name=Requirement(text).name)


def pip_tools_spec(root: Path = Path("/project"), *, python: str | None = "3.11") -> ProjectSpec:
    prod = Group(
        "prod",
        (
            requirement("alpha>=1.0", "requirements.in", 2),
            requirement("beta", "requirements.in", 3),
        ),
        "requirements.txt",
        source=SourceRef("requirements.in"),
    )
    dev = Group(
        "dev",
        (requirement("pytest>=7", "requirements-dev.in", 2),),
        "requirements-dev.txt",
        includes=("prod",),
        source=SourceRef("requirements-dev.in"),
    )
    return ProjectSpec(
        root=root,
        format="requirements-in",
        groups=(prod, dev),
        python=PythonTarget(pinned=python, source=SourceRef(".python-version", 1)),
    )


def lock_for(spec: ProjectSpec, pins: dict[str, list[Pin]] | None = None) -> Lock:
    meta = LockMeta(
        digest=DIGEST,
        inputs=(InputDigest("requirements.in", "sha256:" + "cd" * 32),),
        requires_python="==3.11.*",
        python="3.11",
    )
    pins = pins or {
        "prod": [
            Pin(
                "alpha",
                "1.1",
                hashes=("sha256:" + "11" * 32,),
                origins=(Origin("requirements.in"),),
            ),
            Pin(
                "beta", "1.0", hashes=("sha256:" + "22" * 32,), origins=(Origin("requirements.in"),)
            ),
        ],
        "dev": [
            Pin(
                "alpha",
                "1.1",
                hashes=("sha256:" + "11" * 32,),
                origins=(Origin("requirements.in"),),
            ),
            Pin(
                "beta", "1.0", hashes=("sha256:" + "22" * 32,), origins=(Origin("requirements.in"),)
            ),
            Pin(
                "pytest",
                "8.0",
                hashes=("sha256:" + "33" * 32,),
                origins=(Origin("requirements-dev.in"),),
            ),
        ],
    }
    groups = tuple(
        LockedGroup(g.name, g.output, tuple(pins.get(g.name, [])), meta) for g in spec.groups
    )
    return Lock(groups=groups, meta=meta)

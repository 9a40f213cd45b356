"""Freshness: whether a lock still answers its inputs, decided without resolving.

``parity lock`` stores one digest per input in the lock's header: each spec
file (as parsed, see ``spec/digest.py``), the Python target, and the resolver
options (lock format, platforms, index).  ``parity check`` and ``parity sync``
compute the same digests from the project as it is now, for the target the
lock was made for, and name the inputs whose digests differ.
"""

from __future__ import annotations

from parity.frozen import dataclass
from parity.fsutil import sha256_text
from parity.lock.index import index_lines
from parity.lock.model import InputDigest, LockMeta
from parity.lock.target import LockTarget, choose_target
from parity.spec.digest import digest_parts
from parity.spec.model import ProjectSpec

# Bumped when the lockfile layout changes, so old locks read as stale.
LOCK_FORMAT = "1"


@dataclass(frozen=True)
class Freshness:
    """The inputs of a lock whose digests changed, with both sets of digests.

    ``changed`` leaves out an input changed only through another (see ``_said``).
    """

    changed: tuple[str, ...]
    stored: dict[str, str]
    current: dict[str, str]
    # The whole metas, whose inputs record the parts of each (to say what changed).
    stored_meta: LockMeta
    current_meta: LockMeta

    @property
    def fresh(self) -> bool:
        return not self.changed


def lock_meta(spec: ProjectSpec, target: LockTarget, *, prerelease: bool = False) -> LockMeta:
    """The digests that make a lock's freshness checkable without resolving.

    ``prerelease`` (``lock --pre``) is not an input: it is written in the
    command that regenerates the lock, so that ``lock`` without it resolves again.
    """
    inputs = [InputDigest(name=i.path, digest=i.digest, parts=i.parts) for i in spec.inputs]
    python_text = f"requires-python={target.requires_python};python={target.python or ''}"
    python_parts = {"requires-python": target.requires_python, "python": target.python}
    inputs.append(
        InputDigest(
            name="python", digest=sha256_text(python_text), parts=digest_parts(python_parts)
        )
    )
    index = index_lines(spec.index)
    resolver_text = "|".join([f"format={LOCK_FORMAT}", *target.environments, *index])
    resolver_parts = {"format": LOCK_FORMAT, "platforms": list(target.environments), "index": index}
    inputs.append(
        InputDigest(
            name="resolver", digest=sha256_text(resolver_text), parts=digest_parts(resolver_parts)
        )
    )
    inputs.sort(key=lambda i: i.name)
    overall = sha256_text("\n".join(f"{i.name}={i.digest}" for i in inputs))
    return LockMeta(
        digest=overall,
        inputs=tuple(inputs),
        requires_python=target.requires_python,
        python=target.python,
        target=target.label,
        command=command_line(target, spec.format_option, prerelease=prerelease),
        python_version=target.python_version,
        python_platform=target.python_platform,
    )


def command_line(
    target: LockTarget, format_option: str | None = None, *, prerelease: bool = False
) -> str:
    """The command that regenerates a lock for ``target`` (written in its header)."""
    parts = ["parity lock"]
    if format_option:
        parts.append(f"--format {format_option}")
    if prerelease:
        parts.append("--pre")
    if target.python_platform:
        parts.append(f"--python-platform {target.python_platform}")
    if target.python_version:
        parts.append(f"--python-version {target.python_version}")
    return " ".join(parts)


def lock_target(spec: ProjectSpec, meta: LockMeta) -> LockTarget:
    """The target a lock was made for, decided again from the project as it is now."""
    return choose_target(
        spec.python,
        python_version=meta.python_version,
        python_platform=meta.python_platform,
        running=_running_from(meta.python),
    )


def freshness(spec: ProjectSpec, meta: LockMeta) -> Freshness:
    """Which of the lock's inputs changed since it was written."""
    stored = meta.input_map()
    now = lock_meta(spec, lock_target(spec, meta))
    current = now.input_map()
    changed = sorted(k for k in set(stored) | set(current) if stored.get(k) != current.get(k))
    changed = _said(changed, meta, now)
    return Freshness(
        changed=tuple(changed), stored=stored, current=current, stored_meta=meta, current_meta=now
    )


def _said(changed: list[str], stored: LockMeta, current: LockMeta) -> list[str]:
    """The changed inputs to name: not one whose recorded parts all agree while others changed.

    pyproject.toml's digest holds the requirements setuptools reads from files
    (with ``[tool.uv.sources]`` applied), which are inputs of their own; its
    parts leave them out.  When those parts agree, pyproject.toml did not
    change itself: the file that did is named.  Freshness never depends on
    this: when every changed input's parts agree, all are named.
    """
    before = {i.name: i.parts for i in stored.inputs}
    after = {i.name: i.parts for i in current.inputs}

    def agrees(name: str) -> bool:
        old, new = before.get(name), after.get(name)
        return old is not None and new is not None and dict(old) == dict(new)

    return [k for k in changed if not agrees(k)] or changed


def _running_from(python: str | None) -> tuple[int, int] | None:
    # A project that pins no Python was locked for the interpreter parity ran
    # on; checking on another one must not by itself make the lock stale.
    if not python:
        return None
    parts = python.split(".")
    try:
        return int(parts[0]), int(parts[1])
    except (IndexError, ValueError):
        return None

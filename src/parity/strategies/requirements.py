"""``parity export --to requirements``: one requirements file from a lock, with hashes.

From a Poetry project's poetry.lock this is ``poetry export -f requirements.txt``:
the main group plus ``--with`` groups, each package ``name==version`` with its
markers and every ``--hash`` the lock records (``--without-hashes`` drops them),
index options first.  From parity's own lock it combines the groups' pins into
one file (for a Docker image, say).  Either way the file is a requirements
file pip, uv and pip-sync install with ``--require-hashes``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from parity.errors import UsageError
from parity.lock.model import Pin
from parity.spec.model import DEFAULT_GROUP, ProjectSpec
from parity.strategies.base import FileOutput, Rendered, Request, check_relative

TYPE_CHECKING = False
if TYPE_CHECKING:
    from parity.lock.formats.poetry_lock import PoetryLock

NAME = "requirements"
NEEDS_LOCK = False
OPTIONS = ("output", "with_groups", "without_hashes", "source")
DEFAULT_OUTPUT = "requirements.txt"
POETRY_LOCK = "poetry.lock"


def render(request: Request) -> Rendered:
    spec = request.spec
    assert spec is not None
    output = check_relative(request.option("output") or DEFAULT_OUTPUT)
    source = request.option("source") or _default_source(spec, request)
    with_groups: tuple[str, ...] = tuple(request.option("with_groups") or ())
    hashes = not request.option("without_hashes")
    notes: list[str] = []
    if source == POETRY_LOCK:
        pins, digest, what = _from_poetry(spec, request, with_groups)
    else:
        lockfiles = {g.output: g.name for g in spec.groups}
        if output in lockfiles:
            raise UsageError(
                f"{output} is the '{lockfiles[output]}' lockfile `parity lock` writes: "
                "the export would replace it",
                path=output,
                hint="It already is a requirements file pip installs with --require-hashes. "
                "To combine groups into one file, name another with -o "
                "(e.g. -o requirements-image.txt).",
            )
        pins, what = _from_parity(spec, request, with_groups)
        digest = None
    if not hashes:
        notes.append("written without hashes: pip cannot verify what it downloads")
    lines = [
        f"# {what}; install with: pip install --require-hashes -r {output}"
        if hashes
        else f"# {what}; install with: pip install -r {output}",
        *_index_lines(spec),
    ]
    for pin in sorted(pins, key=lambda p: (p.name, p.marker or "")):
        lines += list(pin_lines(pin, hashes=hashes))
    output_file = FileOutput("\n".join(lines) + "\n", adopt=None)
    return Rendered({output: output_file}, tuple(notes), artifact=NAME, lock_digest=digest)


def _default_source(spec: ProjectSpec, request: Request) -> str:
    if spec.format == "poetry" and request.workspace.exists(POETRY_LOCK):
        return POETRY_LOCK
    return "parity"


def _index_lines(spec: ProjectSpec) -> list[str]:
    """The project's index options, then its --no-binary / --only-binary (pip reads both)."""
    from parity.lock.binary import lock_format_control, option_lines
    from parity.lock.index import index_lines

    control = lock_format_control(spec.format_control, spec.resolver_settings)
    return [*index_lines(spec.index), *option_lines(control)]


def _from_poetry(
    spec: ProjectSpec, request: Request, with_groups: Sequence[str]
) -> tuple[list[Pin], str, str]:
    from parity import toml
    from parity.lock.formats.poetry_lock import MAIN_GROUP
    from parity.lock.formats.poetry_lock import parse as parse_poetry_lock

    text = request.workspace.read(POETRY_LOCK)
    if text is None:
        raise UsageError(
            "there is no poetry.lock to export from",
            hint="Run `parity export --to poetry --lock` (or `poetry lock`), or export "
            "parity's lock with --from parity.",
        )
    lock = parse_poetry_lock(text, path=POETRY_LOCK)
    groups = [MAIN_GROUP, *with_groups]
    if lock.records_groups:
        known = {g for p in lock.packages for g in p.groups}
        unknown = [g for g in with_groups if g not in known]
        if unknown:
            raise UsageError(
                f"poetry.lock has no group {unknown[0]!r}",
                path=POETRY_LOCK,
                hint=f"Its groups are: {', '.join(sorted(known))}.",
            )
    else:
        # lock-version 2.0 says nothing of groups: walk from the groups' requirements.
        return _walked(spec, lock, groups, with_groups)
    data: dict[str, Any] = toml.loads(text)
    optional = {
        (str(p.get("name", "")).lower(), str(p.get("version", "")))
        for p in data.get("package", [])
        if isinstance(p, dict) and p.get("optional")
    }
    pins = [
        p
        for p in lock.pins(groups)
        if (p.name, p.version or "") not in optional and not _is_optional(p.name, optional)
    ]
    digest = f"poetry:{lock.content_hash}" if lock.content_hash else None
    what = f"Exported from poetry.lock (groups: {', '.join(groups)})"
    return pins, digest or "poetry:none", what


def _walked(
    spec: ProjectSpec, lock: PoetryLock, groups: Sequence[str], with_groups: Sequence[str]
) -> tuple[list[Pin], str, str]:
    """A lock without group records: what the groups' requirements reach in it."""
    from parity.lock.formats.poetry_lock import group_roots

    unknown = [g for g in with_groups if not spec.has_group(g)]
    if unknown:
        raise UsageError(
            f"unknown group {unknown[0]!r}",
            path="pyproject.toml",
            hint=f"This project's groups are: {', '.join(spec.group_names)}.",
        )
    wanted = [DEFAULT_GROUP, *with_groups] if spec.has_group(DEFAULT_GROUP) else [*with_groups]
    roots = group_roots(spec, wanted)
    digest = f"poetry:{lock.content_hash}" if lock.content_hash else "poetry:none"
    what = f"Exported from poetry.lock (groups: {', '.join(groups)})"
    return list(lock.closure(roots)), digest, what


def _is_optional(name: str, optional: set[tuple[str, str]]) -> bool:
    return any(n.replace("_", "-") == name for n, _ in optional)


def _from_parity(
    spec: ProjectSpec, request: Request, with_groups: Sequence[str]
) -> tuple[list[Pin], str]:
    lock = request.lock
    if lock is None:
        raise UsageError("this project has no lock to export yet", hint="Run `parity lock` first.")
    base = DEFAULT_GROUP if spec.has_group(DEFAULT_GROUP) else spec.group_names[0]
    wanted = [base, *with_groups]
    for name in wanted:
        if name not in lock.group_names:
            raise UsageError(
                f"unknown group {name!r}",
                hint=f"This project's groups are: {', '.join(lock.group_names)}.",
            )
    seen: dict[tuple[str, str | None, str | None], Pin] = {}
    for name in wanted:
        for pin in lock.group(name).pins:
            seen.setdefault((pin.name, pin.version, pin.marker), pin)
    what = f"Exported from parity's lock (groups: {', '.join(wanted)})"
    return list(seen.values()), what


def pin_lines(pin: Pin, *, hashes: bool) -> Iterable[str]:
    if pin.source is not None:
        if pin.editable:
            head = f"-e {pin.source}"
        elif pin.source.startswith((".", "/")):
            head = pin.source
        else:
            head = f"{pin.name} @ {pin.source}"
    else:
        extras = f"[{','.join(pin.extras)}]" if pin.extras else ""
        head = f"{pin.name}{extras}=={pin.version}"
    if pin.marker:
        head += f" ; {pin.marker}"
    digests = sorted(set(pin.hashes)) if hashes and pin.source is None else []
    if not digests:
        yield head
        return
    yield head + " \\"
    for index, digest in enumerate(digests):
        tail = " \\" if index < len(digests) - 1 else ""
        yield f"    --hash={digest}{tail}"

"""pip-tools style requirements.txt: the committed lock of one group.

The layout is pip-compile's, byte for byte where it can be (header saying how
to regenerate, ``name==version`` pins, ``--hash`` continuation lines,
``# via`` provenance), so pip, uv and ``pip-sync`` read it and reviewers know
it.  parity adds ``# parity:`` header lines holding the freshness digests.

``detect`` / ``read`` / ``parse`` / ``write``, as every module of
``lock/formats``; ``parse_entries`` also reads uv's exports.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from parity.errors import LockFileError
from parity.frozen import dataclass
from parity.lock.binary import is_option_line, option_lines, parse_option_lines
from parity.lock.formats.files import read_lock_text
from parity.lock.index import INDEX_OPTION_PREFIXES, index_lines, parse_index_lines
from parity.lock.model import (
    InputDigest,
    LockedGroup,
    LockMeta,
    Origin,
    Pin,
    input_lines,
    split_via,
    with_parts,
)
from parity.names import canonical_name
from parity.spec.requirements_file import logical_lines, parse_pep508, split_hashes
from parity.versions import valid_version, version_pattern

_META = re.compile(r"^#\s*parity:([a-z-]+)\s+(.*?)\s*$")


@dataclass(frozen=True)
class ParsedEntry:
    """One requirement of a requirements file, as uv export or pip-compile wrote it."""

    pin: Pin
    line: int


def parse_entries(text: str, *, path: str = "<export>", sealed: bool = False) -> list[ParsedEntry]:
    """Parse the requirement entries (with hashes and ``# via``) of a requirements file.

    ``sealed``: the caller reads a file parity sealed and checks that its seal
    holds (``parity lock`` deciding whether the lock is current), so each marker
    is taken as written: parity wrote only markers packaging accepted (see
    :func:`_parse_body`).  Without it, packaging reads every distinct marker.
    """
    try:
        return list(_parse_entries(text, sealed))
    except LockFileError as exc:
        raise LockFileError(exc.message, path=path, line=exc.line, hint=exc.hint) from None


# check reads each lockfile several times (pins, seal, cross-file consistency):
# the same text is parsed once.
@functools.lru_cache(maxsize=16)
def _parse_entries(text: str, sealed: bool = False) -> tuple[ParsedEntry, ...]:
    entries: list[ParsedEntry] = []
    for line in logical_lines(text):
        if line.is_option and not line.text.startswith(("-e ", "--editable")):
            continue  # an option line (--index-url, ...): not a pin
        pin = _parse_requirement(
            line.text, line.comments, path="<export>", line=line.number, sealed=sealed
        )
        entries.append(ParsedEntry(pin=pin, line=line.number))
    return tuple(entries)


def _parse_requirement(
    body: str, comments: Sequence[str], *, path: str, line: int, sealed: bool = False
) -> Pin:
    parsed = _parse_body(body, sealed)
    if parsed is None:
        raise _not_pinned(body, path, line)
    name, version, marker, hashes, source, editable, extras = parsed
    origins, required_by = _via(tuple(comments))
    return Pin(
        name=name,
        version=version,
        marker=marker,
        hashes=hashes,
        origins=origins,
        required_by=required_by,
        source=source,
        editable=editable,
        extras=extras,
    )


_Body = tuple[str, str | None, str | None, tuple[str, ...], str | None, bool, tuple[str, ...]]


# A lock reads each requirement several times: in uv's export of every group that
# holds it, then in each lockfile written (to seal it), where only the ``# via``
# comments differ; what the requirement itself says is worked out once.
@functools.lru_cache(maxsize=8192)
def _parse_body(body: str, sealed: bool = False) -> _Body | None:
    """(name, version, marker, hashes, source, editable, extras), or None: not a pin.

    ``sealed``: the marker of a ``name==version ; marker`` line is taken as written.
    parity writes a lockfile from what this function accepted, so a marker in a
    file whose seal holds was accepted by packaging when the file was written;
    anyone who can forge a seal can already change the pins and hashes it
    guards.  Importing packaging's marker parser costs a fifth of a ``parity
    lock`` that has nothing to do.
    """
    req, hashes = split_hashes(body)
    editable = False
    if req.startswith(("-e ", "--editable ")):
        editable = True
        req = req.split(None, 1)[1].strip()
    plain = None if editable else _PLAIN_PIN.match(req)
    if (
        plain is not None
        and valid_version(plain["version"])
        and (sealed or _valid_marker(plain["marker"]))
    ):
        # ``name==version`` (``; marker``): nearly every line of a lock, read without
        # packaging's tokenizer (a tenth of a millisecond a line); the same Pin.
        return (
            canonical_name(plain["name"]),
            plain["version"],
            plain["marker"],
            hashes,
            None,
            editable,
            (),
        )
    if not (req.startswith((".", "/", "file:")) or (editable and "@" not in req)):
        from packaging.markers import InvalidMarker
        from packaging.requirements import InvalidRequirement

        try:
            parsed = parse_pep508(req)
        except (InvalidRequirement, InvalidMarker):
            parsed = None
        if parsed is not None:
            name = canonical_name(parsed.requirement.name)
            version = parsed.exact_version
            if parsed.requirement.url is None and version is None:
                return None
            return (
                name,
                version,
                parsed.marker,
                hashes,
                parsed.requirement.url,
                editable,
                _extras_as_written(req),
            )
    if req.startswith((".", "/", "file:")) or editable:
        location, _, marker = req.partition(";")
        location = location.strip()
        return (
            canonical_name(Path(location.rstrip("/")).name or location),
            None,
            marker.strip() or None,
            hashes,
            location,
            editable,
            (),
        )
    return None


@functools.lru_cache(maxsize=8192)
def _via(comments: tuple[str, ...]) -> tuple[tuple[Origin, ...], tuple[str, ...]]:
    """The ``# via`` comments of a requirement as (origins, the packages that need it)."""
    return split_via(_parse_via(comments))


_PLAIN_PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*==\s*(?P<version>[^\s;,*]+)"
    r"\s*(?:;\s*(?P<marker>\S.*?))?\s*$"
)


def warm_up() -> None:
    """Compile the version pattern before the first pin is read (``lock`` does it while uv runs)."""
    version_pattern()


@functools.lru_cache(maxsize=4096)
def _valid_marker(text: str | None) -> bool:
    """Whether packaging accepts ``text`` as a marker; each distinct marker is parsed once."""
    if text is None:
        return True
    from packaging.markers import InvalidMarker, Marker

    try:
        Marker(text)
    except InvalidMarker:
        return False
    return True


def _not_pinned(body: str, path: str, line: int) -> LockFileError:
    return LockFileError(
        f"not a pinned requirement: {body!r}",
        path=path,
        line=line,
        hint="A lockfile holds `name==version` lines; regenerate it with `parity lock`.",
    )


def _extras_as_written(req: str) -> tuple[str, ...]:
    # Written back byte for byte, so in the file's order, not packaging's set.
    match = re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*\s*\[([^\]]*)\]", req)
    if match is None:
        return ()
    return tuple(e.strip() for e in match.group(1).split(",") if e.strip())


def _parse_via(comments: Sequence[str]) -> tuple[str, ...]:
    via: list[str] = []
    collecting = False
    for comment in comments:
        text = comment.lstrip("#").strip()
        if text.startswith("via"):
            rest = text[3:].strip()
            if rest:
                via.append(rest)
                collecting = False
            else:
                collecting = True
        elif collecting and text:
            via.append(text)
        else:
            collecting = False
    return tuple(via)


def parse_meta(text: str) -> dict[str, list[str]]:
    """The ``# parity:key value`` header lines, in order, grouped by key."""
    meta: dict[str, list[str]] = {}
    for raw in text.splitlines():
        if not raw.startswith("#"):
            if raw.strip():
                break
            continue
        match = _META.match(raw)
        if match:
            meta.setdefault(match.group(1), []).append(match.group(2))
    return meta


def detect(name: str, text: str) -> bool:
    """A requirements file: parity's header, or a ``.txt``/``.in`` name."""
    return bool(re.search(r"^#\s*parity:group\s", text, re.M)) or name.endswith((".txt", ".in"))


def read(path: Path, *, display: str | None = None, sealed: bool = False) -> LockedGroup:
    """Read one group's lockfile (written by parity, or any pip-compile output).

    ``sealed``: a file whose seal holds has its markers taken as written (see
    :func:`parse_entries`); any other file is read as without it.
    """
    text, shown = read_lock_text(path, display=display, regenerate="parity lock")
    return parse(text, output=shown, sealed=sealed and _seal_holds(shown, text))


def _seal_holds(path: str, text: str) -> bool:
    from parity.lock.integrity import read_seal

    try:
        seal = read_seal(path, text, sealed=True)
    except LockFileError:
        return False
    return seal.sealed and seal.intact


def parse(text: str, *, output: str, sealed: bool = False) -> LockedGroup:
    """A requirements lockfile as a group; ``sealed`` as for :func:`parse_entries`."""
    meta_lines = parse_meta(text)
    inputs = []
    for value in meta_lines.get("input", []):
        name, _, digest = value.rpartition(" ")
        inputs.append(InputDigest(name=name.strip(), digest=digest.strip()))
    meta = LockMeta(
        digest=_first(meta_lines, "digest") or "",
        inputs=with_parts(inputs, meta_lines.get("parts", [])),
        requires_python=_first(meta_lines, "requires-python"),
        python=_first(meta_lines, "python"),
        target=_first(meta_lines, "target"),
        generator=_generator(meta_lines),
        python_version=_first(meta_lines, "python-version"),
        python_platform=_first(meta_lines, "python-platform"),
        uv_settings=_first(meta_lines, "uv-settings") is not None,
    )
    # A local entry (``-e ./packages/api``) does not say its name; the header does.
    local_names: dict[str, str] = {}
    for value in meta_lines.get("local", []):
        name, _, location = value.partition(" ")
        if location:
            local_names[location] = name
    pins = tuple(
        _named(e.pin, local_names) for e in parse_entries(text, path=output, sealed=sealed)
    )
    index = parse_index_lines(
        line for line in text.splitlines() if line.startswith(INDEX_OPTION_PREFIXES)
    )
    return LockedGroup(
        name=_first(meta_lines, "group") or Path(output).stem,
        output=output,
        pins=pins,
        meta=meta,
        index=index,
        format_control=parse_option_lines(
            line for line in text.splitlines() if is_option_line(line)
        ),
    )


def _generator(meta: dict[str, list[str]]) -> str:
    """``parity`` for a lock (it has digests), ``parity export`` for an exported file."""
    if "digest" in meta:
        return "parity"
    return "parity export" if "generated" in meta else "pip-compile"


def _named(pin: Pin, local_names: dict[str, str]) -> Pin:
    if pin.source is None or pin.source not in local_names:
        return pin
    from parity.frozen import replace

    return replace(pin, name=canonical_name(local_names[pin.source]))


def _first(meta: dict[str, list[str]], key: str) -> str | None:
    values = meta.get(key)
    return values[0] if values else None


# The header line of a lock made while uv settings were in effect (their names may be
# secrets or local paths, so only that they were).
UV_SETTINGS_IN_EFFECT = "in-effect"


def write(group: LockedGroup) -> str:
    """pip-compile's layout, plus parity's digest lines in the header."""
    meta = group.meta
    python = (
        f"with Python {meta.python}"
        if meta.python
        else f"for Python {meta.requires_python or 'any'}"
    )
    out = [
        "#",
        f"# This file is autogenerated by parity {python}",
        "# by the following command:",
        "#",
        f"#    {meta.command}",
        "#",
        f"# parity:group {group.name}",
    ]
    if meta.python:
        out.append(f"# parity:python {meta.python}")
    if meta.requires_python:
        out.append(f"# parity:requires-python {meta.requires_python}")
    if meta.target:
        out.append(f"# parity:target {meta.target}")
    if meta.python_platform:
        out.append(f"# parity:python-platform {meta.python_platform}")
    if meta.python_version:
        out.append(f"# parity:python-version {meta.python_version}")
    if meta.uv_settings:
        out.append(f"# parity:uv-settings {UV_SETTINGS_IN_EFFECT}")
    out.append(f"# parity:digest {meta.digest}")
    out.extend(input_lines(meta.inputs))
    out.extend(
        f"# parity:local {pin.name} {pin.source}"
        for pin in group.pins
        if pin.source is not None and pin.source.startswith(".")
    )
    out.append("#")
    options = (*index_lines(group.index), *option_lines(group.format_control))
    out.extend(options)
    if options:
        out.append("")
    for pin in group.pins:
        out.extend(_render_pin(pin))
    return "\n".join(out) + "\n"


def _render_pin(pin: Pin) -> Iterable[str]:
    if pin.source is not None:
        head = f"-e {pin.source}" if pin.editable else f"{pin.name} @ {pin.source}"
        if pin.source.startswith((".", "/")) and not pin.editable:
            head = pin.source
    else:
        extras = f"[{','.join(pin.extras)}]" if pin.extras else ""
        head = f"{pin.name}{extras}=={pin.version}"
    if pin.marker:
        head += f" ; {pin.marker}"
    if pin.hashes:
        yield head + " \\"
        for i, digest in enumerate(pin.hashes):
            tail = " \\" if i < len(pin.hashes) - 1 else ""
            yield f"    --hash={digest}{tail}"
    else:
        yield head
    if len(pin.via) == 1:
        yield f"    # via {pin.via[0]}"
    elif pin.via:
        yield "    # via"
        yield from (f"    #   {v}" for v in pin.via)


def unhashed_archives(group: LockedGroup) -> tuple[str, ...]:
    """The pins on an archive (a URL or a path to a wheel or sdist) written without a hash
    in a lockfile whose other pins have one: pip refuses such a file, and an older parity
    wrote them so (a git URL or a directory has no hash to write)."""
    if not any(pin.hashes for pin in group.pins):
        return ()
    return tuple(pin.name for pin in group.pins if pin.is_archive and not pin.hashes)

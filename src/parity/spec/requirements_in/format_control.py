"""``--no-binary`` / ``--only-binary`` read as pip reads them, and merged across files.

pip keeps two sets (its ``FormatControl``): packages that must not come from
a wheel, and packages that must not be built from a source distribution.
Each option line updates them in order: ``:all:`` replaces the set it names
and empties the other, a package name moves from the other set into this
one, and ``:none:`` empties the set it names.  All functions here are pure.
"""

from __future__ import annotations

from collections.abc import Iterable

from parity.errors import SpecError
from parity.spec.model import FormatControl, SourceRef

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from parity.spec.requirements_in.model import ParsedFile

ALL = ":all:"
NONE = ":none:"
NO_BINARY = "--no-binary"
ONLY_BINARY = "--only-binary"


def apply_option(control: FormatControl, option: str, value: str, ref: SourceRef) -> FormatControl:
    """``control`` after one ``--no-binary VALUE`` or ``--only-binary VALUE`` line.

    ``VALUE`` is a comma-separated list of package names, ``:all:`` and ``:none:``.
    """
    target_is_no_binary = option == NO_BINARY
    target = set(control.no_binary if target_is_no_binary else control.only_binary)
    other = set(control.only_binary if target_is_no_binary else control.no_binary)
    entries = _entries(option, value, ref)
    while ALL in entries:
        other.clear()
        target = {ALL}
        entries = entries[entries.index(ALL) + 1 :]
        # Without a later :none:, :all: covers every name after it (pip discards them).
        if NONE not in entries:
            entries = []
    for entry in entries:
        if entry == NONE:
            target.clear()
            continue
        other.discard(entry)
        target.add(entry)
    no_binary, only_binary = (target, other) if target_is_no_binary else (other, target)
    return FormatControl(no_binary=tuple(sorted(no_binary)), only_binary=tuple(sorted(only_binary)))


def _entries(option: str, value: str, ref: SourceRef) -> list[str]:
    # Here, not at the top: every requirements.in project imports this module,
    # few have these options, and an everyday command does without packaging.
    from packaging.utils import InvalidName, canonicalize_name

    out: list[str] = []
    for raw in value.split(","):
        entry = raw.strip()
        if entry in (ALL, NONE):
            out.append(entry)
            continue
        try:
            out.append(canonicalize_name(entry, validate=True))
        except InvalidName:
            raise SpecError(
                f"{option} {value}: {entry!r} is not a package name",
                path=ref.path,
                line=ref.line,
                hint=f"Write `{option} :all:`, `{option} :none:` or package names separated "
                f"by commas, e.g. `{option} numpy,scipy`.",
            ) from None
    return out


def merge_format_controls(items: Iterable[tuple[FormatControl, SourceRef]]) -> FormatControl:
    """One setting for the whole resolution from each file's own.

    Every group is locked together, so a package that one file wants only as
    a wheel and another only built from source is a contradiction, not a
    per-file choice: refused, naming both files.
    """
    no_binary: dict[str, SourceRef] = {}
    only_binary: dict[str, SourceRef] = {}
    for control, ref in items:
        for name in control.no_binary:
            no_binary.setdefault(name, ref)
        for name in control.only_binary:
            only_binary.setdefault(name, ref)
    for name in sorted(set(no_binary) & set(only_binary)):
        first, second = sorted([no_binary[name], only_binary[name]])
        what = "every package" if name == ALL else name
        raise SpecError(
            f"{NO_BINARY} and {ONLY_BINARY} contradict each other for {what}: "
            f"{no_binary[name]} says {NO_BINARY} {name}, {only_binary[name]} says "
            f"{ONLY_BINARY} {name}",
            path=second.path,
            line=second.line,
            hint=f"Every group is locked in one resolution; keep one of the two lines "
            f"({first} or {second}).",
        )
    return FormatControl(no_binary=tuple(sorted(no_binary)), only_binary=tuple(sorted(only_binary)))


def merge_file_controls(files: Iterable[ParsedFile]) -> FormatControl:
    """The setting of every file read, merged (see :func:`merge_format_controls`)."""
    return merge_format_controls(
        (f.format_control, f.format_control_ref or SourceRef(f.path))
        for f in files
        if not f.format_control.is_default
    )


def prefer_binary_note(ref: SourceRef) -> str:
    """What ``lock`` says about a ``--prefer-binary`` line: uv cannot honour it."""
    return (
        f"{ref}: --prefer-binary has no equivalent in uv, so the lock takes the newest "
        "version that fits even when it has only a source distribution (pip would take an "
        "older version with a wheel); to forbid building, write --only-binary :all: (or "
        "--only-binary NAME) instead, or remove the line"
    )

"""The Python range of a uv workspace: every member's ``requires-python`` together.

``uv lock`` resolves a workspace for the intersection of the ``requires-python``
of the root and of every member (uv-workspace's ``Workspace::requires_python``):
a root declaring ``>=3.8`` with a member that needs ``>=3.10`` is locked for
``>=3.10``, and a virtual root (no ``[project]``) is locked for the range its
members declare.  Reading the root's range alone would lock a virtual
workspace for the pinned interpreter only, and stop on a root range wider than
a member's where ``uv lock`` succeeds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath

from parity.errors import SpecError
from parity.spec.model import SourceRef
from parity.spec.pyproject import PYPROJECT, PyprojectReader, parse_toml
from parity.spec.python_target import check_python_range
from parity.spec.requirements_file import plain_range
from parity.spec.uv_project import WorkspaceMember
from parity.textfile import read_text_file

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from pathlib import Path

    from packaging.specifiers import Specifier

Range = tuple[str, SourceRef]


def member_ranges(root: Path, members: Sequence[WorkspaceMember]) -> list[Range]:
    """Each member's ``requires-python`` and where it is written (members without one: none)."""
    out: list[Range] = []
    for member in members:
        shown = f"{member.path}/{PYPROJECT}"
        text = read_text_file(root / member.path / PYPROJECT, shown=shown)
        data = parse_toml(text, shown)
        reader = PyprojectReader(root, data, text, path=shown, base=PurePosixPath(member.path))
        value, ref = reader.requires_python()
        if value and ref is not None and "project" in data:
            out.append((value, ref))
    return out


def workspace_range(
    root_range: str | None, root_ref: SourceRef | None, members: Sequence[Range]
) -> tuple[str | None, SourceRef | None]:
    """The range a workspace is locked for, and the place that states it (or the root's).

    Ranges that read the same (``>=3.10, <3.14`` in every member) are that
    range as written; different ones are intersected, keeping the highest
    lower bound and the lowest upper bound as uv does.
    """
    ranges: list[Range] = [(root_range, root_ref)] if root_range and root_ref else []
    ranges += members
    distinct: dict[str, Range] = {}
    for value, ref in ranges:
        distinct.setdefault(_spelled(value), (value, ref))
    if not distinct:
        return root_range, root_ref
    if len(distinct) == 1:
        value, ref = next(iter(distinct.values()))
        return value, ref
    combined = _intersection([value for value, _ in distinct.values()])
    for value, ref in distinct.values():
        if _spelled(value) == combined:
            return value, ref
    if _admits_none(combined):
        sides = ", ".join(f"{value} ({ref})" for value, ref in distinct.values())
        first = next(iter(distinct.values()))[1]
        raise SpecError(
            f"the workspace's requires-python ranges admit no common Python: {sides}",
            path=first.path,
            line=first.line,
            hint="uv locks a workspace for the Pythons every member supports: "
            "make the ranges overlap.",
        )
    return combined, root_ref or next(iter(distinct.values()))[1]


def _spelled(value: str) -> str:
    """One spelling per range: ``>= 3.10`` and ``>=3.10`` are the same range."""
    plain = plain_range(value)
    if plain is not None:
        return plain
    return ",".join(sorted(part.strip() for part in value.split(",") if part.strip()))


def _intersection(values: Sequence[str]) -> str:
    from packaging.specifiers import SpecifierSet

    specifiers = [s for value in values for s in SpecifierSet(value)]
    lower = [s for s in specifiers if s.operator in (">=", ">")]
    upper = [s for s in specifiers if s.operator in ("<", "<=")]
    others = sorted({str(s) for s in specifiers if s not in lower and s not in upper})
    kept = [*others]
    if lower:
        kept.append(str(max(lower, key=_lower_key)))
    if upper:
        kept.append(str(min(upper, key=_upper_key)))
    return ",".join(sorted(kept, key=_bound_order))


def _lower_key(spec: Specifier) -> tuple[object, bool]:
    from packaging.version import Version

    # ``>3.10`` is above ``>=3.10``.
    return Version(spec.version), spec.operator == ">"


def _upper_key(spec: Specifier) -> tuple[object, bool]:
    from packaging.version import Version

    # ``<3.14`` is below ``<=3.14``.
    return Version(spec.version), spec.operator == "<="


def _bound_order(text: str) -> tuple[int, str]:
    """Lower bound first (``>=3.10,<3.14``), as ranges are usually written."""
    return (0 if text.startswith(">") else 1 if text.startswith("<") else 2), text


def _admits_none(combined: str) -> bool:
    try:
        check_python_range(combined, None)
    except SpecError:
        return True
    return False

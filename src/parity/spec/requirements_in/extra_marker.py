"""A requirement whose marker asks for an extra, in a requirements file: never installed.

A requirements file has no extras: pip and uv judge ``extra`` there as empty, so
``name ; extra == "gpu"`` is dropped without a word, from the lock as from
``pip install -r``.  ``lock`` says so at the line.
"""

from __future__ import annotations

from parity.patterns import lazy_pattern

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from collections.abc import Iterable

    from parity.spec.model import DirectRequirement

_named_extra = lazy_pattern(
    r"""\bextra\s*==\s*(['"])(?P<a>[^'"]+)\1|(['"])(?P<b>[^'"]+)\3\s*==\s*extra\b"""
)


def extra_marker_notes(requirements: Iterable[DirectRequirement]) -> list[str]:
    """A note for each requirement that a marker on ``extra`` drops from a requirements file."""
    notes: list[str] = []
    for req in requirements:
        if "extra" not in req.requirement:
            continue  # nearly every line: decided without packaging
        dropped = _dropped_for_extra(req.requirement)
        if dropped is None:
            continue
        notes.append(
            f"{req.source}: {req.name} is never installed: its marker ({dropped[0]}) asks for "
            f"the extra {dropped[1]!r}, and a requirements file has no extras (pip and uv read "
            "`extra` as empty there), so the lock leaves it out, as pip does. To install it "
            f"with an extra, declare {dropped[1]!r} in pyproject.toml's "
            f"[project.optional-dependencies]; to install it as a group of its own, move it to "
            f"a separate .in file without the marker (requirements-{dropped[1]}.in)"
        )
    return notes


def _dropped_for_extra(line: str) -> tuple[str, str] | None:
    """(the marker, the extra it asks for) when asking for no extra leaves ``line`` out
    and asking for that extra keeps it; else None."""
    from packaging.markers import InvalidMarker, Marker

    _, sep, text = line.partition(";")
    if not sep:
        return None
    try:
        marker = Marker(text.strip())
    except InvalidMarker:
        return None  # the lock says what is wrong with it
    match = _named_extra().search(str(marker))
    if match is None:
        return None
    extra = match.group("a") or match.group("b")
    if marker.evaluate({"extra": ""}) or not marker.evaluate({"extra": extra}):
        return None
    return str(marker), extra

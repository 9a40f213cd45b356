"""What sync installs when it is not a group's lock as it is: extras added, the project out.

``sync`` installs it and stamps its digest; ``check`` builds the same from the
same lockfiles to compare the environment with, so neither can disagree with
the other about what ``sync --extra`` put there.
"""

from __future__ import annotations

from collections.abc import Sequence

from parity.lock.model import LockedGroup


def derived_lock(
    locked: LockedGroup,
    extras: Sequence[LockedGroup],
    install_project: bool,
) -> LockedGroup | None:
    """The group's lock with extras added and/or the project left out (None: as it is)."""
    from parity.frozen import replace

    if not extras and install_project:
        return None
    pins = list(locked.pins)
    seen = {(p.name, p.version, p.marker, p.source) for p in pins}
    for extra in extras:
        for pin in extra.pins:
            key = (pin.name, pin.version, pin.marker, pin.source)
            if key not in seen:
                seen.add(key)
                pins.append(pin)
    if not install_project:
        pins = [p for p in pins if not p.is_project]
    return replace(locked, pins=tuple(pins))


def write_requirements(locked: LockedGroup) -> str:
    from parity.lock.formats import requirements_txt

    return requirements_txt.write(locked)


def derived_digest(derived: LockedGroup) -> str:
    """The digest the stamp records for a derived lock (that of the file sync installs)."""
    import hashlib

    return "sha256:" + hashlib.sha256(write_requirements(derived).encode()).hexdigest()

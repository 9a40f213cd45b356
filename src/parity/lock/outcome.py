"""What ``parity lock`` is asked and what it answers: plain values, cheap to import.

Kept apart from ``locker`` (which brings the resolver and the writers) so that
a lock answered from its own digests (``uptodate``) and the report of any lock
import only these.
"""

from __future__ import annotations

from parity.frozen import dataclass, field

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from parity.lock.model import Lock
    from parity.lock.prereleases import PreRelease


@dataclass(frozen=True)
class LockOptions:
    """What ``parity lock`` was asked.

    ``groups`` locks only those groups: the pins of every other group are held
    as they are (the files are still all rewritten, so their digests agree).
    ``index_url`` / ``extra_index_urls`` come from the command line: used to
    resolve and written into the lockfiles, as pip-compile does.
    """

    upgrade: bool = False
    upgrade_packages: tuple[str, ...] = ()
    python_version: str | None = None
    python_platform: str | None = None
    offline: bool = False
    prerelease: bool = False
    pylock: bool = True
    dry_run: bool = False
    groups: tuple[str, ...] = ()
    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class PinChange:
    group: str
    name: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class LockOutcome:
    lock: Lock
    written: tuple[str, ...]
    changes: tuple[PinChange, ...] = ()
    notes: tuple[str, ...] = field(default=())
    # (group, where it was read from), in the spec's order.
    read: tuple[tuple[str, str], ...] = ()
    prereleases: tuple[PreRelease, ...] = ()
    # The files whose versions were kept as preferences, when the project was adopted.
    adopted_from: tuple[str, ...] = ()
    # The lockfiles whose bytes changed (``written`` minus those that already held the lock).
    changed_files: tuple[str, ...] = ()
    # False when the lock's own digests showed it already answers the inputs (nothing resolved).
    resolved: bool = True

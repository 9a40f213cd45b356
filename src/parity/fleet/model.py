"""Fleet records as plain values."""

from __future__ import annotations

from typing import NamedTuple

from parity.env.snapshot_model import Snapshot
from parity.frozen import dataclass

ROLES = ("dev", "ci", "prod")
PUSH_SCHEMA = "parity/fleet-push@1"
STATUS_SCHEMA = "parity/fleet-status@1"
QUERY_SCHEMA = "parity/fleet-query@1"
HISTORY_SCHEMA = "parity/fleet-history@1"
PRUNE_SCHEMA = "parity/fleet-prune@1"


@dataclass(frozen=True)
class Origin:
    """Where a snapshot comes from: which machine, in which role, at which commit.

    ``label`` names the machine in every report (a laptop, a CI job such as
    ``ci/ubuntu-py3.11``, an image); its snapshots form its history.
    ``lock_digest`` is the digest of the lock the environment was synced to,
    when parity synced it.
    """

    label: str
    role: str
    host: str | None = None
    git_commit: str | None = None
    lock_digest: str | None = None


@dataclass(frozen=True)
class Record:
    """One stored snapshot's metadata (the snapshot itself is loaded on demand).

    Times are UTC, ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` (they sort as text).
    ``seen_at`` is when the snapshot was taken, or pushed when the snapshot
    does not say: a machine's latest record is the one seen last, so a CI
    artifact pushed late does not hide a newer state.  ``state`` identifies
    the environment's content: two records with the same state hold the same
    snapshot apart from its label and time.
    """

    id: int
    label: str
    role: str
    host: str | None
    git_commit: str | None
    lock_digest: str | None
    pushed_at: str
    taken_at: str | None
    seen_at: str
    env_label: str
    python: str | None
    dist_set: int
    context: int

    @property
    def state(self) -> tuple[int, int]:
        return (self.dist_set, self.context)


class Observation(NamedTuple):
    """One record, as much of it as a question over the whole history needs.

    A plain tuple: ``query`` walks every record of the store (10,000 and
    more), where building full :class:`Record` values would cost more than
    the answer.
    """

    label: str
    role: str
    seen_at: str
    dist_set: int
    context: int


@dataclass(frozen=True)
class Member:
    """A record with its snapshot: one machine as the drift computation sees it."""

    record: Record
    snapshot: Snapshot


@dataclass(frozen=True)
class Pushed:
    """What one push stored."""

    record_id: int
    label: str
    role: str
    distributions: int
    new_set: bool
    set_digest: str

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.record_id,
            "label": self.label,
            "role": self.role,
            "distributions": self.distributions,
            "new_set": self.new_set,
            "set_digest": self.set_digest,
        }

"""The store interface, and opening a store from its URL.

Both stores (``sqlite_store``, ``postgres_store``) implement
:class:`FleetStore` on the same SQL (``sql.py``) and pass one test suite.
Every method is one transaction: a push of several snapshots stores all of
them or none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from parity.env.snapshot_model import Distribution, Snapshot
from parity.fleet.location import POSTGRES, StoreLocation, store_location
from parity.fleet.model import Observation, Origin, Pushed, Record
from parity.frozen import dataclass


@dataclass(frozen=True)
class StoreStats:
    records: int
    labels: int
    dist_sets: int
    dists: int
    contexts: int
    first_seen: str | None
    last_seen: str | None


@dataclass(frozen=True)
class PruneCounts:
    records: int
    dist_sets: int
    dists: int
    contexts: int
    remaining: int


class FleetStore(Protocol):
    location: StoreLocation

    def push(self, items: Sequence[tuple[Snapshot, Origin]], *, now: str) -> list[Pushed]:
        """Store every snapshot (already redacted) with its origin, in one transaction."""

    def latest(self, *, roles: frozenset[str] = frozenset()) -> list[Record]:
        """Each label's latest record (seen last), among records of ``roles`` (all when empty)."""

    def records(self, *, label: str | None = None) -> list[Record]:
        """Every record (of one label), oldest first."""

    def observations(self, *, roles: frozenset[str] = frozenset()) -> list[Observation]:
        """Every record of ``roles`` (all when empty), by label, oldest first."""

    def states(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], Snapshot]:
        """The snapshot of each (dist set, context) key, without label or time."""

    def contexts(self) -> dict[int, Snapshot]:
        """Every context (Python, platform, native libraries...) as a Snapshot without dists."""

    def dists_named(self, name: str) -> list[tuple[int, Distribution]]:
        """Every stored distribution called ``name`` (canonical), with its id."""

    def sets_with(self, dist_ids: Sequence[int]) -> dict[int, int]:
        """The distribution sets holding any of ``dist_ids``: set id -> the dist id it holds."""

    def prune(self, *, before: str, keep_latest: bool, dry_run: bool) -> PruneCounts:
        """Remove records seen before ``before``, then what no record uses any more."""

    def stats(self) -> StoreStats: ...

    def close(self) -> None: ...


def open_store(
    url: str | None,
    *,
    environ: Mapping[str, str],
    cwd: Path,
    create: bool = False,
) -> FleetStore:
    """Open the store ``url`` names (see ``location.py``); ``create`` for a push.

    Without ``create`` a store that does not exist yet is an error rather
    than an empty store made as a side effect of a read.
    """
    location = store_location(url, environ)
    if location.kind == POSTGRES:
        from parity.fleet.postgres_store import PostgresStore

        return PostgresStore.open(location, create=create)
    from parity.fleet.sqlite_store import SQLiteStore

    return SQLiteStore.open(location, cwd=cwd, create=create)

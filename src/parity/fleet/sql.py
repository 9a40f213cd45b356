"""The SQL both stores share; each store supplies its connection and dialect.

Statements are written with ``?`` placeholders; the PostgreSQL store turns
them into ``%s``.  Everything here runs inside one transaction per public
method (``_write`` or ``_read``), so a failure leaves nothing half-stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any

from parity.env.snapshot_model import Distribution, Snapshot
from parity.fleet.content import DistRow, parse_context, rebuild, split
from parity.fleet.errors import StoreError
from parity.fleet.location import StoreLocation
from parity.fleet.migrations import MIGRATIONS, Migration, latest_version
from parity.fleet.model import Observation, Origin, Pushed, Record
from parity.fleet.store import PruneCounts, StoreStats
from parity.version import __version__

RECORD_COLUMNS = (
    "id, label, role, host, git_commit, lock_digest, pushed_at, taken_at, seen_at, "
    "env_label, python, dist_set_id, context_id"
)
_CHUNK = 500  # values per IN (...) list: well below every SQLite build's limit


class SQLStore:
    """The store logic over a DB-API connection; subclasses provide the dialect."""

    dialect = "sqlite"
    location: StoreLocation
    migrations: tuple[Migration, ...] = MIGRATIONS

    # -- what a dialect provides

    def _write(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _read(self) -> AbstractContextManager[None]:
        raise NotImplementedError

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run a statement; the number of rows it changed."""
        raise NotImplementedError

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def _insert(self, sql: str, params: Sequence[Any]) -> int:
        """Run an INSERT of one row; the new row's id."""
        raise NotImplementedError

    def _has_schema_table(self) -> bool:
        raise NotImplementedError

    def _pack(self, ids: Sequence[int]) -> Any:
        """A set's member ids as the ``members`` column stores them."""
        raise NotImplementedError

    def _unpack(self, value: Any) -> Sequence[int]:
        raise NotImplementedError

    def _any(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """``column IN (values)`` as this dialect writes it best (no chunking needed)."""
        return f"{column} IN ({_marks(values)})", list(values)

    def _sets_holding(self, dist_ids: Sequence[int]) -> list[tuple[int, Any]]:
        """(id, members) of the sets that may hold one of ``dist_ids`` (a superset is fine)."""
        return [(int(i), m) for i, m in self._rows("SELECT id, members FROM parity_dist_sets")]

    def _delete_unused_dists(self) -> int:
        raise NotImplementedError

    def _schema_table_sql(self) -> str:
        raise NotImplementedError

    def _lock_schema(self) -> None:
        """Serialise migrations (SQLite's write transaction already does)."""

    def _lock_shared(self) -> None:
        """Taken by pushes: a prune waits for them (and they for it)."""

    def _lock_exclusive(self) -> None:
        """Taken by a prune."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> SQLStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema

    def schema_version(self) -> int | None:
        if not self._has_schema_table():
            return None
        rows = self._rows("SELECT MAX(version) FROM parity_schema")
        value = rows[0][0] if rows else None
        return int(value) if value is not None else None

    def ensure_schema(self, *, create: bool) -> None:
        """Bring the store up to this parity's schema, or explain why it cannot be."""
        latest = latest_version(self.migrations)
        with self._read():
            current = self.schema_version()
        self._refuse_newer(current, latest)
        if current == latest:
            return
        if current is None and not create:
            raise StoreError(
                f"{self.location.shown} holds no parity fleet store yet",
                hint="Push a snapshot first: `parity snapshot --push` or `parity fleet push FILE`.",
            )
        with self._write():
            self._lock_schema()
            self._run(self._schema_table_sql())
            current = self.schema_version() or 0
            self._refuse_newer(current, latest)
            now = utc_now()
            for migration in self.migrations:
                if migration.version <= current:
                    continue
                for statement in migration.statements(self.dialect):
                    self._run(statement)
                self._run(
                    "INSERT INTO parity_schema (version, name, applied_at, parity_version) "
                    "VALUES (?, ?, ?, ?)",
                    (migration.version, migration.name, now, __version__),
                )

    def _refuse_newer(self, current: int | None, latest: int) -> None:
        if current is not None and current > latest:
            raise StoreError(
                f"the store {self.location.shown} has schema version {current}; this parity "
                f"knows versions up to {latest}",
                hint="A newer parity wrote it: upgrade parity to use this store.",
            )

    # -- writing

    def push(self, items: Sequence[tuple[Snapshot, Origin]], *, now: str) -> list[Pushed]:
        out: list[Pushed] = []
        with self._write():
            self._lock_shared()
            for snapshot, origin in items:
                out.append(self._push_one(snapshot, origin, now))
        return out

    def _push_one(self, snapshot: Snapshot, origin: Origin, now: str) -> Pushed:
        content = split(snapshot)
        set_id, new_set = self._dist_set(content.set_digest, content.dists)
        context_id = self._content_id(content.context_digest, content.context_body)
        taken = normalise_time(snapshot.taken_at)
        record_id = self._insert(
            f"INSERT INTO parity_records ({RECORD_COLUMNS.removeprefix('id, ')}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                origin.label,
                origin.role,
                origin.host,
                origin.git_commit,
                origin.lock_digest,
                now,
                taken,
                taken or now,
                snapshot.label,
                snapshot.python.version if snapshot.python else None,
                set_id,
                context_id,
            ),
        )
        return Pushed(
            record_id=record_id,
            label=origin.label,
            role=origin.role,
            distributions=len(content.dists),
            new_set=new_set,
            set_digest=content.set_digest,
        )

    def _dist_set(self, digest: str, dists: Sequence[DistRow]) -> tuple[int, bool]:
        found = self._rows("SELECT id FROM parity_dist_sets WHERE digest = ?", (digest,))
        if found:
            return int(found[0][0]), False
        ids = self._dist_ids([d.digest for d in dists])
        missing = [d for d in dists if d.digest not in ids]
        if missing:
            self._run_many(
                "INSERT INTO parity_dists (digest, name, version, installer, source, editable, "
                "requested) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (digest) DO NOTHING",
                [
                    (d.digest, d.name, d.version, d.installer, d.source, d.editable, d.requested)
                    for d in missing
                ],
            )
            ids |= self._dist_ids([d.digest for d in missing])
        inserted = self._run(
            "INSERT INTO parity_dist_sets (digest, size, members) VALUES (?, ?, ?) "
            "ON CONFLICT (digest) DO NOTHING",
            # Members in the snapshot's order (by name), so reading a set needs no sort.
            (digest, len(dists), self._pack([ids[d.digest] for d in dists])),
        )
        set_id = int(
            self._rows("SELECT id FROM parity_dist_sets WHERE digest = ?", (digest,))[0][0]
        )
        return set_id, bool(inserted)

    def _dist_ids(self, digests: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for chunk in _chunks(digests):
            where, params = self._any("digest", chunk)
            out.update(
                (digest, int(id_))
                for id_, digest in self._rows(
                    f"SELECT id, digest FROM parity_dists WHERE {where}", params
                )
            )
        return out

    def _content_id(self, digest: str, body: str) -> int:
        found = self._rows("SELECT id FROM parity_contexts WHERE digest = ?", (digest,))
        if found:
            return int(found[0][0])
        self._run(
            "INSERT INTO parity_contexts (digest, body) VALUES (?, ?) ON CONFLICT (digest) DO NOTHING",
            (digest, body),
        )
        return int(self._rows("SELECT id FROM parity_contexts WHERE digest = ?", (digest,))[0][0])

    def prune(self, *, before: str, keep_latest: bool, dry_run: bool) -> PruneCounts:
        try:
            return self._prune(before=before, keep_latest=keep_latest, dry_run=dry_run)
        except _DryRun as dry:
            return dry.counts

    def _prune(self, *, before: str, keep_latest: bool, dry_run: bool) -> PruneCounts:
        with self._write():
            self._lock_exclusive()
            keep = ""
            if keep_latest:
                keep = (
                    " AND id NOT IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY "
                    "label ORDER BY seen_at DESC, id DESC) AS rn FROM parity_records) ranked "
                    "WHERE rn = 1)"
                )
            records = self._run(f"DELETE FROM parity_records WHERE seen_at < ?{keep}", (before,))
            sets = self._run(
                "DELETE FROM parity_dist_sets WHERE id NOT IN (SELECT dist_set_id FROM parity_records)"
            )
            dists = self._delete_unused_dists()
            contexts = self._run(
                "DELETE FROM parity_contexts WHERE id NOT IN (SELECT context_id FROM parity_records)"
            )
            remaining = int(self._rows("SELECT COUNT(*) FROM parity_records")[0][0])
            if dry_run:
                raise _DryRun(PruneCounts(records, sets, dists, contexts, remaining))
        return PruneCounts(records, sets, dists, contexts, remaining)

    # -- reading

    def latest(self, *, roles: frozenset[str] = frozenset()) -> list[Record]:
        where = ""
        params: list[Any] = []
        if roles:
            clause, params = self._any("role", sorted(roles))
            where = f" WHERE {clause}"
        sql = (
            f"SELECT {RECORD_COLUMNS} FROM (SELECT {RECORD_COLUMNS}, ROW_NUMBER() OVER "
            "(PARTITION BY label ORDER BY seen_at DESC, id DESC) AS rn "
            f"FROM parity_records{where}) ranked WHERE rn = 1 ORDER BY label"
        )
        with self._read():
            return [_record(row) for row in self._rows(sql, params)]

    def records(self, *, label: str | None = None) -> list[Record]:
        where, params = ("", []) if label is None else (" WHERE label = ?", [label])
        with self._read():
            return [
                _record(row)
                for row in self._rows(
                    f"SELECT {RECORD_COLUMNS} FROM parity_records{where} ORDER BY seen_at, id",
                    params,
                )
            ]

    def observations(self, *, roles: frozenset[str] = frozenset()) -> list[Observation]:
        where = ""
        params: list[Any] = []
        if roles:
            clause, params = self._any("role", sorted(roles))
            where = f" WHERE {clause}"
        with self._read():
            return [
                Observation(label, role, seen_at, int(dist_set), int(context))
                for label, role, seen_at, dist_set, context in self._rows(
                    "SELECT label, role, seen_at, dist_set_id, context_id FROM parity_records"
                    f"{where} ORDER BY label, seen_at, id",
                    params,
                )
            ]

    def states(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], Snapshot]:
        set_ids = sorted({k[0] for k in keys})
        context_ids = sorted({k[1] for k in keys})
        members: dict[int, Sequence[int]] = {}
        dists: dict[int, Distribution] = {}
        contexts: dict[int, Snapshot] = {}
        with self._read():
            # Each set's member ids, then each distinct distribution once: sets of
            # similar environments share most of their distributions.
            for chunk in _chunks(set_ids):
                where, params = self._any("id", chunk)
                for set_id, packed in self._rows(
                    f"SELECT id, members FROM parity_dist_sets WHERE {where}", params
                ):
                    members[int(set_id)] = self._unpack(packed)
            wanted = sorted({d for ids in members.values() for d in ids})
            for chunk in _chunks(wanted):
                where, params = self._any("id", chunk)
                for dist_id, *fields in self._rows(
                    "SELECT id, name, version, installer, source, editable, requested "
                    f"FROM parity_dists WHERE {where}",
                    params,
                ):
                    dists[int(dist_id)] = _distribution(fields)
            for chunk in _chunks(context_ids):
                where, params = self._any("id", chunk)
                for id_, body in self._rows(
                    f"SELECT id, body FROM parity_contexts WHERE {where}", params
                ):
                    contexts[int(id_)] = self._context(int(id_), body)
        return {
            key: rebuild(
                contexts[key[1]],
                [dists[d] for d in members[key[0]]],
                label="",
                taken_at=None,
                ordered=True,
            )
            for key in keys
        }

    def contexts(self) -> dict[int, Snapshot]:
        with self._read():
            return {
                int(id_): self._context(int(id_), body)
                for id_, body in self._rows("SELECT id, body FROM parity_contexts")
            }

    def _context(self, id_: int, body: str) -> Snapshot:
        try:
            return parse_context(body, source=f"{self.location.shown} (context {id_})")
        except ValueError:
            raise StoreError(
                f"the store {self.location.shown} holds a damaged context (id {id_})",
                hint="Remove the records that use it, or push those snapshots again.",
            ) from None

    def dists_named(self, name: str) -> list[tuple[int, Distribution]]:
        with self._read():
            return [
                (int(id_), _distribution(fields))
                for id_, *fields in self._rows(
                    "SELECT id, name, version, installer, source, editable, requested "
                    "FROM parity_dists WHERE name = ?",
                    (name,),
                )
            ]

    def sets_with(self, dist_ids: Sequence[int]) -> dict[int, int]:
        wanted = set(dist_ids)
        out: dict[int, int] = {}
        if not wanted:
            return out
        with self._read():
            for set_id, packed in self._sets_holding(sorted(wanted)):
                ids = self._unpack(packed)
                if wanted.isdisjoint(ids):  # one C-level pass for the common miss
                    continue
                out[set_id] = next(d for d in ids if d in wanted)
        return out

    def stats(self) -> StoreStats:
        with self._read():
            records, labels, first, last = self._rows(
                "SELECT COUNT(*), COUNT(DISTINCT label), MIN(seen_at), MAX(seen_at) "
                "FROM parity_records"
            )[0]
            sets = self._rows("SELECT COUNT(*) FROM parity_dist_sets")[0][0]
            dists = self._rows("SELECT COUNT(*) FROM parity_dists")[0][0]
            contexts = self._rows("SELECT COUNT(*) FROM parity_contexts")[0][0]
        return StoreStats(
            int(records), int(labels), int(sets), int(dists), int(contexts), first, last
        )


class _DryRun(Exception):
    """Rolls a prune back after counting what it would remove."""

    def __init__(self, counts: PruneCounts) -> None:
        super().__init__("dry run")
        self.counts = counts


def _record(row: Sequence[Any]) -> Record:
    return Record(
        id=int(row[0]),
        label=row[1],
        role=row[2],
        host=row[3],
        git_commit=row[4],
        lock_digest=row[5],
        pushed_at=row[6],
        taken_at=row[7],
        seen_at=row[8],
        env_label=row[9],
        python=row[10],
        dist_set=int(row[11]),
        context=int(row[12]),
    )


def _distribution(fields: Sequence[Any]) -> Distribution:
    name, version, installer, source, editable, requested = fields
    return Distribution(
        name=name,
        version=version,
        installer=installer,
        source=source,
        editable=bool(editable),
        requested=None if requested is None else bool(requested),
    )


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _chunks(values: Sequence[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield list(values[start : start + _CHUNK])


TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def utc_now() -> str:
    return format_time(dt.datetime.now(dt.timezone.utc))


def format_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime(TIME_FORMAT)


def normalise_time(text: str | None) -> str | None:
    """A snapshot's ``taken_at`` in the store's format; None when it is not a time."""
    if not text:
        return None
    raw = text.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        moment = dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return format_time(moment)

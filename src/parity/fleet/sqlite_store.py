"""The embedded store: one SQLite file (``.parity/fleet.db`` by default).

WAL mode lets readers work while a CI job pushes; a busy timeout makes
concurrent pushes wait for each other instead of failing; every push is one
``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

import sqlite3
import sys
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from parity.fleet.errors import StoreError
from parity.fleet.location import StoreLocation
from parity.fleet.migrations import SCHEMA_TABLE_SQLITE
from parity.fleet.sql import SQLStore

BUSY_TIMEOUT_MS = 30_000
_IGNORE = "*\n"  # the .gitignore parity writes into a .parity/ folder it creates


class SQLiteStore(SQLStore):
    dialect = "sqlite"

    def __init__(self, location: StoreLocation, connection: sqlite3.Connection) -> None:
        self.location = location
        self._db = connection

    @classmethod
    def open(cls, location: StoreLocation, *, cwd: Path, create: bool) -> SQLiteStore:
        path = Path(location.target).expanduser()
        if not path.is_absolute():
            path = cwd / path
        if path.is_dir():
            raise StoreError(
                f"{location.shown} is a directory, not a store file",
                hint="Name a file, e.g. .parity/fleet.db.",
            )
        if not path.exists():
            if not create:
                raise StoreError(
                    f"no fleet store at {location.shown}",
                    hint="Push a snapshot first (`parity snapshot --push` or "
                    "`parity fleet push FILE`), or name the store with --store or PARITY_STORE.",
                )
            _make_parent(path, location)
        store = cls(location, _connect(path, location))
        try:
            store._db.execute("PRAGMA foreign_keys = ON")
            if create:
                # Persistent: set once, the file stays in WAL mode for every later reader.
                store._db.execute("PRAGMA journal_mode = WAL")
            store._db.execute("PRAGMA synchronous = NORMAL")
            store.ensure_schema(create=create)
        except sqlite3.DatabaseError as exc:
            store.close()
            raise _error(exc, location) from None
        except BaseException:
            store.close()
            raise
        return store

    @contextmanager
    def _write(self) -> Iterator[None]:
        with self._guard():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @contextmanager
    def _read(self) -> Iterator[None]:
        # One snapshot of the data for the whole read (WAL: writers go on meanwhile).
        with self._guard():
            if self._db.in_transaction:
                yield
                return
            self._db.execute("BEGIN")
            try:
                yield
            finally:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise _error(exc, self.location) from None

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self._db.execute(sql, params).fetchall()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._db.execute(sql, params).rowcount

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._db.executemany(sql, rows)

    def _insert(self, sql: str, params: Sequence[Any]) -> int:
        cursor = self._db.execute(sql, params)
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _has_schema_table(self) -> bool:
        return bool(
            self._rows(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'parity_schema'"
            )
        )

    def _schema_table_sql(self) -> str:
        return SCHEMA_TABLE_SQLITE

    def _pack(self, ids: Sequence[int]) -> Any:
        return _ints(ids).tobytes()

    def _unpack(self, value: Any) -> Sequence[int]:
        ints = array("q")
        ints.frombytes(value)
        if sys.byteorder != "little":
            ints.byteswap()
        return ints

    def _delete_unused_dists(self) -> int:
        # The ids every remaining set holds, in a temporary table SQLite can join.
        used: set[int] = set()
        for (packed,) in self._rows("SELECT members FROM parity_dist_sets"):
            used.update(self._unpack(packed))
        self._run("CREATE TEMP TABLE IF NOT EXISTS parity_used (id INTEGER PRIMARY KEY)")
        self._run("DELETE FROM parity_used")
        self._run_many("INSERT INTO parity_used (id) VALUES (?)", [(i,) for i in used])
        removed = self._run("DELETE FROM parity_dists WHERE id NOT IN (SELECT id FROM parity_used)")
        self._run("DELETE FROM parity_used")
        return removed

    def close(self) -> None:
        self._db.close()


def _ints(ids: Sequence[int]) -> array[int]:
    """Little-endian 64-bit integers, whatever the machine (a store file may move)."""
    ints = array("q", ids)
    if sys.byteorder != "little":
        ints.byteswap()
    return ints


def _connect(path: Path, location: StoreLocation) -> sqlite3.Connection:
    try:
        # isolation_level=None: parity issues BEGIN/COMMIT itself.
        return sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise _error(exc, location) from None


def _make_parent(path: Path, location: StoreLocation) -> None:
    parent = path.parent
    if parent.is_dir():
        return
    if parent.exists():
        raise StoreError(f"cannot create {location.shown}: its folder is a file", hint=None)
    try:
        parent.mkdir(parents=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the folder of {location.shown}: {exc.strerror}", hint=None
        ) from None
    if parent.name == ".parity":
        # The store is machine-local data: keep it out of the project's commits.
        (parent / ".gitignore").write_text(_IGNORE, encoding="utf-8")


def _error(exc: sqlite3.Error, location: StoreLocation) -> StoreError:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return StoreError(
            f"{location.shown} is not a parity fleet store (SQLite: {text})",
            hint="Name another file with --store; parity does not change this one.",
        )
    if "locked" in text or "busy" in text:
        return StoreError(
            f"the store {location.shown} stayed locked for {BUSY_TIMEOUT_MS // 1000} s ({text})",
            hint="Another process holds a long write transaction; try again.",
        )
    if "readonly" in text or "unable to open" in text:
        return StoreError(
            f"cannot write the store {location.shown} ({text})",
            hint="Check the file's and its folder's permissions.",
        )
    return StoreError(f"the store {location.shown} failed: {text}", hint=None)

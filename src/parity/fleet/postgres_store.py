"""The team store: a PostgreSQL database, through psycopg 3.

psycopg is the optional extra ``parity[postgres]``; it is imported only when a
``postgresql://`` store is used.  Each push is one transaction; concurrent
pushes need no lock between them (content rows are inserted with ``ON
CONFLICT DO NOTHING``), and a prune takes an advisory lock that pushes share.
Error messages never carry the URL's password.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from parity.fleet.errors import StoreError
from parity.fleet.location import StoreLocation, scrub
from parity.fleet.migrations import SCHEMA_TABLE_POSTGRES
from parity.fleet.sql import SQLStore

CONNECT_TIMEOUT_S = 10
# Advisory lock keys (any constants unique to parity): schema migration, push/prune.
_SCHEMA_LOCK = 0x70617269_7479_0001 & 0x7FFFFFFFFFFFFFFF
_WRITE_LOCK = 0x70617269_7479_0002 & 0x7FFFFFFFFFFFFFFF


class PostgresStore(SQLStore):
    dialect = "postgres"

    def __init__(self, location: StoreLocation, connection: Any) -> None:
        self.location = location
        self._db = connection
        self._psycopg = _driver()

    @classmethod
    def open(cls, location: StoreLocation, *, create: bool) -> PostgresStore:
        psycopg = _driver()
        options: dict[str, Any] = {"application_name": "parity"}
        try:
            given = psycopg.conninfo.conninfo_to_dict(location.target)
        except psycopg.Error as exc:
            raise StoreError(
                f"not a valid PostgreSQL URL: {location.shown} ({_reason(exc, location)})",
                hint="Write postgresql://db.example:5432/fleet (user and password can come "
                "from PGUSER and PGPASSWORD or ~/.pgpass).",
            ) from None
        if "connect_timeout" not in given:
            options["connect_timeout"] = CONNECT_TIMEOUT_S
        try:
            connection = psycopg.connect(location.target, autocommit=True, **options)
        except psycopg.Error as exc:
            raise StoreError(
                f"cannot connect to the PostgreSQL store {location.shown}: {_reason(exc, location)}",
                hint="Check that the server runs and the URL's host, port, database and user "
                "are right.",
            ) from None
        store = cls(location, connection)
        try:
            store.ensure_schema(create=create)
        except BaseException:
            store.close()
            raise
        return store

    @contextmanager
    def _write(self) -> Iterator[None]:
        with self._guard(), self._db.transaction():
            yield

    @contextmanager
    def _read(self) -> Iterator[None]:
        if self._db.info.transaction_status != self._psycopg.pq.TransactionStatus.IDLE:
            yield
            return
        with self._guard(), self._db.transaction():
            # One consistent view for the whole read.
            self._db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except self._psycopg.Error as exc:
            raise StoreError(
                f"the PostgreSQL store {self.location.shown} failed: {_reason(exc, self.location)}",
                hint=None,
            ) from None

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self._db.execute(_pg(sql), params or None).fetchall())

    def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        return int(self._db.execute(_pg(sql), params or None).rowcount)

    def _run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self._db.cursor() as cursor:
            cursor.executemany(_pg(sql), rows)

    def _insert(self, sql: str, params: Sequence[Any]) -> int:
        row = self._db.execute(_pg(sql) + " RETURNING id", params).fetchone()
        return int(row[0])

    def _has_schema_table(self) -> bool:
        row = self._db.execute("SELECT to_regclass('parity_schema')").fetchone()
        return row is not None and row[0] is not None

    def _schema_table_sql(self) -> str:
        return SCHEMA_TABLE_POSTGRES

    def _pack(self, ids: Sequence[int]) -> Any:
        return list(ids)

    def _unpack(self, value: Any) -> Sequence[int]:
        return value  # type: ignore[no-any-return]

    def _any(self, column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
        return f"{column} = ANY(?)", [list(values)]

    def _sets_holding(self, dist_ids: Sequence[int]) -> list[tuple[int, Any]]:
        return [
            (int(i), m)
            for i, m in self._rows(
                "SELECT id, members FROM parity_dist_sets WHERE members && ?::bigint[]",
                [list(dist_ids)],
            )
        ]

    def _delete_unused_dists(self) -> int:
        return self._run(
            "DELETE FROM parity_dists WHERE id NOT IN "
            "(SELECT DISTINCT unnest(members) FROM parity_dist_sets)"
        )

    def _lock_schema(self) -> None:
        self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))

    def _lock_shared(self) -> None:
        self._db.execute("SELECT pg_advisory_xact_lock_shared(%s)", (_WRITE_LOCK,))

    def _lock_exclusive(self) -> None:
        self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITE_LOCK,))

    def close(self) -> None:
        self._db.close()


def _driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "a PostgreSQL store needs the psycopg driver, which is not installed",
            hint="Install parity with its postgres extra: pip install 'parity[postgres]' "
            "(or uv tool install 'parity[postgres]').",
        ) from None
    return psycopg


def _pg(sql: str) -> str:
    return sql.replace("?", "%s")


def _reason(exc: BaseException, location: StoreLocation) -> str:
    """The driver's reason, short: its first line, after the last "failed:", no secrets."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "failed: " in text:
        text = text.rsplit("failed: ", 1)[1]
    return scrub(text, location)

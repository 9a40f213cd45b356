"""The store suite: every test runs on SQLite and on PostgreSQL (``store_url``)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from fixtures.fleet import make_snapshot
from parity.fleet.errors import StoreError
from parity.fleet.model import Origin
from parity.fleet.service import push
from parity.fleet.store import open_store

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)


def _open(url: str, tmp_path: Path, *, create: bool = False):  # type: ignore[no-untyped-def]
    return open_store(url, environ={}, cwd=tmp_path, create=create)


def _push(url: str, tmp_path: Path, *items, now: dt.datetime = NOW):  # type: ignore[no-untyped-def]
    return push(list(items), store=url, environ={}, cwd=tmp_path, now=now)


def test_a_pushed_snapshot_comes_back_whole(store_url: str, tmp_path: Path) -> None:
    snapshot = make_snapshot(
        "dev-a",
        native=[("blas", "openblas", "0.3.23")],
        requested=["numpy"],
        env_vars={"OMP_NUM_THREADS": "4"},
        index={"index-url": ["https://index.example/simple"]},
    )
    outcome = _push(
        store_url,
        tmp_path,
        (
            snapshot,
            Origin("laptop-a", "dev", host="ana", git_commit="a" * 40, lock_digest="sha256:ab"),
        ),
    )
    assert [p.label for p in outcome.pushed] == ["laptop-a"]
    with _open(store_url, tmp_path) as store:
        (record,) = store.latest()
        assert (record.label, record.role, record.host) == ("laptop-a", "dev", "ana")
        assert (record.git_commit, record.lock_digest) == ("a" * 40, "sha256:ab")
        assert record.taken_at == record.seen_at == "2026-11-01T10:00:00.000000Z"
        assert record.pushed_at == "2026-12-01T12:00:00.000000Z"
        assert record.python == "3.11.7"
        back = store.states([record.state])[record.state]
    assert back.distributions == snapshot.distributions
    assert back.native == snapshot.native
    assert (back.python, back.platform, back.kind) == (snapshot.python, snapshot.platform, "venv")
    assert back.env_vars == snapshot.env_vars
    assert back.index == snapshot.index


def test_identical_sets_are_stored_once(store_url: str, tmp_path: Path) -> None:
    base = make_snapshot("x", dists={f"pkg-{i}": "1.0" for i in range(50)})
    first = _push(store_url, tmp_path, (base, Origin("a", "dev")))
    second = _push(
        store_url,
        tmp_path,
        (replace(base, taken_at="2026-11-02T10:00:00Z"), Origin("b", "ci")),
        (replace(base, taken_at="2026-11-03T10:00:00Z"), Origin("a", "dev")),
    )
    assert first.pushed[0].new_set
    assert [p.new_set for p in second.pushed] == [False, False]
    one_changed = replace(
        base,
        distributions=(*base.distributions[:-1], replace(base.distributions[-1], version="2.0")),
    )
    third = _push(store_url, tmp_path, (one_changed, Origin("c", "prod")))
    assert third.pushed[0].new_set
    with _open(store_url, tmp_path) as store:
        stats = store.stats()
    assert (stats.records, stats.labels, stats.dist_sets, stats.contexts) == (4, 3, 2, 1)
    assert stats.dists == 51  # 50 shared rows, and the one changed version


def test_latest_is_the_snapshot_seen_last_not_pushed_last(store_url: str, tmp_path: Path) -> None:
    new = make_snapshot("x", dists={"numpy": "2.0.0"}, taken_at="2026-11-10T00:00:00Z")
    old = make_snapshot("x", dists={"numpy": "1.26.4"}, taken_at="2026-11-01T00:00:00Z")
    _push(store_url, tmp_path, (new, Origin("ci/linux-py3.11", "ci")))
    _push(store_url, tmp_path, (old, Origin("ci/linux-py3.11", "ci")))  # a late artifact
    with _open(store_url, tmp_path) as store:
        (latest,) = store.latest()
        snapshot = store.states([latest.state])[latest.state]
        history = store.records(label="ci/linux-py3.11")
    assert snapshot.distribution("numpy").version == "2.0.0"  # type: ignore[union-attr]
    assert [r.seen_at[:10] for r in history] == ["2026-11-01", "2026-11-10"]


def test_latest_filters_by_role(store_url: str, tmp_path: Path) -> None:
    _push(
        store_url,
        tmp_path,
        (make_snapshot(), Origin("a", "dev")),
        (make_snapshot(), Origin("b", "ci")),
        (make_snapshot(), Origin("c", "prod")),
    )
    with _open(store_url, tmp_path) as store:
        assert [r.label for r in store.latest()] == ["a", "b", "c"]
        assert [r.label for r in store.latest(roles=frozenset({"ci", "prod"}))] == ["b", "c"]


def test_distributions_by_name_and_the_sets_holding_them(store_url: str, tmp_path: Path) -> None:
    _push(
        store_url,
        tmp_path,
        (make_snapshot(dists={"numpy": "1.26.4"}), Origin("a", "dev")),
        (make_snapshot(dists={"numpy": "2.0.0", "scipy": "1.13.0"}), Origin("b", "dev")),
    )
    with _open(store_url, tmp_path) as store:
        named = dict((d.version, id_) for id_, d in store.dists_named("numpy"))
        assert set(named) == {"1.26.4", "2.0.0"}
        holding = store.sets_with([named["2.0.0"]])
        (b,) = [r for r in store.latest() if r.label == "b"]
        assert holding == {b.dist_set: named["2.0.0"]}


def test_prune_removes_old_records_and_unused_content(store_url: str, tmp_path: Path) -> None:
    old = make_snapshot(dists={"numpy": "1.0"}, taken_at="2026-01-01T00:00:00Z")
    recent = make_snapshot(dists={"numpy": "2.0"}, taken_at="2026-11-30T00:00:00Z")
    _push(
        store_url,
        tmp_path,
        (old, Origin("a", "dev")),
        (old, Origin("b", "dev")),
        (recent, Origin("a", "dev")),
    )
    with _open(store_url, tmp_path) as store:
        dry = store.prune(before="2026-06-01T00:00:00.000000Z", keep_latest=False, dry_run=True)
        assert (dry.records, dry.dist_sets, dry.dists, dry.remaining) == (2, 1, 1, 1)
        assert store.stats().records == 3  # a dry run changes nothing
        kept = store.prune(before="2026-06-01T00:00:00.000000Z", keep_latest=True, dry_run=False)
        assert (kept.records, kept.remaining) == (1, 2)  # b's only snapshot is its latest
        done = store.prune(before="2026-06-01T00:00:00.000000Z", keep_latest=False, dry_run=False)
        assert (done.records, done.dist_sets, done.dists, done.remaining) == (1, 1, 1, 1)
        stats = store.stats()
    assert (stats.records, stats.dist_sets, stats.dists, stats.contexts) == (1, 1, 1, 1)


def test_a_failing_push_stores_nothing(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _push(store_url, tmp_path, (make_snapshot(), Origin("a", "dev")))
    from parity.fleet import sql

    original = sql.SQLStore._push_one
    calls = []

    def fail_on_second(self, snapshot, origin, now):  # type: ignore[no-untyped-def]
        calls.append(origin.label)
        if len(calls) == 2:
            raise StoreError("simulated failure half-way")
        return original(self, snapshot, origin, now)

    monkeypatch.setattr(sql.SQLStore, "_push_one", fail_on_second)
    with pytest.raises(StoreError, match="half-way"):
        _push(
            store_url,
            tmp_path,
            (make_snapshot(dists={"new": "1.0"}), Origin("b", "dev")),
            (make_snapshot(dists={"other": "1.0"}), Origin("c", "dev")),
        )
    monkeypatch.undo()
    with _open(store_url, tmp_path) as store:
        stats = store.stats()
        assert [r.label for r in store.latest()] == ["a"]
    assert (stats.records, stats.dist_sets, stats.dists) == (1, 1, 3)


def test_concurrent_pushes_from_many_processes_all_land(store_url: str, tmp_path: Path) -> None:
    from parity.env.snapshot_json import write_snapshot

    _push(store_url, tmp_path, (make_snapshot(), Origin("seed", "ci")))  # the schema exists
    files = []
    for i in range(8):
        path = tmp_path / f"s{i}.json"
        write_snapshot(
            make_snapshot(f"job-{i}", dists={"numpy": "1.26.4", f"only-{i % 3}": "1.0"}), path
        )
        files.append(path)
    env = {**os.environ, "PARITY_STORE": store_url}
    code = "import sys; from parity.cli.main import main; main(sys.argv[1:])"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code, "fleet", "push", str(f), "--role", "ci"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, results
    with _open(store_url, tmp_path) as store:
        stats = store.stats()
        labels = {r.label for r in store.latest()}
    assert stats.records == 9
    assert labels == {"seed", *(f"job-{i}" for i in range(8))}
    assert stats.dist_sets == 4  # the seed's set and three distinct job sets, each once


def test_a_store_from_a_newer_parity_is_refused(store_url: str, tmp_path: Path) -> None:
    _push(store_url, tmp_path, (make_snapshot(), Origin("a", "dev")))
    with _open(store_url, tmp_path) as store, store._write():  # type: ignore[attr-defined]
        store._run(  # type: ignore[attr-defined]
            "INSERT INTO parity_schema (version, name, applied_at, parity_version) "
            "VALUES (99, 'future', '2030-01-01', '9.0')"
        )
    with pytest.raises(StoreError, match="schema version 99") as info:
        _open(store_url, tmp_path, create=True)
    assert "upgrade parity" in (info.value.hint or "")


def test_missing_migrations_are_applied_in_order(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _push(store_url, tmp_path, (make_snapshot(), Origin("a", "dev")))
    from parity.fleet import migrations, sql

    extra = migrations.Migration(
        2,
        "a test column",
        ("ALTER TABLE parity_records ADD COLUMN note TEXT",),
        ("ALTER TABLE parity_records ADD COLUMN note TEXT",),
    )
    monkeypatch.setattr(sql.SQLStore, "migrations", (*migrations.MIGRATIONS, extra))
    with _open(store_url, tmp_path) as store:
        assert store.schema_version() == 2  # type: ignore[attr-defined]
        assert [r.label for r in store.latest()] == ["a"]  # the data is still there
        with store._read():  # type: ignore[attr-defined]
            rows = store._rows("SELECT version, name FROM parity_schema ORDER BY version")  # type: ignore[attr-defined]
    assert [tuple(r) for r in rows] == [
        (1, "records, content-addressed distribution sets and contexts"),
        (2, "a test column"),
    ]


def test_reading_a_store_that_does_not_exist_creates_nothing(
    store_url: str, tmp_path: Path
) -> None:
    with pytest.raises(StoreError, match=r"no (parity )?fleet store") as info:
        _open(store_url, tmp_path)
    assert "push a snapshot first" in (info.value.hint or "").lower()
    if "://" not in store_url:
        assert not Path(store_url).exists()
        assert not Path(store_url).parent.exists()

"""Time the fleet store at 10,000 snapshots, on SQLite and on PostgreSQL.

Usage:  python bench/fleet_bench.py [--snapshots 10000] [--repeat 7] [--stores sqlite,postgres]

The store is filled with ``fleet_data.snapshots()`` (a synthetic team of 228
machines, about 337 distributions each, four months of pushes), then each
command is run as a user runs it, a whole process from the shell, ``--repeat``
times (median):

- push: one snapshot file whose distribution set is already stored (a CI job
  pushing the environment it pushed yesterday), and one with a new set;
- status: the drift matrix of every machine's latest snapshot (JSON, and the
  terminal table);
- query: ``numpy<2`` (a package), ``python<3.10``; history of one machine.

It also prints the same work timed inside one process (library only), the
start-up of ``python -c pass`` and ``parity --version`` for scale, and the
bytes the store takes per snapshot.  Goals (issue: fleet): status < 1 s at
10,000 snapshots on both stores, push < 50 ms.

PostgreSQL: ``--postgres-url URL`` uses a server you run (the bench creates
and drops its own schema); otherwise a throw-away server is started the way
the tests do it (initdb + pg_ctl, a Unix socket, as the postgres user when
root).  Bytecode caching stays on (PYTHONDONTWRITEBYTECODE is removed).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))

import fleet_data  # noqa: E402

from parity.env.snapshot_json import write_snapshot  # noqa: E402
from parity.env.snapshot_model import Distribution  # noqa: E402
from parity.fleet import service  # noqa: E402
from parity.fleet.store import open_store  # noqa: E402

PARITY = str(Path(sys.executable).with_name("parity"))


def median_ms(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def shell_ms(
    fleet_args: Callable[[], list[str]],
    cwd: Path,
    env: dict[str, str],
    repeat: int,
    ok: Sequence[int] = (0, 1),
    program: Sequence[str] = (PARITY, "fleet"),
) -> str:
    """Median wall time of a whole command, and the median CPU time (user + system) it
    used: on a busy machine the CPU time moves much less than the wall time."""
    import resource

    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        shell([*program, *fleet_args()], cwd, env, ok)
        walls.append((time.perf_counter() - start) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
    return f"{statistics.median(walls):8.0f} ms  (CPU {statistics.median(cpus):5.0f} ms)"


def shell(args: Sequence[str], cwd: Path, env: dict[str, str], ok: Sequence[int] = (0, 1)) -> None:
    proc = subprocess.run(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {proc.stderr.decode()}")


def fill(url: str, cwd: Path, count: int, batch: int = 200) -> tuple[float, int]:
    """Push ``count`` synthetic snapshots in batches; (seconds, machines)."""
    items = list(fleet_data.snapshots(count))
    start = time.perf_counter()
    for i in range(0, len(items), batch):
        service.push(items[i : i + batch], store=url, environ={}, cwd=cwd)
    return time.perf_counter() - start, len({o.label for _, o in items})


def store_bytes(url: str, cwd: Path) -> int:
    if url.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(url) as conn:
            row = conn.execute(
                "SELECT SUM(pg_total_relation_size(c.oid)) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'r' AND c.relname LIKE 'parity_%' "
                "AND n.nspname = current_schema()"
            ).fetchone()
        return int(row[0]) if row and row[0] else 0
    import sqlite3

    path = cwd / url
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path.stat().st_size


def bench_store(
    name: str, url: str, cwd: Path, count: int, repeat: int
) -> list[tuple[str, float | str]]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PARITY_STORE"] = url
    seconds, machines = fill(url, cwd, count)
    with open_store(url, environ={}, cwd=cwd) as store:
        stats = store.stats()
    rows: list[tuple[str, float | str]] = [
        (
            f"{name}: fill (library, batches of 200)",
            f"{seconds:.1f} s for {stats.records} snapshots",
        ),
        (
            f"{name}: content",
            f"{machines} machines, {stats.dist_sets} distinct sets, "
            f"{stats.dists} distinct distributions",
        ),
    ]
    sample, _ = next(fleet_data.snapshots(1, seed=99))
    known = cwd / "known.json"
    write_snapshot(sample, known)
    shell([PARITY, "fleet", "push", str(known), "--label", "bench-known"], cwd, env)
    fresh_files = []
    for i in range(repeat):
        changed = replace(
            sample,
            distributions=(*sample.distributions, Distribution(f"bench-extra-{name}-{i}", "1.0")),
        )
        path = cwd / f"fresh-{i}.json"
        write_snapshot(changed, path)
        fresh_files.append(path)
    queue = list(fresh_files)
    with open_store(url, environ={}, cwd=cwd) as store:
        counts = Counter(r.label for r in store.records())
    busiest = max(
        sorted(counts), key=lambda label: counts[label] if label.startswith("laptop") else 0
    )
    commands: list[tuple[str, Callable[[], list[str]], Sequence[int]]] = [
        ("push, set already stored", lambda: ["push", str(known), "--label", "bench-known"], (0,)),
        ("push, new set", lambda: ["push", str(queue.pop()), "--label", "bench-new"], (0,)),
        ("status --json", lambda: ["status", "--json"], (0, 1)),
        ("status (table)", lambda: ["status"], (0, 1)),
        ("query 'numpy<2'", lambda: ["query", "numpy<2"], (0, 1)),
        ("query 'python<3.10'", lambda: ["query", "python<3.10"], (0, 1)),
        (f"history {busiest}", lambda: ["history", busiest], (0,)),
    ]
    for label, args, ok in commands:
        rows.append((f"{name}: {label}", shell_ms(args, cwd, env, repeat, ok)))
    here = {"PARITY_STORE": url}
    rows.append(
        (
            f"{name}: status (library only)",
            median_ms(lambda: service.fleet_status(store=url, environ=here, cwd=cwd), repeat),
        )
    )
    rows.append(
        (
            f"{name}: query numpy<2 (library only)",
            median_ms(
                lambda: service.fleet_query("numpy<2", store=url, environ=here, cwd=cwd), repeat
            ),
        )
    )
    with open_store(url, environ={}, cwd=cwd) as store:
        records = store.stats().records
    size = store_bytes(url, cwd)
    rows.append(
        (f"{name}: store size", f"{size / 1e6:.1f} MB, {size / records:,.0f} bytes per snapshot")
    )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--snapshots", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--stores", default="sqlite,postgres")
    parser.add_argument("--postgres-url")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    work = Path(tempfile.mkdtemp(prefix="parity-fleet-bench-"))
    rows: list[tuple[str, float | str]] = [
        (
            "python -c pass",
            shell_ms(lambda: ["-c", "pass"], work, env, args.repeat, program=(sys.executable,)),
        ),
        (
            "parity --version",
            shell_ms(lambda: ["--version"], work, env, args.repeat, program=(PARITY,)),
        ),
    ]
    server = None
    try:
        if "sqlite" in args.stores:
            folder = work / "sqlite"
            folder.mkdir()
            rows += bench_store("sqlite", "fleet.db", folder, args.snapshots, args.repeat)
        if "postgres" in args.stores:
            from fixtures.postgres import drop_schema, new_schema, start_server, with_schema

            base = args.postgres_url
            if base is None:
                server = start_server()
                base = server.url
            schema = new_schema(base)
            folder = work / "postgres"
            folder.mkdir()
            try:
                rows += bench_store(
                    "postgres", with_schema(base, schema), folder, args.snapshots, args.repeat
                )
            finally:
                drop_schema(base, schema)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    width = max(len(r[0]) for r in rows)
    print(
        f"fleet bench: {args.snapshots} snapshots, median of {args.repeat}, whole commands unless said"
    )
    for label, value in rows:
        shown = f"{value:8.0f} ms" if isinstance(value, float) else value
        print(f"  {label:<{width}}  {shown}")


if __name__ == "__main__":
    main()

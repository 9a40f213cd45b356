"""Each fleet command's work, from the store to a result value.

The CLI parses arguments and renders; these functions open the store, read
or write it in one transaction, and hand the records to the pure functions
of ``drift``, ``query``, ``history`` and ``retention``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parity.env.snapshot_model import Snapshot
from parity.errors import UsageError
from parity.fleet.model import PRUNE_SCHEMA, PUSH_SCHEMA, Member, Origin, Pushed
from parity.fleet.origin import check_label, check_role, ci_commit, default_role
from parity.fleet.redaction import redact_label, redact_snapshot
from parity.fleet.store import FleetStore, PruneCounts, open_store
from parity.frozen import dataclass, replace

if TYPE_CHECKING:
    from parity.fleet.history import History
    from parity.fleet.query import QueryResult
    from parity.fleet.status import FleetStatus


@dataclass(frozen=True)
class PushOutcome:
    """What a push recorded: one :class:`~parity.fleet.model.Pushed` per snapshot."""

    store: str
    pushed: tuple[Pushed, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": PUSH_SCHEMA,
            "store": self.store,
            "pushed": [p.to_json() for p in self.pushed],
        }


@dataclass(frozen=True)
class PruneOutcome:
    """What a prune removed (or, with ``dry_run``, would remove) and what remains."""

    store: str
    before: str
    counts: PruneCounts
    dry_run: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": PRUNE_SCHEMA,
            "store": self.store,
            "before": self.before,
            "dry_run": self.dry_run,
            "removed": {
                "records": self.counts.records,
                "dist_sets": self.counts.dist_sets,
                "dists": self.counts.dists,
                "contexts": self.counts.contexts,
            },
            "remaining": self.counts.remaining,
        }


@contextmanager
def opened(
    url: str | None, environ: Mapping[str, str], cwd: Path, *, create: bool = False
) -> Iterator[FleetStore]:
    store = open_store(url, environ=environ, cwd=cwd, create=create)
    try:
        yield store
    finally:
        store.close()


def now_text(now: dt.datetime | None = None) -> str:
    from parity.fleet.sql import format_time

    return format_time(now or dt.datetime.now(dt.timezone.utc))


# ----------------------------------------------------------------- push


def push(
    items: Sequence[tuple[Snapshot, Origin]],
    *,
    store: str | None,
    environ: Mapping[str, str],
    cwd: Path,
    now: dt.datetime | None = None,
) -> PushOutcome:
    """Redact and store every snapshot, all in one transaction."""
    cleaned = [
        (redact_snapshot(snapshot), replace(origin, label=redact_label(origin.label)))
        for snapshot, origin in items
    ]
    with opened(store, environ, cwd, create=True) as opened_store:
        pushed = opened_store.push(cleaned, now=now_text(now))
        return PushOutcome(opened_store.location.shown, tuple(pushed))


def push_files(
    paths: Sequence[Path],
    *,
    store: str | None = None,
    environ: Mapping[str, str],
    cwd: Path,
    label: str | None = None,
    role: str | None = None,
    host: str | None = None,
    commit: str | None = None,
    lock_digest: str | None = None,
    now: dt.datetime | None = None,
) -> PushOutcome:
    """Push snapshot files made elsewhere (CI artifacts): all of them, or none when one is bad.

    Each file's machine label is its snapshot's label unless ``label`` is given
    (one file only).  The host is not guessed (the file was made elsewhere);
    the commit comes from the CI variables or ``commit``.
    """
    from parity.env.snapshot_json import read_snapshot

    if not paths:
        raise UsageError("no snapshot file given", hint="parity fleet push snapshot.json ...")
    if label is not None and len(paths) > 1:
        raise UsageError(
            "--label names one machine: give one file with it",
            hint="Without --label each file's own label (parity snapshot --label) is used.",
        )
    chosen_role = check_role(role) if role else default_role(environ)
    snapshots = [read_snapshot(p if p.is_absolute() else cwd / p, source=str(p)) for p in paths]
    # Only what the CI system says: the files may come from another checkout.
    sha = commit or ci_commit(environ)
    items = [
        (
            snapshot,
            Origin(
                label=check_label(label or snapshot.label),
                role=chosen_role,
                host=host,
                git_commit=sha,
                lock_digest=lock_digest,
            ),
        )
        for snapshot in snapshots
    ]
    return push(items, store=store, environ=environ, cwd=cwd, now=now)


# ----------------------------------------------------------------- reading


def load_members(store: FleetStore, *, roles: frozenset[str]) -> list[Member]:
    records = store.latest(roles=roles)
    states = store.states([r.state for r in records])
    return [
        Member(r, replace(states[r.state], label=r.label, taken_at=r.taken_at)) for r in records
    ]


def fleet_status(
    *,
    store: str | None,
    environ: Mapping[str, str],
    cwd: Path,
    roles: frozenset[str] = frozenset(),
    against: str | None = None,
    groups: frozenset[str] = frozenset(),
    direct: frozenset[str] = frozenset(),
    rule_files: Sequence[Path] = (),
    today: dt.date | None = None,
) -> FleetStatus:
    """The drift matrix of the latest snapshot of every machine (see ``drift``)."""
    from parity.diagnose.risk import load_rules
    from parity.fleet.drift import fleet_status as compute

    rules = load_rules(rule_files)
    reference: Any = None
    digest = None
    label = None
    if against is not None:
        from parity.diagnose.sides import read_side

        reference = read_side(against, cwd=cwd, groups=groups)
        label = reference.label
        path = Path(against) if Path(against).is_absolute() else cwd / against
        if path.is_file():
            from parity.env.sync import lockfile_digest

            digest = lockfile_digest(path)
    with opened(store, environ, cwd) as opened_store:
        members = load_members(opened_store, roles=roles)
        shown = opened_store.location.shown
    if not members:
        raise UsageError(
            f"no snapshots in {shown}" + (f" for role {', '.join(sorted(roles))}" if roles else ""),
            hint="Push some first: `parity snapshot --push` or `parity fleet push FILE`.",
        )
    return compute(
        members,
        reference=reference,
        reference_label=label,
        reference_digest=digest,
        direct=direct,
        rules=rules,
        today=today,
        store=shown,
    )


def fleet_query(
    text: str,
    *,
    store: str | None,
    environ: Mapping[str, str],
    cwd: Path,
    roles: frozenset[str] = frozenset(),
) -> QueryResult:
    """Which machines have what ``text`` asks for, and since when (see ``query``)."""
    from parity.fleet import query as q

    question = q.parse_question(text)
    notes: list[str] = []
    matching: dict[int, str] = {}
    holding: dict[int, int] = {}
    with opened(store, environ, cwd) as opened_store:
        records = opened_store.observations(roles=roles)
        contexts = opened_store.contexts()
        shown = opened_store.location.shown
        if question.kind == q.DISTRIBUTION:
            named = opened_store.dists_named(question.name)
            if not named and any(
                question.name in (lib.name.lower(), lib.kind.lower())
                for c in contexts.values()
                for lib in c.native
            ):
                question = q.as_native(question)
                notes.append(
                    f"{question.name} is read as a native library "
                    "(no machine has a package of that name)"
                )
            else:
                matching = {
                    id_: d.version or d.source or ""
                    for id_, d in named
                    if q.version_matches(question.specifier, d.version)
                    or (question.url is not None and d.source == question.url)
                }
                holding = opened_store.sets_with(sorted(matching))
    if question.kind == q.PYTHON:
        value_of = lambda r: q.python_value(question, contexts[r.context])  # noqa: E731
    elif question.kind == q.NATIVE:
        value_of = lambda r: q.native_value(question, contexts[r.context])  # noqa: E731
    else:

        def value_of(record: Any) -> str | None:
            dist_id = holding.get(record.dist_set)
            if dist_id is None or not q.marker_matches(question, contexts[record.context]):
                return None
            return matching[dist_id]

    return q.answer(question, records, value_of, store=shown, notes=notes)


def fleet_history(
    label: str,
    *,
    store: str | None,
    environ: Mapping[str, str],
    cwd: Path,
    limit: int = 0,
    today: dt.date | None = None,
) -> History:
    from parity.fleet.history import machine_history

    with opened(store, environ, cwd) as opened_store:
        records = opened_store.records(label=label)
        shown = opened_store.location.shown
        if not records:
            labels = sorted({r.label for r in opened_store.latest()})
            close = [x for x in labels if label.lower() in x.lower()][:5]
            raise UsageError(
                f"no machine labelled {label!r} in {shown}",
                hint=("Did you mean " + ", ".join(close) + "?")
                if close
                else "`parity fleet status` lists the machines.",
            )
        states = opened_store.states(sorted({r.state for r in records}))
    result = machine_history(label, records, states, today=today, store=shown)
    if limit:
        result = replace(result, periods=result.periods[:limit])
    return result


def fleet_prune(
    older_than: str,
    *,
    store: str | None,
    environ: Mapping[str, str],
    cwd: Path,
    keep_latest: bool = False,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> PruneOutcome:
    from parity.fleet.retention import cutoff, parse_age

    age = parse_age(older_than)
    moment = cutoff(now or dt.datetime.now(dt.timezone.utc), age)
    before = now_text(moment)
    with opened(store, environ, cwd) as opened_store:
        counts = opened_store.prune(before=before, keep_latest=keep_latest, dry_run=dry_run)
        return PruneOutcome(opened_store.location.shown, before, counts, dry_run)

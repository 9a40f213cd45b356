"""The canonical, content-addressed form of a snapshot.

A snapshot is stored in three parts:

- its distributions, each stored once (digest of its canonical row), grouped
  into a *set* stored once per distinct content (digest of its members);
- its *context*: kind, Python, platform, native libraries, variables and
  index settings, one JSON document stored once per distinct content;
- the record: label, role, times, commit, lock digest (``model.Record``).

So a CI job that pushes the same environment every day adds one small record
a day.  Digests are SHA-256 over canonical JSON: the same content always
gets the same digest, on every machine and in every store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from parity.env.snapshot_json import snapshot_from_json, snapshot_to_json
from parity.env.snapshot_model import SNAPSHOT_SCHEMA, Distribution, Snapshot
from parity.frozen import dataclass, replace

# Fields of a snapshot's JSON that belong to the record or the set, not the context.
_NOT_CONTEXT = ("schema", "label", "taken_at", "distributions")


@dataclass(frozen=True)
class DistRow:
    """A distribution as a row: every field of :class:`Distribution`, and its digest."""

    digest: str
    name: str
    version: str | None
    installer: str | None
    source: str | None
    editable: bool
    requested: bool | None

    def distribution(self) -> Distribution:
        return Distribution(
            name=self.name,
            version=self.version,
            installer=self.installer,
            source=self.source,
            editable=self.editable,
            requested=self.requested,
        )


@dataclass(frozen=True)
class Content:
    """A snapshot split for storage."""

    dists: tuple[DistRow, ...]
    set_digest: str
    context_body: str
    context_digest: str


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def dist_row(d: Distribution) -> DistRow:
    fields = [d.name, d.version, d.installer, d.source, d.editable, d.requested]
    digest = _sha256(json.dumps(fields, separators=(",", ":"), ensure_ascii=False))
    return DistRow(digest, d.name, d.version, d.installer, d.source, d.editable, d.requested)


def set_digest(dist_digests: Iterable[str]) -> str:
    return _sha256("\n".join(sorted(set(dist_digests))))


def context_body(snapshot: Snapshot) -> str:
    data = snapshot_to_json(replace(snapshot, distributions=()))
    for key in _NOT_CONTEXT:
        data.pop(key, None)
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def split(snapshot: Snapshot) -> Content:
    """The parts of ``snapshot`` a store keeps, with their digests."""
    rows: dict[str, DistRow] = {}
    for d in snapshot.distributions:
        row = dist_row(d)
        rows[row.digest] = row
    body = context_body(snapshot)
    return Content(
        # In the snapshot's order (by name): stored so, a set reads back without a sort.
        dists=tuple(sorted(rows.values(), key=lambda r: (r.name, r.version or ""))),
        set_digest=set_digest(rows),
        context_body=body,
        context_digest=_sha256(body),
    )


def parse_context(body: str, *, source: str) -> Snapshot:
    """A context document back as a Snapshot without distributions (label and time unset)."""
    data: Any = json.loads(body)
    if isinstance(data, dict):
        data = {
            **data,
            "schema": SNAPSHOT_SCHEMA,
            "label": "",
            "taken_at": None,
            "distributions": [],
        }
    return snapshot_from_json(data, source=source)


def rebuild(
    context: Snapshot,
    dists: Iterable[Distribution],
    *,
    label: str,
    taken_at: str | None,
    ordered: bool = False,
) -> Snapshot:
    """The stored snapshot, whole again (``ordered``: ``dists`` are by name already)."""
    found = tuple(dists)
    if not ordered:
        found = tuple(sorted(found, key=lambda d: (d.name, d.version or "")))
    return replace(context, label=label, taken_at=taken_at, distributions=found)

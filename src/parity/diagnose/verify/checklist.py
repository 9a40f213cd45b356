"""The checklist's items, their statuses and the report that holds them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from parity.diagnose.findings import Finding
from parity.frozen import dataclass

VERIFY_SCHEMA = "parity/verify@1"
PASS, FAIL, SKIP = "pass", "fail", "skip"

# The course's checklist, in its order: id -> title.
TITLES = {
    "create": "The environment can be created and activated",
    "lockfile": "A lockfile with exact versions exists",
    "committed": "The lockfile is committed and unmodified",
    "fresh": "The lock matches its inputs",
    "rebuild": "The environment rebuilds from scratch and equals the lock",
    "usable": "The rebuilt environment is consistent and imports its direct dependencies",
    "ci": "CI installs from the same lock",
}

MAX_EVIDENCE = 8


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    status: str
    evidence: tuple[str, ...]
    fix: str | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "evidence": list(self.evidence),
            "fix": self.fix,
        }


def item(id: str, status: str, evidence: Iterable[str], fix: str | None = None) -> Item:
    return Item(id, TITLES[id], status, tuple(evidence), fix if status == FAIL else None)


def not_run(id: str, reason: str) -> Item:
    return item(id, SKIP, (f"not run: {reason}",))


@dataclass(frozen=True)
class VerifyReport:
    group: str
    lockfile: str
    items: tuple[Item, ...]

    @property
    def ok(self) -> bool:
        return all(i.status != FAIL for i in self.items)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """One finding per failed item (``verify-<id>``), in the checklist's order."""
        return tuple(
            Finding(
                code=f"verify-{i.id}",
                severity="high",
                message=f"{i.title}: {i.evidence[0]}" if i.evidence else i.title,
                fix=i.fix,
                subject=i.id,
            )
            for i in self.items
            if i.status == FAIL
        )

    def to_json(self) -> dict[str, object]:
        return {
            "schema": VERIFY_SCHEMA,
            "ok": self.ok,
            "group": self.group,
            "lockfile": self.lockfile,
            "items": [i.to_json() for i in self.items],
            "findings": [f.to_json() for f in self.findings],
        }


def count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def some(names: Sequence[str], limit: int = 8) -> str:
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more

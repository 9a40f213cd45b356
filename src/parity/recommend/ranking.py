"""Ties the recommendation together: facts, scores, weights, ranking."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from parity.recommend.facts import (
    Measured,
    NativeNeed,
    ProjectFacts,
    ServiceUse,
    count,
    extras_words,
    join_names,
    other_tool_names,
)
from parity.recommend.matrix import Matrix, course_matrix
from parity.recommend.model import (
    CRITERIA,
    MAX_SCORE,
    STRATEGIES,
    Fact,
    Ranked,
    Recommendation,
    Score,
    Weights,
    evidence_json,
)
from parity.recommend.scoring import human_bytes, score_matrix
from parity.spec.model import ProjectSpec
from parity.spec.pipfile import PIPFILE
from parity.spec.plain import PlainProject
from parity.spec.services import Evidence


def recommend_project(
    spec: ProjectSpec,
    *,
    weights: Sequence[str] = (),
    strategies: Sequence[str] = (),
    measured: Mapping[str, Measured] | None = None,
    measured_note: str | None = None,
    plain: PlainProject | None = None,
) -> Recommendation:
    """Rank the strategies for ``spec``'s project (reads its files; no network).

    ``plain``: ``spec`` was read from files parity does not lock from (a
    hand-written requirements.txt, a Pipfile; spec/plain.py).
    """
    from parity.recommend.gather import gather_facts
    from parity.recommend.weights import (
        check_strategies,
        project_strategies,
        project_weights,
        resolve_weights,
    )

    matrix = course_matrix()
    chosen = check_strategies(strategies) if strategies else project_strategies(spec.root)
    values, sources = project_weights(spec.root)
    resolved = resolve_weights(matrix.weights, values, sources, weights)
    if measured is None:
        measured, measured_note = cached_measurements(spec) if plain is None else ({}, None)
    facts = gather_facts(spec, measured=measured, plain=plain)
    return rank(facts, matrix, resolved, strategies=chosen or STRATEGIES, measured=measured_note)


def cached_measurements(spec: ProjectSpec) -> tuple[dict[str, Measured], str | None]:
    """What ``parity compare`` measured on these very inputs, if it ran (speed and disk)."""
    from parity.compare.cache import latest_for
    from parity.compare.measure import inputs_digest
    from parity.spec.services import Evidence

    result = latest_for(spec.root, inputs_digest(spec))
    if result is None:
        return {}, None
    where = result.cache_file or ".parity/compare"
    out: dict[str, Measured] = {}
    for target in result.targets:
        if not target.measured or target.target != target.strategy:
            continue  # pip-tools' own commands stand beside parity's; parity's count
        lock, env = target.median("lock_warm"), target.median("env_warm")
        disk = target.median("env_bytes")
        out[target.strategy] = Measured(
            strategy=target.strategy,
            seconds=(lock + env) if lock is not None and env is not None else None,
            disk_bytes=int(disk) if disk is not None else None,
            runs=result.runs,
            evidence=Evidence(where, None, f"parity compare, {result.measured_at}"),
        )
    note = (
        f"speed and disk use measured by `parity compare` on {result.measured_at} "
        f"({result.runs} runs; {where})"
    )
    return out, note


def rank(
    facts: ProjectFacts,
    matrix: Matrix,
    weights: Weights,
    *,
    strategies: Sequence[str] = STRATEGIES,
    measured: str | None = None,
) -> Recommendation:
    """The strategies ranked on the project's facts (pure)."""
    scores = score_matrix(facts, matrix)
    rows = [(s, total(scores[s], weights.values)) for s in STRATEGIES if s in strategies]
    # Best total first; a tie goes to the more reproducible, then to the course's order.
    rows.sort(
        key=lambda r: (
            -round(r[1], 6),
            -scores[r[0]]["reproducibility"].value,
            STRATEGIES.index(r[0]),
        )
    )
    ranking = tuple(
        Ranked(s, matrix.labels[s], i, t, {c: scores[s][c] for c in CRITERIA})
        for i, (s, t) in enumerate(rows, start=1)
    )
    return Recommendation(
        project=facts.name,
        format=facts.format,
        ranking=ranking,
        weights=weights,
        facts=describe(facts),
        criteria_labels=dict(matrix.criteria),
        current=facts.current,
        measured=measured,
        convert=tuple(f.path for f in facts.plain.files if not f.included and not f.generated)
        if facts.plain is not None
        else (),
    )


def total(scores: Mapping[str, Score], weights: Mapping[str, float]) -> float:
    """The weighted mean of the scores, as a percentage of the best possible."""
    weight = sum(weights.values())
    if weight <= 0:
        return 0.0
    return 100.0 * sum(weights[c] * scores[c].value for c in CRITERIA) / (MAX_SCORE * weight)


def describe(facts: ProjectFacts) -> tuple[Fact, ...]:
    """What parity found, one line per topic, for people."""
    out: list[Fact] = []
    if facts.plain is not None:
        out.append(plain_fact(facts.plain, facts.locked))
    if facts.native:
        direct = [n for n in facts.native if n.direct]
        locked = [n for n in facts.native if not n.direct]
        parts = [f"{n.package} ({', '.join(n.needs)}){_only_in(n)}" for n in direct]
        parts += [
            f"{n.package} ({', '.join(n.needs)}, locked through another package){_only_in(n)}"
            for n in locked
        ]
        out.append(
            Fact(
                "native",
                "native stacks: " + "; ".join(parts),
                tuple(n.evidence for n in facts.native),
                details={"packages": [native_json(n) for n in facts.native]},
            )
        )
    else:
        out.append(
            Fact(
                "native",
                "native stacks: none (no direct requirements)"
                if not facts.direct and not facts.hashed_lock
                else f"native stacks: none among {count(facts.direct, 'direct requirement')}"
                + (" and the locked packages" if facts.hashed_lock else ""),
            )
        )
    if facts.gpu:
        out.append(
            Fact("gpu", "runs on a GPU: " + "; ".join(e.what for e in facts.gpu[:3]), facts.gpu[:3])
        )
    if facts.services:
        out.append(
            Fact(
                "services",
                "services: "
                + join_names([f"{s.name}{_service_only_in(s)}" for s in facts.services]),
                tuple(e for s in facts.services for e in s.evidence),
                details={"services": [service_json(s) for s in facts.services]},
            )
        )
    else:
        text = "services: none configured (no database, tracking server or cache URL)"
        if facts.unconfigured:
            clients = join_names([e.what for e in facts.unconfigured])
            text = (
                f"services: none configured; {clients} "
                f"{'runs' if len(facts.unconfigured) == 1 else 'run'} without a server "
                "(a local store)"
            )
        out.append(Fact("services", text, facts.unconfigured[:2]))
    if facts.python.pinned_at is not None:
        minors = facts.python.minors
        text = f"Python {facts.python.pinned} pinned"
        if len(minors) > 1:
            text += f"; the project's files build with {', '.join(minors)}"
        out.append(
            Fact("python", text, (facts.python.pinned_at, *(e for _, e in facts.python.pins[:3])))
        )
    else:
        minors = facts.python.minors
        text = "no Python pinned (no .python-version)"
        if minors:
            text += f"; the project's files build with Python {', '.join(minors)}"
        out.append(Fact("python", text, tuple(e for _, e in facts.python.pins[:3])))
    if facts.python.matrix:
        versions = sorted({v for v, _ in facts.python.matrix}, key=_version_key)
        out.append(
            Fact(
                "python-matrix",
                f"CI tests Python {', '.join(versions)}",
                (facts.python.matrix[0][1],),
            )
        )
    if facts.library:
        out.append(Fact("library", "a library published for others", facts.library[:3]))
    elif facts.app:
        out.append(Fact("app", "an application: " + _whats(facts.app), facts.app))
    if facts.in_use:
        names = [s for s in STRATEGIES if s in facts.in_use]
        out.append(
            Fact(
                "in-use",
                "already uses: " + join_names(names),
                tuple(e for s in names for e in facts.in_use[s][:2]),
            )
        )
    if facts.ci:
        uses = join_names(
            [e.what.removeprefix("installs with ") for v in facts.ci_uses.values() for e in v]
        )
        shown = tuple(e for v in facts.ci_uses.values() for e in v) or facts.ci[:2]
        text = "CI: " + (f"installs with {uses}" if uses else "workflows found")
        out.append(Fact("ci", text, shown))
    if facts.editor:
        out.append(Fact("editor", "editor: " + _whats(facts.editor), facts.editor))
    if facts.other_tools:
        out.append(
            Fact(
                "other",
                "other tools: " + join_names(other_tool_names(facts.other_tools)),
                facts.other_tools,
            )
        )
    if facts.measured:
        parts = [
            f"{s} {m.seconds:.1f} s" + (f", {human_bytes(m.disk_bytes)}" if m.disk_bytes else "")
            for s, m in facts.measured.items()
            if m.seconds is not None
        ]
        if parts:
            out.append(Fact("measured", "measured (parity compare): " + "; ".join(parts)))
    return tuple(out)


def _only_in(need: NativeNeed) -> str:
    """``, only in extras gpu and vision``: said of a native stack only optional extras need."""
    if not need.extras:
        return ""
    return f", only in {extras_words(need.extras)}"


def _service_only_in(service: ServiceUse) -> str:
    """`` (only in extra redis)``: said of a service only optional extras use."""
    return f" (only in {extras_words(service.extras)})" if service.extras else ""


def service_json(service: ServiceUse) -> dict[str, Any]:
    """One service in ``--json``: what the text says of it, as fields."""
    return {
        "kind": service.kind,
        "name": service.name,
        "optional": service.optional,
        "extras": list(service.extras),
    }


def native_json(need: NativeNeed) -> dict[str, Any]:
    """One native stack in ``--json``: what the text says of it, as fields."""
    return {
        "package": need.package,
        "needs": list(need.needs),
        "direct": need.direct,
        "optional": need.optional,
        "extras": list(need.extras),
        "evidence": evidence_json(need.evidence),
    }


_DEPENDS = "depends on "


def _whats(evidence: Sequence[Evidence]) -> str:
    """What the evidence says, each thing once: "depends on flask and gunicorn; ..."."""
    items = list(dict.fromkeys(e.what for e in evidence))
    depends = [i.removeprefix(_DEPENDS) for i in items if i.startswith(_DEPENDS)]
    if len(depends) > 1:
        at = next(n for n, i in enumerate(items) if i.startswith(_DEPENDS))
        items = [i for i in items if not i.startswith(_DEPENDS)]
        items.insert(at, _DEPENDS + join_names(depends))
    return "; ".join(items)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def plain_fact(plain: PlainProject, locked: tuple[int, Evidence] | None) -> Fact:
    """What the files parity does not lock from hold, said as it is (not as it will be)."""
    parts: list[str] = []
    for f in plain.files:
        counts = _entries(f.entries, f.unpinned, pipfile=f.path == PIPFILE, includes=f.includes)
        if f.generated:
            parts.append(f"{f.path}, a generated lock ({counts}) with no input file beside it")
        elif f.path == PIPFILE:
            parts.append(f"a Pipfile ({counts})")
        else:
            what = "included with -r" if f.included else "hand-written"
            parts.append(f"{f.path} ({what}; {counts})")
    total = sum(f.entries for f in plain.files)
    if plain.lockfile is not None:
        lock = f"locked by {plain.lockfile}"
        if locked is not None and locked[1].path == plain.lockfile:
            lock += f" ({locked[0]} packages)"
    elif locked is not None:
        lock = f"a lockfile with {locked[0]} packages: {locked[1].path}"
    elif any(f.generated for f in plain.files):
        lock = "no other lockfile"
    else:
        lock = "no lockfile"
    head = "dependencies in " if total else "no dependencies: "
    evidence = tuple(
        Evidence(f.path, f.first, _entries(f.entries, f.unpinned, pipfile=f.path == PIPFILE))
        for f in plain.files
    )
    return Fact("dependencies", f"{head}{'; '.join(parts)}; {lock}", evidence)


def _entries(
    entries: int, unpinned: int, *, pipfile: bool = False, includes: tuple[str, ...] = ()
) -> str:
    noun = "package" if pipfile else "entry"
    plural = "packages" if pipfile else "entries"
    if not entries:
        # A file of -r lines only is a list of layers, not an empty file.
        return "only " + ", ".join(f"-r {i}" for i in includes) if includes else "empty"
    word = noun if entries == 1 else plural
    if not unpinned:
        return f"{entries} {word}, {'all ' if entries > 1 else ''}pinned with =="
    if unpinned == entries:
        return f"{entries} {word}, {'none' if entries > 1 else 'not'} pinned with =="
    return f"{entries} {word}, {unpinned} not pinned with =="

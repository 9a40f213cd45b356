"""Comparing the distributions of two sides: presence, source, pinning, version."""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

from parity.diagnose.diff.model import DECLARED_KINDS, PARTIAL_KINDS, UNPINNED, Difference
from parity.diagnose.diff.scoring import Pair
from parity.diagnose.diff.text import by_name, dist_text, source_kind, source_text
from parity.diagnose.risk import classify_change, compare_versions, is_calendar
from parity.env.snapshot_model import Distribution


def compare_packages(p: Pair) -> list[Difference]:
    map_a, map_b = by_name(p.a.distributions), by_name(p.b.distributions)
    seed = p.rules.seed_packages
    declared = p.a.kind in DECLARED_KINDS or p.b.kind in DECLARED_KINDS
    out: list[Difference] = []
    for name in sorted(set(map_a) | set(map_b)):
        da, db = map_a.get(name), map_b.get(name)
        direct = (name in p.direct) if p.direct else None
        if da is None or db is None:
            partial = p.a.kind in PARTIAL_KINDS if da is None else p.b.kind in PARTIAL_KINDS
            if partial or (declared and name in seed) or is_project_install(da or db):
                continue
            out.append(_presence(p, name, da, db, direct))
            continue
        out += _pair_of(p, name, da, db, direct)
    return out


def is_project_install(d: Distribution | None) -> bool:
    """An editable install: a project's own source tree, which no lock pins and no index serves.

    ``parity sync`` (like ``uv sync`` and ``pip install -e .``) installs the
    project itself this way; on one side only it is the project, not drift.
    The notes say so once.  Installed from anywhere else (an index, an
    archive) it is compared like any package.
    """
    return d is not None and d.editable


def _presence(
    p: Pair, name: str, da: Distribution | None, db: Distribution | None, direct: bool | None
) -> Difference:
    if db is None:
        assert da is not None
        have = dist_text(da)
        need = (
            "the project imports it, so that import fails there (ImportError)"
            if direct
            else "code that imports it fails there (ImportError)"
        )
        return p.make(
            "missing",
            name,
            (have, None),
            base=p.rules.score("missing"),
            direct=direct,
            reason=f"{name} {have} is in {p.a.label} but not in {p.b.label}: {need}",
            fix=f"Add {name} to the requirements (or install it on {p.b.label}), then "
            "`parity lock` and `parity sync`",
        )
    have = dist_text(db)
    return p.make(
        "extra",
        name,
        (None, have),
        base=p.rules.score("extra"),
        direct=direct,
        reason=f"{name} {have} is only in {p.b.label}: it can hide a missing requirement "
        "or change behaviour (plugins, entry points)",
        fix=f"Declare {name} if the code needs it; otherwise `parity sync` removes it from {p.b.label}",
    )


def _pair_of(
    p: Pair, name: str, da: Distribution, db: Distribution, direct: bool | None
) -> list[Difference]:
    out: list[Difference] = []
    ka, kb = source_kind(da), source_kind(db)
    if ka != kb or (ka in ("vcs", "url") and da.source != db.source):
        out.append(
            p.make(
                "source",
                name,
                (source_text(da), source_text(db)),
                base=p.rules.score("source"),
                direct=direct,
                reason=f"{name} comes from {ka} on {p.a.label} and from {kb} on {p.b.label}"
                + (": other commits or archives" if ka == kb else "")
                + ": the code can differ even under the same version number",
                fix=f"Install {name} from one source everywhere (a released version from the "
                "index, or the same commit)",
            )
        )
    unpinned_a, unpinned_b = _is_unpinned(da), _is_unpinned(db)
    if unpinned_a != unpinned_b:
        # A side installed from a URL or path has no version to pin to: its
        # source difference says it all.
        if (db if unpinned_a else da).version is not None:
            out.append(_unpinned(p, name, da, db, direct))
    elif da.version and db.version:
        version = _version_change(p, name, da.version, db.version, direct)
        if version is not None:
            out.append(version)
    return out


def _unpinned(
    p: Pair, name: str, da: Distribution, db: Distribution, direct: bool | None
) -> Difference:
    pinned, loose = (da, p.b) if _is_unpinned(db) else (db, p.a)
    pinned_side = p.a if loose is p.b else p.b
    version = pinned.version or ""
    crossing = p.rules.could_cross(name, version)
    reason = (
        f"{loose.label} does not pin {name} ({pinned_side.label} has {version}): the installer "
        "takes whatever is newest for that Python on the day"
    )
    if crossing:
        reason += "; it may cross " + ", ".join(f"{r.newer} ({r.id})" for r in crossing)
    bonus = 0
    base = p.rules.score("unpinned")
    if crossing:
        worst = max(p.rules.rule_score(r.severity) for r in crossing)
        bonus = max(0, worst - p.rules.adjustment("unpinned_rule_discount") - base)
    return p.make(
        "unpinned",
        name,
        (da.version or UNPINNED, db.version or UNPINNED),
        base=base,
        bonus=bonus,
        direct=direct,
        reason=reason,
        fix=f"Pin {name}=={version} (the version on {pinned_side.label}) with `parity lock` "
        f"and install {loose.label} from the lock",
        sources=[r.source for r in crossing],
    )


def _version_change(p: Pair, name: str, va: str, vb: str, direct: bool | None) -> Difference | None:
    level = classify_change(va, vb)
    if level is None:
        return None
    matched = p.rules.matching(name, va, vb, level)
    order = compare_versions(vb, va)
    move = "downgrade" if order < 0 else "upgrade" if order > 0 else "change"
    if _is_zero_minor(va, vb, level):
        what = "0.x minor change, breaking by semver convention"
    elif is_calendar(va) and is_calendar(vb) and level == "minor":
        what = f"calendar-versioned {move}"
    else:
        what = f"{level} {move}"
    head = f"{name} {va} -> {vb}: {what}"
    if level == "local":
        head = f"{name} {va} -> {vb}: same release, another build (compiled for other native libraries)"
    reasons = [r.reason for r in matched]
    fix = next((r.fix for r in matched if r.fix), None) or (
        f"Pin {name}=={va} (the version on {p.a.label}) everywhere: `parity lock`, then `parity sync`"
    )
    key = "version.minor" if level == "other" else f"version.{level}"
    return p.make(
        "version",
        name,
        (va, vb),
        change=level,
        base=p.rules.score(key),
        direct=direct,
        matched=matched,
        reason="; ".join([head, *reasons]),
        fix=fix,
    )


def _is_zero_minor(va: str, vb: str, level: str) -> bool:
    if level != "major":
        return False
    try:
        return Version(va).major == 0 and Version(vb).major == 0
    except InvalidVersion:
        return False


def _is_unpinned(d: Distribution) -> bool:
    return d.version is None and d.source is None and not d.editable

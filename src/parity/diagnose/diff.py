"""``parity diff``: how environments differ, riskiest difference first.

Pure functions over :class:`~parity.env.snapshot_model.Snapshot` values: no
disk, no subprocess.  Turning files and live environments into snapshots is
``diagnose/sides.py``'s job; scoring facts come from the rule table
(``diagnose/risk.py``).

The first side of a pair is the reference (the environment that works); the
wording of reasons follows from that: a package "missing" is one the
reference has and the other side lacks.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from parity.diagnose.risk import (
    RiskRules,
    TransitionRule,
    classify_change,
    compare_versions,
    default_rules,
    is_calendar,
)
from parity.env.snapshot_model import (
    Distribution,
    NativeLibrary,
    PlatformInfo,
    PythonInfo,
    Snapshot,
)

DIFF_SCHEMA = "parity/diff@1"
UNPINNED = "unpinned"
# Snapshot kinds with no interpreter behind them: a lock (complete list of
# pins) and a spec (a requirements list naming only what the user asked for).
DECLARED_KINDS = frozenset({"lock", "spec"})
PARTIAL_KINDS = frozenset({"spec"})
PACKAGE_KINDS = frozenset({"version", "unpinned", "missing", "extra", "source"})
# Tie-break after the score: what a reader should look at first.
KIND_ORDER = ("python", "platform", "native", "version", "unpinned", "missing", "source", "extra")
_MAX_LISTED = 6


@dataclass(frozen=True)
class Difference:
    """One way two sides differ, scored.

    ``values`` holds what each side has (None: absent or unknown), in the order
    of ``sides`` (indices into the compared list).  ``change`` refines the
    kind: implementation/major/minor/patch/abi for python, os/machine/libc for
    platform, major/minor/patch/local for version, ...
    """

    kind: str
    subject: str
    values: tuple[str | None, str | None]
    score: int
    severity: str
    reason: str
    fix: str
    change: str | None = None
    direct: bool | None = None
    rules: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    sides: tuple[int, int] = (0, 1)
    base: int = field(default=0, compare=False)

    @property
    def family(self) -> str:
        return "package" if self.kind in PACKAGE_KINDS else self.kind

    @property
    def label(self) -> str:
        return f"{self.kind} {self.change}" if self.change else self.kind

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "change": self.change,
            "subject": self.subject,
            "sides": list(self.sides),
            "values": list(self.values),
            "score": self.score,
            "severity": self.severity,
            "reason": self.reason,
            "fix": self.fix,
            "direct": self.direct,
            "rules": list(self.rules),
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class MatrixRow:
    """One aspect that differs somewhere among several sides, with every side's value."""

    family: str
    subject: str
    values: tuple[str | None, ...]
    kinds: tuple[str, ...]
    score: int
    severity: str
    reason: str
    fix: str
    change: str | None = None

    @property
    def label(self) -> str:
        if len(self.kinds) == 1 and self.change:
            return f"{self.kinds[0]} {self.change}"
        return "/".join(self.kinds)

    def to_json(self) -> dict[str, Any]:
        return {
            "family": self.family,
            "subject": self.subject,
            "kinds": list(self.kinds),
            "change": self.change,
            "values": list(self.values),
            "score": self.score,
            "severity": self.severity,
            "reason": self.reason,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class SideInfo:
    label: str
    kind: str
    python: str | None
    platform: str | None
    packages: int

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "kind": self.kind,
            "python": self.python,
            "platform": self.platform,
            "packages": self.packages,
        }


@dataclass(frozen=True)
class DiffResult:
    sides: tuple[SideInfo, ...]
    differences: tuple[Difference, ...]
    matrix: tuple[MatrixRow, ...]
    notes: tuple[str, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.sides)

    def counts(self) -> dict[str, int]:
        """Differences per severity; with more than two sides, matrix rows."""
        rows: Sequence[MatrixRow | Difference] = (
            self.matrix if len(self.sides) > 2 else self.differences
        )
        return count_by_severity(rows)

    @property
    def max_severity(self) -> str | None:
        for label, count in self.counts().items():
            if count:
                return label
        return None

    def at_least(self, severity: str) -> bool:
        """Whether any difference is at least as severe as ``severity``."""
        order = ["critical", "high", "medium", "low"]
        worst = self.max_severity
        return worst is not None and order.index(worst) <= order.index(severity)

    def to_json(self) -> dict[str, Any]:
        counts = self.counts()
        return {
            "schema": DIFF_SCHEMA,
            "sides": [s.to_json() for s in self.sides],
            "summary": {
                "differences": sum(counts.values()),
                **counts,
                "max_severity": self.max_severity,
            },
            "differences": [d.to_json() for d in self.differences],
            "matrix": [r.to_json() for r in self.matrix],
            "notes": list(self.notes),
        }


# ----------------------------------------------------------------- public API


def compare_snapshots(
    a: Snapshot,
    b: Snapshot,
    *,
    direct: frozenset[str] = frozenset(),
    rules: RiskRules | None = None,
    today: dt.date | None = None,
    sides: tuple[int, int] = (0, 1),
) -> list[Difference]:
    """Every difference between ``a`` (the reference) and ``b``, scored, unranked.

    ``direct`` names the packages the project requires itself; packages a
    lock or requirements side marks as requested count as direct too.
    """
    pair = _Pair(
        a=a,
        b=b,
        rules=rules or default_rules(),
        today=today or dt.date.today(),
        direct=_direct_names((a, b), direct),
        sides=sides,
    )
    return [*_python(pair), *_platform(pair), *_native(pair), *_packages(pair)]


def rank(differences: Iterable[Difference]) -> list[Difference]:
    """Most dangerous first: by score, then generic weight, kind and name."""
    return sorted(
        differences,
        key=lambda d: (-d.score, -d.base, _kind_index(d.kind), d.subject, d.sides),
    )


def diff_snapshots(
    snapshots: Sequence[Snapshot],
    *,
    direct: frozenset[str] = frozenset(),
    rules: RiskRules | None = None,
    today: dt.date | None = None,
) -> DiffResult:
    """Compare every pair of sides; rows of the matrix take the riskiest pair's reason."""
    rules = rules or default_rules()
    today = today or dt.date.today()
    # What any side knows to be direct holds for every pair, so a package
    # weighs the same in every column of the matrix.
    direct = _direct_names(snapshots, direct)
    found: list[Difference] = []
    for i in range(len(snapshots)):
        for j in range(i + 1, len(snapshots)):
            found += compare_snapshots(
                snapshots[i], snapshots[j], direct=direct, rules=rules, today=today, sides=(i, j)
            )
    ranked = rank(found)
    return DiffResult(
        sides=tuple(_side_info(s) for s in snapshots),
        differences=tuple(ranked),
        matrix=tuple(_matrix(snapshots, ranked)),
        notes=tuple(_notes(snapshots)),
    )


# ----------------------------------------------------------------- internals


@dataclass(frozen=True)
class _Pair:
    a: Snapshot
    b: Snapshot
    rules: RiskRules
    today: dt.date
    direct: frozenset[str]
    sides: tuple[int, int]

    def make(
        self,
        kind: str,
        subject: str,
        values: tuple[str | None, str | None],
        *,
        base: int,
        reason: str,
        fix: str,
        change: str | None = None,
        direct: bool | None = None,
        matched: Sequence[TransitionRule] = (),
        bonus: int = 0,
        sources: Sequence[str] = (),
    ) -> Difference:
        score = base
        if matched:
            score = max(score, max(self.rules.rule_score(r.severity) for r in matched))
            score += self.rules.adjustment("each_extra_rule") * (len(matched) - 1)
        if direct is True:
            score += self.rules.adjustment("direct")
        elif direct is False:
            score += self.rules.adjustment("transitive")
        score = max(0, min(100, score + bonus))
        return Difference(
            kind=kind,
            subject=subject,
            values=values,
            score=score,
            severity=self.rules.severity(score),
            reason=reason,
            fix=fix,
            change=change,
            direct=direct,
            rules=tuple(r.id for r in matched),
            sources=_unique([*(r.source for r in matched), *sources]),
            sides=self.sides,
            base=base,
        )


def _direct_names(sides: Iterable[Snapshot], given: frozenset[str]) -> frozenset[str]:
    names = {canonicalize_name(n) for n in given}
    for side in sides:
        if side.kind in DECLARED_KINDS:
            names.update(canonicalize_name(d.name) for d in side.distributions if d.requested)
    return frozenset(names)


# -- python


def _python(p: _Pair) -> list[Difference]:
    pa, pb = p.a.python, p.b.python
    if pa is None or pb is None:
        return []
    values = (python_text(pa), python_text(pb))
    if pa.implementation.lower() != pb.implementation.lower():
        return [
            p.make(
                "python",
                "python",
                values,
                change="implementation",
                base=p.rules.score("python.implementation"),
                reason=f"{pa.implementation} vs {pb.implementation}: compiled extensions and "
                "wheels are built for one implementation",
                fix=f"Run every side on {pa.implementation} {_minor_text(pa.version)}",
            )
        ]
    ra, rb = _release(pa.version), _release(pb.version)
    if ra is None or rb is None:
        return []
    if ra[0] != rb[0] or ra[1] != rb[1]:
        return [_python_minor(p, pa, pb, ra, rb, values)]
    out: list[Difference] = []
    if len(ra) > 2 and len(rb) > 2 and ra[2] != rb[2]:
        out.append(
            p.make(
                "python",
                "python",
                values,
                change="patch",
                base=p.rules.score("python.patch"),
                reason=f"Python {pa.version} vs {pb.version}: patch releases of one minor "
                "version are compatible (bug and security fixes only)",
                fix=f"Optional: use Python {pa.version} everywhere",
            )
        )
    if pa.abi and pb.abi and pa.abi != pb.abi:
        out.append(
            p.make(
                "python",
                "python.abi",
                (pa.abi, pb.abi),
                change="abi",
                base=p.rules.score("python.abi"),
                reason=f"ABI {pa.abi} vs {pb.abi} (e.g. a free-threaded or debug build): "
                "compiled wheels are built per ABI",
                fix=f"Use the same interpreter build ({pa.abi}) on every side",
            )
        )
    return out


def _python_minor(
    p: _Pair,
    pa: PythonInfo,
    pb: PythonInfo,
    ra: tuple[int, ...],
    rb: tuple[int, ...],
    values: tuple[str, str],
) -> Difference:
    minor_a, minor_b = (ra[0], ra[1]), (rb[0], rb[1])
    level = "major" if ra[0] != rb[0] else "minor"
    parts: list[str] = []
    sources: list[str] = []
    if minor_b < minor_a:
        direction = "older"
        added = [r for r in p.rules.releases_between(minor_b, minor_a) if r.added]
        if added:
            listed = "; ".join(f"{_listed(r.added)} ({r.text})" for r in added)
            parts.append(
                f"code written for {_text(minor_a)} may use what {_text(minor_b)} lacks: {listed}"
            )
            sources += [r.source for r in added if r.source]
    else:
        direction = "newer"
        removed = [r for r in p.rules.releases_between(minor_a, minor_b) if r.removed]
        if removed:
            listed = "; ".join(f"{_listed(r.removed)} ({r.text})" for r in removed)
            parts.append(f"removed from Python by {_text(minor_b)}: {listed}")
            sources += [r.source for r in removed if r.source]
    eol_parts = []
    reference_eol = False
    for minor in sorted({minor_a, minor_b}):
        release = p.rules.release(*minor)
        if release is not None and release.eol_passed(p.today):
            eol_parts.append(
                f"{release.text} is end-of-life since {release.eol} (no security fixes)"
            )
            sources.append("https://devguide.python.org/versions/")
            reference_eol = reference_eol or minor == minor_a
    parts += eol_parts
    head = f"Python {pa.version} -> {pb.version} ({direction} {level} version)"
    fix = (
        f"Run every side on Python {_text(minor_a)} (pin it in .python-version and "
        "requires-python), then `parity lock` and `parity sync`"
    )
    if reference_eol:
        fix += f"; then plan the move off end-of-life {_text(minor_a)}"
    steps = max(0, abs(minor_a[1] - minor_b[1]) - 1) if level == "minor" else 0
    bonus = steps * p.rules.adjustment("python_minor_step")
    return p.make(
        "python",
        "python",
        values,
        change=level,
        base=p.rules.score(f"python.{level}"),
        bonus=bonus + (p.rules.adjustment("eol") if eol_parts else 0),
        reason=": ".join([head, "; ".join(parts)]) if parts else head,
        fix=fix,
        sources=sources,
    )


# -- platform


_MACHINE_ALIASES = {
    "amd64": "x86_64",
    "x64": "x86_64",
    "arm64": "aarch64",
    "i686": "x86",
    "i386": "x86",
}


def _platform(p: _Pair) -> list[Difference]:
    fa, fb = p.a.platform, p.b.platform
    if fa is None or fb is None:
        return []
    out: list[Difference] = []
    same_os = fa.system.lower() == fb.system.lower()
    if not same_os:
        out.append(
            p.make(
                "platform",
                "platform.os",
                (fa.system, fb.system),
                change="os",
                base=p.rules.score("platform.os"),
                reason=f"{fa.system} vs {fb.system}: other wheels, paths and platform markers; "
                "some packages install only on one of them",
                fix=f"Test on {fb.system} too (CI or a container), and lock for it with "
                "`parity lock --python-platform`",
            )
        )
    if _machine(fa.machine) != _machine(fb.machine):
        out.append(
            p.make(
                "platform",
                "platform.machine",
                (fa.machine, fb.machine),
                change="machine",
                base=p.rules.score("platform.machine"),
                reason=f"{fa.machine} vs {fb.machine}: compiled wheels differ per architecture, "
                "and a package without a wheel for one of them builds from source or fails",
                fix=f"Build and test on {fb.machine} too (CI runner or emulated container)",
            )
        )
    if same_os and fa.libc and fb.libc:
        out += _libc(p, fa, fb)
    return out


def _libc(p: _Pair, fa: PlatformInfo, fb: PlatformInfo) -> list[Difference]:
    assert fa.libc is not None and fb.libc is not None
    values = (libc_text(fa), libc_text(fb))
    if fa.libc.lower() != fb.libc.lower():
        return [
            p.make(
                "platform",
                "platform.libc",
                values,
                change="libc",
                base=p.rules.score("platform.libc"),
                reason=f"{fa.libc} vs {fb.libc}: manylinux wheels do not install on musl (and "
                "the other way round), so packages build from source or are missing",
                fix=f"Use a {fa.libc}-based image everywhere, or lock and test on {fb.libc}",
            )
        ]
    if fa.libc_version and fb.libc_version and fa.libc_version != fb.libc_version:
        older = compare_versions(fb.libc_version, fa.libc_version) < 0
        return [
            p.make(
                "platform",
                "platform.libc",
                values,
                change="libc-version",
                base=p.rules.score("platform.libc-version"),
                reason=f"{values[0]} vs {values[1]}: wheels need a minimum {fa.libc}"
                + ("; the older one may get no wheel and build from source" if older else ""),
                fix=f"Use base images with the same {fa.libc} version",
            )
        ]
    return []


def _machine(text: str) -> str:
    low = text.lower()
    return _MACHINE_ALIASES.get(low, low)


# -- native libraries


def _native(p: _Pair) -> list[Difference]:
    if p.a.kind in DECLARED_KINDS or p.b.kind in DECLARED_KINDS:
        return []
    by_a, by_b = _native_by_kind(p.a.native), _native_by_kind(p.b.native)
    out: list[Difference] = []
    for kind in sorted(set(by_a) | set(by_b)):
        la, lb = by_a.get(kind, ()), by_b.get(kind, ())
        ta, tb = native_text(la), native_text(lb)
        if ta == tb:
            continue
        rule = p.rules.native_rule(kind)
        if not la or not lb:
            change, base = "missing", rule.score
        elif {n.name.lower() for n in la} != {n.name.lower() for n in lb}:
            change, base = "vendor", rule.score
        else:
            change = "version"
            base = (
                rule.score
                if _native_major_changed(la, lb)
                else rule.score - p.rules.adjustment("native_version_discount")
            )
        out.append(
            p.make(
                "native",
                f"native.{kind}",
                (ta, tb),
                change=change,
                base=base,
                reason=f"{kind}: {ta or 'none'} vs {tb or 'none'}: {rule.reason}",
                fix=rule.fix,
            )
        )
    return out


def _native_by_kind(libs: Iterable[NativeLibrary]) -> dict[str, tuple[NativeLibrary, ...]]:
    out: dict[str, list[NativeLibrary]] = {}
    for lib in libs:
        out.setdefault(lib.kind.lower(), []).append(lib)
    return {
        k: tuple(sorted(v, key=lambda n: (n.name.lower(), n.version or ""))) for k, v in out.items()
    }


def _native_major_changed(la: Sequence[NativeLibrary], lb: Sequence[NativeLibrary]) -> bool:
    versions_b = {n.name.lower(): n.version for n in lb}
    for lib in la:
        other = versions_b.get(lib.name.lower())
        if lib.version and other and lib.version.split(".")[0] != other.split(".")[0]:
            return True
    return False


# -- packages


def _packages(p: _Pair) -> list[Difference]:
    map_a, map_b = _by_name(p.a.distributions), _by_name(p.b.distributions)
    seed = p.rules.seed_packages
    declared = p.a.kind in DECLARED_KINDS or p.b.kind in DECLARED_KINDS
    out: list[Difference] = []
    for name in sorted(set(map_a) | set(map_b)):
        da, db = map_a.get(name), map_b.get(name)
        direct = (name in p.direct) if p.direct else None
        if da is None or db is None:
            partial = p.a.kind in PARTIAL_KINDS if da is None else p.b.kind in PARTIAL_KINDS
            if partial or (declared and name in seed):
                continue
            out.append(_presence(p, name, da, db, direct))
            continue
        out += _pair_of(p, name, da, db, direct)
    return out


def _presence(
    p: _Pair, name: str, da: Distribution | None, db: Distribution | None, direct: bool | None
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
    p: _Pair, name: str, da: Distribution, db: Distribution, direct: bool | None
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
    p: _Pair, name: str, da: Distribution, db: Distribution, direct: bool | None
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


def _version_change(
    p: _Pair, name: str, va: str, vb: str, direct: bool | None
) -> Difference | None:
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


def _by_name(dists: Iterable[Distribution]) -> dict[str, Distribution]:
    out: dict[str, Distribution] = {}
    for d in dists:
        out.setdefault(canonicalize_name(d.name), d)
    return out


# ----------------------------------------------------------------- values as text


_VCS = re.compile(r"^(git|hg|svn|bzr)\+", re.I)


def source_kind(d: Distribution) -> str:
    """index, vcs, url, local or editable."""
    if d.editable:
        return "editable"
    if d.source is None:
        return "index"
    if _VCS.match(d.source):
        return "vcs"
    if d.source.lower().startswith(("http://", "https://")):
        return "url"
    return "local"


def source_text(d: Distribution) -> str:
    kind = source_kind(d)
    if kind == "index":
        return f"{d.version} (index)" if d.version else "index"
    if kind in ("vcs", "url"):
        return d.source or kind
    return f"{kind} {d.source}" if d.source and d.source != "local" else kind


def dist_text(d: Distribution) -> str:
    if d.source is not None or d.editable:
        kind = source_kind(d)
        return f"{d.version} ({kind})" if d.version else source_text(d)
    return d.version or UNPINNED


def python_text(python: PythonInfo) -> str:
    if python.implementation.lower() == "cpython":
        return python.version
    return f"{python.implementation} {python.version}"


def libc_text(platform: PlatformInfo) -> str:
    return " ".join(x for x in (platform.libc, platform.libc_version) if x)


def native_text(libs: Sequence[NativeLibrary]) -> str:
    return ", ".join(" ".join(x for x in (n.name, n.version) if x) for n in libs)


def aspect_value(snapshot: Snapshot, family: str, subject: str) -> str | None:
    """What one side has for a matrix row (None: absent or not known)."""
    if family == "python":
        python = snapshot.python
        if python is None:
            return None
        return python.abi if subject == "python.abi" else python_text(python)
    if family == "platform":
        platform = snapshot.platform
        if platform is None:
            return None
        if subject == "platform.os":
            return platform.system
        if subject == "platform.machine":
            return platform.machine
        return libc_text(platform) or None
    if family == "native":
        if snapshot.kind in DECLARED_KINDS:
            return None
        kind = subject.removeprefix("native.")
        return native_text(_native_by_kind(snapshot.native).get(kind, ())) or None
    dist = _by_name(snapshot.distributions).get(subject)
    return dist_text(dist) if dist is not None else None


# ----------------------------------------------------------------- many sides


def _matrix(snapshots: Sequence[Snapshot], ranked: Sequence[Difference]) -> list[MatrixRow]:
    rows: dict[tuple[str, str], list[Difference]] = {}
    for d in ranked:
        rows.setdefault((d.family, d.subject), []).append(d)
    out: list[MatrixRow] = []
    for (family, subject), diffs in rows.items():
        top = diffs[0]  # ranked already: the riskiest pair of this row
        out.append(
            MatrixRow(
                family=family,
                subject=subject,
                values=tuple(aspect_value(s, family, subject) for s in snapshots),
                kinds=tuple(sorted({d.kind for d in diffs}, key=_kind_index)),
                score=top.score,
                severity=top.severity,
                reason=top.reason,
                fix=top.fix,
                change=top.change,
            )
        )
    return out


def _side_info(s: Snapshot) -> SideInfo:
    platform = None
    if s.platform is not None:
        platform = " ".join(x for x in (s.platform.system, s.platform.machine) if x)
    return SideInfo(
        label=s.label,
        kind=s.kind,
        python=python_text(s.python) if s.python else None,
        platform=platform,
        packages=len(s.distributions),
    )


def _notes(snapshots: Sequence[Snapshot]) -> list[str]:
    notes: list[str] = []
    for s in snapshots:
        if s.kind in PARTIAL_KINDS:
            notes.append(
                f"{s.label} lists requirements only: packages it does not name are not reported as missing"
            )
        if s.python is None:
            notes.append(f"{s.label} does not record its Python: Python is not compared for it")
    if len(snapshots) > 1 and any(s.kind in DECLARED_KINDS for s in snapshots):
        notes.append("platform and native libraries are compared only between environments")
    return notes


def _kind_index(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def _release(version: str) -> tuple[int, ...] | None:
    try:
        return Version(version).release
    except InvalidVersion:
        return None


def _minor_text(version: str) -> str:
    release = _release(version)
    return f"{release[0]}.{release[1]}" if release and len(release) > 1 else version


def _text(minor: tuple[int, int]) -> str:
    return f"{minor[0]}.{minor[1]}"


def _listed(items: Sequence[str]) -> str:
    if len(items) <= _MAX_LISTED:
        return ", ".join(items)
    return ", ".join(items[:_MAX_LISTED]) + f" and {len(items) - _MAX_LISTED} more"


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        if item:
            seen.setdefault(item, None)
    return tuple(seen)


def count_by_severity(items: Iterable[Difference | MatrixRow]) -> dict[str, int]:
    counts = {"critical": 0, "high": 0, "medium": 0, "low": 0}
    for item in items:
        counts[item.severity] = counts.get(item.severity, 0) + 1
    return counts

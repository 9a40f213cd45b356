"""Risk rules: how dangerous a difference between two environments is.

The rules are data (``parity/data/risk_rules.toml``, shipped in the wheel):
generic scores per kind of difference, package transitions known to break code
(NumPy 1 -> 2, pandas 1 -> 2, ...), and facts about Python releases (what each
minor version removed and added, when it reached end of life).  Nothing here
knows any package by name; this module only loads the table and answers
questions about it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from parity.diagnose.findings import Severity, as_severity
from parity.env.seed import SEED_PACKAGES
from parity.errors import ParityError
from parity.frozen import dataclass

RULES_SCHEMA = "parity/risk-rules@1"
# The severities a rule or a score can have (``info`` is for findings that are no risk).
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low")
# Change levels from the biggest down; a rule with change = "minor" also matches "major".
CHANGE_LEVELS = ("major", "minor", "patch")
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


class RulesError(ParityError):
    """A risk-rule file cannot be read."""


@dataclass(frozen=True)
class TransitionRule:
    """A known breaking change of one package.

    Either ``older``/``newer`` (the ranges on each side of the break; the rule
    matches when two versions fall on opposite sides, in either direction) or
    ``change`` (any change of at least that level matches).
    """

    id: str
    package: str
    severity: Severity
    reason: str
    source: str
    older: SpecifierSet | None = None
    newer: SpecifierSet | None = None
    change: str | None = None
    fix: str | None = None

    def matches(self, a: Version, b: Version, level: str | None) -> bool:
        if self.change is not None:
            return level is not None and _at_least(level, self.change)
        if self.older is None or self.newer is None:
            return False
        return (_within(a, self.older) and _within(b, self.newer)) or (
            _within(a, self.newer) and _within(b, self.older)
        )

    def could_cross(self, pinned: Version) -> bool:
        """Whether an unpinned side could land across this break from ``pinned``.

        An installer without a pin takes the newest release, so only breaks
        above the pinned version are likely.
        """
        if self.older is None or self.newer is None:
            return False
        return _within(pinned, self.older) and not _within(pinned, self.newer)

    @property
    def label(self) -> str:
        if self.change is not None:
            return f"{self.package} any {self.change} change"
        return f"{self.package} {self.older} -> {self.newer}"


@dataclass(frozen=True)
class PythonRelease:
    """Facts about one Python minor version."""

    version: tuple[int, int]
    eol: str | None = None
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    source: str | None = None

    def eol_passed(self, today: dt.date) -> bool:
        end = _eol_date(self.eol)
        return end is not None and today > end

    @property
    def text(self) -> str:
        return f"{self.version[0]}.{self.version[1]}"


@dataclass(frozen=True)
class NativeRule:
    score: int
    reason: str
    fix: str


@dataclass(frozen=True)
class RiskRules:
    thresholds: tuple[tuple[Severity, int], ...]
    severity_scores: Mapping[str, int]
    scores: Mapping[str, int]
    adjust: Mapping[str, int]
    seed_packages: frozenset[str]
    native: Mapping[str, NativeRule]
    transitions: tuple[TransitionRule, ...]
    python: tuple[PythonRelease, ...]

    def score(self, key: str) -> int:
        return self.scores.get(key, 0)

    def adjustment(self, key: str) -> int:
        return self.adjust.get(key, 0)

    def severity(self, score: int) -> Severity:
        """The label of a score: the first threshold it reaches, else "low"."""
        for label, threshold in self.thresholds:
            if score >= threshold:
                return label
        return "low"

    def rule_score(self, severity: Severity) -> int:
        return self.severity_scores.get(severity, 0)

    def native_rule(self, kind: str) -> NativeRule:
        return self.native.get(kind.lower()) or self.native.get(
            "default", NativeRule(50, "a native library differs", "Use the same one on every side")
        )

    def transitions_for(self, package: str) -> tuple[TransitionRule, ...]:
        name = canonicalize_name(package)
        return tuple(r for r in self.transitions if r.package == name)

    def matching(
        self, package: str, a: str, b: str, level: str | None
    ) -> tuple[TransitionRule, ...]:
        """The rules of ``package`` that the change from version ``a`` to ``b`` crosses."""
        va, vb = _version(a), _version(b)
        if va is None or vb is None:
            return ()
        return tuple(r for r in self.transitions_for(package) if r.matches(va, vb, level))

    def could_cross(self, package: str, pinned: str) -> tuple[TransitionRule, ...]:
        version = _version(pinned)
        if version is None:
            return ()
        return tuple(r for r in self.transitions_for(package) if r.could_cross(version))

    def release(self, major: int, minor: int) -> PythonRelease | None:
        for r in self.python:
            if r.version == (major, minor):
                return r
        return None

    def releases_between(
        self, low: tuple[int, int], high: tuple[int, int]
    ) -> tuple[PythonRelease, ...]:
        """Releases after ``low`` up to and including ``high``, oldest first."""
        return tuple(
            sorted((r for r in self.python if low < r.version <= high), key=lambda r: r.version)
        )


def classify_change(a: str, b: str) -> str | None:
    """How big the change from version ``a`` to ``b`` is, or None when they are equal.

    major, minor or patch by the release numbers, with the semver convention for
    0.x (a minor change of a 0.x release counts as major) and calendar versions
    (a new year counts as minor: 2021.3 -> 2023.3); "local" when only the
    build label differs (``2.1.0+cpu`` vs ``2.1.0+cu121``); "other" when a version
    is not PEP 440 and the strings differ.
    """
    va, vb = _version(a), _version(b)
    if va is None or vb is None:
        return None if a == b else "other"
    if va == vb:
        return None
    ra, rb = _padded(va.release), _padded(vb.release)
    if is_calendar(va) and is_calendar(vb) and ra[0] != rb[0]:
        return "minor"  # a new year of a calendar-versioned project is not a breaking change
    if ra[0] != rb[0]:
        return "major"
    if ra[1] != rb[1]:
        return "major" if ra[0] == 0 else "minor"
    if ra != rb:
        return "patch"
    if va.public == vb.public:
        return "local"
    return "patch"  # pre-, post- or dev-release of the same release


def is_calendar(version: Version | str) -> bool:
    """Whether a version looks calendar-based (2023.3, 2024.1.15): its first number is a year."""
    parsed = version if isinstance(version, Version) else _version(version)
    return parsed is not None and 1990 <= parsed.release[0] <= 2200


def compare_versions(a: str, b: str) -> int:
    """-1, 0 or 1 as ``a`` is older, equal or newer than ``b`` (0 when unknown)."""
    va, vb = _version(a), _version(b)
    if va is None or vb is None or va == vb:
        return 0
    return -1 if va < vb else 1


@functools.lru_cache(maxsize=1)
def default_rules() -> RiskRules:
    """The rule table shipped with parity."""
    from importlib.resources import files

    text = (files("parity") / "data" / "risk_rules.toml").read_text(encoding="utf-8")
    return parse_rules(text, path="parity/data/risk_rules.toml")


def load_rules(extra: Sequence[Path] = ()) -> RiskRules:
    """The shipped rules, plus the transitions and scores of each extra file."""
    rules = default_rules()
    for path in extra:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise RulesError(
                f"cannot read the rule file: {exc.strerror}",
                path=path.name,
                hint="Pass an existing TOML file to --rules.",
            ) from None
        rules = merge_rules(rules, parse_rules(text, path=path.name, partial=True))
    return rules


def merge_rules(base: RiskRules, extra: RiskRules) -> RiskRules:
    """``extra``'s transitions come first (they may replace a shipped id); its scores win."""
    ids = {r.id for r in extra.transitions}
    return RiskRules(
        thresholds=extra.thresholds or base.thresholds,
        severity_scores={**base.severity_scores, **extra.severity_scores},
        scores={**base.scores, **extra.scores},
        adjust={**base.adjust, **extra.adjust},
        seed_packages=base.seed_packages | extra.seed_packages,
        native={**base.native, **extra.native},
        transitions=extra.transitions + tuple(r for r in base.transitions if r.id not in ids),
        python=extra.python
        + tuple(r for r in base.python if r.version not in {p.version for p in extra.python}),
    )


def parse_rules(text: str, *, path: str, partial: bool = False) -> RiskRules:
    """Read a rule table; ``partial`` files (user additions) may leave sections out."""
    data = _load_toml(text, path)
    schema = data.get("schema", RULES_SCHEMA)
    if schema != RULES_SCHEMA:
        raise RulesError(
            f"unknown rule schema {schema!r}",
            path=path,
            hint=f'The file must say schema = "{RULES_SCHEMA}".',
        )
    severity = _table(data, "severity", path)
    thresholds = tuple(
        (label, _int(severity[label], f"severity.{label}", path))
        for label in SEVERITIES[:3]
        if label in severity
    )
    if not partial and len(thresholds) != 3:
        raise RulesError(
            "[severity] must give critical, high and medium thresholds", path=path, hint=None
        )
    packages = _table(data, "packages", path)
    python = _table(data, "python", path)
    return RiskRules(
        thresholds=thresholds,
        severity_scores=_int_table(data, "severity_scores", path),
        scores=_int_table(data, "scores", path),
        adjust=_int_table(data, "adjust", path),
        seed_packages=SEED_PACKAGES
        | frozenset(canonicalize_name(str(n)) for n in packages.get("seed", [])),
        native={
            str(kind).lower(): _native_rule(value, f"native.{kind}", path)
            for kind, value in _table(data, "native", path).items()
        },
        transitions=tuple(
            _transition(entry, i, path) for i, entry in enumerate(_list(data, "transition", path))
        ),
        python=tuple(_python_release(entry, path) for entry in _list(python, "release", path)),
    )


def _load_toml(text: str, path: str) -> dict[str, Any]:
    from parity import toml as tomllib

    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise RulesError(
            f"not valid TOML: {exc}",
            path=path,
            line=int(match.group(1)) if match else None,
            hint="Fix the TOML syntax of the rule file.",
        ) from None
    return data


def _transition(entry: Any, index: int, path: str) -> TransitionRule:
    where = f"[[transition]] #{index + 1}"
    if not isinstance(entry, dict):
        raise RulesError(f"{where} is not a table", path=path, hint=None)
    missing = [k for k in ("package", "severity", "reason", "source") if k not in entry]
    if missing:
        raise RulesError(
            f"{where} lacks {', '.join(missing)}",
            path=path,
            hint="Every rule names its package, severity, reason and the source it comes from.",
        )
    text = str(entry["severity"])
    if text not in SEVERITIES:
        raise RulesError(
            f"{where}: unknown severity {text!r}",
            path=path,
            hint=f"Use one of {', '.join(SEVERITIES)}.",
        )
    change = entry.get("change")
    if change is not None and change not in CHANGE_LEVELS:
        raise RulesError(
            f"{where}: unknown change level {change!r}",
            path=path,
            hint=f"Use one of {', '.join(CHANGE_LEVELS)}.",
        )
    has_range = "from" in entry or "to" in entry
    if has_range == (change is not None) or (has_range and not ("from" in entry and "to" in entry)):
        raise RulesError(
            f"{where}: give either both `from` and `to`, or `change`",
            path=path,
            hint='For example from = "<2", to = ">=2"; or change = "minor".',
        )
    package = canonicalize_name(str(entry["package"]))
    return TransitionRule(
        id=str(entry.get("id") or f"{package}-{index + 1}"),
        package=package,
        severity=as_severity(text),
        reason=str(entry["reason"]),
        source=str(entry["source"]),
        older=_specifier(entry.get("from"), where, path),
        newer=_specifier(entry.get("to"), where, path),
        change=str(change) if change is not None else None,
        fix=str(entry["fix"]) if entry.get("fix") else None,
    )


def _python_release(entry: Any, path: str) -> PythonRelease:
    if not isinstance(entry, dict) or "version" not in entry:
        raise RulesError("[[python.release]] needs a version", path=path, hint=None)
    text = str(entry["version"])
    parts = text.split(".")
    try:
        version = (int(parts[0]), int(parts[1]))
    except (IndexError, ValueError):
        raise RulesError(
            f"[[python.release]]: version {text!r} is not X.Y", path=path, hint=None
        ) from None
    eol = entry.get("eol")
    if eol is not None and _eol_date(str(eol)) is None:
        raise RulesError(
            f"[[python.release]] {text}: eol {eol!r} is not YYYY-MM-DD or YYYY-MM",
            path=path,
            hint=None,
        )
    return PythonRelease(
        version=version,
        eol=str(eol) if eol is not None else None,
        added=tuple(str(x) for x in entry.get("added", [])),
        removed=tuple(str(x) for x in entry.get("removed", [])),
        source=str(entry["source"]) if entry.get("source") else None,
    )


def _native_rule(value: Any, where: str, path: str) -> NativeRule:
    if not isinstance(value, dict):
        raise RulesError(f"[{where}] is not a table", path=path, hint=None)
    return NativeRule(
        score=_int(value.get("score", 50), f"{where}.score", path),
        reason=str(value.get("reason", "a native library differs")),
        fix=str(value.get("fix", "Use the same native library on every side")),
    )


def _specifier(value: Any, where: str, path: str) -> SpecifierSet | None:
    if value is None:
        return None
    try:
        return SpecifierSet(str(value))
    except InvalidSpecifier:
        raise RulesError(
            f"{where}: {value!r} is not a version range",
            path=path,
            hint='Write a PEP 440 specifier, e.g. "<2" or ">=1.2,<1.4".',
        ) from None


def _table(data: Mapping[str, Any], key: str, path: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise RulesError(f"[{key}] is not a table", path=path, hint=None)
    return value


def _list(data: Mapping[str, Any], key: str, path: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise RulesError(f"{key} must be an array of tables ([[{key}]])", path=path, hint=None)
    return value


def _int_table(data: Mapping[str, Any], key: str, path: str) -> dict[str, int]:
    return {str(k): _int(v, f"{key}.{k}", path) for k, v in _table(data, key, path).items()}


def _int(value: Any, where: str, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RulesError(f"{where} must be an integer", path=path, hint=None)
    return value


def _eol_date(text: str | None) -> dt.date | None:
    """The last day of support: the date itself, or the end of the month given."""
    if not text:
        return None
    match = _DATE.match(text)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    try:
        if match.group(3):
            return dt.date(year, month, int(match.group(3)))
        following = dt.date(year + month // 12, month % 12 + 1, 1)
    except ValueError:
        return None
    return following - dt.timedelta(days=1)


def _version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _within(version: Version, spec: SpecifierSet) -> bool:
    return spec.contains(version, prereleases=True)


def _padded(release: tuple[int, ...]) -> tuple[int, int, int]:
    padded = (*release, 0, 0, 0)
    return padded[0], padded[1], padded[2]


def _at_least(level: str, wanted: str) -> bool:
    if level not in CHANGE_LEVELS:
        return level == "local" and wanted == "patch"
    return CHANGE_LEVELS.index(level) <= CHANGE_LEVELS.index(wanted)

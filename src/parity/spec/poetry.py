"""Poetry's ``[tool.poetry]`` dependencies, translated to PEP 508 / PEP 440.

Caret, tilde and wildcard constraints follow Poetry's documented semantics
(and poetry-core's parser, which the tests use as an oracle).  ``||``
alternatives become one PEP 440 range when they join into one (``^1.2 ||
^2.0`` is ``>=1.2,<3.0``) and are refused with an explanation otherwise, since
a PEP 440 specifier cannot say "this or that"; in markers (``python``,
``platform``) they become ``or``.  Everything here is pure: the reader in
``pyproject.py`` adds file locations and resolves local paths.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from packaging.specifiers import InvalidSpecifier, Specifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from parity.errors import SpecError
from parity.frozen import dataclass

_COMPARISON = re.compile(r"(===|==|!=|>=|<=|<>|~=|>|<|=)?\s*(\S+)")
# poetry-core's own split of one alternative into its conditions.
_AND_SPLIT = re.compile(r"(?<!^)(?<![\^~=>< ,]) *(?<!-)[, ](?!-) *(?!,|$)")
_OR_SPLIT = re.compile(r"\s*\|\|?\s*")
_HINT = "Use ^1.2, ~1.2, 1.2.*, >=1.2,<2 or an exact version."
# Keys of a Poetry dependency table (poetry-core's schema).
DEPENDENCY_KEYS = frozenset(
    {
        "version",
        "python",
        "platform",
        "markers",
        "optional",
        "extras",
        "source",
        "allow-prereleases",
        "allows-prereleases",
        "develop",
        "path",
        "file",
        "git",
        "branch",
        "tag",
        "rev",
        "subdirectory",
        "url",
    }
)


def _release(version: str) -> tuple[int, ...]:
    try:
        return Version(version).release
    except InvalidVersion:
        raise ValueError(version) from None


def _lower(version: str) -> str:
    # Keep plain releases as written (``1.2`` stays ``1.2``); normalize the rest.
    return version if re.fullmatch(r"\d+(\.\d+)*", version) else str(Version(version))


def _upper(release: tuple[int, ...], position: int) -> str:
    """``release`` with component ``position`` raised by one and zeros after.

    The bound keeps as many components as were written (``^1.2`` -> ``<2.0``),
    as Poetry prints them.
    """
    upper = list(release[: position + 1])
    upper[position] += 1
    upper += [0] * (len(release) - len(upper))
    return ".".join(map(str, upper))


def _caret(version: str) -> str:
    release = _release(version)
    # Bump the left-most non-zero component among those written.
    position = next((i for i, v in enumerate(release) if v != 0), len(release) - 1)
    return f">={_lower(version)},<{_upper(release, position)}"


def _tilde(version: str) -> str:
    release = _release(version)
    return f">={_lower(version)},<{_upper(release, 0 if len(release) == 1 else 1)}"


def _alternatives(constraint: str) -> list[str]:
    return [a for a in _OR_SPLIT.split(constraint.strip()) if a.strip()]


def poetry_to_pep440(constraint: str) -> str:
    """Translate one Poetry version constraint to a PEP 440 specifier ('' = any version).

    Raises SpecError (without a location; callers add it) when the constraint
    cannot be read or cannot be said in PEP 440.
    """
    text = constraint.strip()
    if text in ("", "*"):
        return ""
    alternatives = _alternatives(text)
    translated = [_conjunction(a, constraint) for a in alternatives]
    if len(translated) == 1:
        return translated[0]
    if any(t == "" for t in translated):
        return ""  # one alternative allows every version
    joined = union_of(translated)
    if joined is None:
        raise SpecError(
            f"Poetry constraint {constraint!r} has alternatives (||) that do not join into "
            "one range; a PEP 440 specifier is a list of conditions that must all hold, so it "
            "cannot say 'this or that'",
            hint="Replace it with one range that covers what you need (e.g. >=1.2,<3), "
            "or pin the version you use.",
        )
    return joined


def _conjunction(alternative: str, constraint: str) -> str:
    pieces = [p for p in _AND_SPLIT.split(alternative.strip()) if p.strip()]
    out: list[str] = []
    for piece in pieces:
        try:
            out.append(_one(piece.strip()))
        except ValueError:
            raise SpecError(f"cannot read Poetry constraint {constraint!r}", hint=_HINT) from None
    result = ",".join(o for o in out if o)
    try:
        SpecifierSet(result)
    except InvalidSpecifier:
        raise SpecError(
            f"Poetry constraint {constraint!r} becomes {result!r}, which is not valid PEP 440",
            hint=_HINT,
        ) from None
    return result


def _one(piece: str) -> str:
    if piece == "*":
        return ""
    if piece.startswith("^"):
        return _caret(piece[1:].strip())
    if piece.startswith("~") and not piece.startswith("~="):
        return _tilde(piece[1:].strip())
    match = _COMPARISON.fullmatch(piece)
    if not match:
        raise ValueError(piece)
    operator, version = match.group(1) or "", match.group(2)
    if operator in ("", "="):
        operator = "=="
    elif operator == "<>":
        operator = "!="
    if version.startswith("v") and version[1:2].isdigit():
        version = version[1:]
    if version != "*" and not version[0].isdigit():
        raise ValueError(piece)
    if version == "*":
        if operator != "==":
            raise ValueError(piece)
        return ""
    return f"{operator}{version}"


# -- unions of ranges ------------------------------------------------------------------

# A bound: (version, inclusive); None is unbounded.
_Bound = tuple[Version, bool] | None


def _interval(spec: str) -> tuple[_Bound, _Bound] | None:
    """The range a specifier set admits, or None when it is not one range."""
    lower: _Bound = None
    upper: _Bound = None

    def tighter_lower(a: _Bound, b: _Bound) -> _Bound:
        if a is None or b is None:
            return a or b
        if a[0] != b[0]:
            return a if a[0] > b[0] else b
        return a if not a[1] else b

    def tighter_upper(a: _Bound, b: _Bound) -> _Bound:
        if a is None or b is None:
            return a or b
        if a[0] != b[0]:
            return a if a[0] < b[0] else b
        return a if not a[1] else b

    for item in SpecifierSet(spec):
        bounds = _spec_bounds(item)
        if bounds is None:
            return None
        lower, upper = tighter_lower(lower, bounds[0]), tighter_upper(upper, bounds[1])
    return lower, upper


def _spec_bounds(item: Specifier) -> tuple[_Bound, _Bound] | None:
    operator, text = item.operator, item.version
    if operator in ("!=", "==="):
        return None
    if text.endswith(".*"):
        if operator != "==":
            return None
        release = Version(text[:-2]).release
        return (Version(text[:-2]), True), (Version(_upper(release, len(release) - 1)), False)
    version = Version(text)
    if operator == "~=":
        release = version.release
        return (version, True), (Version(_upper(release[:-1], len(release) - 2)), False)
    table: dict[str, tuple[_Bound, _Bound]] = {
        ">=": ((version, True), None),
        ">": ((version, False), None),
        "<=": (None, (version, True)),
        "<": (None, (version, False)),
        "==": ((version, True), (version, True)),
    }
    return table[operator]


def union_of(specifiers: list[str]) -> str | None:
    """One PEP 440 specifier for the union of ``specifiers``, if the ranges join into one."""
    intervals = []
    for spec in specifiers:
        interval = _interval(spec)
        if interval is None:
            return None
        intervals.append(interval)

    def lower_key(item: tuple[_Bound, _Bound]) -> tuple[int, Version, int]:
        low = item[0]
        return (0, Version("0"), 0) if low is None else (1, low[0], 0 if low[1] else 1)

    intervals.sort(key=lower_key)
    current_low, current_high = intervals[0]
    for low, high in intervals[1:]:
        if current_high is not None and low is not None:
            gap = low[0] > current_high[0] or (
                low[0] == current_high[0] and not (low[1] or current_high[1])
            )
            if gap:
                return None
        if current_high is None or high is None:
            current_high = None
        elif high[0] > current_high[0] or (high[0] == current_high[0] and high[1]):
            current_high = high
    parts: list[str] = []
    if current_low is not None and current_high is not None and current_low == current_high:
        return f"=={current_low[0]}"
    if current_low is not None:
        parts.append(f"{'>=' if current_low[1] else '>'}{current_low[0]}")
    if current_high is not None:
        parts.append(f"{'<=' if current_high[1] else '<'}{current_high[0]}")
    return ",".join(parts)


# -- markers ------------------------------------------------------------------------------


def python_marker(constraint: str) -> str:
    """A PEP 508 marker for Poetry's ``python = "..."`` on one dependency ('' = always).

    A bound with a patch number compares ``python_full_version``, since
    ``python_version`` holds only major.minor (``^3.8.1`` must hold on 3.8.5).
    Alternatives (``<3.8 || >=3.10``) become ``or``.
    """
    alternatives = _alternatives(constraint) or ["*"]
    markers: list[str] = []
    for alternative in alternatives:
        spec = poetry_to_pep440(alternative)
        if not spec:
            return ""
        parts: list[str] = []
        for item in spec.split(","):
            match = re.match(r"(===|==|!=|>=|<=|~=|>|<)(.*)", item)
            if not match:  # pragma: no cover - poetry_to_pep440 only yields these
                continue
            operator, version = match.groups()
            variable = (
                "python_full_version"
                if len(version.removesuffix(".*").split(".")) > 2
                else "python_version"
            )
            parts.append(f"{variable} {operator} '{version}'")
        markers.append(" and ".join(parts))
    if len(markers) == 1:
        return markers[0]
    return " or ".join(f"({m})" if " and " in m else m for m in markers)


def platform_marker(constraint: str) -> str:
    """Poetry's ``platform = "..."`` (``linux``, ``linux || darwin``, ``!=win32``) as a marker."""
    alternatives: list[str] = []
    for alternative in _alternatives(constraint):
        parts: list[str] = []
        for item in re.split(r"\s*,\s*|\s+", alternative.strip()):
            if not item:
                continue
            operator = "=="
            if item.startswith("!="):
                operator, item = "!=", item[2:]
            elif item.startswith("=="):
                item = item[2:]
            elif item.startswith("!"):
                # poetry-core reads "!win32" as a platform literally named so,
                # which never matches: refuse rather than guess either way.
                raise SpecError(
                    f"platform {constraint!r}: Poetry reads {item!r} as a platform name, "
                    "so this dependency would never be installed",
                    hint=f'Write platform = "!={item[1:]}" to exclude {item[1:]}.',
                )
            if not re.fullmatch(r"[A-Za-z0-9_.-]+", item):
                raise SpecError(
                    f"cannot read platform {constraint!r}",
                    hint='Write a sys.platform value such as "linux", "darwin" or "win32".',
                )
            parts.append(f"sys_platform {operator} '{item}'")
        if parts:
            alternatives.append(" and ".join(parts))
    if not alternatives:
        return ""
    if len(alternatives) == 1:
        return alternatives[0]
    return " or ".join(f"({a})" if " and " in a else a for a in alternatives)


# -- dependency entries ----------------------------------------------------------------


@dataclass(frozen=True)
class PoetryDependency:
    """One PEP 508 requirement a Poetry dependency entry stands for.

    ``path`` is the local path as written (relative to pyproject.toml);
    the reader turns it into a project-relative one.  ``source`` names a
    ``[[tool.poetry.source]]`` the package must come from.
    """

    text: str
    optional: bool = False
    path: str | None = None
    editable: bool = False
    source: str | None = None
    allow_prerelease: bool = False


def _git_url(url: str) -> str:
    # Poetry accepts scp-like addresses (git@host:org/repo.git); PEP 508 needs a URL.
    scp = re.fullmatch(r"(?P<user>[\w.-]+)@(?P<host>[\w.-]+):(?P<path>[^/].*)", url)
    if scp and "://" not in url:
        url = f"ssh://{scp['user']}@{scp['host']}/{scp['path']}"
    return url if url.startswith("git+") else f"git+{url}"


def dependency_requirements(name: str, value: Any) -> list[PoetryDependency]:
    """PEP 508 requirements for one ``name = value`` entry of a Poetry dependency table."""
    if isinstance(value, list):
        out: list[PoetryDependency] = []
        for item in value:
            if not isinstance(item, (str, Mapping)):
                raise SpecError(
                    f"dependency {name!r}: each alternative must be a table",
                    hint='Write [{version = "^1.0", python = "<3.12"}, ...].',
                )
            out += dependency_requirements(name, item)
        return out
    if isinstance(value, str):
        return [PoetryDependency(f"{name}{poetry_to_pep440(value)}")]
    if not isinstance(value, Mapping):
        raise SpecError(
            f"cannot read the dependency {name!r}",
            hint='Use a version string ("^1.2") or a table ({ version = "^1.2" }).',
        )
    unknown = sorted(str(k) for k in value if k not in DEPENDENCY_KEYS)
    if unknown:
        raise SpecError(
            f"dependency {name!r}: unknown key {unknown[0]!r}",
            hint=f"Poetry reads: {', '.join(sorted(DEPENDENCY_KEYS - {'allows-prereleases'}))}.",
        )
    _check_kind(name, value)
    extras = value.get("extras") or []
    if not isinstance(extras, list) or not all(isinstance(e, str) for e in extras):
        raise SpecError(f"dependency {name!r}: extras must be a list of names")
    extra_text = f"[{','.join(extras)}]" if extras else ""
    marker_text = _entry_marker(name, value)
    optional = bool(value.get("optional"))
    source = value.get("source")
    if source is not None and not isinstance(source, str):
        raise SpecError(f"dependency {name!r}: source must name a [[tool.poetry.source]]")
    allow = bool(value.get("allow-prereleases", value.get("allows-prereleases", False)))
    for local in ("path", "file"):
        if local in value:
            path = str(value[local])
            if value.get("subdirectory") and local == "path":
                path = f"{path.rstrip('/')}/{value['subdirectory']}"
            return [
                PoetryDependency(
                    f"{name}{extra_text} @ {path}{marker_text}",
                    optional=optional,
                    path=path,
                    editable=bool(value.get("develop")),
                )
            ]
    if "git" in value:
        rev = value.get("rev") or value.get("tag") or value.get("branch")
        url = _git_url(str(value["git"])) + (f"@{rev}" if rev else "")
        if value.get("subdirectory"):
            url += f"#subdirectory={value['subdirectory']}"
        return [PoetryDependency(f"{name}{extra_text} @ {url}{marker_text}", optional=optional)]
    if "url" in value:
        url = str(value["url"])
        if value.get("subdirectory"):
            url += f"#subdirectory={value['subdirectory']}"
        return [PoetryDependency(f"{name}{extra_text} @ {url}{marker_text}", optional=optional)]
    spec = poetry_to_pep440(str(value.get("version", "*")))
    return [
        PoetryDependency(
            f"{name}{extra_text}{spec}{marker_text}",
            optional=optional,
            source=source,
            allow_prerelease=allow,
        )
    ]


# The keys each kind of Poetry dependency table takes beyond those every kind takes
# (poetry-core's schema: git-, file-, path-, url- and long-dependency, none of which
# admits another's keys). A key of another kind was dropped here, where Poetry refuses
# the whole file: `{git = ..., version = "^1.0"}` locked any revision of the default branch.
_COMMON_KEYS = frozenset({"python", "platform", "markers", "optional", "extras"})
_KIND_KEYS = {
    "git": frozenset(
        {
            "branch",
            "tag",
            "rev",
            "subdirectory",
            "develop",
            "allow-prereleases",
            "allows-prereleases",
        }
    ),
    "path": frozenset({"subdirectory", "develop"}),
    "file": frozenset({"subdirectory"}),
    "url": frozenset({"subdirectory"}),
    # develop too: Poetry 2 refines a [project] path requirement with `{ develop = true }`.
    "version": frozenset({"source", "allow-prereleases", "allows-prereleases", "develop"}),
}


def _check_kind(name: str, value: Mapping[str, Any]) -> None:
    """Refuse a dependency table that mixes the keys of two kinds, as Poetry does."""
    kinds = [k for k in ("git", "path", "file", "url") if k in value]
    if len(kinds) > 1:
        raise SpecError(
            f"dependency {name!r} names both {kinds[0]!r} and {kinds[1]!r}",
            hint="A Poetry dependency comes from one place: keep one of them "
            "(Poetry refuses the file as it is).",
        )
    kind = kinds[0] if kinds else "version"
    allowed = _COMMON_KEYS | _KIND_KEYS[kind] | {kind}
    extra = [str(k) for k in value if k not in allowed]
    if extra:
        what = f"a {kind} dependency" if kinds else "a dependency with a version"
        raise SpecError(
            f"dependency {name!r}: {what} takes no {extra[0]!r} key",
            hint="Poetry refuses it too (`poetry check`): "
            + (
                "pin a git revision with rev, tag or branch, or depend on a release "
                "with version instead."
                if kind == "git"
                else f"remove {extra[0]!r}, or write the dependency in the form that takes it."
            ),
        )


def _entry_marker(name: str, value: Mapping[str, Any]) -> str:
    markers: list[str] = []
    if value.get("markers"):
        markers.append(f"({value['markers']})")
    if value.get("python"):
        marker = python_marker(str(value["python"]))
        if marker:
            markers.append(f"({marker})")
    if value.get("platform"):
        marker = platform_marker(str(value["platform"]))
        if marker:
            markers.append(f"({marker})")
    return f" ; {' and '.join(markers)}" if markers else ""


def requires_python(constraint: str) -> str | None:
    """Poetry's project-wide ``python = "..."`` as a PEP 440 range (None = any)."""
    return poetry_to_pep440(constraint) or None

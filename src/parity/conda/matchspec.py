"""Conda match specs (``numpy=1.26``, ``pytorch::pytorch >=2.1 *cuda*``) as values.

parity reads the forms conda and conda-forge documentation use in
``environment.yml`` files: a name with an optional ``channel::`` prefix, then a
version and a build string written after a space, after ``=`` (``name=1.2=py*``)
or glued to the name with an operator (``name>=1.2,<2``), and the bracket form
(``name[version='>=1.2', build=py*]``).  :func:`to_pep440` translates the
version part to a PEP 440 specifier where the two mean the same, and says why
when they do not (alternatives with ``|``, build strings, versions PEP 440 cannot
spell).
"""

from __future__ import annotations

import re

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from parity.frozen import dataclass

# A conda channel: a name (``conda-forge``, ``pytorch``, ``conda-forge/label/rc``),
# a URL (https, http, file, s3, gs) or a local directory.
CHANNEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9_.-]+)*")
CHANNEL_URL = re.compile(r"(https?|file|s3|gs|oci)://\S+")
_LOCAL_CHANNEL = re.compile(r"(\.{1,2}/|/|~/)\S*")
PACKAGE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+-]*")
_OPERATOR = re.compile(r"(==|!=|>=|<=|~=|>|<|=)")
# Versions that conda and PEP 440 order the same way: release numbers with an
# optional pre-, post- or dev-release in PEP 440's own spelling.
_PLAIN_VERSION = re.compile(r"\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?")
_BRACKET_KEY = re.compile(r"\s*([A-Za-z_]+)\s*=\s*('[^']*'|\"[^\"]*\"|[^,\]]*)\s*(,|$)")


class MatchSpecError(ValueError):
    """A string that is not a conda match spec parity can read."""


@dataclass(frozen=True)
class MatchSpec:
    """One conda package request.

    ``version`` is the version constraint in conda's syntax (``1.26.*``,
    ``>=1.26,<2``, ``1.2|1.3``), None when any version will do; ``build`` the
    build string pattern (``py311*``, ``*cuda*``).
    """

    text: str
    name: str
    channel: str | None = None
    version: str | None = None
    build: str | None = None
    subdir: str | None = None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Pep440:
    """A conda version constraint in PEP 440 terms.

    ``specifier`` is "" for any version, None when no PEP 440 specifier means the
    same; ``note`` says what was lost or why there is no translation.
    """

    specifier: str | None
    note: str | None = None


def is_channel(text: str) -> bool:
    """Whether ``text`` is a channel conda would accept (name, URL or local directory)."""
    return bool(
        CHANNEL_NAME.fullmatch(text)
        or CHANNEL_URL.fullmatch(text)
        or _LOCAL_CHANNEL.fullmatch(text)
    )


def parse_match_spec(text: str) -> MatchSpec:
    """Read one match spec; :class:`MatchSpecError` says what is wrong with it."""
    raw = text.strip()
    if not raw:
        raise MatchSpecError("an empty package name")
    body = raw
    channel: str | None = None
    subdir: str | None = None
    if "::" in body:
        channel, _, body = body.partition("::")
        channel = channel.strip()
        if "/" in channel and not CHANNEL_URL.fullmatch(channel):
            head, _, tail = channel.rpartition("/")
            if _is_subdir(tail):
                channel, subdir = head, tail
        if not channel or not is_channel(channel):
            raise MatchSpecError(f"{channel!r} is not a channel name or URL")
        body = body.strip()
    bracket: dict[str, str] = {}
    if body.endswith("]") and "[" in body:
        body, _, inner = body.partition("[")
        bracket = _bracket(inner[:-1])
        body = body.strip()
    match = PACKAGE_NAME.match(body)
    if match is None:
        raise MatchSpecError(f"{raw!r} does not start with a package name")
    name = match.group(0)
    rest = body[match.end() :]
    version, build = _version_and_build(rest, raw)
    if "version" in bracket:
        version = bracket["version"] or version
    if "build" in bracket:
        build = bracket["build"] or build
    if "channel" in bracket and channel is None:
        channel = bracket["channel"]
    if "subdir" in bracket:
        subdir = bracket["subdir"]
    unknown = sorted(set(bracket) - {"version", "build", "channel", "subdir", "build_number"})
    if unknown:
        raise MatchSpecError(f"unknown key {unknown[0]!r} in the brackets of {raw!r}")
    if version is not None:
        _check_version_syntax(version, raw)
    return MatchSpec(
        text=raw,
        name=name.lower(),
        channel=channel,
        version=version,
        build=build,
        subdir=subdir,
    )


def _is_subdir(text: str) -> bool:
    return text == "noarch" or bool(
        re.fullmatch(r"(linux|osx|win|emscripten|wasi)-[a-z0-9]+", text)
    )


def _bracket(inner: str) -> dict[str, str]:
    out: dict[str, str] = {}
    pos = 0
    while pos < len(inner):
        match = _BRACKET_KEY.match(inner, pos)
        if match is None or match.end() == pos:
            raise MatchSpecError(f"cannot read [{inner}]: write key=value pairs")
        value = match.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        out[match.group(1)] = value.strip()
        pos = match.end()
    return out


def _version_and_build(rest: str, raw: str) -> tuple[str | None, str | None]:
    """The version and build of what follows the name (``=1.2=py*``, ``>=1,<2``, `` 1.2 py*``)."""
    if not rest.strip():
        return None, None
    if rest[0].isspace():
        parts = rest.split()
        # ``name >= 1.2`` (spaces around the operator) is one version constraint.
        joined = _join_operator_parts(parts)
        if len(joined) > 2:
            raise MatchSpecError(f"{raw!r} has more than a version and a build string")
        version = joined[0]
        build = joined[1] if len(joined) == 2 else None
        if version.startswith("=") and not version.startswith("=="):
            version = _fuzzy(version[1:])
        return version, build
    if rest.startswith("=") and not rest.startswith("=="):
        # ``name=1.2`` (1.2.*) or ``name=1.2=build``.
        version, _, build = rest[1:].partition("=")
        if not version:
            raise MatchSpecError(f"{raw!r} has '=' but no version")
        if "=" in build:
            raise MatchSpecError(f"{raw!r} has more than a version and a build string")
        if build:
            return version, build
        return _fuzzy(version), None
    if _OPERATOR.match(rest) or rest[0] == "*":
        if " " in rest.strip():
            version, _, build = rest.strip().partition(" ")
            return version, build.strip() or None
        return rest.strip(), None
    raise MatchSpecError(f"cannot read {raw!r}: unexpected {rest[0]!r} after the package name")


def _join_operator_parts(parts: list[str]) -> list[str]:
    out: list[str] = []
    for part in parts:
        if (
            out and (re.fullmatch(r"(==|!=|>=|<=|~=|>|<|=)", out[-1]) or out[-1].endswith(","))
        ) or (out and part.startswith(",")):
            out[-1] += part
        else:
            out.append(part)
    return out


def _fuzzy(version: str) -> str:
    """conda's ``=1.2`` means 1.2 or any 1.2.x."""
    if version.endswith("*") or "," in version or "|" in version:
        return version
    return f"{version}.*"


_VERSION_CLAUSE = re.compile(r"(==|!=|>=|<=|~=|>|<|=)?[0-9A-Za-z_.*+!]+")


def _check_version_syntax(version: str, raw: str) -> None:
    """Each clause of a constraint (``,`` and, ``|`` or) is an operator and a version."""
    clauses = re.split(r"[,|]", version.replace("(", "").replace(")", ""))
    if not all(_VERSION_CLAUSE.fullmatch(c.strip()) for c in clauses):
        raise MatchSpecError(f"{version!r} in {raw!r} is not a conda version constraint")


# -- PEP 440 --------------------------------------------------------------------


def to_pep440(spec: MatchSpec) -> Pep440:
    """The PEP 440 specifier that means what ``spec``'s version constraint means."""
    note = None
    if spec.build is not None and spec.build != "*":
        note = f"build string {spec.build!r} has no PEP 440 form (dropped)"
    if spec.version is None or spec.version in ("*", "*.*"):
        return Pep440("", note)
    translated = version_to_pep440(spec.version)
    if translated.specifier is None:
        return translated
    return Pep440(translated.specifier, note or translated.note)


def version_to_pep440(version: str) -> Pep440:
    """Translate a conda version constraint (no build string) to a PEP 440 specifier."""
    if "|" in version:
        return Pep440(None, f"{version!r}: alternatives ('|') have no PEP 440 form")
    if "(" in version or ")" in version:
        return Pep440(None, f"{version!r}: grouping has no PEP 440 form")
    parts: list[str] = []
    for clause in version.split(","):
        clause = clause.strip()
        if not clause or clause in ("*", "*.*"):
            continue
        translated = _clause(clause)
        if translated is None:
            return Pep440(None, f"{version!r}: {clause!r} has no PEP 440 form")
        parts.append(translated)
    text = ",".join(parts)
    try:
        SpecifierSet(text)
    except InvalidSpecifier:
        return Pep440(None, f"{version!r} is not a valid PEP 440 specifier")
    return Pep440(text)


def _clause(clause: str) -> str | None:
    match = _OPERATOR.match(clause)
    operator = match.group(1) if match else ""
    value = clause[len(operator) :].strip()
    if operator == "=":
        operator, value = "==", _fuzzy(value)
    if not operator:
        operator = "=="
        if value.endswith("*") and not value.endswith(".*"):
            value = value[:-1].rstrip(".") + ".*"
    wildcard = value.endswith(".*")
    number = value[:-2] if wildcard else value
    if wildcard and operator not in ("==", "!="):
        # conda reads ``>=1.2.*`` as ``>=1.2``.
        wildcard = False
        value = number
    if not _PLAIN_VERSION.fullmatch(number):
        return None
    try:
        Version(number)
    except InvalidVersion:
        return None
    return f"{operator}{value}"


def exact_version(spec: MatchSpec) -> str | None:
    """The one version ``spec`` allows (``numpy==1.26.4``, ``numpy 1.26.4``), else None."""
    if spec.version is None:
        return None
    version = spec.version.strip()
    if version.startswith("=="):
        version = version[2:]
    if any(c in version for c in "*,|<>=!~()"):
        return None
    return version


def from_pep440(specifier: str) -> str | None:
    """A PEP 440 specifier in conda's version syntax ("" for any version), or None.

    ``>=2.0,<3`` stays as it is, ``==2.1.*`` becomes ``2.1.*``; ``===``,
    local versions (``+cu118``) and versions conda orders differently have
    no conda form.
    """
    parts: list[str] = []
    for clause in (c.strip() for c in specifier.split(",") if c.strip()):
        match = re.fullmatch(r"(==|!=|>=|<=|~=|>|<)\s*(\S+)", clause)
        if match is None:
            return None
        operator, value = match.groups()
        number = value[:-2] if value.endswith(".*") else value
        if not _PLAIN_VERSION.fullmatch(number):
            return None
        if operator == "==" and value.endswith(".*"):
            parts.append(value)
        else:
            parts.append(f"{operator}{value}")
    return ",".join(parts)

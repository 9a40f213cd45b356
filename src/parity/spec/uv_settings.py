"""The values of ``[tool.uv]`` resolver settings, checked as uv 0.13 reads them.

uv reads a project's settings with a strict schema.  A value it refuses
either fails ``uv lock`` ("Failed to parse: pyproject.toml") or, for most
settings, only makes it warn and then read *none* of the file's settings: the
lock then silently ignores every one of them.  parity carries these settings
into its resolution as written, so each is checked here first, and a value uv
would refuse is an error at its line.  Each function returns what is wrong
(the words after ``[tool.uv] <key>``), or None when uv reads the value.

Measured against uv 0.13.9 (``tests/spec/test_uv_settings.py`` asks uv itself
about every form listed there).
"""

from __future__ import annotations

from collections.abc import Mapping

from parity.patterns import lazy_pattern

TYPE_CHECKING = False  # not typing's: imported while a project is read
if TYPE_CHECKING:
    from typing import Any

PRERELEASE_MODES = ("disallow", "allow", "if-necessary", "explicit", "if-necessary-or-explicit")
LIBC_FAMILIES = ("glibc", "musl")
METADATA_KEYS = (
    "name",
    "version",
    "requires-dist",
    "requires-python",
    "provides-extra",
    "provides-extras",
)

_name = lazy_pattern(r"^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$")
_libc = lazy_pattern(r"^[0-9]+\.[0-9]+$")
_date = lazy_pattern(r"^([0-9]{4})-?([0-9]{2})-?([0-9]{2})$")
_timestamp = lazy_pattern(
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([0-9]{2})(?::?([0-9]{2})(?::?([0-9]{2})([.,][0-9]{1,9})?)?)?"
    r"([Zz]|[+-][0-9]{2}(?::?[0-9]{2})?)?$"
)
_iso_span = lazy_pattern(
    r"^[+-]?[Pp](?:([0-9]+)[Yy])?(?:([0-9]+)[Mm])?(?:[0-9]+[Ww])?(?:[0-9]+[Dd])?"
    r"(?:[Tt](?:[0-9]+(?:[.,][0-9]+)?[Hh])?(?:[0-9]+(?:[.,][0-9]+)?[Mm])?"
    r"(?:[0-9]+(?:[.,][0-9]+)?[Ss])?)?$"
)
_friendly_part = lazy_pattern(r"([0-9]+)(\.[0-9]+)? ?([a-zµμ]+)(?:, ?| )?")
# jiff's friendly span units (uv reads spans with jiff), longest first, largest unit first.
_UNITS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("years", ("years", "year", "yrs", "yr", "y")),
    ("months", ("months", "month", "mos", "mo")),
    ("weeks", ("weeks", "week", "wks", "wk", "w")),
    ("days", ("days", "day", "d")),
    ("hours", ("hours", "hour", "hrs", "hr", "h")),
    ("minutes", ("minutes", "minute", "mins", "min", "m")),
    ("seconds", ("seconds", "second", "secs", "sec", "s")),
    ("milliseconds", ("milliseconds", "millisecond", "msecs", "msec", "ms")),
    ("microseconds", ("microseconds", "microsecond", "usecs", "usec", "µs", "μs", "us")),
    ("nanoseconds", ("nanoseconds", "nanosecond", "nsecs", "nsec", "ns")),
)
_UNIT_RANK = {word: rank for rank, (_, words) in enumerate(_UNITS) for word in words}
_EXCLUDE_NEWER_WORDS = (
    'a date ("2024-06-01"), a timestamp ("2024-06-01T00:00:00Z"), a span ("1 week", "P7D") or false'
)


def is_name(value: object) -> bool:
    return isinstance(value, str) and bool(_name().match(value))


# The other keys uv reads under [tool.uv] (none changes a lock), by the type uv takes: a
# value of another type makes uv warn and then ignore every setting of the file, or fail.
_ENUMS: dict[str, tuple[str, ...]] = {
    "add-bounds": ("lower", "major", "minor", "exact"),
    "keyring-provider": ("disabled", "subprocess"),
    "link-mode": ("clone", "reflink", "copy", "hardlink", "symlink"),
    "python-downloads": ("auto", "automatic", "manual", "never"),
    "python-preference": ("only-managed", "managed", "system", "only-system"),
    "trusted-publishing": ("automatic", "always", "never"),
}
_BOOLS = frozenset(
    {
        "compile-bytecode", "native-tls", "no-cache", "no-index", "offline", "preview",
        "reinstall", "system-certs", "managed", "package",
    }
)  # fmt: skip
_STRINGS = frozenset(
    {
        "cache-dir", "check-url", "graalpy-install-mirror", "http-proxy", "https-proxy",
        "index-url", "publish-url", "pyodide-install-mirror", "pypy-install-mirror",
        "python-downloads-json-url", "python-install-mirror", "required-version",
        "torch-backend",
    }
)  # fmt: skip
_STRING_LISTS = frozenset({"allow-insecure-host", "extra-index-url", "find-links", "no-proxy"})
_COUNTS = frozenset({"concurrent-builds", "concurrent-downloads", "concurrent-installs"})


def other_setting(key: str, value: Any) -> str | None:
    """What uv would refuse in one of the keys parity does not carry (None: fine or unchecked)."""
    if key in _ENUMS:
        modes = ", ".join(f'"{m}"' for m in _ENUMS[key])
        return None if value in _ENUMS[key] else f"must be one of {modes}, not {_shown(value)}"
    if key in _BOOLS:
        return None if isinstance(value, bool) else f"must be true or false, not {_shown(value)}"
    if key in _STRINGS:
        return None if isinstance(value, str) else f"must be a string, not {_shown(value)}"
    if key in _STRING_LISTS:
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return None if ok else f"must be a list of strings, not {_shown(value)}"
    if key in _COUNTS:
        ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
        return None if ok else f"must be a whole number above 0, not {_shown(value)}"
    if key == "reinstall-package":
        return names(value)
    if key == "preview-features":
        ok = isinstance(value, bool) or (
            isinstance(value, list) and all(isinstance(v, str) for v in value)
        )
        return None if ok else "must be true, false or a list of preview feature names"
    if key == "default-groups":
        ok = value == "all" or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        return None if ok else 'must be "all" or a list of group names'
    if key in ("pip", "audit") and not isinstance(value, Mapping):
        return "must be a table"
    if key == "cache-keys" and not isinstance(value, list):
        return "must be a list"
    return None


def names(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "must be a list of package names"
    bad = [v for v in value if not is_name(v)]
    return f"must be a list of package names: {bad[0]!r} is not one" if bad else None


def exclude_newer(value: Any) -> str | None:
    """A date, a timestamp, a span without years or months, or false (true is refused)."""
    if value is False:
        return None
    if isinstance(value, Mapping):
        # The form uv writes in its own lock's options: a timestamp with its offset.
        stamp = value.get("timestamp")
        match = _timestamp().match(stamp) if isinstance(stamp, str) else None
        if match is None or not match.group(6) or _cutoff_problem(match.group(0)) is not None:
            return 'as a table needs timestamp = "<date>T<time><offset>" ("2024-06-01T00:00:00Z")'
        return None
    if not isinstance(value, str):
        return f"must be {_EXCLUDE_NEWER_WORDS}, not {_shown(value)}"
    problem = _cutoff_problem(value)
    return None if problem is None else f"{value!r}: {problem}"


def exclude_newer_package(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return "must be a table of package names to " + _EXCLUDE_NEWER_WORDS
    for name, cutoff in value.items():
        if not is_name(name):
            return f"names {name!r}, which is not a package name"
        problem = exclude_newer(cutoff)
        if problem is not None:
            return f"{name}: {problem}"
    return None


def _cutoff_problem(text: str) -> str | None:
    if _date().match(text):
        return None if _valid_date(text) else "not a valid date"
    stamp = _timestamp().match(text)
    if stamp:
        hour, minute, second = (int(g or 0) for g in stamp.group(2, 3, 4))
        if _valid_date(stamp.group(1)) and hour < 24 and minute < 60 and second <= 60:
            return None
        return "not a valid timestamp"
    iso = _iso_span().match(text)
    if iso and text.lstrip("+-")[1:] not in ("", "T", "t"):
        years, months = iso.group(1, 2)
        if years or months:
            return _calendar_refused("years" if years else "months")
        return None
    return _friendly_problem(text)


def _friendly_problem(text: str) -> str | None:
    """jiff's friendly spans: ``1 week``, ``1w2d``, ``1 week, 2 days``, ``2 weeks ago``.

    Units largest first, each once; a fraction only on the last, and only of
    hours or smaller units.
    """
    body = text.rstrip(" ")
    body = body[: -len(" ago")] if body.endswith(" ago") else body
    body = body[1:] if body[:1] in ("+", "-") else body
    unparsed = "not a date, a timestamp or a span uv reads"
    at, ranks, fraction = 0, [-1], False
    while at < len(body):
        part = _friendly_part().match(body, at)
        rank = _UNIT_RANK.get(part.group(3), -1) if part else -1
        if part is None or fraction or rank <= ranks[-1]:
            return unparsed
        fraction = bool(part.group(2))
        if fraction and rank < _UNIT_RANK["hours"]:
            return unparsed
        ranks.append(rank)
        at = part.end()
    if len(ranks) == 1:
        return unparsed
    if _UNIT_RANK["years"] in ranks:
        return _calendar_refused("years")
    if _UNIT_RANK["months"] in ranks:
        return _calendar_refused("months")
    return None


def _calendar_refused(unit: str) -> str:
    return f'uv refuses a span in {unit} (their length varies); give it in days, e.g. "30 days"'


def _valid_date(text: str) -> bool:
    import datetime

    match = _date().match(text)
    if match is None:
        return False
    try:
        datetime.date(*(int(g) for g in match.groups()))
    except ValueError:
        return False
    return True


def prerelease_package(value: Any) -> str | None:
    modes = ", ".join(f'"{m}"' for m in PRERELEASE_MODES)
    if not isinstance(value, Mapping):
        return f"must be a table of package names to one of {modes}"
    for name, mode in value.items():
        if not is_name(name):
            return f"names {name!r}, which is not a package name"
        if mode not in PRERELEASE_MODES:
            return f"{name}: must be one of {modes}, not {_shown(mode)}"
    return None


def config_settings(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return "must be a table of settings to a string or a list of strings"
    for key, setting in value.items():
        if not _string_or_strings(setting):
            return f"{key}: must be a string or a list of strings, not {_shown(setting)}"
    return None


def config_settings_package(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return "must be a table of package names to tables of settings"
    for name, settings in value.items():
        if not is_name(name):
            return f"names {name!r}, which is not a package name"
        problem = config_settings(settings)
        if problem is not None:
            return f"{name}: {problem}"
    return None


def extra_build_dependencies(value: Any) -> str | None:
    wanted = "must be a table of package names to lists of requirements"
    if not isinstance(value, Mapping):
        return wanted
    for name, items in value.items():
        if not is_name(name):
            return f"names {name!r}, which is not a package name"
        if not isinstance(items, list):
            return f"{name}: {wanted[len('must be a table of package names to ') :]} expected"
        for item in items:
            text = item
            if isinstance(item, Mapping):
                extra = set(item) - {"requirement", "match-runtime"}
                if extra or not isinstance(item.get("match-runtime", False), bool):
                    return f"{name}: a table takes requirement and match-runtime (true or false)"
                text = item.get("requirement")
            problem = _requirement_problem(text)
            if problem is not None:
                return f"{name}: {problem}"
    return None


def extra_build_variables(value: Any) -> str | None:
    if not isinstance(value, Mapping):
        return "must be a table of package names to tables of variables"
    for name, variables in value.items():
        if not is_name(name):
            return f"names {name!r}, which is not a package name"
        if not isinstance(variables, Mapping) or not all(
            isinstance(v, str) for v in variables.values()
        ):
            return f"{name}: must be a table of variable names to strings"
    return None


def requirements(value: Any) -> str | None:
    if not isinstance(value, list):
        return "must be a list of requirements"
    for item in value:
        problem = _requirement_problem(item)
        if problem is not None:
            return problem
    return None


def dependency_metadata(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        return "must be a list of tables"
    for entry in value:
        unknown = [k for k in entry if k not in METADATA_KEYS]
        if unknown:
            keys = ", ".join(METADATA_KEYS)
            return f"has {unknown[0]!r}, which uv does not read (it takes {keys})"
        if not is_name(entry.get("name")):
            return "needs a name (a package name) in every table"
        for key in ("version", "requires-python"):
            if key in entry and not isinstance(entry[key], str):
                return f"{entry['name']}: {key} must be a string"
        problem = requirements(entry.get("requires-dist", []))
        if problem is not None:
            return f"{entry['name']}: requires-dist {problem.removeprefix('must be ')}"
        for key in ("provides-extra", "provides-extras"):
            if key in entry and names(entry[key]) is not None:
                return f"{entry['name']}: {key} must be a list of extra names"
    return None


def markers(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return "must be a marker or a list of markers"
    from packaging.markers import InvalidMarker, Marker

    for item in value:
        try:
            Marker(item)
        except InvalidMarker:
            return f"{item!r} is not a valid marker"
    return None


def minimum_libc_version(value: Any) -> str | None:
    wanted = 'must be a table such as { glibc = "2.28" } (glibc and musl, each "<major>.<minor>")'
    if not isinstance(value, Mapping):
        return f"{wanted}, not {_shown(value)}"
    for family, version in value.items():
        if family not in LIBC_FAMILIES or not isinstance(version, str):
            return wanted
        if not _libc().match(version):
            return f'{family} {version!r} is not a version "<major>.<minor>" such as "2.28"'
    return None


def _requirement_problem(text: Any) -> str | None:
    if not isinstance(text, str):
        return f"must be a list of requirements, not {_shown(text)}"
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        Requirement(text)
    except InvalidRequirement:
        return f"{text!r} is not a valid requirement"
    return None


def _string_or_strings(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(v, str) for v in value)
    )


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return repr(value)

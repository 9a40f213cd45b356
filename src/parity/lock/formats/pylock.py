"""PEP 751 pylock.toml: every group in one file, readable by uv and pip.

``detect`` / ``read`` / ``parse`` / ``write``, as every module of
``lock/formats``.  Reading keeps a package's ``marker`` as written, including
the PEP 751 ``'dev' in dependency_groups`` clauses: evaluate it with
``context="lock_file"`` and the groups wanted.

Writing: uv writes the packages (with download URLs, sizes and hashes); parity adds
what uv's export leaves out: which dependency group each package belongs to
(``'dev' in dependency_groups`` markers, ``dependency-groups`` and
``default-groups``), and its own freshness digest under ``[tool.parity]``.
Credentials are stripped from every URL, and a file on this machine is never
named: such artifacts are written relative to the project, or not at all.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from parity.errors import EngineError, LockFileError
from parity.frozen import dataclass
from parity.lock.formats.files import load_lock_toml, nth_line, read_lock_text

# The [tool.parity] key of the indexes' digest (in lock.index: deciding that a lock is
# current reads it without importing this writer).
from parity.lock.index import INDEXES_KEY as INDEXES_KEY
from parity.lock.model import LockedGroup, LockMeta, Pin
from parity.names import canonical_name
from parity.patterns import lazy_pattern
from parity.redact import has_token, redact_url
from parity.spec.model import DEFAULT_GROUP

# The [tool.parity] key of uv's forks (the next lock starts from them).
FORKS_KEY = "resolution-markers"

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from typing import Any


def group_membership(groups: Sequence[LockedGroup]) -> dict[tuple[str, str | None], list[str]]:
    """Which groups hold each (name, version)."""
    members: dict[tuple[str, str | None], list[str]] = {}
    for group in groups:
        for pin in group.pins:
            bucket = members.setdefault((pin.name, pin.version), [])
            if group.name not in bucket:
                bucket.append(group.name)
    return members


def group_marker(names: Sequence[str]) -> str:
    return " or ".join(f"'{n}' in dependency_groups" for n in names)


def write(
    text: str,
    *,
    groups: Sequence[LockedGroup],
    root: Path,
    meta: LockMeta,
    index_digest: str | None = None,
    forks: Sequence[str] = (),
) -> tuple[str | None, str | None]:
    """Add group markers, parity's digest, and remove machine paths and credentials.

    ``index_digest`` (``lock/index.py``) records which indexes uv resolved
    against, so a later ``parity lock`` can tell they did not change.
    ``forks`` are the forks uv split the resolution into (its uv.lock's
    ``resolution-markers``): the next lock starts from them (see
    :func:`recorded_forks`).

    Returns the text to write (None when it cannot be written honestly) and a
    note for the user.  uv's output is read with tomllib once, to decide; then
    it is edited line by line (a full TOML round trip of a 100-package lock
    costs more than the resolution), and every line parity adds, changes or
    removes is proven valid TOML on its own (parsing the whole result again
    would cost as much as the first parse: 0.1 s for 300 packages).
    """
    packages = _scan_packages(text)
    if packages is None:  # not laid out as uv writes it: read it as TOML
        from parity import toml

        packages = [_from_table(p) for p in toml.loads(text).get("packages", [])]
    names = [g.name for g in groups]
    members = group_membership(groups)
    markers: dict[str, str] = {}
    has_marker: set[str] = set()
    dropped: list[str] = []
    local_paths: dict[str, str] = {}
    for package in packages:
        key = (package.name, package.version)
        in_groups = members.get(key, names)
        if set(in_groups) != set(names):
            marker = group_marker(in_groups)
            ident = f"{key[0]}=={key[1]}"
            env_marker = package.marker
            markers[ident] = f"({env_marker}) and ({marker})" if env_marker else marker
            if env_marker:
                has_marker.add(ident)
        for url in package.urls:
            if not url.startswith("file:"):
                continue
            relative = _inside(url, root)
            if relative is None:
                dropped.append(key[0])
            else:
                local_paths[url] = relative
        for path in package.paths:
            if not Path(path).is_absolute():
                continue
            # A source-tree package: PEP 751 paths are relative to the lock's directory.
            relative = _inside_path(path, root)
            if relative is None:
                dropped.append(key[0])
            else:
                local_paths[path] = relative
    if dropped:
        names = sorted(set(dropped))
        return None, (
            "pylock.toml not written: "
            + ", ".join(names)
            + (" comes" if len(names) == 1 else " come")
            + " from a local directory outside the project, and a lockfile must not "
            "name a path on this machine"
        )
    default = [DEFAULT_GROUP] if DEFAULT_GROUP in names else names[:1]
    out: list[str] = [
        "# This file is autogenerated by parity; regenerate it with:",
        "#    parity lock",
    ]
    current: str | None = None
    skipped_index = 0
    # No token anywhere: a line _as_written() matches that names no local file to make
    # relative is what _clean_locations returns for it (see _as_written).
    no_token = not has_token(text)
    local_keys = tuple(local_paths)

    def cleaned(line: str) -> str:
        if no_token and _as_written().fullmatch(line) and not any(k in line for k in local_keys):
            return line  # what _clean_locations returns for it, without the work
        new = _clean_locations(line, local_paths)
        return new if new == line else _valid(new)

    for line in text.splitlines():
        if line[:1] == " ":
            # An element of an array (a wheel, most lines): only its locations may change.
            out.append(cleaned(line))
            continue
        if line.startswith("#") and current is None:
            continue  # uv's own header
        if line == "[[packages]]":
            current = ""
        elif current is not None and line.startswith("name = "):
            current = _string_value(line)
        elif current is not None and line.startswith("version = "):
            current = f"{current}=={_string_value(line)}"
            out.append(line)
            if current in markers and current not in has_marker:
                out.append(_valid(f"marker = {json.dumps(markers.pop(current))}"))
            continue
        elif current is not None and line.startswith("marker = ") and current in markers:
            _valid(line)  # replaced whole: it must be a complete key/value line
            out.append(_valid(f"marker = {json.dumps(markers.pop(current))}"))
            continue
        elif current is None and line.startswith("created-by = "):
            _valid(line)
            line = 'created-by = "parity"'
        elif current is None and line.startswith("requires-python = "):
            out += [
                line,
                _valid(f"dependency-groups = {json.dumps(names)}"),
                _valid(f"default-groups = {json.dumps(default)}"),
            ]
            continue
        if current is not None and line.startswith(_LOCAL_INDEX):
            _valid(line)  # removed whole: it must be a complete key/value line
            skipped_index += 1  # PEP 751's index is a URL; a folder here has no portable one
            continue
        out.append(cleaned(line))
    tail = ["", "[tool.parity]", f"digest = {json.dumps(meta.digest)}"]
    if meta.python:
        tail.append(f"python = {json.dumps(meta.python)}")
    if index_digest:
        tail.append(f"{INDEXES_KEY} = {json.dumps(index_digest)}")
    if forks:
        tail += [f"{FORKS_KEY} = [", *(f"    {json.dumps(m)}," for m in forks), "]"]
    tail.append("")
    tail.append("[tool.parity.inputs]")
    tail += [f"{json.dumps(i.name)} = {json.dumps(i.digest)}" for i in meta.inputs]
    _valid_document("\n".join(tail))
    out += tail
    result = "\n".join(out) + "\n"
    note = None
    if skipped_index:
        note = (
            f"pylock.toml names no index for {skipped_index} package(s) found in a local "
            "folder (PEP 751 takes a URL there, and a file:// URL is a path on this machine); "
            "their files are named relative to the project"
        )
    return result, note


def _string_value(line: str) -> str:
    """The string of a ``key = "value"`` line (a TOML basic or literal string)."""
    try:
        value = json.loads(line.split("=", 1)[1])
    except ValueError:
        from parity import toml

        value = next(iter(toml.loads(line).values()), None)
    return str(value)


def _valid(line: str) -> str:
    """``line`` if it is valid TOML by itself: a key/value line, or an element of an array."""
    from parity import toml

    try:
        toml.loads(line)
    except toml.TOMLDecodeError:
        try:
            toml.loads("x = [" + line.strip().rstrip(",") + "]")
        except toml.TOMLDecodeError:
            raise EngineError(
                f"pylock.toml from uv could not be completed: {line.strip()[:80]!r} is not "
                "valid TOML on its own line",
                hint="Lock with --no-pylock, and report this with your uv version.",
            ) from None
    return line


def _valid_document(text: str) -> None:
    from parity import toml

    try:
        toml.loads(text)
    except toml.TOMLDecodeError as exc:  # a bug in parity, not bad input
        raise EngineError(f"pylock.toml could not be completed: {exc}") from None


@dataclass(frozen=True)
class _Package:
    """What post-processing needs of one ``[[packages]]`` entry of uv's pylock.toml."""

    name: str
    version: str | None
    marker: str | None
    urls: tuple[str, ...]  # artifact (and VCS) URLs: at least every local (file:) one
    paths: tuple[str, ...]  # every path of a directory, archive, VCS checkout or file


_KEYS = frozenset({"name", "version", "marker"})
_KEY_STARTS = frozenset(key[0] for key in _KEYS)


# A quoted string, escapes included: ``"(?:[^"\\]|\\.)*"`` unrolled, which matches the same
# text twice as fast (a pylock.toml holds thousands of URLs).
_location = lazy_pattern(r'\b(url|path) = "([^"\\]*(?:\\.[^"\\]*)*)"')


# The body of a JSON string that json.loads returns as it is: no quote, no
# backslash (so no escape) and no control character.
_plain_json_chars = lazy_pattern(r'[^"\\\x00-\x1f]*')


_plain_json_string = lazy_pattern(r'"([^"\\\x00-\x1f]*)"')


def _scan_packages(text: str) -> list[_Package] | None:
    """The packages of uv's pylock.toml read line by line, or None when unsure.

    uv writes one ``[[packages]]`` table per package with ``name``,
    ``version`` and ``marker`` as one-line strings and every location as a
    ``url = "..."`` / ``path = "..."`` pair on its line: reading that takes a
    fraction of what a TOML parse of the file takes.  Anything else (a value
    that is not a plain string, a package without a name) returns None, and
    the caller parses the file instead.
    """
    out: list[_Package] = []
    current: dict[str, Any] | None = None

    def close() -> bool:
        if current is None:
            return True
        if not isinstance(current.get("name"), str):
            return False
        out.append(
            _Package(
                name=current["name"],
                version=current.get("version"),
                marker=current.get("marker"),
                urls=tuple(current["urls"]),
                paths=tuple(current["paths"]),
            )
        )
        return True

    for line in text.splitlines():
        first = line[:1]
        if first == "[":
            if not close():
                return None
            if line.startswith(("[packages.", "[[packages.")):
                return None  # a sub-table: not the layout read here
            current = {"urls": [], "paths": []} if line == "[[packages]]" else None
            continue
        if current is None:
            continue
        if first in _KEY_STARTS:
            key, sep, rest = line.partition(" = ")
            if sep and key in _KEYS:
                plain = _plain_json_string().fullmatch(rest)
                if plain is not None:
                    value = plain.group(1)  # what json.loads returns for it
                else:
                    try:
                        value = json.loads(rest)
                    except ValueError:
                        return None
                if not isinstance(value, str) or key in current:
                    return None
                current[key] = value
                continue
        if "path = " in line or ("url = " in line and ("file:" in line or "\\" in line)):
            # Only local URLs matter to the caller: a line without "file:" (nor an
            # escape that could spell it) holds none.
            for found in _location().finditer(line):
                raw = found.group(2)
                if _plain_json_chars().fullmatch(raw):
                    value = raw  # what json.loads returns for it
                else:
                    try:
                        value = json.loads(f'"{raw}"')
                    except ValueError:
                        return None
                current["urls" if found.group(1) == "url" else "paths"].append(value)
    if not close():
        return None
    return out


def _from_table(package: dict[str, Any]) -> _Package:
    version = package.get("version")
    marker = package.get("marker")
    return _Package(
        name=str(package["name"]),
        version=str(version) if version is not None else None,
        marker=str(marker) if marker else None,
        urls=tuple(_artifact_urls(package)),
        paths=tuple(_local_paths(package)),
    )


def _artifact_urls(package: dict[str, Any]) -> list[str]:
    artifacts = [package.get("sdist"), package.get("archive"), *package.get("wheels", [])]
    return [str(a["url"]) for a in artifacts if isinstance(a, dict) and "url" in a]


def _local_paths(package: dict[str, Any]) -> list[str]:
    """Absolute ``path`` values of a package's directory, archive or VCS source."""
    found: list[str] = []
    for key in ("directory", "archive", "vcs", "sdist"):
        table = package.get(key)
        path = table.get("path") if isinstance(table, dict) else None
        if isinstance(path, str) and Path(path).is_absolute():
            found.append(path)
    return found


def _inside_path(path: str, root: Path) -> str | None:
    try:
        relative = Path(path).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return None
    return relative or "."


_LOCAL_INDEX = 'index = "file:'


def _inside(url: str, root: Path) -> str | None:
    path = Path(unquote(urlsplit(url).path))
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return None


_url = lazy_pattern(r'(url|index|path) = "([^"]*)"')


# A line that _clean_locations returns unchanged while no URL is local and the
# text holds no token: printable ASCII without ``?``, ``@`` or a backslash.  Each
# URL in it then has no user-info, query or escape: redact_url returns it as it
# is, and json.dumps writes it back between the same quotes.
_as_written = lazy_pattern(r"[\x20-\x3e\x41-\x5b\x5d-\x7e]*")


def _clean_locations(line: str, local_paths: dict[str, str]) -> str:
    def replace(match: re.Match[str]) -> str:
        key, url = match.group(1), match.group(2)
        if url in local_paths:
            return f"path = {json.dumps(local_paths[url])}"
        if key == "path":
            return match.group(0)
        return f"{key} = {json.dumps(redact_url(url))}"

    return _url().sub(replace, line)


# -- reading -----------------------------------------------------------------------------


def recorded_forks(text: str) -> tuple[tuple[str, ...], str | None]:
    """The forks parity recorded in its pylock.toml, and the requires-python they are written for.

    Read line by line, as :func:`write` lays them out (one JSON string per
    line): a lock reads them before uv starts, when parsing TOML would cost
    more than uv's start.  Anything else reads as no forks: they only steer
    which versions the next resolution keeps where.
    """
    python: str | None = None
    forks: list[str] = []
    in_tool = in_forks = False
    try:
        for line in text.splitlines():
            if in_forks:
                if line == "]":
                    break
                forks.append(str(json.loads(line.strip().rstrip(","))))
            elif line.startswith("[") and not line.startswith("[["):
                in_tool = line == "[tool.parity]"
            elif in_tool and line == f"{FORKS_KEY} = [":
                in_forks = True
            elif python is None and line.startswith("requires-python = "):
                python = str(json.loads(line.split("=", 1)[1]))
    except ValueError:
        return (), None
    if not forks or python is None:
        return (), None
    return tuple(forks), python


_pylock_file_name = lazy_pattern(r"^pylock\.([^.]+\.)?toml$", re.I)


@dataclass(frozen=True)
class PylockFile:
    pins: tuple[Pin, ...]
    lock_version: str
    requires_python: str | None = None
    python: str | None = None
    dependency_groups: tuple[str, ...] = ()
    default_groups: tuple[str, ...] = ()
    extras: tuple[str, ...] = ()
    created_by: str | None = None


def detect(name: str, text: str) -> bool:
    """``pylock.toml`` / ``pylock.<name>.toml`` (PEP 751's names), or TOML that reads as one."""
    if _pylock_file_name().match(name):
        return True
    return bool(re.search(r"^lock-version\s*=", text, re.M)) and bool(
        re.search(r"^\[\[packages\]\]", text, re.M)
    )


def read(path: Path, *, display: str | None = None) -> PylockFile:
    text, shown = read_lock_text(path, display=display, regenerate="parity lock")
    return parse(text, path=shown)


def parse(text: str, *, path: str = "pylock.toml") -> PylockFile:
    data = _load_toml(text, path)
    version = data.get("lock-version")
    if version is None:
        raise LockFileError(
            "no lock-version: not a PEP 751 lockfile",
            path=path,
            hint='A pylock.toml starts with lock-version = "1.0"; regenerate it with `parity lock`.',
        )
    if not str(version).startswith("1."):
        raise LockFileError(
            f"unsupported lock-version {version!r}",
            path=path,
            line=_line_of(text, r"^lock-version"),
            hint="parity reads PEP 751 lock-version 1.x.",
        )
    packages = data.get("packages", [])
    if not isinstance(packages, list):
        raise LockFileError(
            "`packages` is not an array of tables", path=path, hint="Regenerate the lock."
        )
    tool = data.get("tool", {})
    parity = tool.get("parity", {}) if isinstance(tool, dict) else {}
    return PylockFile(
        pins=tuple(_pin(p, i, path, text) for i, p in enumerate(packages)),
        lock_version=str(version),
        requires_python=_str(data.get("requires-python")),
        python=_str(parity.get("python")) if isinstance(parity, dict) else None,
        dependency_groups=_strs(data.get("dependency-groups")),
        default_groups=_strs(data.get("default-groups")),
        extras=_strs(data.get("extras")),
        created_by=_str(data.get("created-by")),
    )


def _pin(package: Any, index: int, path: str, text: str) -> Pin:
    if not isinstance(package, dict) or "name" not in package:
        raise LockFileError(
            f"[[packages]] #{index + 1} has no name",
            path=path,
            line=_nth_line(text, r"^\[\[packages\]\]", index),
            hint="Every package of a PEP 751 lock has a name; regenerate the lock.",
        )
    source, editable = _source(package)
    return Pin(
        name=canonical_name(str(package["name"])),
        version=_str(package.get("version")),
        marker=_str(package.get("marker")),
        hashes=_hashes(package),
        source=source,
        editable=editable,
    )


def _source(package: dict[str, Any]) -> tuple[str | None, bool]:
    vcs = package.get("vcs")
    if isinstance(vcs, dict):
        where = redact_url(str(vcs["url"])) if vcs.get("url") else str(vcs.get("path", ""))
        commit = vcs.get("commit-id")
        text = f"{vcs.get('type', 'git')}+{where}"
        return (f"{text}@{commit}" if commit else text), False
    directory = package.get("directory")
    if isinstance(directory, dict):
        return str(directory.get("path", ".")), bool(directory.get("editable", False))
    archive = package.get("archive")
    if isinstance(archive, dict):
        if archive.get("url"):
            return redact_url(str(archive["url"])), False
        return str(archive.get("path", "")), False
    return None, False


def _hashes(package: dict[str, Any]) -> tuple[str, ...]:
    artifacts: list[Any] = []
    for key in ("sdist", "archive"):
        if isinstance(package.get(key), dict):
            artifacts.append(package[key])
    wheels = package.get("wheels", [])
    if isinstance(wheels, list):
        artifacts.extend(wheels)
    out: list[str] = []
    for artifact in artifacts:
        hashes = artifact.get("hashes", {}) if isinstance(artifact, dict) else {}
        if isinstance(hashes, dict):
            out.extend(f"{algo}:{digest}" for algo, digest in sorted(hashes.items()))
    return tuple(out)


def _load_toml(text: str, path: str) -> dict[str, Any]:
    return load_lock_toml(text, path=path, regenerate="parity lock")


def _line_of(text: str, pattern: str) -> int | None:
    match = re.search(pattern, text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _nth_line(text: str, pattern: str, index: int) -> int | None:
    return nth_line(text, pattern, index)


def _str(value: Any) -> str | None:
    return str(value) if value is not None else None


def _strs(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value) if isinstance(value, list) else ()

"""Native libraries an environment uses (BLAS/LAPACK, CUDA, cuDNN, OpenMP, MKL).

Recognised from build-info text, bundled ``*.libs`` directories,
``nvidia-*`` wheels and conda package records, without importing any of
those packages.  Which names mean which library is data
(``parity/data/native_libraries.toml``).
"""

from __future__ import annotations

import os

from parity.names import canonical_name

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads

if TYPE_CHECKING:
    import ast  # imported where numpy's or scipy's build configuration is read
    import re
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any, TypeAlias

    from parity.env.snapshot_model import Distribution, NativeLibrary

    # A native library as plain values: (kind, name, version, provider).
    Native: TypeAlias = tuple[str, str, str | None, str | None]
    # A BLAS or LAPACK of a build configuration, before its provider is known.
    _Found: TypeAlias = tuple[str, str, str | None]

# The model's dataclasses cost a third of a snapshot to import: ``parity snapshot``
# works on the plain tuples, the library wraps them in NativeLibrary.  ``re`` too
# is imported only when there is a text, a file name or a name to match.
_TORCH_VERSION_VAR = r"^(?P<var>cuda|hip)\s*(?::[^=\n]*)?=\s*['\"](?P<value>[^'\"]+)['\"]"
_DATA = "native_libraries.toml"
# The build-configuration reading kept in parity's cache: a new number when it changes.
_KEPT_READING = "parity/build-config-reading@2"  # @2: an internal LAPACK has the BLAS version


class NativeTables:
    """The recognition tables of ``parity/data/native_libraries.toml``."""

    __slots__ = (
        "build_config",
        "bundled",
        "conda",
        "digest",
        "distributions",
        "import_to_distribution",
        "legacy_build_config",
    )

    def __init__(
        self,
        *,
        bundled: tuple[tuple[str, str, str], ...],
        import_to_distribution: Mapping[str, str],
        build_config: Mapping[str, str],
        legacy_build_config: Mapping[str, tuple[tuple[str, str], ...]],
        distributions: tuple[tuple[str, str, str], ...],
        conda: Mapping[str, tuple[str, str]],
    ) -> None:
        # (file-name prefix, kind, library name), lowercased prefixes, first match wins
        self.bundled = bundled
        self.import_to_distribution = import_to_distribution
        self.build_config = build_config  # relative file -> distribution
        self.legacy_build_config = legacy_build_config  # kind -> ((variable, name), ...)
        self.distributions = distributions  # (name pattern, kind, library name)
        self.conda = conda  # package -> (kind, library name)
        self.digest = ""  # the data file's SHA-256 (what a kept reading depends on)

    def distribution_patterns(self, names: Iterable[str]) -> list[tuple[re.Pattern[str], str, str]]:
        """The distribution patterns some of ``names`` may match, compiled (none: no ``re``).

        A pattern that starts with ``^`` and a literal matches only names that
        start with that literal: the others are not even compiled.
        """
        names = list(names)
        wanted = [
            (pattern, kind, name)
            for pattern, kind, name in self.distributions
            if _may_match(_literal_prefix(pattern), names)
        ]
        if not wanted:
            return []
        import re

        return [(re.compile(pattern), kind, name) for pattern, kind, name in wanted]


_LITERAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def _literal_prefix(pattern: str) -> str:
    """What every match of ``pattern`` (with re.match) starts with: "" when unknown."""
    if not pattern.startswith("^") or "|" in pattern:
        return ""
    end = 1
    while end < len(pattern) and pattern[end] in _LITERAL:
        end += 1
    if end < len(pattern) and pattern[end] in "*?{":
        end -= 1  # the last literal may be absent or repeated
    return pattern[1:end]


def _may_match(prefix: str, names: Iterable[str]) -> bool:
    return not prefix or any(name.startswith(prefix) for name in names)


_TABLES: list[NativeTables] = []  # read once per process (functools costs a snapshot more)


def native_tables() -> NativeTables:
    """The shipped tables, read once.

    The TOML file is parsed once per version of it and kept as JSON in
    parity's cache: tomllib (with typing and datetime) costs a tenth of a
    snapshot to import; the JSON is read with json's own C scanner.
    """
    if _TABLES:
        return _TABLES[0]
    from parity.fastjson import loads as json_loads

    # A plain file of the package (importlib.resources costs a tenth of a snapshot).
    package = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(package, "data", _DATA), "rb") as handle:
        raw = handle.read()
    from parity.fsutil import cache_dir
    from parity.fswatch.facts import sha256_hex

    folder = os.path.join(cache_dir(), "data")
    kept = os.path.join(folder, f"native-libraries-{sha256_hex(raw)[:32]}.json")
    try:
        with open(kept, encoding="utf-8") as handle:
            data = json_loads(handle.read())
    except (OSError, ValueError):
        import json

        from parity.toml import loads

        data = loads(raw.decode("utf-8"))
        try:
            from parity.fsutil import atomic_write_text

            os.makedirs(folder, mode=0o700, exist_ok=True)
            atomic_write_text(kept, json.dumps(data, sort_keys=True))
        except Exception:
            pass
    tables = parse_native_tables(data)
    tables.digest = sha256_hex(raw)
    _TABLES.append(tables)
    return _TABLES[0]


def parse_native_tables(data: Mapping[str, Any]) -> NativeTables:
    """The tables from the TOML document's data (see the data file for its shape)."""
    return NativeTables(
        bundled=tuple(
            (str(e["prefix"]).lower(), str(e["kind"]), str(e["name"])) for e in data["bundled"]
        ),
        import_to_distribution=dict(data["import_to_distribution"]),
        build_config=dict(data["build_config"]),
        legacy_build_config={
            kind: tuple((str(e["variable"]), str(e["name"])) for e in entries)
            for kind, entries in data["legacy_build_config"].items()
        },
        distributions=tuple(
            (str(e["pattern"]), str(e["kind"]), str(e["name"])) for e in data["distribution"]
        ),
        conda={name: (str(e["kind"]), str(e["name"])) for name, e in data["conda"].items()},
    )


def native_libraries(
    sites: Sequence[Mapping[str, Any]],
    distributions: Sequence[Distribution],
    conda_meta: Iterable[str] = (),
) -> tuple[NativeLibrary, ...]:
    """The native libraries an environment uses, from what the probe read (no imports)."""
    pairs = [(d.name, d.version) for d in distributions]
    return _models(native_values(sites, pairs, conda_meta))


def native_values(
    sites: Sequence[Mapping[str, Any]],
    distributions: Sequence[tuple[str, str | None]],
    conda_meta: Iterable[str] = (),
) -> list[Native]:
    """:func:`native_libraries` as plain tuples; ``distributions`` as (name, version)."""
    tables = native_tables()
    found: list[Native] = []
    # The first site directory holding a file wins, as on import.
    texts: dict[str, str] = {}
    libs: dict[str, list[str]] = {}
    for site in sites:
        for relative, text in (site.get("texts") or {}).items():
            if isinstance(text, str):
                texts.setdefault(relative, text)
        for directory, names in (site.get("libs") or {}).items():
            if isinstance(names, list):
                libs.setdefault(directory, [n for n in names if isinstance(n, str)])
    for relative, text in texts.items():
        if relative in tables.build_config:
            found += _build_config_values(text, provider=tables.build_config[relative])
        elif relative == "torch/version.py":
            found += _torch_values(text)
    configured = {(lib[3], lib[0]) for lib in found}
    for directory, names in libs.items():
        for lib in _bundled_values(names, provider=lib_dir_provider(directory)):
            if (lib[3], lib[0]) in configured:
                # The build config is more precise; the file name may still add the version.
                found = [_fill_version(f, lib) for f in found]
            else:
                found.append(lib)
    patterns = tables.distribution_patterns(name for name, _ in distributions)
    for dist_name, dist_version in distributions:
        for pattern, kind, name in patterns:
            if pattern.match(dist_name):
                found.append((kind, name, dist_version, dist_name))
    found += _conda_values(conda_meta)
    return merge_native_values(found)


def _models(values: Iterable[Native]) -> tuple[NativeLibrary, ...]:
    from parity.env.snapshot_model import NativeLibrary

    return tuple(NativeLibrary(*value) for value in values)


def _fill_version(configured: Native, bundled: Native) -> Native:
    """A build config that names the library but not its version takes the bundled one's."""
    kind, name, version, provider = configured
    if (
        version is None
        and bundled[2] is not None
        and provider == bundled[3]
        and kind in (bundled[0], "lapack")
        and name == bundled[1]
    ):
        return (kind, name, bundled[2], provider)
    return configured


def merge_native(libs: Iterable[NativeLibrary]) -> tuple[NativeLibrary, ...]:
    """One entry per (kind, name, version); the providers that ship it joined."""
    return _models(
        merge_native_values((lib.kind, lib.name, lib.version, lib.provider) for lib in libs)
    )


def merge_native_values(libs: Iterable[Native]) -> list[Native]:
    """:func:`merge_native` as plain tuples, in :func:`native_sort_key` order."""
    merged: dict[tuple[str, str, str | None], set[str]] = {}
    for kind, name, version, provider in libs:
        providers = merged.setdefault((kind, name, version), set())
        if provider:
            providers.add(provider)
    out: list[Native] = [
        (kind, name, version, ", ".join(sorted(providers)) or None)
        for (kind, name, version), providers in merged.items()
    ]
    return sorted(out, key=_value_sort_key)


def native_sort_key(lib: NativeLibrary) -> tuple[str, str, str, str]:
    return (lib.kind, lib.name, lib.version or "", lib.provider or "")


def _value_sort_key(lib: Native) -> tuple[str, str, str, str]:
    return (lib[0], lib[1], lib[2] or "", lib[3] or "")


def lib_dir_provider(directory: str) -> str:
    """The distribution that ships a bundled-library directory.

    ``scikit_learn.libs`` (auditwheel names it after the distribution),
    ``numpy/.libs`` or ``sklearn/.dylibs`` (after the import package).
    """
    head = directory.split("/", 1)[0]
    if head.endswith(".libs") and "/" not in directory:
        head = head[: -len(".libs")]
    return native_tables().import_to_distribution.get(head, canonical_name(head))


def bundled_libraries(names: Iterable[str], *, provider: str | None) -> list[NativeLibrary]:
    """Native libraries recognised among bundled shared-library file names."""
    return list(_models(_bundled_values(names, provider=provider)))


def _bundled_values(names: Iterable[str], *, provider: str | None) -> list[Native]:
    bundled = native_tables().bundled
    out: list[Native] = []
    for filename in names:
        low = filename.lower()
        for prefix, kind, name in bundled:
            if low.startswith(prefix):
                out.append((kind, name, _lib_version(name, filename), provider))
                break
    return out


def _lib_version(name: str, filename: str) -> str | None:
    # The patterns are matched by hand (see _search_*): ``re`` costs a snapshot
    # of numpy's environment more than reading its bundled libraries.
    if name == "openblas":
        # libopenblas64__v0.3.23-293-gc2f4bdbb-gcc_10_3_0.dll: r"v(\d+\.\d+\.\d+(?:\.dev)?)"
        version = _search_v_version(filename)
        if version is not None:
            return version
        # auditwheel: libopenblas64_p-r0-0cf96a72.3.23.dev.so (OpenBLAS 0.3.23.dev):
        # r"-[0-9a-f]{8}\.(\d+\.\d+(?:\.dev)?)\.(?:so|dylib)"
        version = _search_hashed_version(filename)
        return None if version is None else "0." + version
    if name == "libgfortran":  # the soname's major version is the Fortran runtime's ABI
        return _search_soname_major(filename)
    return None


def _digits_end(text: str, start: int) -> int:
    r"""Where the run of decimal digits (``re``'s ``\d``: Unicode category Nd) at ``start`` ends."""
    end = start
    while end < len(text) and text[end].isdecimal():
        end += 1
    return end


def _ends_at(text: str, index: int) -> bool:
    """``re``'s ``$`` (without MULTILINE) at ``index``: the end, or a last newline."""
    return index == len(text) or (index == len(text) - 1 and text[index] == "\n")


def _search_v_version(text: str) -> str | None:
    r"""``re.search(r"v(\d+\.\d+\.\d+(?:\.dev)?)", text).group(1)``, or None."""
    at = text.find("v")
    while at >= 0:
        end = at + 1
        for part in range(3):
            if part and text[end : end + 1] != ".":
                break
            start = end + 1 if part else end
            end = _digits_end(text, start)
            if end == start:
                break
        else:
            if text.startswith(".dev", end):
                end += 4
            return text[at + 1 : end]
        at = text.find("v", at + 1)
    return None


_HEX = frozenset("0123456789abcdef")


def _search_hashed_version(text: str) -> str | None:
    r"""``re.search(r"-[0-9a-f]{8}\.(\d+\.\d+(?:\.dev)?)\.(?:so|dylib)", text).group(1)``."""
    at = text.find("-")
    while at >= 0:
        start = at + 10
        if (
            len(text) >= start
            and all(c in _HEX for c in text[at + 1 : at + 9])
            and text[at + 9] == "."
        ):
            major = _digits_end(text, start)
            minor = _digits_end(text, major + 1)
            if major > start and text[major : major + 1] == "." and minor > major + 1:
                for end in (minor + 4, minor) if text.startswith(".dev", minor) else (minor,):
                    if text.startswith((".so", ".dylib"), end):
                        return text[start:end]
        at = text.find("-", at + 1)
    return None


def _search_soname_major(text: str) -> str | None:
    r"""The group of ``re.search(r"\.so\.(\d+)|\.(\d+)\.dylib$|-(\d+)\.dll$", text)``."""
    for at, char in enumerate(text):
        if char == ".":
            if text.startswith(".so.", at):
                end = _digits_end(text, at + 4)
                if end > at + 4:
                    return text[at + 4 : end]
            end = _digits_end(text, at + 1)
            if end > at + 1 and text.startswith(".dylib", end) and _ends_at(text, end + 6):
                return text[at + 1 : end]
        elif char == "-":
            end = _digits_end(text, at + 1)
            if end > at + 1 and text.startswith(".dll", end) and _ends_at(text, end + 4):
                return text[at + 1 : end]
    return None


def build_config_libraries(text: str, *, provider: str) -> list[NativeLibrary]:
    """BLAS and LAPACK from numpy's or scipy's ``__config__.py``, read as text.

    Meson builds (numpy >= 1.26, scipy >= 1.9) hold a ``CONFIG`` dict with
    "Build Dependencies" -> "blas"/"lapack" -> name and version; older
    (distutils) builds assign ``*_info`` dicts.  Only literals are read: the
    file is never executed.
    """
    return list(_models(_build_config_values(text, provider=provider)))


def _build_config_values(text: str, *, provider: str) -> list[Native]:
    """The Meson layout read by hand when it is plain (see ``buildconfig``), else with ``ast``.

    The ``ast`` reading costs a quarter of a snapshot (most of it importing
    ``ast``): its answer is kept in parity's cache, keyed by the file's bytes.
    """
    from parity.env.snapshot.buildconfig import meson_dependencies

    found = meson_dependencies(text)
    read = _name_internal_lapack(found) if found is not None else _kept_ast_reading(text)
    return [(kind, name, version, provider) for kind, name, version in read]


def _name_internal_lapack(found: list[_Found]) -> list[_Found]:
    """Meson names a dependency built inside the project ``dep<object id>``.

    That is the LAPACK the BLAS library carries (OpenBLAS bundles one), so it
    has the BLAS library's version: the internal dependency's own version is
    Meson's default, the project's (numpy 1.26.4 says ``"version": "1.26.4"``),
    and read as the library's it made numpy 1.26.3 -> 1.26.4 a LAPACK change.
    """
    by_kind = {entry[0]: entry for entry in found}
    internal = by_kind.get("lapack")
    if internal is not None and _is_meson_internal(internal[1]):
        blas = by_kind.get("blas")
        by_kind["lapack"] = (
            "lapack",
            blas[1] if blas is not None else "bundled",
            blas[2] if blas is not None and blas[2] is not None else internal[2],
        )
    return list(by_kind.values())


def _is_meson_internal(name: str) -> bool:
    r"""``re.match(r"^dep\d+$", name)``, without ``re``."""
    if not name.startswith("dep"):
        return False
    number = name[3:-1] if name.endswith("\n") else name[3:]
    return number.isdecimal()  # re's \d: Unicode category Nd, as isdecimal


def _kept_ast_reading(text: str) -> list[_Found]:
    """:func:`_ast_reading`, kept in parity's cache (not with ``PARITY_NO_CACHE=1``).

    The key is the file's SHA-256, parity's version, the reading's own
    version and the tables' digest: a changed file is read again.  A
    missing, unreadable or corrupt record is read again; one that cannot be
    written is not kept.
    """
    if os.environ.get("PARITY_NO_CACHE", "") not in ("", "0"):
        return _ast_reading(text)
    from parity.fsutil import cache_dir
    from parity.fswatch.facts import sha256_hex
    from parity.version import __version__

    content = sha256_hex(text.encode("utf-8", "surrogatepass"))
    key = f"{_KEPT_READING} {__version__} {native_tables().digest} {content}"
    path = os.path.join(
        cache_dir(), "native", "build-config-" + sha256_hex(key.encode("utf-8"))[:40] + ".json"
    )
    kept = _read_kept(path, key)
    if kept is not None:
        return kept
    read = _ast_reading(text)
    try:
        import json

        from parity.fsutil import atomic_write_text

        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        atomic_write_text(path, json.dumps({"key": key, "found": read}, sort_keys=True) + "\n")
    except Exception:  # only a speed-up is lost
        pass
    return read


def _read_kept(path: str, key: str) -> list[_Found] | None:
    from parity.fastjson import loads

    try:
        with open(path, encoding="utf-8") as handle:
            data = loads(handle.read())
    except (OSError, ValueError, UnicodeDecodeError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    found = data.get("found")
    if not isinstance(found, list):
        return None
    out: list[_Found] = []
    for entry in found:
        if (
            not isinstance(entry, list)
            or len(entry) != 3
            or not isinstance(entry[0], str)
            or not isinstance(entry[1], str)
            or not (entry[2] is None or isinstance(entry[2], str))
        ):
            return None
        out.append((entry[0], entry[1], entry[2]))
    return out


def _ast_reading(text: str) -> list[_Found]:
    """The build configuration parsed with ``ast``: every layout, but ``ast`` is slow to import."""
    import ast

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found: dict[str, _Found] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Dict):
            continue
        for key, value in zip(node.keys, node.values, strict=False):
            kind = _constant(key)
            if kind not in ("blas", "lapack") or not isinstance(value, ast.Dict):
                continue
            fields = {
                _constant(k): _constant(v) for k, v in zip(value.keys, value.values, strict=False)
            }
            name = fields.get("name")
            if not name or name.lower() in ("none", "unknown") or kind in found:
                continue
            version = fields.get("version")
            if version and version.lower() in ("unknown", "none"):
                version = None
            found[kind] = (kind, name.lower(), version or None)
    if found:
        return _name_internal_lapack(list(found.values()))
    return _legacy_config_values(tree)


def _constant(node: ast.expr | None) -> str | None:
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _legacy_config_values(tree: ast.Module) -> list[_Found]:
    import ast

    infos: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id.endswith("_info"):
                try:
                    infos[target.id] = ast.literal_eval(node.value)
                except (ValueError, SyntaxError, TypeError):
                    continue
    out: list[_Found] = []
    for kind, table in native_tables().legacy_build_config.items():
        for variable, name in table:
            if infos.get(variable):
                out.append((kind, name, None))
                break
    return out


def torch_libraries(text: str) -> list[NativeLibrary]:
    """The CUDA (or ROCm) version torch was built for, from ``torch/version.py``."""
    return list(_models(_torch_values(text)))


def _torch_values(text: str) -> list[Native]:
    import re

    out: list[Native] = []
    for match in re.finditer(_TORCH_VERSION_VAR, text, re.M):
        if match.group("var") == "cuda":
            out.append(("cuda", "cuda", match.group("value"), "torch"))
        else:
            out.append(("rocm", "hip", match.group("value"), "torch"))
    return out


def conda_libraries(records: Iterable[str]) -> list[NativeLibrary]:
    """Native libraries among a conda prefix's package records (``name-version-build.json``)."""
    return list(_models(_conda_values(records)))


def _conda_values(records: Iterable[str]) -> list[Native]:
    conda = native_tables().conda
    out: list[Native] = []
    for record in records:
        stem = record[: -len(".json")] if record.endswith(".json") else record
        parts = stem.rsplit("-", 2)
        if len(parts) != 3:
            continue
        name, version, _build = parts
        if name in conda:
            kind, lib = conda[name]
            out.append((kind, lib, version, name))
    return out

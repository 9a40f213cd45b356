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

# The model's dataclasses cost a third of a snapshot to import: ``parity snapshot``
# works on the plain tuples, the library wraps them in NativeLibrary.  ``re`` too
# is imported only when there is a text, a file name or a name to match.
_TORCH_VERSION_VAR = r"^(?P<var>cuda|hip)\s*(?::[^=\n]*)?=\s*['\"](?P<value>[^'\"]+)['\"]"
_MESON_INTERNAL = r"^dep\d+$"
_DATA = "native_libraries.toml"


class NativeTables:
    """The recognition tables of ``parity/data/native_libraries.toml``."""

    __slots__ = (
        "build_config",
        "bundled",
        "conda",
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
    _TABLES.append(parse_native_tables(data))
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
    import re

    if name == "openblas":
        match = re.search(r"v(\d+\.\d+\.\d+(?:\.dev)?)", filename)
        if match:
            return match.group(1)
        # auditwheel: libopenblas64_p-r0-0cf96a72.3.23.dev.so (OpenBLAS 0.3.23.dev)
        match = re.search(r"-[0-9a-f]{8}\.(\d+\.\d+(?:\.dev)?)\.(?:so|dylib)", filename)
        if match:
            return "0." + match.group(1)
        return None
    if name == "libgfortran":  # the soname's major version is the Fortran runtime's ABI
        match = re.search(r"\.so\.(\d+)|\.(\d+)\.dylib$|-(\d+)\.dll$", filename)
        if match:
            return next(g for g in match.groups() if g)
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
    import ast
    import re

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found: dict[str, Native] = {}
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
            found[kind] = (kind, name.lower(), version or None, provider)
    internal = found.get("lapack")
    if internal is not None and re.match(_MESON_INTERNAL, internal[1]):
        # Meson names a dependency built inside the project ``dep<object id>``:
        # that is the LAPACK the BLAS library carries (OpenBLAS bundles one).
        blas = found.get("blas")
        found["lapack"] = (
            "lapack",
            blas[1] if blas is not None else "bundled",
            internal[2] or (blas[2] if blas is not None else None),
            provider,
        )
    if found:
        return list(found.values())
    return _legacy_config_values(tree, provider)


def _constant(node: ast.expr | None) -> str | None:
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _legacy_config_values(tree: ast.Module, provider: str) -> list[Native]:
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
    out: list[Native] = []
    for kind, table in native_tables().legacy_build_config.items():
        for variable, name in table:
            if infos.get(variable):
                out.append((kind, name, None, provider))
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

"""Native libraries an environment uses (BLAS/LAPACK, CUDA, cuDNN, OpenMP, MKL).

Recognised from build-info text, bundled ``*.libs`` directories,
``nvidia-*`` wheels and conda package records, without importing any of
those packages.  Which names mean which library is data
(``parity/data/native_libraries.toml``).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from parity.env.snapshot_model import Distribution, NativeLibrary
from parity.names import canonical_name

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads

if TYPE_CHECKING:
    import ast  # imported where numpy's or scipy's build configuration is read
    from typing import Any

_TORCH_VERSION_VAR = re.compile(
    r"^(?P<var>cuda|hip)\s*(?::[^=\n]*)?=\s*['\"](?P<value>[^'\"]+)['\"]", re.M
)
_DATA = "native_libraries.toml"


@dataclass(frozen=True)
class NativeTables:
    """The recognition tables of ``parity/data/native_libraries.toml``."""

    # (file-name prefix, kind, library name), lowercased prefixes, first match wins
    bundled: tuple[tuple[str, str, str], ...]
    import_to_distribution: Mapping[str, str]
    build_config: Mapping[str, str]  # relative file -> distribution
    legacy_build_config: Mapping[str, tuple[tuple[str, str], ...]]  # kind -> (variable, name)
    distributions: tuple[tuple[re.Pattern[str], str, str], ...]
    conda: Mapping[str, tuple[str, str]]  # package -> (kind, library name)


@functools.lru_cache(maxsize=1)
def native_tables() -> NativeTables:
    """The shipped tables, read once.

    The TOML file is parsed once per version of it and kept as JSON in
    parity's cache: tomllib (with typing and datetime) costs a tenth of a
    snapshot to import, json is loaded anyway.
    """
    import json

    # A plain file of the package (importlib.resources costs a tenth of a snapshot).
    package = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    with open(os.path.join(package, "data", _DATA), "rb") as handle:
        raw = handle.read()
    from parity.fsutil import cache_root
    from parity.fswatch.facts import sha256_hex

    kept = cache_root() / "data" / f"native-libraries-{sha256_hex(raw)[:32]}.json"
    try:
        data = json.loads(kept.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        from parity.toml import loads

        data = loads(raw.decode("utf-8"))
        try:
            from parity.fsutil import atomic_write_text

            kept.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            atomic_write_text(kept, json.dumps(data, sort_keys=True))
        except Exception:
            pass
    return parse_native_tables(data)


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
            (re.compile(str(e["pattern"])), str(e["kind"]), str(e["name"]))
            for e in data["distribution"]
        ),
        conda={name: (str(e["kind"]), str(e["name"])) for name, e in data["conda"].items()},
    )


def native_libraries(
    sites: Sequence[Mapping[str, Any]],
    distributions: Sequence[Distribution],
    conda_meta: Iterable[str] = (),
) -> tuple[NativeLibrary, ...]:
    """The native libraries an environment uses, from what the probe read (no imports)."""
    tables = native_tables()
    found: list[NativeLibrary] = []
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
            found += build_config_libraries(text, provider=tables.build_config[relative])
        elif relative == "torch/version.py":
            found += torch_libraries(text)
    configured = {(lib.provider, lib.kind) for lib in found}
    for directory, names in libs.items():
        for lib in bundled_libraries(names, provider=lib_dir_provider(directory)):
            if (lib.provider, lib.kind) in configured:
                # The build config is more precise; the file name may still add the version.
                found = [_fill_version(f, lib) for f in found]
            else:
                found.append(lib)
    for dist in distributions:
        for pattern, kind, name in tables.distributions:
            if pattern.match(dist.name):
                found.append(NativeLibrary(kind, name, dist.version, dist.name))
    found += conda_libraries(conda_meta)
    return merge_native(found)


def _fill_version(configured: NativeLibrary, bundled: NativeLibrary) -> NativeLibrary:
    """A build config that names the library but not its version takes the bundled one's."""
    if (
        configured.version is None
        and bundled.version is not None
        and configured.provider == bundled.provider
        and configured.kind in (bundled.kind, "lapack")
        and configured.name == bundled.name
    ):
        return NativeLibrary(configured.kind, configured.name, bundled.version, configured.provider)
    return configured


def merge_native(libs: Iterable[NativeLibrary]) -> tuple[NativeLibrary, ...]:
    """One entry per (kind, name, version); the providers that ship it joined."""
    merged: dict[tuple[str, str, str | None], set[str]] = {}
    for lib in libs:
        providers = merged.setdefault((lib.kind, lib.name, lib.version), set())
        if lib.provider:
            providers.add(lib.provider)
    out = [
        NativeLibrary(kind, name, version, ", ".join(sorted(providers)) or None)
        for (kind, name, version), providers in merged.items()
    ]
    return tuple(sorted(out, key=native_sort_key))


def native_sort_key(lib: NativeLibrary) -> tuple[str, str, str, str]:
    return (lib.kind, lib.name, lib.version or "", lib.provider or "")


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
    bundled = native_tables().bundled
    out: list[NativeLibrary] = []
    for filename in names:
        low = filename.lower()
        for prefix, kind, name in bundled:
            if low.startswith(prefix):
                out.append(NativeLibrary(kind, name, _lib_version(name, filename), provider))
                break
    return out


def _lib_version(name: str, filename: str) -> str | None:
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
    import ast

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    found: dict[str, NativeLibrary] = {}
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
            found[kind] = NativeLibrary(kind, name.lower(), version or None, provider)
    internal = found.get("lapack")
    if internal is not None and _MESON_INTERNAL.match(internal.name):
        # Meson names a dependency built inside the project ``dep<object id>``:
        # that is the LAPACK the BLAS library carries (OpenBLAS bundles one).
        blas = found.get("blas")
        found["lapack"] = NativeLibrary(
            "lapack",
            blas.name if blas is not None else "bundled",
            internal.version or (blas.version if blas is not None else None),
            provider,
        )
    if found:
        return list(found.values())
    return _legacy_config_libraries(tree, provider)


_MESON_INTERNAL = re.compile(r"^dep\d+$")


def _constant(node: ast.expr | None) -> str | None:
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _legacy_config_libraries(tree: ast.Module, provider: str) -> list[NativeLibrary]:
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
    out: list[NativeLibrary] = []
    for kind, table in native_tables().legacy_build_config.items():
        for variable, name in table:
            if infos.get(variable):
                out.append(NativeLibrary(kind, name, None, provider))
                break
    return out


def torch_libraries(text: str) -> list[NativeLibrary]:
    """The CUDA (or ROCm) version torch was built for, from ``torch/version.py``."""
    out: list[NativeLibrary] = []
    for match in _TORCH_VERSION_VAR.finditer(text):
        if match.group("var") == "cuda":
            out.append(NativeLibrary("cuda", "cuda", match.group("value"), "torch"))
        else:
            out.append(NativeLibrary("rocm", "hip", match.group("value"), "torch"))
    return out


def conda_libraries(records: Iterable[str]) -> list[NativeLibrary]:
    """Native libraries among a conda prefix's package records (``name-version-build.json``)."""
    conda = native_tables().conda
    out: list[NativeLibrary] = []
    for record in records:
        stem = record[: -len(".json")] if record.endswith(".json") else record
        parts = stem.rsplit("-", 2)
        if len(parts) != 3:
            continue
        name, version, _build = parts
        if name in conda:
            kind, lib = conda[name]
            out.append(NativeLibrary(kind, lib, version, name))
    return out

"""Collect the raw facts of one Python environment, from inside it.

parity imports this module in the target interpreter (``python -E -s -c
"...import probe; probe.main()"``, with this directory first on ``sys.path``
so the compiled file is cached like any module's): one process per
environment, whatever the number of packages.  It also runs by path
(``python -I probe.py``).
It prints one JSON document on stdout; ``env/snapshot/`` turns it into a
Snapshot.  When the target is parity's own interpreter, :func:`collect` is
called in-process instead, so both paths read the same facts.

Constraints that shape this file:

- Standard library only, and syntax and APIs of Python 3.8 (the oldest
  interpreter parity fingerprints): no ``match``, no ``X | Y`` outside
  annotations, no ``str.removeprefix``.
- Fast: distributions are found by listing site-packages and reading only
  the small files of each ``*.dist-info`` (INSTALLER, direct_url.json);
  METADATA is read only when a directory name does not carry the name and
  version.  Nothing of the environment is imported: numpy, torch and friends
  are slow to import and may crash, so their build facts are read as text.
- It collects, it does not decide: names are canonicalised, URLs redacted and
  native libraries recognised by the caller, which can be tested with plain
  values.  Machine paths do appear in the output; the caller never stores them.
"""

from __future__ import annotations

import os
import site
import sys

# json and sysconfig are imported where they are used: parity reads site
# directories in its own process with scan_site (see venvfiles), and needs neither.

# typing costs milliseconds to import on old Pythons and is needed only by type checkers.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PROBE_VERSION = 1

# ``name-version.dist-info`` as the wheel spec writes it (both parts escaped):
# ``^([^-]+)-([0-9][0-9A-Za-z.+!]*)\.dist-info$``, checked without re (see _escaped).
_VERSION_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.+!")

# Files whose text tells how native libraries were built, relative to site-packages.
_TEXT_FILES = ("numpy/__config__.py", "scipy/__config__.py", "torch/version.py")
# Directories inside packages where wheels bundle shared libraries (besides ``*.libs``).
_LIB_DIRS = (
    "numpy/.libs",
    "numpy/.dylibs",
    "scipy/.libs",
    "scipy/.dylibs",
    "sklearn/.dylibs",
    "torch/lib",
)
_MAX_TEXT = 256 * 1024


def _read_text(path: str, limit: int = _MAX_TEXT) -> str | None:
    # os.open/os.read rather than open(): no file object or codec per call, which
    # halves the cost of reading INSTALLER in every dist-info directory.
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        chunks = []
        size = 0
        while size < limit:
            chunk = os.read(fd, limit - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError:
        return None
    finally:
        os.close(fd)
    return b"".join(chunks).decode("utf-8", "replace")


def _escaped(entry: str) -> bool:
    """Whether a ``.dist-info`` name carries the name and version as the wheel spec writes them."""
    name, sep, version = entry[: -len(".dist-info")].partition("-")
    return bool(
        sep
        and name
        and version
        and version[0] in "0123456789"
        and _VERSION_CHARS.issuperset(version)
        and entry.endswith(".dist-info")
    )


def _metadata_head(path: str) -> dict[str, str]:
    """Name and Version from the header of a METADATA or PKG-INFO file."""
    found: dict[str, str] = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    break  # the body (long description) starts here
                key, sep, value = line.partition(":")
                key = key.strip().lower()
                if sep and key in ("name", "version") and key not in found:
                    found[key] = value.strip()
                    if len(found) == 2:
                        break
    except OSError:
        pass
    return found


def site_dirs() -> list[str]:
    """The environment's own site-packages directories, in import order.

    ``sys.path`` is not used: it also holds PYTHONPATH entries, the user's site
    and the working directory, which belong to how Python was started rather
    than to the environment.
    """
    candidates: list[str] = []
    # Old virtualenv releases ship a site.py without getsitepackages().
    getsitepackages = getattr(site, "getsitepackages", None)
    if getsitepackages is not None:
        try:  # noqa: SIM105 - contextlib costs milliseconds to import here
            candidates.extend(getsitepackages())
        except Exception:
            pass
    import sysconfig

    paths = sysconfig.get_paths()
    candidates.extend([paths.get("purelib", ""), paths.get("platlib", "")])
    out: list[str] = []
    seen: set[str] = set()
    for candidate in candidates:
        if not candidate or not os.path.isdir(candidate):
            continue
        key = os.path.realpath(candidate)
        if key not in seen:
            seen.add(key)
            out.append(candidate)
    return out


def _dist_info(site: str, entry: str) -> dict[str, Any]:
    # Opening the few files directly (a missing one fails fast) costs less than
    # listing every dist-info directory first; this loop is the probe's hot path.
    path = site + os.sep + entry + os.sep
    item: dict[str, Any] = {"entry": entry}
    if not _escaped(entry):
        item["meta"] = _metadata_head(path + "METADATA")
    installer = _read_text(path + "INSTALLER", 200)
    if installer is not None:
        item["installer"] = installer.strip() or None
    direct_url = _read_text(path + "direct_url.json", 64 * 1024)
    if direct_url is not None:
        item["direct_url"] = direct_url
    item["requested"] = os.path.exists(path + "REQUESTED")
    return item


def _egg_info(site: str, entry: str) -> dict[str, Any]:
    path = os.path.join(site, entry)
    pkg_info = os.path.join(path, "PKG-INFO") if os.path.isdir(path) else path
    item: dict[str, Any] = {"entry": entry, "meta": _metadata_head(pkg_info)}
    installer = _read_text(os.path.join(path, "INSTALLER"), 200)
    if installer:
        item["installer"] = installer.strip()
    return item


def _egg_link(site: str, entry: str) -> dict[str, Any] | None:
    """A ``setup.py develop`` install: the link names the project's directory."""
    text = _read_text(os.path.join(site, entry), 4096)
    if not text or not text.strip():
        return None
    target = text.splitlines()[0].strip()
    if not os.path.isabs(target):
        target = os.path.join(site, target)
    try:
        names = sorted(os.listdir(target))
    except OSError:
        names = []
    for name in names:
        if name.endswith(".egg-info"):
            meta = _metadata_head(os.path.join(target, name, "PKG-INFO"))
            return {"entry": entry, "meta": meta, "egg_link": True}
    return {"entry": entry, "meta": {}, "egg_link": True}


def _lib_listing(path: str) -> list[str] | None:
    try:
        return sorted(name for name in os.listdir(path) if name.startswith("lib"))
    except OSError:
        return None


def scan_site(site: str) -> dict[str, Any]:
    """Distributions, build-info texts and bundled libraries of one site directory."""
    try:
        entries = sorted(os.listdir(site))
    except OSError:
        entries = []
    dists: list[dict[str, Any]] = []
    libs: dict[str, list[str]] = {}
    problems: list[str] = []
    for entry in entries:
        # One broken entry (a link naming a path with a NUL byte, a folder where a
        # file belongs) is reported and skipped: it must not cost the whole snapshot.
        try:
            if entry.endswith(".dist-info"):
                dists.append(_dist_info(site, entry))
            elif entry.endswith(".egg-info"):
                dists.append(_egg_info(site, entry))
            elif entry.endswith(".egg-link"):
                linked = _egg_link(site, entry)
                if linked is not None:
                    dists.append(linked)
                else:
                    problems.append(entry + ": names no project folder")
            elif entry.endswith(".libs"):
                listing = _lib_listing(os.path.join(site, entry))
                if listing:
                    libs[entry] = listing
        except Exception as exc:
            problems.append(entry + ": cannot be read (" + type(exc).__name__ + ")")
    for relative in _LIB_DIRS:
        listing = _lib_listing(os.path.join(site, *relative.split("/")))
        if listing:
            libs[relative] = listing
    texts: dict[str, str] = {}
    for relative in _TEXT_FILES:
        text = _read_text(os.path.join(site, *relative.split("/")))
        if text is not None:
            texts[relative] = text
    return {"path": site, "dists": dists, "libs": libs, "texts": texts, "problems": problems}


def _libc() -> list[str | None]:
    import platform  # here: parity reads site directories without it (see venvfiles)

    try:
        found = os.confstr("CS_GNU_LIBC_VERSION")
    except (AttributeError, ValueError, OSError):
        found = None
    if found:
        name, _, version = found.partition(" ")
        return [name, version or None]
    if sys.platform.startswith("linux"):
        for directory in ("/lib", "/usr/lib"):
            try:
                names = os.listdir(directory)
            except OSError:
                continue
            if any(n.startswith("ld-musl-") for n in names):
                return ["musl", None]
        lib, version = platform.libc_ver()
        if lib:
            return [lib, version or None]
    return [None, None]


def _abi() -> str | None:
    import sysconfig

    soabi = sysconfig.get_config_var("SOABI")
    if soabi:
        return str(soabi)
    # Windows interpreters before 3.13 have no SOABI; EXT_SUFFIX says the same.
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    if suffix:
        text = str(suffix)
        if text.startswith("."):
            text = text[1:]
        for end in (".pyd", ".so"):
            if text.endswith(end):
                text = text[: -len(end)]
        return text or None
    return None


def collect() -> dict[str, Any]:
    """Every raw fact parity records about the running interpreter's environment."""
    import platform

    prefix = sys.prefix
    base_prefix = getattr(sys, "base_prefix", prefix)
    real_prefix = getattr(sys, "real_prefix", None)  # the old virtualenv's marker
    conda_meta = os.path.join(prefix, "conda-meta")
    conda: list[str] | None = None
    if os.path.isdir(conda_meta):
        try:
            conda = sorted(n for n in os.listdir(conda_meta) if n.endswith(".json"))
        except OSError:
            conda = []
    build = platform.python_build()
    libc = _libc()
    return {
        "probe": PROBE_VERSION,
        "python": {
            "implementation": platform.python_implementation(),
            "version": platform.python_version(),
            "build": " ".join(", ".join(build).split()),
            "compiler": " ".join(platform.python_compiler().split()) or None,
            "abi": _abi(),
        },
        "platform": {
            "system": platform.system(),
            "release": platform.release() or None,
            "machine": platform.machine(),
            "libc": libc[0],
            "libc_version": libc[1],
        },
        "prefix": prefix,
        "in_venv": prefix != base_prefix or real_prefix is not None,
        "conda_meta": conda,
        "sites": [scan_site(site) for site in site_dirs()],
    }


def main() -> None:
    import json

    text = json.dumps(collect(), ensure_ascii=True, separators=(",", ":"))
    sys.stdout.write(text)
    sys.stdout.write("\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()

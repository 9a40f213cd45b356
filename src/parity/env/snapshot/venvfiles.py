"""A virtual environment read from its files; its interpreter is started once, ever.

What a snapshot holds comes from two places:

- the environment: its ``pyvenv.cfg`` and every ``*.dist-info`` of its
  site-packages.  These are files, read here with the probe's own functions
  (``probe.scan_site``), in parity's process;
- its interpreter: implementation, version, build, compiler, ABI, libc and
  the layout of its site directories.  Nothing on disk says all of that
  (the build string is in the binary), so the probe runs in the interpreter
  once; its answer is kept, keyed by the interpreter binary's status (path,
  size, mtime, inode) and the environment's ``pyvenv.cfg`` settings, in
  ``$PARITY_CACHE_DIR/interpreters``.  Every later snapshot of any venv of
  that interpreter starts no process.

A prefix without ``pyvenv.cfg`` (a conda environment, a system interpreter)
is always probed in its interpreter.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from parity.errors import ParityError

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads
if TYPE_CHECKING:
    from typing import Any

SCHEMA = "parity/interpreter-facts@1"
# The probe's fields that belong to the interpreter, not to one environment.
_INTERPRETER_FIELDS = ("probe", "python", "platform")


def venv_root(interpreter: Path) -> Path | None:
    """The venv whose interpreter this is (the folder holding pyvenv.cfg), or None."""
    if interpreter.parent.name not in ("bin", "Scripts"):
        return None
    root = interpreter.parent.parent
    return root if (root / "pyvenv.cfg").is_file() else None


def read_cfg(root: Path) -> dict[str, str]:
    """``pyvenv.cfg`` as its keys and values (lower-case keys)."""
    out: dict[str, str] = {}
    try:
        text = (root / "pyvenv.cfg").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return out
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            out[key.strip().lower()] = value.strip()
    return out


def _key(interpreter: Path, cfg: Mapping[str, str]) -> str | None:
    """What the remembered facts depend on: the binary and the venv's settings."""
    try:
        real = os.path.realpath(interpreter)
        st = os.stat(real)
    except OSError:
        return None
    settings = (
        cfg.get("version") or cfg.get("version_info") or "",
        cfg.get("include-system-site-packages", "false").lower(),
        cfg.get("home", ""),
    )
    # The probe also reads the machine: the kernel release, the C library.
    machine = list(os.uname()) if hasattr(os, "uname") else [sys.platform]
    try:
        libc = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (AttributeError, ValueError, OSError):
        libc = ""
    return json.dumps(
        [SCHEMA, *machine, libc, real, st.st_size, st.st_mtime_ns, st.st_ino, *settings]
    )


def _facts_path(cache: Path, key: str) -> Path:
    from parity.fswatch.facts import sha256_hex  # the small built-in SHA-256, not hashlib's

    return cache / "interpreters" / (sha256_hex(key.encode("utf-8"))[:40] + ".json")


def read_from_files(interpreter: Path, cache: Path) -> dict[str, Any] | None:
    """The probe's facts about the venv of ``interpreter``, without starting it; None if unknown."""
    root = venv_root(interpreter)
    if root is None:
        return None
    cfg = read_cfg(root)
    key = _key(interpreter, cfg)
    if key is None:
        return None
    try:
        data = json.loads(_facts_path(cache, key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    facts, layout = data.get("facts"), data.get("sites")
    if not isinstance(facts, dict) or not isinstance(layout, list):
        return None
    sites = [_site_path(entry, root) for entry in layout]
    if any(site is None for site in sites):
        return None
    from parity.env.snapshot.probe import scan_site

    raw = dict(facts)
    raw["prefix"] = str(root)
    raw["in_venv"] = True
    raw["conda_meta"] = _conda_meta(root)
    raw["sites"] = [scan_site(str(site)) for site in sites if site is not None and site.is_dir()]
    return raw


def remember(interpreter: Path, raw: Mapping[str, Any], cache: Path) -> None:
    """Keep what the probe said about the interpreter of a venv, for the next snapshot."""
    root = venv_root(interpreter)
    if root is None or raw.get("conda_meta") is not None:
        return
    prefix = raw.get("prefix")
    sites = raw.get("sites")
    if not isinstance(prefix, str) or not isinstance(sites, list):
        return
    if os.path.realpath(prefix) != os.path.realpath(root):
        return
    layout: list[list[str]] = []
    for site in sites:
        path = site.get("path") if isinstance(site, Mapping) else None
        if not isinstance(path, str):
            return
        inside = _relative(path, prefix)
        layout.append(["prefix", inside] if inside is not None else ["absolute", path])
    key = _key(interpreter, read_cfg(root))
    if key is None:
        return
    record = {
        "key": key,
        "facts": {name: raw.get(name) for name in _INTERPRETER_FIELDS},
        "sites": layout,
    }
    from parity.fsutil import atomic_write_text

    target = _facts_path(cache, key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write_text(target, json.dumps(record, sort_keys=True) + "\n")
    except (OSError, ValueError, ParityError):
        return  # only a speed-up is lost


def _relative(path: str, prefix: str) -> str | None:
    try:
        rel = os.path.relpath(path, prefix)
    except ValueError:
        return None
    return None if rel == ".." or rel.startswith(".." + os.sep) else rel


def _site_path(entry: object, root: Path) -> Path | None:
    if not isinstance(entry, list) or len(entry) != 2 or not all(isinstance(e, str) for e in entry):
        return None
    kind, path = str(entry[0]), str(entry[1])
    if kind == "prefix":
        return root / path
    return Path(path) if kind == "absolute" else None


def _conda_meta(root: Path) -> list[str] | None:
    folder = root / "conda-meta"
    if not folder.is_dir():
        return None
    try:
        return sorted(n for n in os.listdir(folder) if n.endswith(".json"))
    except OSError:
        return []

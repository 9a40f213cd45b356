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

import os
import sys

# ``collections.abc.Mapping`` itself, without importing the collections package.
from _collections_abc import Mapping

from parity.errors import ParityError

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads
if TYPE_CHECKING:
    from typing import Any

SCHEMA = "parity/interpreter-facts@1"
# The probe's fields that belong to the interpreter, not to one environment.
_INTERPRETER_FIELDS = ("probe", "python", "platform")
# Paths are strings here: pathlib (with re and urllib.parse) costs more than a
# whole snapshot of a 100-package venv.


def venv_root(interpreter: str) -> str | None:
    """The venv whose interpreter this is (the folder holding pyvenv.cfg), or None."""
    folder = os.path.dirname(interpreter)
    if os.path.basename(folder) not in ("bin", "Scripts"):
        return None
    root = os.path.dirname(folder)
    return root if os.path.isfile(os.path.join(root, "pyvenv.cfg")) else None


def read_cfg(root: str) -> dict[str, str]:
    """``pyvenv.cfg`` as its keys and values (lower-case keys)."""
    out: dict[str, str] = {}
    try:
        with open(os.path.join(root, "pyvenv.cfg"), encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return out
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            out[key.strip().lower()] = value.strip()
    return out


def _key(interpreter: str, cfg: Mapping[str, str]) -> str | None:
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
    return _json_list(
        [SCHEMA, *machine, libc, real, st.st_size, st.st_mtime_ns, st.st_ino, *settings]
    )


def _json_list(items: list[str | int]) -> str:
    """``json.dumps(items)`` for strings and integers, without the json package."""
    try:
        from _json import encode_basestring_ascii as quote
    except ImportError:  # pragma: no cover - CPython always has it
        from json.encoder import py_encode_basestring_ascii as quote
    return "[" + ", ".join(quote(i) if isinstance(i, str) else int.__repr__(i) for i in items) + "]"


def _facts_path(cache: str, key: str) -> str:
    from parity.fswatch.facts import sha256_hex  # the small built-in SHA-256, not hashlib's

    return os.path.join(cache, "interpreters", sha256_hex(key.encode("utf-8"))[:40] + ".json")


def read_from_files(interpreter: str, cache: str) -> dict[str, Any] | None:
    """The probe's facts about the venv of ``interpreter``, without starting it; None if unknown."""
    from parity.fastjson import loads

    root = venv_root(interpreter)
    if root is None:
        return None
    cfg = read_cfg(root)
    key = _key(interpreter, cfg)
    if key is None:
        return None
    try:
        with open(_facts_path(cache, key), encoding="utf-8") as handle:
            data = loads(handle.read())
    except (OSError, ValueError, RecursionError):
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
    raw["prefix"] = root
    raw["in_venv"] = True
    raw["conda_meta"] = _conda_meta(root)
    raw["sites"] = [scan_site(site) for site in sites if site is not None and os.path.isdir(site)]
    return raw


def remember(interpreter: str, raw: Mapping[str, Any], cache: str) -> None:
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
    import json

    from parity.fsutil import atomic_write_text

    target = _facts_path(cache, key)
    try:
        os.makedirs(os.path.dirname(target), mode=0o700, exist_ok=True)
        atomic_write_text(target, json.dumps(record, sort_keys=True) + "\n")
    except (OSError, ValueError, ParityError):
        return  # only a speed-up is lost


def _relative(path: str, prefix: str) -> str | None:
    try:
        rel = os.path.relpath(path, prefix)
    except ValueError:
        return None
    return None if rel == ".." or rel.startswith(".." + os.sep) else rel


def _site_path(entry: object, root: str) -> str | None:
    if not isinstance(entry, list) or len(entry) != 2 or not all(isinstance(e, str) for e in entry):
        return None
    kind, path = str(entry[0]), str(entry[1])
    if kind == "prefix":
        return os.path.join(root, path)
    return path if kind == "absolute" else None


def _conda_meta(root: str) -> list[str] | None:
    folder = os.path.join(root, "conda-meta")
    if not os.path.isdir(folder):
        return None
    try:
        return sorted(n for n in os.listdir(folder) if n.endswith(".json"))
    except OSError:
        return []

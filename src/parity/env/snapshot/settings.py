"""The settings around an environment that a snapshot records (pure).

Behaviour-changing environment variables and the package index
configuration (pip's files and variables, then uv's), with machine paths and
credentials removed.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from parity.redact import hide_path, redact_location

# Environment variables that change how installed code behaves (threads, hashing,
# warnings, devices, locale): only those set are recorded.
BEHAVIOUR_VARIABLES = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "MKL_THREADING_LAYER",
    "OPENBLAS_NUM_THREADS",
    "OPENBLAS_CORETYPE",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "KMP_AFFINITY",
    "CUDA_VISIBLE_DEVICES",
    "TF_CPP_MIN_LOG_LEVEL",
    "PYTHONHASHSEED",
    "PYTHONPATH",
    "PYTHONWARNINGS",
    "PYTHONOPTIMIZE",
    "PYTHONUTF8",
    "LANG",
    "LC_ALL",
    "TZ",
)
_PATH_LIST_VARIABLES = frozenset({"PYTHONPATH"})


def behaviour_variables(environ: Mapping[str, str], *, home: str | None) -> dict[str, str]:
    """The behaviour-changing variables that are set, machine paths hidden."""
    out: dict[str, str] = {}
    for name in BEHAVIOUR_VARIABLES:
        value = environ.get(name)
        if value is None:
            continue
        if name in _PATH_LIST_VARIABLES:
            value = os.pathsep.join(hide_path(p, home=home) for p in value.split(os.pathsep))
        else:
            value = hide_path(value, home=home)
        out[name] = value
    return out


# -- index configuration


PipConfig = Mapping[str, Mapping[str, str]]  # section -> option -> value


def pip_config_files(
    environ: Mapping[str, str],
    *,
    prefix: str | None,
    home: Path,
    system_dirs: Sequence[Path] | None = None,
) -> list[Path]:
    """pip's configuration files, lowest priority first (pip's own order).

    ``PIP_CONFIG_FILE=os.devnull`` means no file at all, as for pip.
    """
    chosen = environ.get("PIP_CONFIG_FILE")
    if chosen == os.devnull:
        return []
    files: list[Path] = []
    if os.name == "nt":
        program_data = environ.get("PROGRAMDATA")
        if program_data:
            files.append(Path(program_data) / "pip" / "pip.ini")
        appdata = environ.get("APPDATA")
        files.append(home / "pip" / "pip.ini")
        if appdata:
            files.append(Path(appdata) / "pip" / "pip.ini")
        site_name = "pip.ini"
    else:
        if system_dirs is None:
            xdg_dirs = environ.get("XDG_CONFIG_DIRS") or "/etc/xdg"
            system_dirs = [
                *(Path(d) / "pip" for d in xdg_dirs.split(os.pathsep) if d),
                Path("/etc"),
            ]
        files += [d / "pip.conf" for d in system_dirs]
        files.append(home / ".pip" / "pip.conf")
        config_home = environ.get("XDG_CONFIG_HOME") or str(home / ".config")
        files.append(Path(config_home) / "pip" / "pip.conf")
        site_name = "pip.conf"
    if prefix:
        files.append(Path(prefix) / site_name)
    if chosen:
        files.append(Path(chosen))
    return files


def read_pip_configs(files: Iterable[Path]) -> list[dict[str, dict[str, str]]]:
    """The index-related options of every readable pip configuration file, in order."""
    import configparser

    out: list[dict[str, dict[str, str]]] = []
    for path in files:
        parser = configparser.RawConfigParser()
        try:
            with open(path, encoding="utf-8") as handle:
                parser.read_file(handle)
        except (OSError, UnicodeDecodeError, configparser.Error):
            continue
        out.append(
            {
                section: {
                    key.replace("_", "-").lower(): value for key, value in parser[section].items()
                }
                for section in parser.sections()
            }
        )
    return out


def index_configuration(
    environ: Mapping[str, str], configs: Sequence[PipConfig] = ()
) -> dict[str, list[str]]:
    """Where packages come from: ``index-url``, ``extra-index-url``, ``find-links``.

    pip's effective settings (later files override earlier ones, ``[install]``
    overrides ``[global]``, ``PIP_*`` variables override files) followed by
    uv's variables.  Credentials redacted, local locations ``<local>``; keys
    with nothing configured are left out.
    """
    pip: dict[str, str] = {}
    for config in configs:
        for section in ("global", "install"):
            options = config.get(section) or {}
            for key in ("index-url", "extra-index-url", "find-links"):
                if key in options:
                    pip[key] = options[key]
    for key, variable in (
        ("index-url", "PIP_INDEX_URL"),
        ("extra-index-url", "PIP_EXTRA_INDEX_URL"),
        ("find-links", "PIP_FIND_LINKS"),
    ):
        if environ.get(variable):
            pip[key] = environ[variable]
    found: dict[str, list[str]] = {
        "index-url": pip.get("index-url", "").split()[:1],
        "extra-index-url": pip.get("extra-index-url", "").split(),
        "find-links": pip.get("find-links", "").split(),
    }
    found["index-url"] += _words(environ.get("UV_INDEX_URL")) + _words(
        environ.get("UV_DEFAULT_INDEX")
    )
    found["extra-index-url"] += _words(environ.get("UV_EXTRA_INDEX_URL"))
    # UV_INDEX entries may be named: ``name=https://...``.
    found["extra-index-url"] += [
        re.sub(r"^[A-Za-z0-9_.-]+=", "", w) for w in _words(environ.get("UV_INDEX"))
    ]
    found["find-links"] += _words(environ.get("UV_FIND_LINKS"), commas=True)
    out: dict[str, list[str]] = {}
    for key, values in found.items():
        redacted = list(dict.fromkeys(redact_location(v) for v in values if v.strip()))
        if redacted:
            out[key] = redacted
    return out


def _words(value: str | None, *, commas: bool = False) -> list[str]:
    if not value:
        return []
    return value.replace(",", " ").split() if commas else value.split()

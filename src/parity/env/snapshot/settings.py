"""The settings around an environment that a snapshot records (pure).

Behaviour-changing environment variables and the package index
configuration (pip's files and variables, then uv's), with machine paths and
credentials removed.
"""

from __future__ import annotations

import os

from parity.pipconf import (
    PipConfig,
    effective_options,
    pip_config_files,
    pip_config_paths,
    read_pip_configs,
)
from parity.redact import hide_path, redact_location

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

__all__ = [
    "BEHAVIOUR_VARIABLES",
    "PipConfig",
    "behaviour_variables",
    "index_configuration",
    "pip_config_files",
    "pip_config_paths",
    "read_pip_configs",
]

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


def index_configuration(
    environ: Mapping[str, str], configs: Sequence[PipConfig] = ()
) -> dict[str, list[str]]:
    """Where packages come from: ``index-url``, ``extra-index-url``, ``find-links``.

    pip's effective settings (later files override earlier ones, ``[install]``
    overrides ``[global]``, ``PIP_*`` variables override files) followed by
    uv's variables.  Credentials redacted, local locations ``<local>``; keys
    with nothing configured are left out.
    """
    pip = effective_options(environ, configs, ("index-url", "extra-index-url", "find-links"))
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
    named = _words(environ.get("UV_INDEX"))
    if named:
        import re  # only then: ``parity snapshot`` imports no re for nothing

        found["extra-index-url"] += [re.sub(r"^[A-Za-z0-9_.-]+=", "", w) for w in named]
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

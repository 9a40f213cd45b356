"""uv's own configuration, as far as it changes what a resolution gives.

parity hands uv its options on the command line, but uv also reads its user
and system ``uv.toml`` and its ``UV_*`` variables.  A run that cannot see
those (a record of an earlier run, a lock answered from its own digests)
must know where they are.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

# Variables that change where uv keeps files, how it talks or what it prints,
# never which versions or files a resolution picks.
_UV_VARIABLES_WITHOUT_EFFECT_ON_RESULTS = frozenset(
    {
        "UV_CACHE_DIR",
        "UV_COMPILE_BYTECODE",
        "UV_CONCURRENT_BUILDS",
        "UV_CONCURRENT_DOWNLOADS",
        "UV_CONCURRENT_INSTALLS",
        "UV_HTTP_TIMEOUT",
        "UV_LINK_MODE",
        "UV_NATIVE_TLS",
        "UV_NO_CONFIG",  # what it turns off is left out of the spec and its digest
        "UV_NO_PROGRESS",
        "UV_OFFLINE",
        "UV_PYTHON_DOWNLOADS",
        "UV_PYTHON_INSTALL_DIR",
        "UV_REQUEST_TIMEOUT",
        "UV_TOOL_BIN_DIR",
        "UV_TOOL_DIR",
    }
)


# How uv reads a boolean variable (clap's "boolish" values); anything else set is true.
_FALSE = frozenset({"0", "false", "f", "no", "n", "off"})


def uv_config_off(environ: Mapping[str, str]) -> bool:
    """Whether ``UV_NO_CONFIG`` turns off uv's configuration files.

    uv then reads no ``uv.toml`` (the project's, the user's, the system's) and
    none of the settings under a project's ``[tool.uv]``: its indexes
    (``index``, ``index-url``, ...), ``index-strategy``, ``no-binary``,
    ``exclude-newer``, ... (it still reads the project tables: ``sources``,
    ``workspace``, ``constraint-dependencies``, ``environments``, ...).
    """
    value = environ.get("UV_NO_CONFIG", "").strip().lower()
    return bool(value) and value not in _FALSE


def uv_config_files(environ: Mapping[str, str]) -> list[str]:
    """Where uv looks for its user and system configuration (``uv.toml``), in its order.

    uv runs parity's resolutions in a throw-away folder, so a project's own
    uv.toml is never read there; these files are.
    """
    if uv_config_off(environ):
        return []
    candidates = []
    if environ.get("UV_CONFIG_FILE"):
        candidates.append(environ["UV_CONFIG_FILE"])
    home = os.path.expanduser("~")
    config_home = environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    candidates.append(os.path.join(config_home, "uv", "uv.toml"))
    for folder in (environ.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(os.pathsep):
        if folder:
            candidates.append(os.path.join(folder, "uv", "uv.toml"))
    candidates.append("/etc/uv/uv.toml")
    return candidates


def uv_settings_in_effect(environ: Mapping[str, str]) -> list[str]:
    """The uv variables and configuration files that may change a resolution's result.

    Names only (a variable's value may be a token).
    """
    found = sorted(
        name
        for name, value in environ.items()
        if name.startswith("UV_") and value and name not in _UV_VARIABLES_WITHOUT_EFFECT_ON_RESULTS
    )
    found += [path for path in uv_config_files(environ) if os.path.isfile(path)]
    return found

"""The one reader of pip's configuration, in pip's own order.

``lock`` uses it to resolve against the same indexes ``pip install`` would;
``snapshot`` records it (redacted).  The order is pip's
(``pip/_internal/configuration.py``), lowest priority first:

1. global: each ``$XDG_CONFIG_DIRS`` entry's ``pip/pip.conf`` (default
   ``/etc/xdg``), then ``/etc/pip.conf``; on Windows
   ``%PROGRAMDATA%\\pip\\pip.ini``;
2. user: ``~/.pip/pip.conf`` (``~/pip/pip.ini`` on Windows), then
   ``$XDG_CONFIG_HOME/pip/pip.conf`` (default ``~/.config``;
   ``%APPDATA%\\pip\\pip.ini`` on Windows) -- skipped when ``PIP_CONFIG_FILE``
   names a file that exists;
3. site: ``pip.conf`` in the environment's prefix;
4. the file ``PIP_CONFIG_FILE`` names;
5. ``PIP_*`` environment variables.

``PIP_CONFIG_FILE=os.devnull`` turns every file off.  In each file
``[install]`` overrides ``[global]``; keys are read with ``_`` as ``-``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

PipConfig = Mapping[str, Mapping[str, str]]  # section -> option -> value
INDEX_KEYS = ("index-url", "extra-index-url", "find-links", "no-index")
SECTIONS = ("global", "install")


def pip_config_files(
    environ: Mapping[str, str],
    *,
    prefix: str | None,
    home: Path | None = None,
    system_dirs: Sequence[Path] | None = None,
) -> list[Path]:
    """pip's configuration files, lowest priority first."""
    chosen = environ.get("PIP_CONFIG_FILE")
    if chosen == os.devnull:
        return []
    home = home if home is not None else Path(environ.get("HOME") or Path.home())
    files: list[Path] = []
    if os.name == "nt":
        program_data = environ.get("PROGRAMDATA")
        if program_data:
            files.append(Path(program_data) / "pip" / "pip.ini")
        user = [home / "pip" / "pip.ini"]
        appdata = environ.get("APPDATA")
        if appdata:
            user.append(Path(appdata) / "pip" / "pip.ini")
        site_name = "pip.ini"
    else:
        if system_dirs is None:
            xdg_dirs = environ.get("XDG_CONFIG_DIRS") or "/etc/xdg"
            system_dirs = [
                *(Path(d) / "pip" for d in xdg_dirs.split(os.pathsep) if d),
                Path("/etc"),
            ]
        files += [d / "pip.conf" for d in system_dirs]
        config_home = environ.get("XDG_CONFIG_HOME") or str(home / ".config")
        user = [home / ".pip" / "pip.conf", Path(config_home) / "pip" / "pip.conf"]
        site_name = "pip.conf"
    if not (chosen and Path(chosen).exists()):
        files += user
    if prefix:
        files.append(Path(prefix) / site_name)
    if chosen:
        files.append(Path(chosen))
    return files


def read_pip_configs(files: Iterable[Path]) -> list[dict[str, dict[str, str]]]:
    """Every readable configuration file's sections, in order (unreadable ones skipped, as pip does)."""
    import configparser  # only when reading: check never needs it

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
                    key.replace("_", "-").lower().lstrip("-"): value
                    for key, value in parser[section].items()
                }
                for section in parser.sections()
            }
        )
    return out


def effective_options(
    environ: Mapping[str, str], configs: Sequence[PipConfig], keys: Iterable[str] = INDEX_KEYS
) -> dict[str, str]:
    """What pip would use for ``keys``: later files win, ``[install]`` over ``[global]``, env last."""
    wanted = tuple(keys)
    values: dict[str, str] = {}
    for config in configs:
        for section in SECTIONS:
            options = config.get(section) or {}
            for key in wanted:
                if key in options:
                    values[key] = options[key]
    for key in wanted:
        variable = "PIP_" + key.upper().replace("-", "_")
        if environ.get(variable):
            values[key] = environ[variable]
    return values


def read_effective_options(
    environ: Mapping[str, str], *, prefix: str | None = None, home: Path | None = None
) -> dict[str, str]:
    """Read the files and the environment: pip's effective index options."""
    files = pip_config_files(environ, prefix=prefix, home=home)
    return effective_options(environ, read_pip_configs(files))


def is_true(value: str | None) -> bool:
    """pip's reading of a boolean option (``no-index = yes``)."""
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}

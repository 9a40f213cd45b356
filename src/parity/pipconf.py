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

# ``collections.abc.Mapping`` itself, without importing the collections package
# (``parity snapshot`` reads pip's files and would import it only for this alias).
from _collections_abc import Mapping

TYPE_CHECKING = False  # not typing's: ``parity snapshot`` reads pip's files through here
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
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
    from pathlib import Path

    return [
        Path(p)
        for p in pip_config_paths(
            environ,
            prefix=prefix,
            home=None if home is None else str(home),
            system_dirs=None if system_dirs is None else [str(d) for d in system_dirs],
        )
    ]


def pip_config_paths(
    environ: Mapping[str, str],
    *,
    prefix: str | None,
    home: str | None = None,
    system_dirs: Sequence[str] | None = None,
) -> list[str]:
    """:func:`pip_config_files` as strings, without pathlib (``parity snapshot`` never imports it)."""
    chosen = environ.get("PIP_CONFIG_FILE")
    if chosen == os.devnull:
        return []
    home = home if home is not None else (environ.get("HOME") or os.path.expanduser("~"))
    join = os.path.join
    files: list[str] = []
    if os.name == "nt":
        program_data = environ.get("PROGRAMDATA")
        if program_data:
            files.append(join(program_data, "pip", "pip.ini"))
        user = [join(home, "pip", "pip.ini")]
        appdata = environ.get("APPDATA")
        if appdata:
            user.append(join(appdata, "pip", "pip.ini"))
        site_name = "pip.ini"
    else:
        if system_dirs is None:
            xdg_dirs = environ.get("XDG_CONFIG_DIRS") or "/etc/xdg"
            system_dirs = [
                *(join(d, "pip") for d in xdg_dirs.split(os.pathsep) if d),
                "/etc",
            ]
        files += [join(d, "pip.conf") for d in system_dirs]
        config_home = environ.get("XDG_CONFIG_HOME") or join(home, ".config")
        user = [join(home, ".pip", "pip.conf"), join(config_home, "pip", "pip.conf")]
        site_name = "pip.conf"
    if not (chosen and os.path.exists(chosen)):
        files += user
    if prefix:
        files.append(join(prefix, site_name))
    if chosen:
        files.append(chosen)
    return files


def read_pip_configs(files: Iterable[Path | str]) -> list[dict[str, dict[str, str]]]:
    """Every readable configuration file's sections, in order (unreadable ones skipped, as pip does)."""
    out: list[dict[str, dict[str, str]]] = []
    for path in files:
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError):
            continue
        sections = plain_ini_sections(text)
        if sections is None:
            sections = _configparser_sections(text, os.fspath(path))
            if sections is None:
                continue
        out.append(
            {
                section: {
                    key.replace("_", "-").lower().lstrip("-"): value
                    for key, value in options.items()
                }
                for section, options in sections.items()
            }
        )
    return out


def _configparser_sections(text: str, source: str) -> dict[str, dict[str, str]] | None:
    """The file as pip reads it (``configparser.RawConfigParser``); None when it refuses it."""
    import configparser

    parser = configparser.RawConfigParser()
    try:
        parser.read_string(text, source=source)
    except configparser.Error:
        return None
    return {section: dict(parser[section].items()) for section in parser.sections()}


def plain_ini_sections(text: str) -> dict[str, dict[str, str]] | None:
    """The sections of a plain INI file, as ``RawConfigParser`` reads them; None when not plain.

    Plain: ``[section]`` headers, ``key = value`` (or ``key: value``) lines
    without indentation, full-line ``#``/``;`` comments and blank lines.
    Anything else (continuation lines, a ``[DEFAULT]`` section, a repeated
    section or key, a line that is neither) returns None and is left to
    configparser, whose import costs more than the rest of a snapshot's
    reading of pip's files.  A test compares both readings.
    """
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        if line[0].isspace():
            return None  # a continuation line, or indentation configparser reads its own way
        if stripped[0] == "[":
            name = stripped[1:-1]
            if stripped[-1] != "]" or not name or name == "DEFAULT" or name in sections:
                return None
            current = sections[name] = {}
            continue
        cut = min((i for i in (stripped.find("="), stripped.find(":")) if i >= 0), default=-1)
        key = stripped[:cut].rstrip().lower()
        if current is None or cut < 0 or not key or key in current:
            return None
        current[key] = stripped[cut + 1 :].strip()
    return sections


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

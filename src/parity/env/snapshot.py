"""Fingerprint a Python environment into a :class:`Snapshot`.

Any environment, not only parity's own: a venv, a conda prefix or a system
interpreter, back to Python 3.8.  The facts are collected by ``probe.py``,
run once with the target interpreter (in-process when the target is the
running interpreter); everything else here decides, from those raw facts,
what a snapshot holds:

- names canonicalised (PEP 503), versions as installed;
- sources redacted: credentials become ``***``, local paths ``local``;
- native libraries (BLAS/LAPACK, CUDA, cuDNN, OpenMP, MKL) recognised from
  build-info text, bundled ``*.libs`` directories, ``nvidia-*`` wheels and
  conda package records, without importing any of those packages;
- behaviour-changing environment variables and the package index
  configuration, with machine paths and credentials removed.

A snapshot never holds an absolute machine path: it is meant to be
committed, attached to a bug report or compared across machines.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from parity.env.snapshot_model import (
    Distribution,
    NativeLibrary,
    PlatformInfo,
    PythonInfo,
    Snapshot,
)
from parity.errors import EnvironmentError_

PROBE_PATH = Path(__file__).with_name("probe.py")
PROBE_TIMEOUT = 120.0
# The standard modules the probe imports, loaded before its directory goes first
# on sys.path: a module of parity's named like one of them must not shadow it.
PROBE_STDLIB = ("json", "os", "platform", "re", "site", "sys", "sysconfig")
_PROBE_COMMAND = (
    "import sys; sys.path = [p for p in sys.path if p]; sys.version_info >= (3, 8) or sys.exit("
    "'Python %s is older than 3.8, the oldest parity reads' % sys.version.split()[0]); "
    f"import {', '.join(PROBE_STDLIB)}; sys.path.insert(0, {str(PROBE_PATH.parent)!r}); "
    "import probe; del sys.path[0]; probe.main()"
)
LOCAL = "local"  # a distribution installed from a local path
LOCAL_LOCATION = "<local>"  # an index or find-links location on the local disk
REDACTED = "***"

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

# Installers known to write REQUESTED for what the user asked for; from others a
# missing REQUESTED file says nothing.
_RECORDS_REQUESTED = frozenset({"pip", "uv"})

_DIST_INFO = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)\.dist-info$")
_EGG_INFO = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+?)(?:-py\d[\d.]*.*)?\.egg-info$")
_ENV_REF = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")
_SECRET_QUERY_KEY = re.compile(r"token|key|secret|password|passwd|sig|auth", re.I)
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:[\\/]|^\\\\")


# ----------------------------------------------------------------- capturing (I/O)


@dataclass(frozen=True)
class Target:
    """The interpreter to probe; ``interpreter`` None means the running one."""

    interpreter: Path | None
    shown: str  # how messages name it (relative to the working directory when inside)
    label: str  # the default snapshot label


def capture_snapshot(
    *,
    python: Path | str | None = None,
    env_dir: Path | str | None = None,
    label: str | None = None,
    cwd: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Snapshot:
    """Fingerprint an environment: the running interpreter, ``python`` or ``env_dir``.

    ``python`` is an interpreter path or a command on PATH (``python3.9``);
    ``env_dir`` the root of a venv or conda prefix.  One process is started
    for the whole environment (none for the running interpreter).  Raises
    :class:`EnvironmentError_` when there is no interpreter to run or it fails.
    """
    base = cwd or Path.cwd()
    env = os.environ if environ is None else environ
    target = locate_target(python=python, env_dir=env_dir, cwd=base, environ=env)
    raw = run_probe(target, environ=env)
    home = env.get("HOME") or str(Path.home())
    prefix = raw.get("prefix")
    configs = read_pip_configs(
        pip_config_files(env, prefix=prefix if isinstance(prefix, str) else None, home=Path(home))
    )
    return snapshot_from_probe(
        raw,
        label=label or target.label,
        env_vars=behaviour_variables(env, home=home),
        index=index_configuration(env, configs),
        taken_at=_now(),
    )


def locate_target(
    *,
    python: Path | str | None,
    env_dir: Path | str | None,
    cwd: Path,
    environ: Mapping[str, str],
) -> Target:
    """Which interpreter to run, and how to name it; raises when there is none."""
    if python is not None and env_dir is not None:
        raise EnvironmentError_(
            "give an interpreter or an environment directory, not both",
            hint="Use --python for an interpreter, or --env for a venv or conda prefix.",
        )
    if env_dir is not None:
        root = _absolute(Path(env_dir), cwd)
        shown = display_path(Path(env_dir), cwd)
        return Target(env_interpreter(root, shown), shown, shown)
    if python is not None:
        return _python_target(str(python), cwd, environ)
    current = Path(sys.executable)
    root = Path(sys.prefix)
    if sys.prefix != getattr(sys, "base_prefix", sys.prefix) or (root / "conda-meta").is_dir():
        name = display_path(root, cwd)
    else:
        name = current.name or "python"
    return Target(None, name, name)


def _python_target(arg: str, cwd: Path, environ: Mapping[str, str]) -> Target:
    import shutil

    given = Path(arg)
    path_like = given.is_absolute() or "/" in arg or "\\" in arg
    if path_like:
        full = _absolute(given, cwd)
        shown = display_path(given, cwd)
    else:
        found = shutil.which(arg, path=environ.get("PATH"))
        if found is None:
            raise EnvironmentError_(
                "no such interpreter on PATH",
                path=arg,
                hint="Give the path of a Python executable, or a command on PATH such as python3.11.",
            )
        full, shown = _past_shim(Path(found), arg, environ), arg
    if full.is_dir():  # an environment directory given as --python: be helpful
        return Target(env_interpreter(full, shown), shown, shown)
    if not full.is_file() or not os.access(full, os.X_OK):
        raise EnvironmentError_(
            "no such interpreter" if not full.exists() else "not an executable file",
            path=shown,
            hint="Give the path of a Python executable (for a venv: .venv/bin/python), "
            "or the environment directory with --env.",
        )
    label = shown
    if path_like:
        # Inside a venv or conda prefix the environment names the side, not "python".
        depth = 2 if given.parent.name in ("bin", "Scripts") else 1
        root = given.parents[depth - 1] if len(given.parents) >= depth else given.parent
        full_root = _absolute(root, cwd)
        if (full_root / "pyvenv.cfg").is_file() or (full_root / "conda-meta").is_dir():
            label = display_path(root, cwd)
    interpreter = None if _is_running(full) else full
    return Target(interpreter, shown, label)


def _past_shim(found: Path, command: str, environ: Mapping[str, str]) -> Path:
    """The real interpreter behind a version manager's shim for ``pythonX.Y``.

    pyenv's and asdf's shims answer on PATH for every installed version but fail
    for one that is not active; the install directories say where it really is
    (read, not run: still one process per environment).
    """
    wanted = re.fullmatch(r"python(\d+\.\d+)", command)
    if found.parent.name != "shims" or wanted is None:
        return found
    from parity.env.python import managed_candidates, matches

    for candidate in managed_candidates(environ):
        if candidate.version and matches(candidate.version, wanted.group(1)):
            return candidate.path
    return found


def env_interpreter(root: Path, shown: str) -> Path | None:
    """The interpreter of a venv or conda prefix; None when it is the running one."""
    if not root.is_dir():
        raise EnvironmentError_(
            "no such directory",
            path=shown,
            hint="Give the root of a virtual environment or conda prefix, "
            "or an interpreter with --python.",
        )
    for relative in ("bin/python", "bin/python3", "Scripts/python.exe", "python.exe"):
        candidate = root / relative
        if candidate.is_file():
            return None if _is_running(candidate) else candidate
    raise EnvironmentError_(
        "no Python interpreter in this directory (looked for bin/python and Scripts/python.exe)",
        path=shown,
        hint="Give the root of a virtual environment (the directory that holds pyvenv.cfg) or "
        "of a conda prefix (it holds conda-meta/), or an interpreter with --python.",
    )


def _is_running(interpreter: Path) -> bool:
    # Compared without resolving symlinks: a venv's bin/python links to the base
    # interpreter but is another environment.
    return os.path.normcase(os.path.abspath(interpreter)) == os.path.normcase(
        os.path.abspath(sys.executable)
    )


def run_probe(target: Target, *, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The probe's raw facts about the target: one process, or none for the running Python."""
    if target.interpreter is None:
        from parity.env import probe

        return probe.collect()
    import json
    import subprocess

    # -E -s and no working directory on sys.path (what -I does, but Python 2
    # knows no -I and must get as far as the version check): neither PYTHON*
    # variables, the user's site-packages nor files where parity runs leak into
    # what is probed.  The probe is imported rather than run by path so that
    # each interpreter caches its compiled form.
    command = [str(target.interpreter), "-E", "-s", "-c", _PROBE_COMMAND]
    try:
        proc = subprocess.run(
            command,
            capture_output=True,
            timeout=PROBE_TIMEOUT,
            env=None if environ is None else dict(environ),
            stdin=subprocess.DEVNULL,
        )
    except OSError as exc:
        raise EnvironmentError_(
            f"cannot run the interpreter: {exc.strerror or exc}",
            path=target.shown,
            hint="Check that it is a working Python executable (run it with -c pass).",
        ) from None
    except subprocess.TimeoutExpired:
        raise EnvironmentError_(
            f"the interpreter did not answer within {PROBE_TIMEOUT:.0f} s",
            path=target.shown,
            hint="Check that it starts on its own (run it with -c pass).",
        ) from None
    stderr = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode != 0:
        last = stderr.splitlines()[-1] if stderr else f"exit status {proc.returncode}"
        raise EnvironmentError_(
            f"reading the environment failed: {last}",
            path=target.shown,
            hint="parity reads environments of Python 3.8 and newer; check that the interpreter "
            "starts (run it with -c pass).",
        )
    try:
        data = json.loads(proc.stdout.decode("utf-8", "replace"))
    except ValueError:
        data = None
    if not isinstance(data, dict) or "python" not in data:
        raise EnvironmentError_(
            "the interpreter printed something other than the environment's description",
            path=target.shown,
            hint="Check that it is a Python interpreter and that its startup prints nothing.",
        )
    return data


def _now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _absolute(path: Path, cwd: Path) -> Path:
    return path if path.is_absolute() else cwd / path


def display_path(path: Path, cwd: Path) -> str:
    """A path as reports show it: relative to ``cwd`` when inside, else its last component."""
    if not path.is_absolute():
        text = path.as_posix().rstrip("/")
        return text or "."
    try:
        return path.relative_to(cwd).as_posix() or "."
    except ValueError:
        return path.name or "/"


# ----------------------------------------------------------------- deciding (pure)


def snapshot_from_probe(
    raw: Mapping[str, Any],
    *,
    label: str,
    env_vars: Mapping[str, str] | None = None,
    index: Mapping[str, list[str]] | None = None,
    taken_at: str | None = None,
) -> Snapshot:
    """The Snapshot of the environment the probe described."""
    sites = [s for s in raw.get("sites") or () if isinstance(s, Mapping)]
    distributions = distributions_from_sites(sites)
    conda_meta = raw.get("conda_meta")
    if conda_meta is not None:
        kind = "conda"
    elif raw.get("in_venv"):
        kind = "venv"
    else:
        kind = "system"
    return Snapshot(
        label=label,
        kind=kind,
        python=_python_info(raw.get("python")),
        platform=_platform_info(raw.get("platform")),
        distributions=distributions,
        native=native_libraries(sites, distributions, conda_meta or ()),
        env_vars=dict(env_vars or {}),
        index={k: list(v) for k, v in (index or {}).items()},
        taken_at=taken_at,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _python_info(raw: object) -> PythonInfo | None:
    if not isinstance(raw, Mapping):
        return None
    return PythonInfo(
        implementation=_text(raw.get("implementation")) or "unknown",
        version=_text(raw.get("version")) or "unknown",
        build=_text(raw.get("build")),
        compiler=_text(raw.get("compiler")),
        abi=_text(raw.get("abi")),
    )


def _platform_info(raw: object) -> PlatformInfo | None:
    if not isinstance(raw, Mapping):
        return None
    return PlatformInfo(
        system=_text(raw.get("system")) or "unknown",
        machine=_text(raw.get("machine")) or "unknown",
        release=_text(raw.get("release")),
        libc=_text(raw.get("libc")),
        libc_version=_text(raw.get("libc_version")),
    )


def canonical_name(name: str) -> str:
    """PEP 503: lowercase, every run of ``-``, ``_`` and ``.`` becomes one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def distributions_from_sites(sites: Sequence[Mapping[str, Any]]) -> tuple[Distribution, ...]:
    """Every distribution the probe found, by name; the first site directory wins."""
    found: dict[str, Distribution] = {}
    for site in sites:
        for item in site.get("dists") or ():
            if not isinstance(item, Mapping):
                continue
            dist = distribution_from_entry(item)
            if dist is not None and dist.name not in found:
                found[dist.name] = dist
    return tuple(found[name] for name in sorted(found))


def distribution_from_entry(item: Mapping[str, Any]) -> Distribution | None:
    """One ``*.dist-info`` / ``*.egg-info`` / ``*.egg-link`` entry as a Distribution."""
    entry = item.get("entry")
    if not isinstance(entry, str):
        return None
    meta = item.get("meta")
    name: str | None = None
    version: str | None = None
    if isinstance(meta, Mapping):
        name, version = _text(meta.get("name")), _text(meta.get("version"))
    if name is None and item.get("egg_link"):
        name = entry[: -len(".egg-link")] if entry.endswith(".egg-link") else entry
    if name is None or (version is None and not item.get("egg_link")):
        match = _DIST_INFO.match(entry) or _EGG_INFO.match(entry)
        if match is None:
            if name is None:
                return None
        else:
            name = name or match.group("name")
            version = version or match.group("version")
    if name is None:
        return None
    installer = _text(item.get("installer"))
    source: str | None = None
    editable = False
    if item.get("egg_link"):
        source, editable = LOCAL, True
    elif isinstance(item.get("direct_url"), str):
        source, editable = source_from_direct_url(item["direct_url"])
    requested: bool | None = None
    if "requested" in item:
        if item["requested"]:
            requested = True
        elif installer in _RECORDS_REQUESTED:
            requested = False
    return Distribution(
        name=canonical_name(name),
        version=version,
        installer=installer,
        source=source,
        editable=editable,
        requested=requested,
    )


def source_from_direct_url(text: str) -> tuple[str | None, bool]:
    """(source, editable) from a PEP 610 ``direct_url.json``.

    A VCS checkout becomes ``git+https://host/repo@<commit>``; an archive URL
    stays a URL; anything on the local disk (a directory, an editable
    checkout, a ``file://`` archive or repository) is just ``local``.
    Credentials are always redacted.
    """
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return None, False
    if not isinstance(data, dict):
        return None, False
    url = data.get("url")
    dir_info = data.get("dir_info")
    editable = isinstance(dir_info, dict) and dir_info.get("editable") is True
    if not isinstance(url, str) or not url:
        return (LOCAL if editable else None), editable
    if url.lower().startswith("file:"):
        return LOCAL, editable
    subdirectory = data.get("subdirectory")
    suffix = (
        f"#subdirectory={subdirectory}" if isinstance(subdirectory, str) and subdirectory else ""
    )
    vcs_info = data.get("vcs_info")
    if isinstance(vcs_info, dict):
        vcs = vcs_info.get("vcs") if isinstance(vcs_info.get("vcs"), str) else "git"
        ref = vcs_info.get("commit_id") or vcs_info.get("requested_revision")
        at = f"@{ref}" if isinstance(ref, str) and ref else ""
        return f"{vcs}+{redact_credentials(url)}{at}{suffix}", editable
    return redact_credentials(url) + suffix, editable


def redact_credentials(url: str) -> str:
    """``https://user:pass@host/x`` -> ``https://***@host/x``; secret query values too.

    ``${VAR}`` references are kept: they name a variable, not a secret.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return REDACTED
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if _ENV_REF.sub("", userinfo).replace(":", ""):
            netloc = f"{REDACTED}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(_SECRET_QUERY_KEY.search(k) for k, _ in pairs):
            query = urlencode(
                [(k, REDACTED if _SECRET_QUERY_KEY.search(k) else v) for k, v in pairs],
                safe="*",
            )
    if netloc == parts.netloc and query == parts.query:
        return url
    return parts._replace(netloc=netloc, query=query).geturl()


def redact_location(value: str) -> str:
    """An index or find-links location as a snapshot may hold it.

    Remote URLs lose their credentials; anything on the local disk (a
    ``file://`` URL, a path) becomes ``<local>``, so no machine path is stored.
    """
    text = value.strip()
    scheme, sep, _ = text.partition("://")
    if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
        return LOCAL_LOCATION
    if scheme.lower() == "file":
        return LOCAL_LOCATION
    return redact_credentials(text)


def hide_path(value: str, *, home: str | None) -> str:
    """A path as a snapshot may hold it: under home -> ``~/...``; else absolute -> ``<local>``."""
    if not value:
        return value
    if home:
        home_clean = home.rstrip("/\\")
        if home_clean and value == home_clean:
            return "~"
        for sep in ("/", "\\"):
            if home_clean and value.startswith(home_clean + sep):
                return "~/" + value[len(home_clean) + 1 :].replace("\\", "/")
    if value.startswith("/") or _WINDOWS_ABSOLUTE.match(value):
        return LOCAL_LOCATION
    return value


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


# -- native libraries


@dataclass(frozen=True)
class _LibPattern:
    pattern: re.Pattern[str]
    kind: str
    name: str


# Shared libraries that wheels bundle (auditwheel / delocate / delvewheel), by file name.
_BUNDLED = (
    _LibPattern(re.compile(r"^libscipy_openblas", re.I), "blas", "scipy-openblas"),
    _LibPattern(re.compile(r"^libopenblas", re.I), "blas", "openblas"),
    _LibPattern(re.compile(r"^libmkl", re.I), "mkl", "mkl"),
    _LibPattern(re.compile(r"^libgomp", re.I), "openmp", "libgomp"),
    _LibPattern(re.compile(r"^libiomp", re.I), "openmp", "libiomp"),
    _LibPattern(re.compile(r"^libomp", re.I), "openmp", "libomp"),
    _LibPattern(re.compile(r"^libgfortran", re.I), "fortran", "libgfortran"),
)
# Import names whose bundled-library directories belong to a differently named distribution.
_IMPORT_TO_DIST = {"sklearn": "scikit-learn"}
# Which build-info text belongs to which distribution.
_CONFIG_TEXTS = {"numpy/__config__.py": "numpy", "scipy/__config__.py": "scipy"}
# conda packages that are native libraries: name -> (kind, library name).
_CONDA_NATIVE = {
    "libopenblas": ("blas", "openblas"),
    "openblas": ("blas", "openblas"),
    "blis": ("blas", "blis"),
    "mkl": ("mkl", "mkl"),
    "cudatoolkit": ("cuda", "cuda-runtime"),
    "cuda-cudart": ("cuda", "cuda-runtime"),
    "cudnn": ("cudnn", "cudnn"),
    "llvm-openmp": ("openmp", "libomp"),
    "intel-openmp": ("openmp", "libiomp"),
    "libgomp": ("openmp", "libgomp"),
}
_NVIDIA = (
    (re.compile(r"^nvidia-cuda-runtime(-cu\d+)?$"), "cuda", "cuda-runtime"),
    (re.compile(r"^nvidia-cudnn(-cu\d+)?$"), "cudnn", "cudnn"),
)
_PIP_NATIVE = {"mkl": ("mkl", "mkl"), "intel-openmp": ("openmp", "libiomp")}
_TORCH_VERSION_VAR = re.compile(
    r"^(?P<var>cuda|hip)\s*(?::[^=\n]*)?=\s*['\"](?P<value>[^'\"]+)['\"]", re.M
)
_LEGACY_BLAS = (
    ("blas_mkl_info", "mkl"),
    ("mkl_info", "mkl"),
    ("openblas_info", "openblas"),
    ("blis_info", "blis"),
    ("accelerate_info", "accelerate"),
)
_LEGACY_LAPACK = (
    ("lapack_mkl_info", "mkl"),
    ("mkl_info", "mkl"),
    ("openblas_lapack_info", "openblas"),
    ("flame_info", "flame"),
    ("accelerate_info", "accelerate"),
)


def native_libraries(
    sites: Sequence[Mapping[str, Any]],
    distributions: Sequence[Distribution],
    conda_meta: Iterable[str] = (),
) -> tuple[NativeLibrary, ...]:
    """The native libraries an environment uses, from what the probe read (no imports)."""
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
        if relative in _CONFIG_TEXTS:
            found += build_config_libraries(text, provider=_CONFIG_TEXTS[relative])
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
        for pattern, kind, name in _NVIDIA:
            if pattern.match(dist.name):
                found.append(NativeLibrary(kind, name, dist.version, dist.name))
        if dist.name in _PIP_NATIVE:
            kind, name = _PIP_NATIVE[dist.name]
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
    return _IMPORT_TO_DIST.get(head, canonical_name(head))


def bundled_libraries(names: Iterable[str], *, provider: str | None) -> list[NativeLibrary]:
    """Native libraries recognised among bundled shared-library file names."""
    out: list[NativeLibrary] = []
    for filename in names:
        for lib in _BUNDLED:
            if lib.pattern.match(filename):
                out.append(
                    NativeLibrary(lib.kind, lib.name, _lib_version(lib.name, filename), provider)
                )
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
    if found:
        return list(found.values())
    return _legacy_config_libraries(tree, provider)


def _constant(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _legacy_config_libraries(tree: ast.Module, provider: str) -> list[NativeLibrary]:
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
    for kind, table in (("blas", _LEGACY_BLAS), ("lapack", _LEGACY_LAPACK)):
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
    out: list[NativeLibrary] = []
    for record in records:
        stem = record[: -len(".json")] if record.endswith(".json") else record
        parts = stem.rsplit("-", 2)
        if len(parts) != 3:
            continue
        name, version, _build = parts
        if name in _CONDA_NATIVE:
            kind, lib = _CONDA_NATIVE[name]
            out.append(NativeLibrary(kind, lib, version, name))
    return out

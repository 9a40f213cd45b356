"""Finding Python interpreters: the one place parity looks for them.

- :func:`find_interpreter`: an interpreter for a version request (3.11,
  >=3.10), for locking and for building environments;
- :func:`find_command`: a command on PATH (``python3.9``), past version
  managers' shims;
- :func:`environment_interpreter`: the interpreter inside a venv or conda prefix.

For a version request uv's discovery comes first.  It trips over version managers' shims, though:
pyenv answers ``python3.9`` on PATH even when 3.9 is not the active version,
then fails, and uv reports the failure instead of looking further.  So when
uv finds nothing, parity looks where version managers and OS packages
install interpreters, reading versions from directory names (no process is
started per candidate), and hands uv the exact path.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from parity.envpython import ENVIRONMENT_INTERPRETERS as ENVIRONMENT_INTERPRETERS
from parity.envpython import environment_python
from parity.envpython import is_running as is_running
from parity.errors import PythonNotFoundError

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads

# packaging, shutil and the uv runner are imported where they are used: a
# snapshot of an environment needs none of them.
if TYPE_CHECKING:
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

_VERSION_DIR = re.compile(r"^(?:cpython-|python-?)?(\d+\.\d+(?:\.\d+)?)(?:[-+].*)?$")


class Interpreter:
    """An interpreter found on the machine, and its version when its location says it.

    A plain value class, not a dataclass: ``parity snapshot`` passes through
    this module, and dataclasses (with inspect) cost a third of a snapshot.
    """

    __slots__ = ("path", "version")
    path: Path
    version: str | None

    def __init__(self, path: Path, version: str | None) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "version", version)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Interpreter)
        return (self.path, self.version) == (other.path, other.version)

    def __hash__(self) -> int:
        return hash((self.path, self.version))

    def __repr__(self) -> str:
        return f"Interpreter(path={self.path!r}, version={self.version!r})"


def request_specifier(request: str) -> SpecifierSet:
    """A Python request as a version range: 3.11 -> ==3.11.*, 3.11.7 -> ==3.11.7.

    A range (>=3.10, ==3.11.*) is taken as written.  Raises InvalidSpecifier.
    """
    from packaging.specifiers import SpecifierSet
    from packaging.version import Version

    text = request.strip()
    if text[:1].isdigit():
        exact = Version(text)  # raises InvalidVersion, a ValueError like InvalidSpecifier
        # A version with fewer than three components names a series.
        return SpecifierSet(f"=={text}.*" if len(exact.release) < 3 else f"=={text}")
    return SpecifierSet(text)


def matches(version: str, request: str) -> bool:
    """Whether ``version`` (3.11.7) satisfies ``request`` (3.11, 3.11.7 or >=3.10)."""
    from packaging.specifiers import InvalidSpecifier
    from packaging.version import InvalidVersion

    try:
        return request_specifier(request).contains(version, prereleases=True)
    except (InvalidSpecifier, InvalidVersion):
        return False


def managed_candidates(environ: Mapping[str, str]) -> Iterable[Interpreter]:
    """Interpreters installed by pyenv, asdf, uv or the OS, newest first."""
    home = Path(environ.get("HOME", "~")).expanduser()
    roots = [
        Path(environ.get("PYENV_ROOT", home / ".pyenv")) / "versions",
        home / ".asdf" / "installs" / "python",
        Path(environ.get("UV_PYTHON_INSTALL_DIR", home / ".local" / "share" / "uv" / "python")),
    ]
    found: list[Interpreter] = []
    for root in roots:
        try:
            entries = sorted(os.listdir(root))
        except OSError:
            continue
        for entry in entries:
            match = _VERSION_DIR.match(entry.split("-linux")[0].split("-macos")[0])
            if not match:
                continue
            version = match.group(1)
            major_minor = ".".join(version.split(".")[:2])
            for name in (f"python{major_minor}", "python3", "python"):
                exe = root / entry / "bin" / name
                if exe.exists():
                    found.append(Interpreter(exe, version))
                    break
    for directory in ("/usr/local/bin", "/usr/bin", "/opt/homebrew/bin"):
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        for name in names:
            match = re.fullmatch(r"python(\d+\.\d+)", name)
            if match:
                found.append(Interpreter(Path(directory) / name, match.group(1)))
    return sorted(found, key=lambda i: _sort_key(i.version), reverse=True)


def _sort_key(version: str | None) -> Version:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(version or "0")
    except InvalidVersion:
        return Version("0")


def base_interpreter(path: Path) -> Path:
    """The interpreter a venv's ``python`` stands for; any other path as it is.

    uv's discovery prefers a ``.venv`` in the working directory, and that
    interpreter is gone once the venv is rebuilt.  A venv's ``pyvenv.cfg``
    names the base installation (``home``), which outlives it.
    """
    for cfg in (path.parent.parent / "pyvenv.cfg", path.parent / "pyvenv.cfg"):
        try:
            text = cfg.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        home = next(
            (
                line.partition("=")[2].strip()
                for line in text.splitlines()
                if line.partition("=")[0].strip().lower() == "home"
            ),
            "",
        )
        if not home:
            break
        for name in (path.name, "python3", "python", "python.exe"):
            candidate = Path(home) / name
            if candidate.exists():
                return Path(os.path.realpath(candidate))
        break
    return Path(os.path.realpath(path))


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True


def find_interpreter(
    request: str | None,
    environ: Mapping[str, str] | None = None,
    *,
    purpose: str = "the lock was made for it",
    outside: Path | None = None,
) -> Interpreter:
    """The interpreter for ``request``: uv's discovery, then known install locations.

    A venv's interpreter is traced back to its base installation, and with
    ``outside`` (an environment about to be rebuilt) nothing inside that
    folder is returned: it is resolved before anything is removed.
    """
    env = os.environ if environ is None else environ
    args = ["python", "find", "--no-python-downloads"]
    if request:
        args.append(request)
    from parity.uv import run_uv

    proc = run_uv(args)
    if proc.returncode == 0 and proc.stdout.strip():
        found = base_interpreter(Path(proc.stdout.strip().splitlines()[-1]))
        if outside is None or not _inside(found, outside):
            return Interpreter(found, None)
    if request:
        for candidate in managed_candidates(env):
            usable = outside is None or not _inside(candidate.path, outside)
            if usable and candidate.version and matches(candidate.version, request):
                return candidate
    version = _plain_version(request)
    what = f"Python {version or request}" if request else "a Python interpreter"
    install = f"`uv python install {version}`" if version else "`uv python install`"
    raise PythonNotFoundError(
        f"{what} is not installed on this machine ({purpose})",
        hint=f"Install it with {install}, pyenv or your OS packages, then run the command again.",
    )


def _plain_version(request: str | None) -> str | None:
    """3.11 for "3.11", "3.11.7" or "==3.11.*"; None for a range."""
    if not request:
        return None
    match = re.fullmatch(r"(?:==)?(\d+\.\d+(?:\.\d+)?)(?:\.\*)?", request.strip())
    return match.group(1) if match else None


def find_command(command: str, environ: Mapping[str, str]) -> Path | None:
    """The interpreter a command on PATH (``python3.9``) really runs, or None."""
    import shutil

    found = shutil.which(command, path=environ.get("PATH"))
    if found is None:
        return None
    return past_shim(Path(found), command, environ)


def past_shim(found: Path, command: str, environ: Mapping[str, str]) -> Path:
    """The real interpreter behind a version manager's shim for ``pythonX.Y``.

    pyenv's and asdf's shims answer on PATH for every installed version but fail
    for one that is not active; the install directories say where it really is
    (read, not run: no process is started).
    """
    wanted = re.fullmatch(r"python(\d+\.\d+)", command)
    if found.parent.name != "shims" or wanted is None:
        return found
    for candidate in managed_candidates(environ):
        if candidate.version and matches(candidate.version, wanted.group(1)):
            return candidate.path
    return found


def environment_interpreter(root: Path) -> Path | None:
    """The interpreter of the venv or conda prefix at ``root``, or None when it has none."""
    found = environment_python(str(root))
    return None if found is None else Path(found)

"""What a computation looked at on disk, so its result can be reused while that stays as it was.

While a :class:`Recorder` is active it wraps the ``os`` and ``io`` functions
every path operation ends in (``stat``, ``lstat``, ``listdir``, ``scandir``,
``readlink``, ``access``, ``open``) and notes each observation as a *fact*:

- ``("stat", path, follow, field)``: one field of a status, only the fields
  the code read (``os.path.realpath`` reads a folder's type, not its mtime,
  so a busy ``/tmp`` does not matter), or the error it raised;
- ``("list", path)``: the names in a folder;
- ``("read", path)``: the SHA-256 of a file's bytes (size, mtime and inode
  for files over 8 MiB);
- ``("link", path)`` and ``("access", path, mode)``.

:func:`facts_hold` checks them all again.  Whatever cannot be checked that
way makes the run *unsafe* and its result is not reused: a write outside the
allowed folders, a subprocess (unless the caller allows it), a network
connection, a path given as a file descriptor.  Folders whose status fields
were not read are not facts, which is the point: reading a project tells
nothing about the mtime of its parent folders.

A self-test (:func:`tracking_works`) proves on this interpreter that
``pathlib``, ``glob`` and ``os.path`` reach the wrapped functions; where they
do not (Python 3.10's ``pathlib`` binds them at import), nothing is reused.

Only the standard library is imported here, and only at use.
"""

from __future__ import annotations

import os
import stat as _stat
import sys

TYPE_CHECKING = False  # not typing's: checking facts must not pay for importing it
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from typing import Any

    Fact = tuple[Any, ...]

try:  # the small built-in SHA-256, not hashlib's OpenSSL (a tenth of Python's start-up)
    from _sha256 import sha256  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    try:
        from _sha2 import sha256  # type: ignore[import-not-found,no-redef,unused-ignore]
    except ImportError:
        from hashlib import sha256  # type: ignore[assignment,unused-ignore]

# Over this size a file read is known by its status, not its bytes.
HASH_LIMIT = 8 * 1024 * 1024
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_STAT_FIELDS = (
    "st_mode",
    "st_ino",
    "st_dev",
    "st_nlink",
    "st_uid",
    "st_gid",
    "st_size",
    "st_atime",
    "st_mtime",
    "st_ctime",
)


_active: Recorder | None = None
_audit_installed = False


class Recorder:
    """The facts one run observed, and why (if at all) its result must not be reused."""

    def __init__(
        self,
        *,
        writable: Sequence[str] = (),
        allow_subprocess: Callable[[Sequence[str]], bool] | None = None,
    ) -> None:
        self.facts: dict[Fact, Any] = {}
        self.unsafe: list[str] = []
        self.subprocesses: list[tuple[str, ...]] = []
        self._writable = tuple(os.path.join(os.path.abspath(w), "") for w in writable)
        self._allow_subprocess = allow_subprocess
        self._saved: dict[tuple[Any, str], Any] = {}
        self._paused = 0
        # Subprocesses allowed by ``subprocess.Popen``'s audit event, whose own
        # ``os.posix_spawn`` event (Python 3.13 spawns that way) is the same start.
        self._allowed_spawns = 0

    # -- what the wrappers report -------------------------------------------------------

    def scratch(self, path: str) -> bool:
        """Whether ``path`` is in a folder the run may use freely (its facts do not count)."""
        full = os.path.join(path, "")
        return any(full.startswith(root) for root in self._writable)

    def note(self, fact: Fact, value: Any) -> None:
        if not self._paused and not self.scratch(fact[1]):
            self.facts.setdefault(fact, value)

    def note_stat(self, path: str, follow: bool, name: str, value: Any) -> None:
        """One field of a status (all fields of one status are kept together)."""
        if self._paused or self.scratch(path):
            return
        fields = self.facts.setdefault(("stat", path, follow), {})
        fields.setdefault(name, value)

    def observed(self) -> list[tuple[Fact, Any]]:
        """The facts, in a stable order, as :func:`facts_hold` takes them."""
        out: list[tuple[Fact, Any]] = []
        for fact, value in self.facts.items():
            if fact[0] == "stat":
                names = tuple(sorted(value))
                value = (names, tuple(value[n] for n in names))
            out.append((fact, value))
        out.sort(key=lambda item: (item[0][0], item[0][1], repr(item[0][2:])))
        return out

    def refuse(self, reason: str) -> None:
        if not self._paused and reason not in self.unsafe:
            self.unsafe.append(reason)

    def wrote(self, path: str) -> None:
        if path == os.devnull:
            return  # a subprocess's stdin
        if not self.scratch(os.path.abspath(path)):
            self.refuse(f"wrote {path}")

    def started(self, argv: Sequence[str]) -> None:
        if self._paused:
            return
        self.subprocesses.append(tuple(argv))
        if self._allow_subprocess is None or not self._allow_subprocess(argv):
            self.refuse(f"ran {argv[0] if argv else 'a program'}")
            return
        self._allowed_spawns += 1
        # The program itself is an input of what it printed.
        exe = _abs(argv[0])
        result = _stat_result(exe, True)
        for name in ("st_size", "st_mtime_ns", "st_ino"):
            self.note_stat(exe, True, name, _field(result, name))

    def read(self, path: str) -> None:
        if self._paused:
            return
        key: Fact = ("read", _abs(path))
        if key not in self.facts and not self.scratch(key[1]):
            self.facts[key] = file_identity(key[1])

    # -- switching the wrappers on and off ------------------------------------------------

    def __enter__(self) -> Recorder:
        global _active
        if _active is not None:
            raise RuntimeError("a Recorder is already active")
        _install_audit_hook()
        self._patch()
        _active = self
        return self

    def __exit__(self, *exc: object) -> None:
        global _active
        _active = None
        self._unpatch()

    def paused(self) -> _Pause:
        return _Pause(self)

    def _patch(self) -> None:
        import io
        import shutil

        targets: list[tuple[Any, str, Callable[..., Any]]] = [
            (os, "stat", _wrap_stat(os.stat, follow_default=True)),
            (os, "lstat", _wrap_stat(os.lstat, follow_default=False)),
            (os, "listdir", _wrap_listdir(os.listdir)),
            (os, "scandir", _wrap_scandir(os.scandir)),
            (os, "readlink", _wrap_readlink(os.readlink)),
            (os, "access", _wrap_access(os.access)),
            (os, "open", _wrap_os_open(os.open)),
            (io, "open", _wrap_open(io.open)),
            (shutil, "rmtree", _wrap_rmtree(shutil.rmtree)),
        ]
        targets.append((sys.modules["builtins"], "open", targets[7][2]))
        # Python 3.13's glob (and so pathlib's glob) binds os.scandir and os.lstat
        # into a class when imported: wrap them there too.
        import glob

        globber = getattr(glob, "_StringGlobber", None)
        if globber is not None:
            for name, index in (("scandir", 3), ("lstat", 1)):
                if isinstance(vars(globber).get(name), staticmethod):
                    targets.append((globber, name, staticmethod(targets[index][2])))
        for name in (
            "replace",
            "rename",
            "remove",
            "unlink",
            "rmdir",
            "mkdir",
            "utime",
            "chmod",
            "symlink",
            "link",
            "truncate",
        ):
            targets.append((os, name, _wrap_mutation(getattr(os, name))))
        for owner, name, wrapper in targets:
            # The raw attribute (a class's staticmethod object, not the function).
            self._saved[(owner, name)] = vars(owner).get(name, getattr(owner, name))
            setattr(owner, name, wrapper)

    def _unpatch(self) -> None:
        for (owner, name), original in self._saved.items():
            setattr(owner, name, original)
        self._saved.clear()


class _Pause:
    def __init__(self, recorder: Recorder) -> None:
        self._recorder = recorder

    def __enter__(self) -> None:
        self._recorder._paused += 1

    def __exit__(self, *exc: object) -> None:
        self._recorder._paused -= 1


def active() -> Recorder | None:
    return _active


def _abs(path: Any) -> str:
    return os.path.abspath(os.fsdecode(os.fspath(path)))


def _is_path(value: Any) -> bool:
    return isinstance(value, (str, bytes, os.PathLike))


# -- observations, made the same way when recording and when checking ------------------------


def _original(name: str) -> Callable[..., Any]:
    recorder = _active
    if recorder is not None:
        saved = recorder._saved.get((os, name))
        if saved is not None:
            return saved  # type: ignore[no-any-return]
    return getattr(os, name)  # type: ignore[no-any-return]


def _stat_result(path: str, follow: bool) -> os.stat_result | int:
    """The status of ``path``, or the errno its stat raised."""
    try:
        return _original("stat")(path) if follow else _original("lstat")(path)  # type: ignore[no-any-return]
    except OSError as exc:
        return exc.errno or -1


def _field(result: os.stat_result | int, name: str) -> Any:
    if isinstance(result, int):
        return ("error", result)
    return getattr(result, name)


def file_identity(path: str) -> Any:
    """What a file read is known by: its status and its bytes' SHA-256 (or the error).

    The status lets a later check skip hashing (see :func:`_same_file`).
    """
    result = _stat_result(path, True)
    if isinstance(result, int):
        return ("error", result)
    if not _stat.S_ISREG(result.st_mode):
        return ("kind", _stat.S_IFMT(result.st_mode))
    status = (result.st_size, result.st_mtime_ns, result.st_ctime_ns, result.st_ino)
    if result.st_size > HASH_LIMIT:
        return ("big", *status)
    digest = _digest(path)
    return ("file", *status, digest) if digest is not None else ("error", -1)


# Timestamps coarser than this (FAT's 2 s) cannot hide a change from a status comparison.
_RACY_NS = 3_000_000_000


def _same_file(path: str, value: Any, made_ns: int) -> bool:
    """Whether the file read then is the file there now.

    As git does for its index: an unchanged status (size, mtime, ctime,
    inode) proves an unchanged file only when both times are older than the
    record by more than the coarsest timestamp; a file changed within that
    window, or with another status, is hashed again.
    """
    if not value or value[0] != "file":
        return bool(file_identity(path) == value)
    result = _stat_result(path, True)
    if isinstance(result, int) or not _stat.S_ISREG(result.st_mode):
        return False
    size, mtime, ctime, ino, digest = value[1:]
    if (result.st_size, result.st_mtime_ns, result.st_ctime_ns, result.st_ino) == (
        size,
        mtime,
        ctime,
        ino,
    ) and max(mtime, ctime) < made_ns - _RACY_NS:
        return True
    return bool(result.st_size == size and _digest(path) == digest)


def sha256_hex(data: bytes) -> str:
    return str(sha256(data).hexdigest())


def _digest(path: str) -> str | None:
    opener = _original("open")
    try:
        fd = opener(path, os.O_RDONLY)
    except OSError:
        return None
    digest = sha256()
    try:
        while chunk := os.read(fd, 1 << 20):
            digest.update(chunk)
    finally:
        os.close(fd)
    return str(digest.hexdigest())


def _listing(path: str) -> Any:
    try:
        return tuple(sorted(_original("listdir")(path)))
    except OSError as exc:
        return ("error", exc.errno or -1)


def _link(path: str) -> Any:
    try:
        return ("target", _original("readlink")(path))
    except OSError as exc:
        return ("error", exc.errno or -1)


def _entry_kind(path: str, kind: str, follow: bool) -> bool:
    result = _stat_result(path, follow)
    if isinstance(result, int):
        return False
    test = {"dir": _stat.S_ISDIR, "file": _stat.S_ISREG, "link": _stat.S_ISLNK}[kind]
    return bool(test(result.st_mode))


def facts_hold(facts: Sequence[tuple[Fact, Any]], made_ns: int = 0) -> bool:
    """Whether every fact observed before (by a record made at ``made_ns``) is still true."""
    for fact, value in facts:
        kind = fact[0]
        if kind == "stat":
            _, path, follow = fact
            names, values = value
            result = _stat_result(path, follow)
            if isinstance(result, int):
                if values != (("error", result),) * len(values):
                    return False
            elif tuple([getattr(result, n) for n in names]) != values:
                return False
        elif kind == "read":
            if not _same_file(fact[1], value, made_ns):
                return False
        elif kind == "list":
            if _listing(fact[1]) != value:
                return False
        elif kind == "entry":
            _, path, what, follow = fact
            if _entry_kind(path, what, follow) != value:
                return False
        elif kind == "link":
            if _link(fact[1]) != value:
                return False
        elif kind == "access":
            _, path, mode = fact
            if _original("access")(path, mode) != value:
                return False
        else:
            return False
    return True


# -- the wrappers ----------------------------------------------------------------------------


class TrackedStat:
    """A status whose fields are noted as they are read."""

    __slots__ = ("_follow", "_path", "_result")

    def __init__(self, result: os.stat_result, path: str, follow: bool) -> None:
        self._result = result
        self._path = path
        self._follow = follow

    def _note(self, name: str) -> Any:
        value = getattr(self._result, name)
        recorder = _active
        if recorder is not None:
            recorder.note_stat(self._path, self._follow, name, value)
        return value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("st_"):
            return self._note(name)
        return getattr(self._result, name)

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, int) and -len(_STAT_FIELDS) <= index < len(_STAT_FIELDS):
            self._note(_STAT_FIELDS[index])
        else:
            for name in _STAT_FIELDS:
                self._note(name)
        return self._result[index]

    def __iter__(self) -> Iterator[Any]:
        for name in _STAT_FIELDS:
            self._note(name)
        return iter(self._result)

    def __len__(self) -> int:
        return len(self._result)

    def __eq__(self, other: object) -> bool:
        for name in _STAT_FIELDS:
            self._note(name)
        if isinstance(other, TrackedStat):
            other = other._result
        return self._result == other

    def __hash__(self) -> int:
        return hash(self._result)

    def __repr__(self) -> str:
        return repr(self._result)


def _wrap_stat(original: Callable[..., Any], *, follow_default: bool) -> Callable[..., Any]:
    def wrapper(path: Any, *args: Any, **kwargs: Any) -> Any:
        recorder = _active
        if recorder is None or recorder._paused:
            return original(path, *args, **kwargs)
        if not _is_path(path) or args or kwargs.get("dir_fd") is not None:
            recorder.refuse("a status by file descriptor")
            return original(path, *args, **kwargs)
        follow = bool(kwargs.get("follow_symlinks", True)) and follow_default
        full = _abs(path)
        try:
            result = original(path, **kwargs)
        except OSError as exc:
            recorder.note_stat(full, follow, "st_mode", ("error", exc.errno or -1))
            raise
        return TrackedStat(result, full, follow)

    return wrapper


def _wrap_listdir(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(path: Any = ".") -> Any:
        recorder = _active
        if recorder is not None and not recorder._paused:
            if _is_path(path):
                full = _abs(path)
                recorder.note(("list", full), _listing(full))
            else:
                recorder.refuse("a listing by file descriptor")
        return original(path)

    return wrapper


class TrackedEntry:
    """An ``os.DirEntry`` whose answers are noted as they are given."""

    __slots__ = ("_entry", "_full")

    def __init__(self, entry: os.DirEntry[Any], full: str) -> None:
        self._entry = entry
        self._full = full

    @property
    def name(self) -> Any:
        return self._entry.name

    @property
    def path(self) -> Any:
        return self._entry.path

    def __fspath__(self) -> Any:
        return self._entry.path

    def inode(self) -> int:
        recorder = _active
        value = self._entry.inode()
        if recorder is not None:
            recorder.note_stat(self._full, False, "st_ino", value)
        return value

    def _kind(self, kind: str, follow: bool, value: bool) -> bool:
        recorder = _active
        if recorder is not None:
            recorder.note(("entry", self._full, kind, follow), value)
        return value

    def is_dir(self, *, follow_symlinks: bool = True) -> bool:
        return self._kind(
            "dir", follow_symlinks, self._entry.is_dir(follow_symlinks=follow_symlinks)
        )

    def is_file(self, *, follow_symlinks: bool = True) -> bool:
        return self._kind(
            "file", follow_symlinks, self._entry.is_file(follow_symlinks=follow_symlinks)
        )

    def is_symlink(self) -> bool:
        return self._kind("link", False, self._entry.is_symlink())

    def is_junction(self) -> bool:
        return False

    def stat(self, *, follow_symlinks: bool = True) -> Any:
        return TrackedStat(
            self._entry.stat(follow_symlinks=follow_symlinks), self._full, follow_symlinks
        )

    def __repr__(self) -> str:
        return repr(self._entry)


class _TrackedScandir:
    def __init__(self, inner: Any, base: str) -> None:
        self._inner = inner
        self._base = base

    def __iter__(self) -> Iterator[TrackedEntry]:
        for entry in self._inner:
            yield TrackedEntry(entry, os.path.join(self._base, os.fsdecode(entry.name)))

    def __next__(self) -> TrackedEntry:
        entry = next(self._inner)
        return TrackedEntry(entry, os.path.join(self._base, os.fsdecode(entry.name)))

    def __enter__(self) -> _TrackedScandir:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._inner.close()


def _wrap_scandir(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(path: Any = ".") -> Any:
        recorder = _active
        if recorder is None or recorder._paused:
            return original(path)
        if not _is_path(path):
            recorder.refuse("a listing by file descriptor")
            return original(path)
        full = _abs(path)
        recorder.note(("list", full), _listing(full))
        return _TrackedScandir(original(path), full)

    return wrapper


def _wrap_readlink(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(path: Any, *args: Any, **kwargs: Any) -> Any:
        recorder = _active
        if recorder is not None and not recorder._paused:
            if _is_path(path) and not args and kwargs.get("dir_fd") is None:
                full = _abs(path)
                recorder.note(("link", full), _link(full))
            else:
                recorder.refuse("a link read by file descriptor")
        return original(path, *args, **kwargs)

    return wrapper


def _wrap_access(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(path: Any, mode: int, *args: Any, **kwargs: Any) -> Any:
        result = original(path, mode, *args, **kwargs)
        recorder = _active
        if recorder is not None and not recorder._paused:
            if _is_path(path) and not args and not kwargs:
                recorder.note(("access", _abs(path), mode), result)
            else:
                recorder.refuse("an access test with options")
        return result

    return wrapper


def _wrap_os_open(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(path: Any, flags: int, *args: Any, **kwargs: Any) -> Any:
        recorder = _active
        if recorder is not None and not recorder._paused:
            if not _is_path(path) or kwargs.get("dir_fd") is not None:
                recorder.refuse("a file opened relative to a descriptor")
            elif flags & _WRITE_FLAGS:
                recorder.wrote(os.fsdecode(os.fspath(path)))
            else:
                full = _abs(path)
                result = _stat_result(full, True)
                if isinstance(result, int) or not _stat.S_ISDIR(result.st_mode):
                    recorder.read(full)
                # A folder opened for a lock or an fsync: its contents were not read.
        return original(path, flags, *args, **kwargs)

    return wrapper


def _wrap_open(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        recorder = _active
        if recorder is not None and not recorder._paused and _is_path(file):
            if any(c in mode for c in "wax+"):
                recorder.wrote(os.fsdecode(os.fspath(file)))
            else:
                recorder.read(os.fsdecode(os.fspath(file)))
        return original(file, mode, *args, **kwargs)

    return wrapper


def _wrap_mutation(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        recorder = _active
        if recorder is not None and not recorder._paused:
            paths = [a for a in args[:2] if _is_path(a)]
            if not paths or any(k in kwargs for k in ("dir_fd", "src_dir_fd", "dst_dir_fd")):
                recorder.refuse(f"{original.__name__} relative to a descriptor")
            for path in paths:
                recorder.wrote(os.fsdecode(os.fspath(path)))
        return original(*args, **kwargs)

    return wrapper


def _wrap_rmtree(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(path: Any, *args: Any, **kwargs: Any) -> Any:
        recorder = _active
        if recorder is None or recorder._paused:
            return original(path, *args, **kwargs)
        recorder.wrote(os.fsdecode(os.fspath(path)))
        with recorder.paused():
            return original(path, *args, **kwargs)

    return wrapper


def _install_audit_hook() -> None:
    global _audit_installed
    if _audit_installed:
        return
    _audit_installed = True

    def hook(event: str, args: tuple[Any, ...]) -> None:
        recorder = _active
        if recorder is None or recorder._paused:
            return
        if event == "subprocess.Popen":
            executable, argv = args[0], args[1]
            words = [os.fsdecode(a) for a in argv] if isinstance(argv, (list, tuple)) else []
            if executable is not None and words:
                words[0] = os.fsdecode(executable)
            recorder.started(words)
        elif event == "os.posix_spawn" and recorder._allowed_spawns:
            recorder._allowed_spawns -= 1  # the start of a Popen already allowed
        elif event in ("os.system", "os.posix_spawn", "os.spawn", "os.exec", "os.fork"):
            recorder.refuse(f"ran a program ({event})")
        elif event in ("socket.connect", "socket.getaddrinfo", "sqlite3.connect"):
            recorder.refuse(f"used the network or a database ({event})")

    sys.addaudithook(hook)


# -- proving that tracking sees what pathlib, glob and os.path do -----------------------------


def tracking_works(folder: str) -> bool:
    """Whether, on this interpreter, the usual path APIs reach the wrapped functions.

    ``folder`` is an empty scratch folder; the probe writes one file and one folder in it.
    """
    import glob
    from pathlib import Path

    base = Path(folder)
    probe = base / "probe.txt"
    with open(probe, "w", encoding="utf-8") as handle:
        handle.write("x")
    globbed = base / "globbed"
    os.mkdir(globbed)
    recorder = Recorder()
    with recorder:
        probe.is_file()
        (base / "absent").exists()
        os.path.isdir(base / "absent-dir")
        list(base.glob("*.txt"))
        list(globbed.glob("*.in"))  # pathlib's glob alone, on a folder nothing else lists
        list(base.iterdir())
        glob.glob(os.path.join(folder, "*.none"))
        probe.read_text(encoding="utf-8")
        probe.resolve()
    seen = {fact[:2] for fact in recorder.facts}
    full = os.path.abspath(folder)
    wanted = {
        ("stat", os.path.join(full, "probe.txt")),
        ("stat", os.path.join(full, "absent")),
        ("stat", os.path.join(full, "absent-dir")),
        ("list", full),
        ("list", os.path.join(full, "globbed")),
        ("read", os.path.join(full, "probe.txt")),
    }
    return wanted <= seen and not recorder.unsafe

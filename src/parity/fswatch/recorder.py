"""The Recorder: the ``os`` and ``io`` wrappers that note each observation while a run is watched."""

from __future__ import annotations

import os
import stat as _stat
import sys

from parity.fswatch.facts import (
    file_identity,
    link_target,
    listing,
    stat_result,
    status_field,
    unwrapped,
)

TYPE_CHECKING = False  # not typing's: checking facts must not pay for importing it
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from typing import Any

    Fact = tuple[Any, ...]


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
        result = stat_result(exe, True)
        for name in ("st_size", "st_mtime_ns", "st_ino"):
            self.note_stat(exe, True, name, status_field(result, name))

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
        globber = None
        if sys.version_info >= (3, 13):
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
        unwrapped.update({name: f for (owner, name), f in self._saved.items() if owner is os})

    def _unpatch(self) -> None:
        unwrapped.clear()
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
    """The Recorder watching this run, if any."""
    return _active


def _abs(path: Any) -> str:
    return os.path.abspath(os.fsdecode(os.fspath(path)))


def _is_path(value: Any) -> bool:
    return isinstance(value, (str, bytes, os.PathLike))


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
                recorder.note(("list", full), listing(full))
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
        recorder.note(("list", full), listing(full))
        return _TrackedScandir(original(path), full)

    return wrapper


def _wrap_readlink(original: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(path: Any, *args: Any, **kwargs: Any) -> Any:
        recorder = _active
        if recorder is not None and not recorder._paused:
            if _is_path(path) and not args and kwargs.get("dir_fd") is None:
                full = _abs(path)
                recorder.note(("link", full), link_target(full))
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
                result = stat_result(full, True)
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

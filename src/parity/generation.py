"""Write all files of one generation in one step: a reader never sees a mix.

A lock is several files (one per group, plus pylock.toml); an export or an
init writes several too.  Each file is first written in full to a temp file
next to its target; then a journal naming every rename is written; then the
renames run; then the journal goes.  A process killed during the renames
leaves the journal, and the next run that holds the project lock finishes
them (every temp file was complete before the journal existed), so the files
end up all old or all new.  ``check``, which writes nothing, reports a
journal that still has a rename to do.

What a crash (a kill, or a power cut that loses what was not flushed) leaves,
at each point, and what ``check`` and the next ``lock`` make of it:

- before the journal's flush returned: no file was renamed, so the old files
  are whole, with some temp files and no journal, one cut short (not JSON),
  or the whole journal.  ``check`` finds the old lock; it reports a journal
  cut short (which cannot say what it held), and the next run removes it and
  the temp files; it reports a whole journal too, whose temp files were all
  flushed before it was written, and the next run renames them (all new).
- between the journal and the last rename: the journal (on disk, with the
  temp files and their folders, before the first rename) names at least one
  temp file still there.  ``check`` reports ``lock-interrupted``; the next
  run renames the rest, so the files end up all new.
- after the renames, before the journal's removal reaches the disk (a power
  cut can bring back a journal that was removed): every temp file it names is
  gone, since a temp file goes only by its rename (or by ``recover`` once the
  journal is gone), and the renames were flushed before the removal.  That
  write is complete: ``check`` does not report it, and the next run removes
  the journal.  The removal is flushed too (one folder), so that this case
  needs a power cut in the last milliseconds of a write.

Only files parity may replace are replaced: the caller says which existing
files are its own (a lockfile a locker generated, say), and anything else
is refused before a byte is written.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from parity.errors import WriteError
from parity.fsutil import TMP_MARK as TMP_MARK  # defined where single files are written

JOURNAL = ".parity-journal.json"
JOURNAL_SCHEMA = "parity/journal@1"


def write_generation(
    root: Path,
    files: Mapping[str, str],
    *,
    may_replace: Callable[[str, str], str | None] | None = None,
) -> tuple[str, ...]:
    """Write ``files`` (project-relative POSIX path -> text) in one step.

    ``may_replace(path, old_text)`` returns None when an existing file may be
    overwritten, else the reason it may not.  Files whose bytes would not
    change are left alone.  Returns the paths that changed.
    """
    from parity.redact import redact_file_text

    targets = {rel: root / rel for rel in files}
    changed: dict[str, bytes] = {}
    for rel, target in targets.items():
        # The last line of defence: no file parity writes holds a credential.
        data = redact_file_text(files[rel]).encode("utf-8")
        old = _existing(rel, target)
        if old is not None:
            if old == data:
                continue
            reason = may_replace(rel, old.decode("utf-8", "replace")) if may_replace else None
            if reason is not None:
                raise WriteError(
                    f"{rel} exists and {reason}; parity will not overwrite it",
                    path=rel,
                    hint="Move it away, or name another output file "
                    '(e.g. [tool.parity] outputs = { prod = "requirements/prod.txt" }).',
                )
        changed[rel] = data
    if not changed:
        return ()
    with _signals_deferred():
        _commit(root, {targets[rel]: data for rel, data in changed.items()})
    return tuple(changed)


def _commit(root: Path, changed: Mapping[Path, bytes]) -> None:
    """Stage every file, write the journal, rename: all new files or, on error, none.

    Four rounds of disk flushes, each round side by side, and no more (a flush
    costs 10 ms on some disks): the temp files; then the journal with the
    folders that name the temp files and the journal; then, after the renames,
    the folders again; then the journal's folder, after its removal (see the
    module's docstring for what a crash at each point leaves).
    """
    import json

    staged: list[tuple[Path, Path]] = []
    journal_path = root / JOURNAL
    journal_written = False
    try:
        for target, data in changed.items():
            staged.append((_stage(target, data), target))
        # Every temp file reaches the disk before the journal names it.
        _sync_files([tmp for tmp, _ in staged])
        journal = {
            "schema": JOURNAL_SCHEMA,
            "moves": [[_rel(tmp, root), _rel(final, root)] for tmp, final in staged],
        }
        # Written in place, not renamed into place: the renames start only once it is
        # on disk, so a journal cut short by a crash (not JSON, which recover ignores)
        # never stands for a rename that happened.
        journal_written = True
        _write_file(journal_path, (json.dumps(journal, indent=2) + "\n").encode("utf-8"))
        folders = {root, *(tmp.parent for tmp, _ in staged)}
        _sync_files([journal_path, *sorted(folders)])
    except BaseException as exc:
        # Before the journal is on disk no file has changed: the temp files (and the
        # journal) go, whatever stopped the write (an OSError, or an exception from a
        # signal handler that ran before the signals were held).
        for tmp, _ in staged:
            _unlink_if_present(tmp)
        if journal_written:
            _unlink_if_present(journal_path)
        if isinstance(exc, OSError):
            raise _write_error(exc, root) from None
        raise
    try:
        for tmp, final in staged:
            os.replace(tmp, final)
        # The renames are on disk before the journal that could redo them goes.
        _sync_files(sorted({final.parent for _, final in staged}))
    except OSError as exc:
        # The journal stays: the next run finishes the renames.
        raise _write_error(exc, root, hint=_FINISH_HINT) from None
    _remove_journal(journal_path)


def _remove_journal(journal: Path) -> None:
    """Remove a journal whose renames are all on disk, and flush its folder.

    The write is complete by now, so a journal that cannot be removed (or a
    removal lost in a power cut) does no harm: every temp file it names is
    gone, so ``check`` does not report it and the next run removes it.
    """
    try:
        os.unlink(journal)
    except OSError:
        return
    # Without this flush a power cut can bring the journal back (harmless, as said),
    # and the project folder would show it until the next `parity lock`.
    with contextlib.suppress(OSError):
        _sync_files([journal.parent])


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while a generation is written; act on them after.

    A handler that raises (parity turns SIGTERM into an exception so that
    work folders are removed) would otherwise stop the write between two
    renames, leaving the journal and temp files for the next run.  The write
    takes milliseconds, so the signal is acted on, through the handler that
    was there before, as soon as every file is in place.
    """
    # ``_signal``, not ``signal``: see cli/main.py (the enum import is slow).
    import _signal  # type: ignore[import-not-found,unused-ignore]
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; there, signals are not ours
        return
    caught: list[int] = []

    def hold(signum: int, frame: object) -> None:
        caught.append(signum)

    previous: dict[int, object] = {}
    for number in (_signal.SIGINT, _signal.SIGTERM):
        previous[number] = _signal.signal(number, hold)
    try:
        yield
    finally:
        for number, handler in previous.items():
            # None: a handler set outside Python, which cannot be put back.
            _signal.signal(number, _signal.SIG_DFL if handler is None else handler)
        if caught:
            _signal.raise_signal(caught[0])


def _existing(rel: str, target: Path) -> bytes | None:
    if target.is_symlink():
        raise WriteError(
            f"{rel} is a symbolic link; parity writes its files only as regular files",
            path=rel,
            hint="Remove the link, or name another output file.",
        )
    if target.is_dir():
        raise WriteError(f"{rel} is a directory", path=rel, hint="Name a file instead.")
    try:
        return target.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise WriteError(
            f"cannot read {rel}: {exc.strerror or exc}",
            path=rel,
            hint="Check its permissions.",
        ) from None


def _stage(target: Path, data: bytes) -> Path:
    """``data`` in a temp file next to ``target`` (not yet synced: see :func:`_sync_files`)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}{TMP_MARK}{os.urandom(4).hex()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, target.stat().st_mode & 0o777)
    except BaseException:
        _unlink_if_present(tmp)
        raise
    return tmp


def _write_file(path: Path, data: bytes) -> None:
    """``data`` as the whole of ``path`` (not yet synced)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _sync_files(paths: list[Path]) -> None:
    """fsync every file or folder, side by side; raises the first OSError.

    A folder that cannot be synced (not every file system syncs folders) is
    passed over, as it always was.
    """
    import threading

    errors: list[OSError] = []

    def sync(path: Path) -> None:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError as exc:
            if not path.is_dir():
                errors.append(exc)
            return
        try:
            os.fsync(fd)
        except OSError as exc:
            if not path.is_dir():
                errors.append(exc)
        finally:
            os.close(fd)

    threads = [threading.Thread(target=sync, args=(p,)) for p in paths[1:]]
    for thread in threads:
        thread.start()
    if paths:
        sync(paths[0])
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def _rel(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


_FINISH_HINT = (
    "Check that the project folder is writable, then run `parity lock` (or `parity sync`): "
    "it finishes the write, so the lockfiles are all new."
)


def _write_error(exc: OSError, root: Path, *, hint: str | None = None) -> WriteError:
    where = exc.filename
    shown = _rel(Path(where), root) if where and Path(where).is_relative_to(root) else None
    return WriteError(
        f"cannot write {shown or 'the lockfiles'}: {exc.strerror or exc}",
        path=shown,
        hint=hint or "Check that the project folder is writable; no lockfile was changed.",
    )


def interrupted(root: Path) -> bool:
    """Whether a write of several files was interrupted with renames still to do.

    A journal whose temp files are all gone stands for a complete write (its
    removal was lost, or never came): not an interruption.  One that cannot be
    read is, since it cannot tell.
    """
    moves = _journal_moves(root)
    if moves is None:
        return False
    return any(move is None or move[0].is_file() for move in moves)


_Move = tuple[Path, Path, str]


def _journal_moves(root: Path) -> list[_Move | None] | None:
    """The renames the journal names (None: no journal; a None move: one that is not valid).

    A journal that cannot be read is one invalid move: a write was interrupted,
    and what it held is unknown.  A move is valid only from a temp file parity
    made inside the project to a file inside it.
    """
    journal = root / JOURNAL
    try:
        text = journal.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None  # the usual case: nothing was interrupted (and json is not even imported)
    except (OSError, ValueError):
        return [None]
    import json

    try:
        data = json.loads(text)
    except ValueError:
        return [None]
    moves = data.get("moves") if isinstance(data, dict) else None
    if not isinstance(moves, list):
        return [None]
    out: list[_Move | None] = []
    for move in moves:
        if not (
            isinstance(move, list) and len(move) == 2 and all(isinstance(m, str) for m in move)
        ):
            out.append(None)
            continue
        tmp, final = root / move[0], root / move[1]
        if not _inside(tmp, root) or not _inside(final, root) or TMP_MARK not in tmp.name:
            out.append(None)  # a journal names only temp files parity made inside the project
            continue
        out.append((tmp, final, move[1]))
    return out


def recover(root: Path, folders: Iterable[Path] = ()) -> tuple[str, ...]:
    """Finish an interrupted write and remove stray temp files; returns the paths finished.

    Call it only while holding the project lock: no other parity process is
    then writing in this project, so every temp file found is a leftover.
    The renames it does are flushed before the journal goes, as a write's are.
    """
    finished: list[str] = []
    journal = root / JOURNAL
    scan = {root, *folders}
    moves = _journal_moves(root)
    if moves is not None:
        renamed: set[Path] = set()
        for move in moves:
            if move is None:
                continue
            tmp, final, shown = move
            scan.add(final.parent)
            if tmp.is_file():
                try:
                    os.replace(tmp, final)
                except OSError as exc:
                    raise _write_error(exc, root, hint=_FINISH_HINT) from None
                renamed.add(final.parent)
                finished.append(shown)
        if renamed:
            try:
                _sync_files(sorted(renamed))
            except OSError as exc:
                raise _write_error(exc, root, hint=_FINISH_HINT) from None
        try:
            os.unlink(journal)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise _write_error(exc, root) from None
        with contextlib.suppress(OSError):
            _sync_files([root])
    for folder in scan:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if (
                entry.name.startswith(".")
                and TMP_MARK in entry.name
                and entry.is_file(follow_symlinks=False)
            ):
                _unlink_if_present(entry.path)
    return tuple(finished)


def _inside(path: Path, root: Path) -> bool:
    return os.path.abspath(path).startswith(os.path.abspath(root) + os.sep)


def _unlink_if_present(path: str | os.PathLike[str]) -> None:
    # os.unlink, not Path.unlink: on Python 3.10 pathlib calls the os function
    # it bound at import, which the crash-point tests cannot stand in for.
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)

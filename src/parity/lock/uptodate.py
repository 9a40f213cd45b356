"""Whether the lock on disk already is what ``parity lock`` would write, decided without uv.

A lock whose inputs did not change keeps its pins whatever the index holds
today (its pins are the resolver's preferences), so resolving again writes
the same files, *when* nothing else that shapes those files changed either.
This module reads the lockfiles' own digests and returns the lock as it is
only when all of these hold; anything else resolves as usual:

- a plain ``parity lock``: not ``--upgrade``, ``-P``, ``--dry-run``, ``--group``,
  an INPUT file or ``-o`` (those ask for a resolution);
- every group's lockfile and pylock.toml (unless ``--no-pylock``) are parity's
  own, sealed, intact, and from one run (their generation digests agree), as
  ``check`` requires;
- their freshness digest is that of the project as it is now, for the target
  this run would choose (the inputs, the Python target, the resolver options);
- they name the command this run is (``--pre``, ``--format``,
  ``--python-version``, ``--python-platform``);
- the index lines in the lockfiles are those this run would write, and the
  indexes uv would resolve against are those pylock.toml records (with
  ``--no-pylock``, which writes no such record: those the project names itself,
  each written in the lockfiles' lines as uv gets it; indexes from pip's
  configuration, a ``${VAR}``, a secret or a local folder resolve);
- no uv variable or uv.toml that could change a resolution is in effect now
  (parity cannot tell what it would change), and none was when the lock was
  made (pylock.toml then records no indexes).

``uv lock`` makes the same choice when its lockfile still satisfies the project.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from parity.frozen import dataclass, replace

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from parity.lock.model import LockedGroup, LockMeta
    from parity.lock.outcome import LockOptions
    from parity.lock.target import LockTarget
    from parity.spec.model import ProjectSpec


@dataclass(frozen=True)
class CurrentLock:
    """The lock on disk, read back, with the meta and target this run computed."""

    groups: tuple[LockedGroup, ...]
    meta: LockMeta
    target: LockTarget
    pylock: str | None  # None: locked with --no-pylock
    files: tuple[str, ...]


class LockfileReads:
    """Each lockfile's bytes, read at most once in one ``parity lock``.

    The run holds the project lock, so nothing else writes the lockfiles
    between the check that refuses files a person wrote and this module's
    reading (``recover`` runs before both).  None: absent, a symbolic link,
    not a regular file, or unreadable.
    """

    def __init__(self) -> None:
        self._read: dict[str, bytes | None] = {}

    def raw(self, full: str) -> bytes | None:
        if full not in self._read:
            self._read[full] = _read_regular(full)
        return self._read[full]


def _read_regular(full: str) -> bytes | None:
    if os.path.islink(full) or not os.path.isfile(full):
        return None
    try:
        with open(full, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def current_lock(
    spec: ProjectSpec,
    options: LockOptions,
    *,
    environ: Mapping[str, str],
    reads: LockfileReads | None = None,
) -> CurrentLock | None:
    """The lock on disk when it is exactly what resolving again would write; else None.

    ``reads``: the lockfiles as this run already read them (else read here).
    """
    if _asks_for_resolution(options):
        return None
    from parity.uvconf import uv_settings_in_effect

    if uv_settings_in_effect(environ):
        return None
    from parity.lock.freshness import lock_meta
    from parity.lock.outputs import PYLOCK_NAME, posix
    from parity.lock.target import choose_target

    texts: dict[str, str] = {}
    reads = reads or LockfileReads()
    paths = [posix(g.output) for g in spec.groups]
    for path in [*paths, PYLOCK_NAME] if options.pylock else paths:
        text = _read_own(spec.root, path, reads)
        if text is None or path in texts:
            return None
        texts[path] = text
    target = choose_target(
        spec.python,
        python_version=options.python_version,
        python_platform=options.python_platform,
    )
    meta = lock_meta(spec, target, prerelease=options.prerelease)
    from parity.lock.binary import lock_format_control, option_lines
    from parity.lock.formats import requirements_txt
    from parity.lock.index import cli_index, index_lines, lockfile_index_of

    # The headers first: a changed input (the usual reason to lock) shows there at once.
    expected_options = [
        *index_lines(lockfile_index_of(cli_index(spec, options), spec)),
        *option_lines(lock_format_control(spec.format_control, spec.resolver_settings)),
    ]
    for group in spec.groups:
        text = texts[posix(group.output)]
        header = requirements_txt.parse_meta(text)
        if (
            header.get("digest") != [meta.digest]
            or header.get("group") != [group.name]
            or _command_of(text) != meta.command
            or _index_options(text) != expected_options
        ):
            return None
    if options.pylock:
        if not _pylock_matches(texts[PYLOCK_NAME], spec, options, meta, environ):
            return None
    elif not _indexes_in_lockfiles(spec, options):
        return None
    if not _sealed_together(texts):
        return None
    from parity.lock.local_archives import rehashed_archives
    from parity.redact import redact_file_text

    groups: list[LockedGroup] = []
    for group in spec.groups:
        text = texts[posix(group.output)]
        # Sealed and intact (above): its markers are those parity accepted when it wrote it.
        locked = replace(
            requirements_txt.parse(text, output=group.output, sealed=True),
            meta=meta if "\n# parity:parts " in text else _without_parts(meta),
        )
        if _unsealed(text) != redact_file_text(requirements_txt.write(locked)):
            return None  # laid out otherwise than parity writes it: a resolution rewrites it
        if requirements_txt.unhashed_archives(locked):
            return None  # an older parity dropped an archive's hash: a resolution writes it
        if rehashed_archives(locked, spec.root):
            return None  # a local archive rebuilt in place: a resolution hashes it again
        groups.append(locked)
    return CurrentLock(
        groups=tuple(groups),
        meta=meta,
        target=target,
        pylock=texts.get(PYLOCK_NAME),
        files=tuple(texts),
    )


def _without_parts(meta: LockMeta) -> LockMeta:
    # A lock written before parity recorded the parts of its inputs is still
    # the lock of an unchanged project: it gains them at its next resolution.
    return replace(meta, inputs=tuple(replace(i, parts=None) for i in meta.inputs))


def _asks_for_resolution(options: LockOptions) -> bool:
    return bool(options.upgrade or options.upgrade_packages or options.dry_run or options.groups)


def _read_own(root: os.PathLike[str], path: str, reads: LockfileReads) -> str | None:
    """A lockfile's text: a regular file (not a link), readable as UTF-8, line ends as they are."""
    data = reads.raw(os.path.join(root, path))
    if data is None:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _unsealed(text: str) -> str:
    """A requirements lockfile without its seal lines (added after rendering)."""
    return "".join(
        line
        for line in text.splitlines(keepends=True)
        if not line.startswith(("# parity:content ", "# parity:generation "))
    )


def _sealed_together(texts: Mapping[str, str]) -> bool:
    """Every file sealed, intact, and of one ``parity lock`` run (the generation they share)."""
    from parity.lock.integrity import generation_digest, read_seal

    # Markers taken as written: a file is trusted below only when its seal holds.
    seals = {path: read_seal(path, text, sealed=True) for path, text in texts.items()}
    if not all(s.sealed and s.intact for s in seals.values()):
        return False
    generation = generation_digest({path: s.actual_content for path, s in seals.items()})
    return all(s.stored_generation == generation for s in seals.values())


def _pylock_matches(
    text: str,
    spec: ProjectSpec,
    options: LockOptions,
    meta: LockMeta,
    environ: Mapping[str, str],
) -> bool:
    """pylock.toml's digest is this run's, and it was resolved from the indexes this run would use."""
    from parity.lock.index import (
        INDEXES_KEY,
        choose_index,
        cli_index,
        index_digest,
        project_index_strategy,
    )

    if "\r" in text or " \n" in text or "\t\n" in text or not text.endswith("\n"):
        return False  # its seal ignores line ends and trailing blanks; a resolution would not
    tool = _tool_parity_values(text)
    if tool.get("digest") != meta.digest:
        return False
    recorded = tool.get(INDEXES_KEY)
    if recorded is None:
        return False
    chosen = choose_index(
        cli_index(spec, options),
        environ,
        root=spec.root,
        strategy=project_index_strategy(spec),
    )
    return recorded == index_digest(chosen, spec.root)


def _indexes_in_lockfiles(spec: ProjectSpec, options: LockOptions) -> bool:
    """Without pylock.toml, whether the lockfiles' index lines (compared already) are a
    record of the indexes uv resolves against.

    They are when the project (or the command line) names its indexes and every one
    is written as uv gets it.  pip's configuration (the indexes of a project that
    names none) is recorded nowhere, and a ``${VAR}`` may name another index today.
    """
    from parity.lock.index import cli_index, lockfile_index

    index = cli_index(spec, options)
    if index.is_default or lockfile_index(index) != index:
        return False  # chosen by pip's configuration, or a secret or local folder left out
    urls = [index.index_url or "", *index.extra_index_urls, *index.find_links]
    return not any("$" in url for url in urls)


def _tool_parity_values(text: str) -> dict[str, str]:
    """The string values of pylock.toml's ``[tool.parity]`` table, as parity writes it.

    parity writes that table last, one ``key = "value"`` per line; reading
    those lines costs nothing next to parsing the whole file, and the seal
    (checked before) proves they are the ones parity wrote.
    """
    import json

    values: dict[str, str] = {}
    at = text.rfind("\n[tool.parity]\n")
    if at < 0:
        return values
    for line in text[at:].splitlines()[2:]:
        if line.startswith("["):
            break
        key, sep, value = line.partition(" = ")
        if sep and value.startswith('"'):
            try:
                decoded = json.loads(value)
            except ValueError:
                continue
            if isinstance(decoded, str):
                values[key] = decoded
    return values


def _command_of(text: str) -> str | None:
    """The command a requirements lockfile says regenerates it (its header's)."""
    lines = text.split("\n", 8)
    for i, line in enumerate(lines[:-1]):
        if line == "# by the following command:":
            following = lines[i + 2] if i + 2 < len(lines) else ""
            return following.removeprefix("#").strip() or None
    return None


def _index_options(text: str) -> list[str]:
    from parity.lock.binary import is_option_line
    from parity.lock.index import INDEX_OPTION_PREFIXES

    return [
        line
        for line in text.splitlines()
        if line.startswith(INDEX_OPTION_PREFIXES) or is_option_line(line)
    ]

"""Seal the files of one lock so that an edit, or a mix of two runs, shows.

The freshness digests of a lock cover its *inputs*; they say nothing about
the lockfile itself.  So each file parity writes also carries:

- ``content``: a digest of what the file says (header values, every pin with
  its hashes, markers, sources and provenance, the index options), computed
  from the parsed file, so line endings and spacing do not matter while a pin
  or hash edited by hand does;
- ``generation``: a digest of the content digests of the requirements files
  written by one ``parity lock``, the same value in each of them and in
  pylock.toml, so a ``requirements.txt`` from one run next to a
  ``requirements-dev.txt`` (or a pylock.toml) from another shows.

Requirements files and conda.lock hold them as ``# parity:content`` /
``# parity:generation`` header lines, pylock.toml as keys of
``[tool.parity]``.  All functions here are pure.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from parity.frozen import dataclass
from parity.fsutil import sha256_text

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from typing import Any

    from parity.lock.model import Pin

CONTENT = "content"
GENERATION = "generation"
_SEAL_KEYS = frozenset({CONTENT, GENERATION})
# Named, not taken from the dataclass: a new field must not change old digests.
_PIN_FIELDS = ("name", "version", "marker", "hashes", "via", "source", "editable", "extras")


def is_pylock_path(path: str) -> bool:
    return path.rsplit("/", 1)[-1].lower().endswith(".toml")


def is_conda_lock_path(path: str) -> bool:
    """conda.lock: YAML that only py-rattler reads in full, so its text is what is sealed."""
    return path.rsplit("/", 1)[-1] == "conda.lock"


def requirements_content(text: str, *, sealed: bool = False) -> str:
    """The content digest of a requirements lockfile (its seal lines excluded).

    ``sealed``: markers taken as written (see ``requirements_txt.parse_entries``);
    the digest is the same, as it covers each marker's text.
    """
    from parity.lock.formats.requirements_txt import parse_entries, parse_meta
    from parity.lock.index import INDEX_OPTION_PREFIXES

    meta = {k: v for k, v in parse_meta(text).items() if k not in _SEAL_KEYS}
    pins = [_pin_fields(e.pin) for e in parse_entries(text, sealed=sealed)]
    options = [
        " ".join(line.split())
        for line in text.splitlines()
        if line.startswith(INDEX_OPTION_PREFIXES)
    ]
    return _digest({"meta": meta, "pins": pins, "options": options})


def _pin_fields(pin: Pin) -> dict[str, Any]:
    """``{field: getattr(pin, field) for field in _PIN_FIELDS}``, spelled out (a lock has
    hundreds of pins, and each seal and each check reads every one)."""
    return {
        "name": pin.name,
        "version": pin.version,
        "marker": pin.marker,
        "hashes": pin.hashes,
        "via": pin.via,
        "source": pin.source,
        "editable": pin.editable,
        "extras": pin.extras,
    }


def pylock_content(text: str) -> str:
    """The content digest of a pylock.toml: its lines, seal lines and line endings aside.

    A pylock.toml is written for machines and holds a URL and hash per file
    (200 KB for a 100-package project); hashing its normalised text costs a
    fraction of a millisecond where parsing it would cost most of ``check``'s
    time budget.
    """
    return _text_content(text, (f"{CONTENT} = ", f"{GENERATION} = "))


def conda_lock_content(text: str) -> str:
    """The content digest of a conda.lock: its lines, seal lines and line endings aside."""
    return _text_content(text, (f"# parity:{CONTENT} ", f"# parity:{GENERATION} "))


def _text_content(text: str, seal_lines: tuple[str, ...]) -> str:
    lines = [line.rstrip() for line in text.splitlines() if not line.startswith(seal_lines)]
    return sha256_text("\n".join(lines))


def content_digest(path: str, text: str, *, sealed: bool = False) -> str:
    # One lock asks for the same file's digest up to three times (may it be replaced,
    # is it current, the seal check); parsing a 300-pin file costs milliseconds.
    key = (path, text, sealed)
    found = _DIGESTS.get(key)
    if found is None:
        if is_pylock_path(path):
            found = pylock_content(text)
        elif is_conda_lock_path(path):
            found = conda_lock_content(text)
        else:
            found = requirements_content(text, sealed=sealed)
        if len(_DIGESTS) >= 16:
            _DIGESTS.clear()
        _DIGESTS[key] = found
    return found


_DIGESTS: dict[tuple[str, str, bool], str] = {}


def _digest(data: Any) -> str:
    return sha256_text(json.dumps(data, sort_keys=True, default=str, ensure_ascii=True))


def generation_digest(contents: Mapping[str, str]) -> str:
    """The generation of a lock's files, from their content digests.

    The requirements files define it; pylock.toml carries it without adding to
    it.  So a pylock.toml written again next to requirements files whose bytes
    do not change (after a clone of a project that keeps it out of git, or with
    another index) joins their generation, and those files, often committed,
    stay as they are; a pylock.toml from a lock whose pins differed still
    carries another generation (``lock-mixed``).  A lock of pylock.toml alone
    takes its digest.
    """
    own = {path: digest for path, digest in contents.items() if not is_pylock_path(path)}
    chosen = own or contents
    return sha256_text("\n".join(f"{path}={chosen[path]}" for path in sorted(chosen)))


def seal(files: Mapping[str, str]) -> dict[str, str]:
    """The files with their content and (shared) generation digests written in.

    The seal lines hold digests (``sha256:`` and hex digits): no URL, no token.  So a
    file the redaction policy has nothing to remove from still has nothing once sealed,
    and the writer need not search it again.
    """
    from parity.redact import is_known_clean, note_clean

    contents = {path: content_digest(path, text) for path, text in files.items()}
    generation = generation_digest(contents)
    sealed = {}
    for path, text in files.items():
        sealed[path] = _insert(path, text, contents[path], generation)
        if is_known_clean(text):
            note_clean(sealed[path])
    return sealed


def _insert(path: str, text: str, content: str, generation: str) -> str:
    lines = text.split("\n")
    if is_pylock_path(path):
        at = _index_after(lines, "[tool.parity]")
        new = [f'{CONTENT} = "{content}"', f'{GENERATION} = "{generation}"']
    else:
        at = _index_after(lines, "# parity:digest ")
        new = [f"# parity:{CONTENT} {content}", f"# parity:{GENERATION} {generation}"]
    if at is None:
        raise ValueError(f"{path}: no place for the seal")  # a bug in the writer, not input
    return "\n".join([*lines[:at], *new, *lines[at:]])


def _index_after(lines: list[str], prefix: str) -> int | None:
    for i, line in enumerate(lines):
        if line.startswith(prefix):
            return i + 1
    return None


@dataclass(frozen=True)
class Seal:
    """What one file says about itself, and what its content really is."""

    path: str
    stored_content: str | None
    stored_generation: str | None
    actual_content: str

    @property
    def sealed(self) -> bool:
        return self.stored_content is not None

    @property
    def intact(self) -> bool:
        return self.stored_content == self.actual_content


def read_seal(path: str, text: str, *, sealed: bool = False) -> Seal:
    """The seal of a lockfile's text (raises the reader's error for a file that does not parse).

    ``sealed``: the caller trusts the file only when this seal holds, so markers
    are taken as written (see ``requirements_txt.parse_entries``).
    """
    if is_pylock_path(path):
        content = _toml_line_value(text, CONTENT)
        generation = _toml_line_value(text, GENERATION)
    else:
        from parity.lock.formats.requirements_txt import parse_meta

        meta = parse_meta(text)
        content = next(iter(meta.get(CONTENT, [])), None)
        generation = next(iter(meta.get(GENERATION, [])), None)
    return Seal(
        path=path,
        stored_content=content if isinstance(content, str) else None,
        stored_generation=generation if isinstance(generation, str) else None,
        actual_content=content_digest(path, text, sealed=sealed),
    )


def _toml_line_value(text: str, key: str) -> str | None:
    """The string value of ``key = "..."`` at the start of a line (the seal's own form)."""
    import re

    match = re.search(rf'(?m)^{key} = "([^"\\]*)"\s*$', text)
    return match.group(1) if match else None


@dataclass(frozen=True)
class SealProblem:
    code: str  # "lock-edited", "lock-unsealed" or "lock-mixed"
    path: str
    message: str


def seal_problems(seals: Mapping[str, Seal]) -> list[SealProblem]:
    """Files edited since parity wrote them, files without a seal, and files of two runs."""
    problems: list[SealProblem] = []
    for path in sorted(seals):
        found = seals[path]
        if not found.sealed:
            problems.append(
                SealProblem(
                    "lock-unsealed",
                    path,
                    f"{path} carries no content digest, so edits to it cannot be detected "
                    "(written by an older parity, or the line was removed)",
                )
            )
        elif not found.intact:
            problems.append(
                SealProblem(
                    "lock-edited",
                    path,
                    f"{path} was changed after parity wrote it: its pins, hashes or options "
                    "differ from its content digest",
                )
            )
    generations: dict[str, list[str]] = {}
    for path, found in seals.items():
        if found.stored_generation is not None:
            generations.setdefault(found.stored_generation, []).append(path)
    if len(generations) > 1:
        groups = sorted(sorted(paths) for paths in generations.values())
        described = " / ".join(", ".join(paths) for paths in groups)
        problems.append(
            SealProblem(
                "lock-mixed",
                groups[0][0],
                f"the lockfiles come from different `parity lock` runs ({described})",
            )
        )
    return problems

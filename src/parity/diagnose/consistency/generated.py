"""Generated files whose recorded lock digest is not the current lock's.

Every file ``parity export`` writes names, in its header, the digest of the
lock it came from (``parity.strategies.header``).  When the lock moved on,
the file may say something the lock no longer does.
"""

from __future__ import annotations

import re

from parity.diagnose.consistency.facts import Place
from parity.diagnose.findings import Finding
from parity.frozen import Frozen

TYPE_CHECKING = False  # not typing's: ``check`` imports this module
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

    from parity.strategies.header import Header

# ``parity.strategies.header.MARK`` (a test compares them): the header module is
# imported only for a file that holds it.
MARK = "parity:generated"


class GeneratedFile(Frozen):
    _fields = ("path", "header", "unchanged")
    path: str
    header: Header
    unchanged: bool

    def __init__(self, path: str, header: Header, unchanged: bool) -> None:
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "header", header)
        object.__setattr__(self, "unchanged", unchanged)


class CurrentLock(Frozen):
    """A lock's digest and where it is written (for the other side of a finding)."""

    _fields = ("digest", "place")
    digest: str
    place: Place

    def __init__(self, digest: str, place: Place) -> None:
        object.__setattr__(self, "digest", digest)
        object.__setattr__(self, "place", place)


def generated_files(root: Path, candidates: Iterable[str]) -> list[GeneratedFile]:
    found: list[GeneratedFile] = []
    for rel in candidates:
        try:
            with (root / rel).open(encoding="utf-8") as handle:
                head = handle.read(4096)
                if MARK not in head:
                    continue  # the header is in the first lines: most files stop here
                text = head + handle.read()
        except (OSError, UnicodeDecodeError):
            continue
        from parity.strategies.header import is_unchanged, read_header

        header = read_header(text)
        if header is not None:
            found.append(GeneratedFile(rel, header, is_unchanged(text, header)))
    return found


def generated_facts_files(root: Path) -> list[GeneratedFile]:
    """Generated files where exports put them (the registry's patterns)."""
    from parity.diagnose.consistency import matching_files
    from parity.strategies import generated_globs

    return generated_files(root, matching_files(root, generated_globs()))


def current_locks(root: Path, lockfiles: Iterable[str]) -> dict[str, CurrentLock]:
    """Digest kind -> the current lock: parity's (``sha256``) and poetry.lock's (``poetry``)."""
    out: dict[str, CurrentLock] = {}
    for rel in lockfiles:
        text = _read(root / rel)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines()[:40], start=1):
            match = re.match(r"^#\s*parity:digest\s+(\S+)", line)
            if match:
                out.setdefault("sha256", CurrentLock(match.group(1), Place(rel, number)))
                break
    text = _read(root / "poetry.lock")
    if text is not None:
        for number, line in enumerate(text.splitlines(), start=1):
            match = re.match(r'^content-hash\s*=\s*"([0-9a-f]+)"', line)
            if match:
                out["poetry"] = CurrentLock(
                    f"poetry:{match.group(1)}", Place("poetry.lock", number)
                )
    return out


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def generated_findings(
    files: Iterable[GeneratedFile], locks: Mapping[str, CurrentLock]
) -> list[Finding]:
    findings: list[Finding] = []
    for item in files:
        from parity.strategies.header import short

        header = item.header
        command = header.command or f"parity export --to {header.artifact}"
        place = Place(item.path, header.line)
        kind = "poetry" if header.lock.startswith("poetry:") else "sha256"
        current = locks.get(kind)
        if current is not None and current.digest != header.lock:
            findings.append(
                Finding(
                    code="generated-stale",
                    severity="high",
                    subject=item.path,
                    message=f"{item.path} was generated from lock {short(header.lock)} "
                    f"({place}), but the lock is now {short(current.digest)} ({current.place})",
                    fix=f"Run `{command}` (or `parity export --refresh` for every such file) "
                    "and commit it.",
                    data={
                        "artifact": header.artifact,
                        "sides": [
                            {**place.to_json(), "value": header.lock},
                            {**current.place.to_json(), "value": current.digest},
                        ],
                    },
                )
            )
        if not item.unchanged:
            findings.append(
                Finding(
                    code="generated-edited",
                    severity="info",
                    subject=item.path,
                    message=f"{item.path} was generated by parity and changed by hand since; "
                    f"`{command}` will refuse to overwrite it",
                    fix="Move the change into the project's inputs and re-export, or keep the "
                    "file as yours by removing its two `parity:` header lines.",
                    data={"artifact": header.artifact, "sides": [place.to_json()]},
                )
            )
    return findings

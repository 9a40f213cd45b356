"""One requirement line: PEP 508, a URL (``git+https://...#egg=name``) or a local path."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from parity.errors import SpecError
from parity.spec.local import archive_name, local_requirement
from parity.spec.model import DirectRequirement, SourceRef
from parity.spec.requirements_file import plain_requirement, requirement

URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
VCS = re.compile(r"^(git|hg|svn|bzr)\+")
HASH_HINT = "Remove it; `parity lock` writes hashes into the lockfile."


def editable_requirement(
    root: Path, base: PurePosixPath, value: str, ref: SourceRef
) -> DirectRequirement:
    """An ``-e`` line: a VCS or archive URL, or a local directory."""
    if URL.match(value) or VCS.match(value):
        return url_requirement(value, ref, editable=True)
    return local_requirement(root, base, value, ref, editable=True)


def parse_requirement_line(
    root: Path, base: PurePosixPath, line: str, ref: SourceRef
) -> DirectRequirement:
    """One requirement line: PEP 508, a URL, or a local path."""
    option = re.search(r"\s(--?[A-Za-z][\w-]*)(?==|\s|$)", line)
    if option:
        if option.group(1) == "--hash":
            raise SpecError(
                "--hash belongs in a lockfile, not in an input file",
                path=ref.path,
                line=ref.line,
                hint=HASH_HINT,
            )
        raise SpecError(
            f"per-requirement option {option.group(1)} is not supported",
            path=ref.path,
            line=ref.line,
            hint="Remove it; parity passes no build options per requirement.",
        )
    if line.startswith((".", "/", "file:", "~")) or _looks_like_path(line):
        return local_requirement(root, base, line, ref, editable=False)
    if URL.match(line) or VCS.match(line):
        return url_requirement(line, ref, editable=False)
    plain = plain_requirement(line)
    if plain is not None:  # ``name`` / ``name>=1.0``: no URL, nothing for packaging to add
        return DirectRequirement.make(line, ref, name=plain[0])
    from packaging.requirements import InvalidRequirement

    try:
        req = requirement(line)
    except InvalidRequirement as exc:
        raise SpecError(
            f"not a valid requirement: {line!r} ({exc})",
            path=ref.path,
            line=ref.line,
            hint="Write it as in PEP 508, e.g. `pandas>=2.0` or `name @ https://...`.",
        ) from None
    if req.url and (req.url.startswith(("file:", ".", "/")) or "://" not in req.url):
        return local_requirement(root, base, line, ref, editable=False)
    return DirectRequirement.make(line, ref, name=req.name)


def url_requirement(line: str, ref: SourceRef, *, editable: bool) -> DirectRequirement:
    """A bare URL line (``git+https://...#egg=name``, ``https://.../pkg-1.0.whl``).

    The name comes from ``#egg=`` or the archive's file name; the stored
    requirement is the PEP 508 form ``name @ url``.
    """
    from urllib.parse import unquote, urlsplit

    from packaging.requirements import InvalidRequirement, Requirement

    url, marker = line, ""
    split = re.split(r"\s+;\s*|;\s+", line, maxsplit=1)
    if len(split) == 2:
        url, marker = split[0].strip(), split[1].strip()
    name: str | None = None
    extras = ""
    base_url, _, fragment = url.partition("#")
    kept: list[str] = []
    for part in fragment.split("&") if fragment else []:
        key, _, value = part.partition("=")
        if key == "egg":
            match = re.fullmatch(r"([A-Za-z0-9._-]+)(\[[^\]]*\])?", value)
            if match:
                name, extras = match.group(1), match.group(2) or ""
                continue
            legacy = re.match(r"[A-Za-z0-9._-]+", value)
            suggested = f"{legacy.group(0)} @ {base_url}" if legacy else "name @ <url>"
            raise SpecError(
                f"#egg={value} is not a package name (pip no longer reads a version or "
                "specifier there)",
                path=ref.path,
                line=ref.line,
                hint=f"Write it as `{suggested}`: the URL's @ref pins the version.",
            )
        kept.append(part)
    if name is None:
        name = archive_name(unquote(urlsplit(base_url).path).rsplit("/", 1)[-1])
    if name is None:
        raise SpecError(
            f"cannot tell the package name of {url!r}",
            path=ref.path,
            line=ref.line,
            hint="Write it as `name @ <url>`.",
        )
    clean = base_url + (f"#{'&'.join(kept)}" if kept else "")
    text = f"{name}{extras} @ {clean}" + (f" ; {marker}" if marker else "")
    try:
        Requirement(text)
    except InvalidRequirement as exc:
        raise SpecError(
            f"not a valid requirement: {line!r} ({exc})",
            path=ref.path,
            line=ref.line,
            hint="Write it as `name @ <url>`.",
        ) from None
    return DirectRequirement.make(text, ref, name=name, editable=editable)


def _looks_like_path(line: str) -> bool:
    head = line.split(";")[0]
    return ("/" in head or "\\" in head) and "@" not in head and "://" not in head

"""Digests of what parity read from each input file.

A digest covers the parsed content, rendered canonically (requirements
normalized and sorted, includes sorted, options), so reordering lines,
reformatting or editing a comment does not make a lock stale while changing
a requirement does.  Index URLs keep their order: it decides which index
wins.  All functions here are pure.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping

from parity.frozen import replace
from parity.fsutil import sha256_text
from parity.names import canonical_name
from parity.redact import redact_url
from parity.spec.model import DirectRequirement, FormatControl, Group, IndexConfig, InputFile
from parity.spec.requirements_file import plain_requirement, requirement

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "canonical_requirement",
    "digest_constraints_file",
    "digest_data",
    "digest_parity_config",
    "digest_parts",
    "digest_pyproject",
    "digest_python_version",
    "digest_requirements_file",
    "part_key",
    "redact_url",
    "short_digest",
]


def canonical_requirement(text: str) -> str:
    """One spelling per meaning: ``Foo_Bar >= 1.0 , <2`` -> ``foo-bar<2,>=1.0``.

    Text that is not PEP 508 as written (a ``${VAR}`` in a version) is kept
    with its whitespace collapsed.
    """
    plain = plain_requirement(text)
    if plain is not None:  # ``name`` / ``name>=1.0``: as packaging would spell it, without it
        name, specifier, extras = plain
        return canonical_name(name) + _extras_text(extras) + specifier
    from packaging.requirements import InvalidRequirement

    try:
        req = requirement(text)
    except InvalidRequirement:
        return " ".join(text.split())
    out = canonical_name(req.name) + _extras_text(req.extras)
    if req.url:
        out += f" @ {req.url}"
    else:
        out += ",".join(sorted(str(s) for s in req.specifier))
    if req.marker:
        out += f" ; {req.marker}"
    return out


def _extras_text(extras: Iterable[str]) -> str:
    names = sorted({canonical_name(e) for e in extras})
    return "[" + ",".join(names) + "]" if names else ""


def _requirement_texts(items: Iterable[DirectRequirement]) -> list[str]:
    return sorted(_requirement_text(r) for r in items)


def _requirement_text(item: DirectRequirement) -> str:
    text = canonical_requirement(item.requirement)
    if item.editable:
        text += " (editable)"
    if item.index:
        text += f" (index {redact_url(item.index)})"
    if item.allow_prerelease:
        text += " (pre-releases allowed)"
    return text


def _index_data(index: IndexConfig) -> dict[str, Any]:
    data: dict[str, Any] = {
        "index_url": index.index_url,
        "extra_index_urls": list(index.extra_index_urls),
        "find_links": list(index.find_links),
        "no_index": index.no_index,
    }
    if index.trusted_hosts:
        # Only when set, so the digests of files without the option stay as they were.
        data["trusted_hosts"] = list(index.trusted_hosts)
    return data


def digest_data(path: str, data: Any) -> InputFile:
    """The digest of any JSON-able value, rendered with sorted keys, and of each of its parts."""
    return InputFile(
        path=path,
        digest=sha256_text(_canonical_json(data)),
        parts=digest_parts(data) if isinstance(data, dict) else None,
    )


def _canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, default=str)


def digest_parts(data: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """A short digest per key of ``data`` (``key.sub`` one level into a table).

    Empty values are left out, so a part absent from one side and present on
    the other has changed.  The digests only explain a change that the
    whole digest found: twelve hex digits are plenty for that.
    """
    parts: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            for sub, inner in value.items():
                if _filled(inner):
                    parts[part_key(f"{key}.{sub}")] = short_digest(inner)
        elif _filled(value):
            parts[part_key(str(key))] = short_digest(value)
    return tuple(sorted(parts.items()))


def short_digest(value: Any) -> str:
    return sha256_text(_canonical_json(value)).removeprefix("sha256:")[:12]


def part_key(text: str) -> str:
    """A part's name as a lockfile header can hold it: no spaces, no ``=``."""
    return "".join("_" if ch.isspace() or ch == "=" else ch for ch in text)


def _filled(value: Any) -> bool:
    return value is not None and value is not False and value != "" and value != [] and value != {}


def digest_requirements_file(
    path: str,
    requirements: Iterable[DirectRequirement],
    includes: Iterable[str],
    constraint_files: Iterable[str],
    index: IndexConfig,
    format_control: FormatControl | None = None,
) -> InputFile:
    """A requirements file: its own requirements, its -r and -c targets, its index and binary options."""
    data: dict[str, Any] = {
        "requirements": _requirement_texts(requirements),
        "constraints": sorted(set(constraint_files)),
        "includes": sorted(set(includes)),
        "index": _index_data(index),
    }
    if format_control is not None and not format_control.is_default:
        # Only when set, so the digests of files without these options stay as they were.
        data["format_control"] = format_control_data(format_control)
    return digest_data(path, data)


def format_control_data(control: FormatControl) -> dict[str, list[str]]:
    """``--no-binary`` / ``--only-binary`` as digested (sorted names or ``:all:``)."""
    return {"no_binary": list(control.no_binary), "only_binary": list(control.only_binary)}


def digest_constraints_file(path: str, constraints: Iterable[DirectRequirement]) -> InputFile:
    return digest_data(path, {"constraints": _requirement_texts(constraints)})


def digest_pyproject(
    path: str,
    groups: Iterable[Group],
    *,
    index: IndexConfig,
    requires_python: str | None,
    parity: Mapping[str, Any] | None = None,
    elsewhere: Collection[str] = (),
    sources: Mapping[str, Any] | None = None,
) -> InputFile:
    """The tables of a pyproject.toml that parity reads, as parsed into groups.

    ``elsewhere`` names the files whose requirements are inputs of their own
    (those setuptools reads, ``[tool.setuptools.dynamic]``).  The digest holds
    them as the groups do, with ``[tool.uv.sources]`` applied; its parts leave
    them out and hold the ``sources`` that apply to them instead, so an edit of
    such a file alone changes none of pyproject.toml's parts.
    """
    data: dict[str, Any] = {
        "groups": {g.name: _group_data(g.requirements, g) for g in groups},
        "index": _index_data(index),
        "requires-python": requires_python,
    }
    if parity:
        data["parity"] = dict(parity)
    digested = digest_data(path, data)
    if not elsewhere:
        return digested
    own = {
        g.name: _group_data([r for r in g.requirements if r.source.path not in elsewhere], g)
        for g in groups
    }
    sourced = sorted(
        {r.name for g in groups for r in g.requirements if r.source.path in elsewhere}
        & set(sources or {})
    )
    view = {**data, "groups": own, "sources": {name: (sources or {})[name] for name in sourced}}
    return replace(digested, parts=digest_parts(view))


def _group_data(requirements: Iterable[DirectRequirement], group: Group) -> dict[str, Any]:
    return {
        "requirements": _requirement_texts(requirements),
        "includes": sorted(group.includes),
        "constraints": _requirement_texts(group.constraints),
    }


def digest_parity_config(path: str, config: Mapping[str, Any]) -> InputFile:
    """``[tool.parity]`` of a project whose requirements live elsewhere, or parity.toml."""
    return digest_data(path, {"parity": dict(config)})


def digest_python_version(pinned: str) -> InputFile:
    return digest_data(".python-version", pinned)

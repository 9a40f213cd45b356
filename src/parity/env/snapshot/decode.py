"""What a snapshot holds, decided from the probe's raw facts (pure).

- names canonicalised (PEP 503), versions as installed;
- sources redacted: credentials become ``***``, local paths ``local``;
- the environment's kind: conda prefix, venv or system interpreter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from parity.env.snapshot.native import native_libraries
from parity.env.snapshot_model import (
    Distribution,
    PlatformInfo,
    PythonInfo,
    Snapshot,
)
from parity.names import canonical_name
from parity.redact import LOCAL, redact_credentials

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads
if TYPE_CHECKING:
    from typing import Any

# Installers known to write REQUESTED for what the user asked for; from others a
# missing REQUESTED file says nothing.
_RECORDS_REQUESTED = frozenset({"pip", "uv"})

_DIST_INFO = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)\.dist-info$")
_EGG_INFO = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+?)(?:-py\d[\d.]*.*)?\.egg-info$")


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
        problems=site_problems(sites),
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


def site_problems(sites: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """What the probe could not read, and every package installed more than once.

    Two ``.dist-info`` folders of one package (a half-finished upgrade, two
    installers at odds) leave Python importing one of them and tools reporting
    either: the snapshot keeps the first as the installed one and says so.
    """
    problems: list[str] = []
    seen: dict[str, list[str]] = {}
    for number, site in enumerate(sites):
        where = "site-packages" if number == 0 else f"site directory {number + 1}"
        for problem in site.get("problems") or ():
            if isinstance(problem, str):
                problems.append(f"{where}: {problem}")
        for item in site.get("dists") or ():
            if not isinstance(item, Mapping):
                continue
            meta = item.get("meta")
            if item.get("egg_link") and not (isinstance(meta, Mapping) and meta.get("version")):
                problems.append(
                    f"{where}: {item.get('entry')}: its project folder is gone or holds no "
                    "egg-info, so its version is unknown"
                )
            dist = distribution_from_entry(item)
            if dist is not None:
                label = f"{dist.version or '?'} ({where})"
                seen.setdefault(dist.name, []).append(label)
    for name in sorted(seen):
        if len(seen[name]) > 1:
            problems.append(
                f"{name} is installed {len(seen[name])} times: {', '.join(seen[name])}; "
                f"Python imports the first"
            )
    return tuple(problems)


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
    from parity.textfile import parse_json

    try:
        data = parse_json(text)
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

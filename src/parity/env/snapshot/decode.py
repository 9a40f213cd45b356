"""What a snapshot holds, decided from the probe's raw facts (pure).

- names canonicalised (PEP 503), versions as installed;
- sources redacted: credentials become ``***``, local paths ``local``;
- the environment's kind: conda prefix, venv or system interpreter.

Every decision is made on plain values (the fields of the JSON document):
:func:`snapshot_document` is what ``parity snapshot`` writes, without the
model's dataclasses (a third of a snapshot's time to import);
:func:`snapshot_from_probe` wraps the same values in a :class:`Snapshot`.
"""

from __future__ import annotations

# ``collections.abc.Mapping`` itself (collections.abc imports the collections
# package, which ``parity snapshot`` otherwise never needs).
from _collections_abc import Mapping

from parity.env.snapshot.native import native_values
from parity.names import canonical_name
from parity.redact import LOCAL, redact_credentials

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from parity.env.snapshot_model import Distribution, Snapshot

# Installers known to write REQUESTED for what the user asked for; from others a
# missing REQUESTED file says nothing.
_RECORDS_REQUESTED = frozenset({"pip", "uv"})

_DIST_INFO = r"^(?P<name>[^-]+)-(?P<version>[^-]+)\.dist-info$"
_EGG_INFO = r"^(?P<name>[^-]+)-(?P<version>[^-]+?)(?:-py\d[\d.]*.*)?\.egg-info$"


def snapshot_from_probe(
    raw: Mapping[str, Any],
    *,
    label: str,
    env_vars: Mapping[str, str] | None = None,
    index: Mapping[str, list[str]] | None = None,
    taken_at: str | None = None,
) -> Snapshot:
    """The Snapshot of the environment the probe described."""
    from parity.env.snapshot_model import (
        Distribution,
        NativeLibrary,
        PlatformInfo,
        PythonInfo,
        Snapshot,
    )

    parts = _decided(raw)
    python, platform = parts["python"], parts["platform"]
    return Snapshot(
        label=label,
        kind=parts["kind"],
        python=None if python is None else PythonInfo(**python),
        platform=None if platform is None else PlatformInfo(**platform),
        distributions=tuple(Distribution(**d) for d in parts["distributions"]),
        native=tuple(NativeLibrary(*n) for n in parts["native"]),
        env_vars=dict(env_vars or {}),
        index={k: list(v) for k, v in (index or {}).items()},
        taken_at=taken_at,
        problems=parts["problems"],
    )


def snapshot_document(
    raw: Mapping[str, Any],
    *,
    label: str,
    env_vars: Mapping[str, str] | None = None,
    index: Mapping[str, list[str]] | None = None,
    taken_at: str | None = None,
) -> dict[str, Any]:
    """The JSON document (schema ``parity/snapshot@1``) of :func:`snapshot_from_probe`'s Snapshot.

    ``snapshot_to_json(snapshot_from_probe(raw, ...)) == snapshot_document(raw, ...)``.
    """
    from parity.env.snapshot_json import snapshot_json_document

    parts = _decided(raw)
    return snapshot_json_document(
        label=label,
        kind=parts["kind"],
        taken_at=taken_at,
        python=parts["python"],
        platform=parts["platform"],
        distributions=parts["distributions"],
        native=parts["native"],
        env_vars=env_vars or {},
        index=index or {},
        problems=parts["problems"],
    )


def _decided(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Every field the probe's facts decide, as plain values."""
    sites = [s for s in raw.get("sites") or () if isinstance(s, Mapping)]
    decoded = _decode_sites(sites)
    distributions = _first_of_each(decoded)
    conda_meta = raw.get("conda_meta")
    if conda_meta is not None:
        kind = "conda"
    elif raw.get("in_venv"):
        kind = "venv"
    else:
        kind = "system"
    pairs = [(d["name"], d["version"]) for d in distributions]
    return {
        "kind": kind,
        "python": _python_fields(raw.get("python")),
        "platform": _platform_fields(raw.get("platform")),
        "distributions": distributions,
        "native": native_values(sites, pairs, conda_meta or ()),
        "problems": _problems(sites, decoded),
    }


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _python_fields(raw: object) -> dict[str, str | None] | None:
    """The fields of :class:`PythonInfo`."""
    if not isinstance(raw, Mapping):
        return None
    return {
        "implementation": _text(raw.get("implementation")) or "unknown",
        "version": _text(raw.get("version")) or "unknown",
        "build": _text(raw.get("build")),
        "compiler": _text(raw.get("compiler")),
        "abi": _text(raw.get("abi")),
    }


def _platform_fields(raw: object) -> dict[str, str | None] | None:
    """The fields of :class:`PlatformInfo`."""
    if not isinstance(raw, Mapping):
        return None
    return {
        "system": _text(raw.get("system")) or "unknown",
        "machine": _text(raw.get("machine")) or "unknown",
        "release": _text(raw.get("release")),
        "libc": _text(raw.get("libc")),
        "libc_version": _text(raw.get("libc_version")),
    }


def distributions_from_sites(sites: Sequence[Mapping[str, Any]]) -> tuple[Distribution, ...]:
    """Every distribution the probe found, by name; the first site directory wins."""
    from parity.env.snapshot_model import Distribution

    return tuple(Distribution(**fields) for fields in distribution_fields_from_sites(sites))


def distribution_fields_from_sites(sites: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """:func:`distributions_from_sites` as the fields of each Distribution, sorted by name."""
    return _first_of_each(_decode_sites(sites))


def _decode_sites(
    sites: Sequence[Mapping[str, Any]],
) -> list[list[tuple[Mapping[str, Any], dict[str, Any] | None]]]:
    """Each site's entries with their decoded fields (each entry decoded once)."""
    return [
        [
            (item, distribution_fields(item))
            for item in site.get("dists") or ()
            if type(item) is dict or isinstance(item, Mapping)
        ]
        for site in sites
    ]


def _first_of_each(
    decoded: list[list[tuple[Mapping[str, Any], dict[str, Any] | None]]],
) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for entries in decoded:
        for _, fields in entries:
            if fields is not None and fields["name"] not in found:
                found[fields["name"]] = fields
    return [found[name] for name in sorted(found)]


def site_problems(sites: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """What the probe could not read, and every package installed more than once.

    Two ``.dist-info`` folders of one package (a half-finished upgrade, two
    installers at odds) leave Python importing one of them and tools reporting
    either: the snapshot keeps the first as the installed one and says so.
    """
    return _problems(sites, _decode_sites(sites))


def _problems(
    sites: Sequence[Mapping[str, Any]],
    decoded: list[list[tuple[Mapping[str, Any], dict[str, Any] | None]]],
) -> tuple[str, ...]:
    problems: list[str] = []
    seen: dict[str, list[str]] = {}
    for number, (site, entries) in enumerate(zip(sites, decoded, strict=True)):
        where = "site-packages" if number == 0 else f"site directory {number + 1}"
        for problem in site.get("problems") or ():
            if isinstance(problem, str):
                problems.append(f"{where}: {problem}")
        for item, fields in entries:
            if item.get("egg_link"):
                meta = item.get("meta")
                if not (isinstance(meta, Mapping) and meta.get("version")):
                    problems.append(
                        f"{where}: {item.get('entry')}: its project folder is gone or holds no "
                        "egg-info, so its version is unknown"
                    )
            if fields is not None:
                label = f"{fields['version'] or '?'} ({where})"
                seen.setdefault(fields["name"], []).append(label)
    for name in sorted(seen):
        if len(seen[name]) > 1:
            problems.append(
                f"{name} is installed {len(seen[name])} times: {', '.join(seen[name])}; "
                f"Python imports the first"
            )
    return tuple(problems)


def distribution_from_entry(item: Mapping[str, Any]) -> Distribution | None:
    """One ``*.dist-info`` / ``*.egg-info`` / ``*.egg-link`` entry as a Distribution."""
    from parity.env.snapshot_model import Distribution

    fields = distribution_fields(item)
    return None if fields is None else Distribution(**fields)


def distribution_fields(item: Mapping[str, Any]) -> dict[str, Any] | None:
    """:func:`distribution_from_entry` as the fields of the Distribution (its JSON form)."""
    entry = item.get("entry")
    if not isinstance(entry, str):
        return None
    meta = item.get("meta")
    name: str | None = None
    version: str | None = None
    if meta is not None and isinstance(meta, Mapping):
        name, version = _text(meta.get("name")), _text(meta.get("version"))
    if name is None and item.get("egg_link"):
        name = entry[: -len(".egg-link")] if entry.endswith(".egg-link") else entry
    if name is None or (version is None and not item.get("egg_link")):
        found = _name_and_version(entry)
        if found is None:
            if name is None:
                return None
        else:
            name = name or found[0]
            version = version or found[1]
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
    return {
        "name": canonical_name(name),
        "version": version,
        "installer": installer,
        "source": source,
        "editable": editable,
        "requested": requested,
    }


def _name_and_version(entry: str) -> tuple[str, str] | None:
    """Name and version from a ``name-version.dist-info`` or ``.egg-info`` entry's name."""
    if entry.endswith(".dist-info"):
        # The usual ``name-version.dist-info`` without re (what _DIST_INFO matches).
        name, sep, version = entry[: -len(".dist-info")].partition("-")
        if sep and name and version and "-" not in version:
            return name, version
    import re

    match = re.match(_DIST_INFO, entry) or re.match(_EGG_INFO, entry)
    return None if match is None else (match.group("name"), match.group("version"))


def source_from_direct_url(text: str) -> tuple[str | None, bool]:
    """(source, editable) from a PEP 610 ``direct_url.json``.

    A VCS checkout becomes ``git+https://host/repo@<commit>``; an archive URL
    stays a URL; anything on the local disk (a directory, an editable
    checkout, a ``file://`` archive or repository) is just ``local``.
    Credentials are always redacted.
    """
    # json's C scanner without the json package (which imports re): editable and
    # VCS installs are common, and parity snapshot imports neither for them.
    from parity.fastjson import loads

    try:
        data = loads(text)
    except (ValueError, RecursionError):  # RecursionError: ``[[[[...`` nested too deeply
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

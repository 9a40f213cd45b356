"""Digests of what parity read from each input file.

A digest covers the parsed content, rendered canonically (sorted
requirements, options), so reordering lines or editing a comment does not
make a lock stale while changing a requirement does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from parity.fsutil import sha256_text
from parity.redact import redact_url
from parity.spec.model import DirectRequirement, IndexConfig, InputFile

__all__ = ["digest_data", "digest_requirements_file", "redact_url"]


def _requirement_texts(items: Iterable[DirectRequirement]) -> list[str]:
    return sorted(
        " ".join(r.requirement.split()) + (" (editable)" if r.editable else "") for r in items
    )


def _index_data(index: IndexConfig) -> dict[str, Any]:
    return {
        "index_url": index.index_url,
        "extra_index_urls": sorted(index.extra_index_urls),
        "find_links": sorted(index.find_links),
        "no_index": index.no_index,
    }


def digest_data(path: str, data: Any) -> InputFile:
    return InputFile(path=path, digest=sha256_text(json.dumps(data, sort_keys=True, default=str)))


def digest_requirements_file(
    path: str,
    requirements: Iterable[DirectRequirement],
    constraints: Iterable[DirectRequirement],
    includes: Iterable[str],
    index: IndexConfig,
) -> InputFile:
    return digest_data(
        path,
        {
            "requirements": _requirement_texts(requirements),
            "constraints": _requirement_texts(constraints),
            "includes": sorted(includes),
            "index": _index_data(index),
        },
    )

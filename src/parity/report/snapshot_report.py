"""What ``parity snapshot`` prints: the snapshot's JSON, or a one-line summary of the file."""

from __future__ import annotations

import sys

from parity.env.snapshot_json import dumps_document, snapshot_to_json, write_document

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any

    from parity.env.snapshot_model import Snapshot


def render_snapshot(snapshot: Snapshot, *, output: Path | None) -> None:
    """The JSON on stdout, or written to ``output`` with a summary on stderr."""
    render_snapshot_document(snapshot_to_json(snapshot), output=output)


def render_snapshot_document(document: Mapping[str, Any], *, output: Path | str | None) -> None:
    """:func:`render_snapshot` for a snapshot given as its JSON document."""
    from parity.fsutil import path_text

    for problem in document.get("problems") or ():
        sys.stderr.write(f"warning: {problem}\n")
    if output is None:
        sys.stdout.write(dumps_document(document))
        return
    write_document(document, output)
    python = document.get("python")
    sys.stderr.write(
        f"Wrote {path_text(output)}: {document['label']}, Python "
        f"{python['version'] if python else '?'}, "
        f"{len(document['distributions'])} distributions, "
        f"{len(document['native'])} native libraries.\n"
    )

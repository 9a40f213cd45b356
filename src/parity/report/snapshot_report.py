"""What ``parity snapshot`` prints: the snapshot's JSON, or a one-line summary of the file."""

from __future__ import annotations

import sys
from pathlib import Path

from parity.env.snapshot_json import dumps_snapshot, write_snapshot
from parity.env.snapshot_model import Snapshot


def render_snapshot(snapshot: Snapshot, *, output: Path | None) -> None:
    """The JSON on stdout, or written to ``output`` with a summary on stderr."""
    for problem in snapshot.problems:
        sys.stderr.write(f"warning: {problem}\n")
    if output is None:
        sys.stdout.write(dumps_snapshot(snapshot))
        return
    write_snapshot(snapshot, output)
    sys.stderr.write(
        f"Wrote {output}: {snapshot.label}, Python "
        f"{snapshot.python.version if snapshot.python else '?'}, "
        f"{len(snapshot.distributions)} distributions, {len(snapshot.native)} native libraries.\n"
    )

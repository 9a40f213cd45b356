"""What ``parity fleet push`` prints: plain text (no rich), since a push must start fast."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from parity.report.console import print_json

if TYPE_CHECKING:
    from parity.fleet.service import PushOutcome


def render_push(outcome: PushOutcome, *, as_json: bool) -> None:
    if as_json:
        print_json(outcome.to_json())
        return
    n = len(outcome.pushed)
    lines = [f"Pushed {n} snapshot{'s' if n != 1 else ''} to {outcome.store}:"]
    for p in outcome.pushed:
        content = "new distribution set" if p.new_set else "distribution set already stored"
        lines.append(
            f"  {p.label} ({p.role}): {p.distributions} distributions, {content} "
            f"{p.set_digest[:12]}, record {p.record_id}"
        )
    sys.stdout.write("\n".join(lines) + "\n")

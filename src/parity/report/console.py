"""Terminal output: one place that decides colours, widths and streams."""

from __future__ import annotations

import sys

TYPE_CHECKING = False  # not typing's: ``check --json`` prints through here
if TYPE_CHECKING:
    from typing import Any

    from rich.console import Console


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def print_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, sort_keys=False) + "\n")

"""The fast path of ``parity snapshot``: no click, so a snapshot costs about what reading it does.

``parity snapshot`` runs on every machine of a fleet, in every CI job; click's
import alone costs more than reading a 100-package environment.  This
parser accepts the options of the click command (``snapshot_cmd.command``)
that take a snapshot and write it: ``--python``, ``--env``, ``-o/--output``
and ``--label``, in their usual spellings.  Anything else (``--push``, help,
an unknown option, a repeated one) falls back to click, which handles it.
A test checks that both paths give the same output.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: this path must cost little more than Python's start-up
if TYPE_CHECKING:
    from pathlib import Path

_VALUED = {
    "--python": "python",
    "--env": "env_dir",
    "-o": "output",
    "--output": "output",
    "--label": "label",
}


def parse(argv: list[str]) -> dict[str, str] | None:
    """The options, or None when click must handle the arguments."""
    options: dict[str, str] = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        name, eq, value = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        key = _VALUED.get(name)
        if key is None:
            return None
        if not eq:
            i += 1
            if i == len(argv):
                return None
            value = argv[i]
        if key in options or not value:
            return None
        options[key] = value
        i += 1
    if "python" in options and "env_dir" in options:
        return None  # click's command says so, in its words
    return options


def fast_snapshot(argv: list[str]) -> bool:
    """Take the snapshot if the arguments are plain; False to let click handle them."""
    options = parse(argv)
    if options is None:
        return False
    # Paths stay strings: pathlib (with re and urllib.parse) would cost more than the snapshot.
    run_snapshot(
        python=options.get("python"),
        env_dir=options.get("env_dir"),
        output=options.get("output"),
        label=options.get("label"),
    )
    return True


def run_snapshot(
    *,
    python: str | None,
    env_dir: Path | str | None,
    output: Path | str | None,
    label: str | None,
) -> None:
    """Take the snapshot and print or write it, as both the click command and the fast path do.

    The snapshot is taken as its JSON document: the model's dataclasses are
    never built (their import costs a third of the command).
    """
    from parity.api import snapshot_document
    from parity.report.snapshot_report import render_snapshot_document

    render_snapshot_document(
        snapshot_document(python=python, env=env_dir, label=label), output=output
    )

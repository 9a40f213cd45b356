"""The fast path of ``parity fleet push``: no click, so a CI job's push stays fast.

Pushing runs in every CI job; importing click alone costs more than the
push.  This parser accepts exactly the options of the click command
(``fleet_cmd.push_command``) in their usual spellings; anything else (help,
an unknown option, a bad value) falls back to click, which reports it.  A
test checks that both paths give the same output.
"""

from __future__ import annotations

from pathlib import Path

from parity.fleet.model import ROLES

_VALUED = {
    "--store": "store",
    "--label": "label",
    "--role": "role",
    "--host": "host",
    "--commit": "commit",
    "--lock-digest": "lock_digest",
}


def parse(argv: list[str]) -> tuple[list[Path], dict[str, str], bool] | None:
    """(files, options, as_json), or None when click must handle the arguments."""
    files: list[Path] = []
    options: dict[str, str] = {}
    as_json = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--json":
            as_json = True
        elif arg.startswith("--") and arg.split("=", 1)[0] in _VALUED:
            name, eq, value = arg.partition("=")
            if not eq:
                i += 1
                if i == len(argv):
                    return None
                value = argv[i]
            if _VALUED[name] in options:
                return None
            options[_VALUED[name]] = value
        elif arg.startswith("-"):
            return None
        else:
            files.append(Path(arg))
        i += 1
    if not files or ("role" in options and options["role"] not in ROLES):
        return None
    return files, options, as_json


def fast_push(argv: list[str]) -> bool:
    """Run the push if the arguments are plain; False to let click handle them."""
    parsed = parse(argv)
    if parsed is None:
        return False
    files, options, as_json = parsed
    run_push(tuple(files), as_json=as_json, **options)
    return True


def run_push(files: tuple[Path, ...], *, as_json: bool, **options: str | None) -> None:
    """The push, as both the click command and the fast path run it."""
    from parity.api import fleet_push
    from parity.report.fleet_push_report import render_push

    outcome = fleet_push(list(files), **options)
    render_push(outcome, as_json=as_json)

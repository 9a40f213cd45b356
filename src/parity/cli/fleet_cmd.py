"""parity fleet"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from parity.cli.common import report_format_options, rules_option
from parity.fleet.model import ROLES

F = TypeVar("F", bound=Callable[..., Any])


def store_option(func: F) -> F:
    decorated: F = click.option(
        "--store",
        metavar="URL",
        help="The fleet store: a file path or postgresql://... "
        "(default: $PARITY_STORE, else .parity/fleet.db).",
    )(func)
    return decorated


def json_option(func: F) -> F:
    decorated: F = click.option("--json", "as_json", is_flag=True, help="Print JSON.")(func)
    return decorated


@click.group("fleet")
def command() -> None:
    """Snapshots of every laptop, CI runner and image in one store, and the drift
    across all of them.

    Push with `parity snapshot --push` (or `parity fleet push FILE...` for
    snapshot files made elsewhere), then ask: `status` (the drift matrix),
    `query` (who has numpy<2, since when), `history LABEL`, `prune`.
    """


@command.command("push")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_option
@click.option("--label", help="The machine's label (one file only; default: each file's label).")
@click.option(
    "--role", type=click.Choice(ROLES), help="dev, ci or prod (default: ci under CI, else dev)."
)
@click.option("--host", help="The host the snapshots were taken on (default: not recorded).")
@click.option("--commit", metavar="SHA", help="The git commit (default: from CI variables).")
@click.option(
    "--lock-digest", metavar="DIGEST", help="The digest of the lock the environment was synced to."
)
@json_option
def push_command(
    files: tuple[Path, ...],
    store: str | None,
    label: str | None,
    role: str | None,
    host: str | None,
    commit: str | None,
    lock_digest: str | None,
    as_json: bool,
) -> None:
    """Record snapshot files made elsewhere (CI artifacts): all of them, or none.

    Each file is checked before anything is stored; a file that is not a
    complete parity snapshot stops the push with exit 2.
    """
    from parity.cli.fleet_push import run_push

    run_push(
        files,
        store=store,
        label=label,
        role=role,
        host=host,
        commit=commit,
        lock_digest=lock_digest,
        as_json=as_json,
    )


@command.command("status")
@store_option
@click.option(
    "--against",
    metavar="LOCK",
    help="Compare with this lock (requirements.txt, pylock.toml, poetry.lock) or snapshot "
    "(default: what most machines have).",
)
@click.option(
    "-g",
    "--group",
    "groups",
    multiple=True,
    metavar="NAME",
    help="Groups to read from a pylock.toml / poetry.lock (repeatable).",
)
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(ROLES),
    help="Only machines of this role (repeatable).",
)
@click.option(
    "--direct",
    multiple=True,
    metavar="NAME",
    help="A package the project imports directly: weighs more (repeatable).",
)
@rules_option
@report_format_options("parity/fleet-status@1", "a pull-request comment or a wiki page")
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write a self-contained HTML page with a heat map.",
)
@click.option(
    "--top",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Show the N riskiest aspects and machines (0: all).",
)
@click.option(
    "--fail-on",
    type=click.Choice(["low", "medium", "high", "critical"]),
    default="low",
    show_default=True,
    help="Exit 1 only when an aspect drifts at least this severely.",
)
def status_command(
    store: str | None,
    against: str | None,
    groups: tuple[str, ...],
    roles: tuple[str, ...],
    direct: tuple[str, ...],
    rule_files: tuple[Path, ...],
    as_json: bool,
    fmt: str,
    html_path: Path | None,
    top: int,
    fail_on: str,
) -> None:
    """The drift matrix: machines x Python, platform, native libraries and packages.

    Each machine's latest snapshot is compared with the lock (--against) or
    with what most machines have, with the risk rules of `parity diff`; the
    riskiest aspects and the machines most at risk come first.

    Exit 0 when nothing drifts, 1 when something does (see --fail-on), 2 on
    bad input.
    """
    from parity.api import fleet_status
    from parity.report.fleet_report import render_status, status_html

    status = fleet_status(
        store=store, roles=roles, against=against, groups=groups, direct=direct, rules=rule_files
    )
    render_status(status, fmt="json" if as_json else fmt, top=top, machines_shown=top)
    if html_path is not None:
        from parity.fleet.service import now_text
        from parity.fsutil import atomic_write_text

        generated = now_text()[:16].replace("T", " ") + " UTC"
        atomic_write_text(html_path, status_html(status, generated=generated))
        click.echo(f"Wrote {html_path}: the fleet status as one self-contained page.", err=True)
    sys.exit(1 if status.at_least(fail_on) else 0)


@command.command("query")
@click.argument("question")
@store_option
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(ROLES),
    help="Only machines of this role (repeatable).",
)
@json_option
def query_command(question: str, store: str | None, roles: tuple[str, ...], as_json: bool) -> None:
    """Which machines have QUESTION now, and since when.

    QUESTION is a requirement ('numpy<2', 'torch>=2; sys_platform == "linux"'),
    a Python version ('python<3.10', 'python 3.8') or a native library
    ('native:openblas', 'native:cuda>=12').

    Exit 0 when some machine has it, 1 when none does, 2 on bad input.
    """
    from parity.api import fleet_query
    from parity.report.fleet_report import render_query

    result = fleet_query(question, store=store, roles=roles)
    render_query(result, as_json=as_json)
    sys.exit(0 if result.hits else 1)


@command.command("history")
@click.argument("label")
@store_option
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=0,
    help="Show only the N newest environments (0: all).",
)
@json_option
def history_command(label: str, store: str | None, limit: int, as_json: bool) -> None:
    """What changed on one machine over time, newest first, riskiest change first."""
    from parity.api import fleet_history
    from parity.report.fleet_report import render_history

    result = fleet_history(label, store=store, limit=limit)
    render_history(result, as_json=as_json)


@command.command("prune")
@click.option(
    "--older-than",
    "older_than",
    required=True,
    metavar="AGE",
    help="Remove snapshots seen longer ago than this: 90d, 12w, 36h.",
)
@store_option
@click.option(
    "--keep-latest",
    is_flag=True,
    help="Keep each machine's latest snapshot, however old.",
)
@click.option("--dry-run", is_flag=True, help="Count what would be removed; change nothing.")
@json_option
def prune_command(
    older_than: str, store: str | None, keep_latest: bool, dry_run: bool, as_json: bool
) -> None:
    """Retention: remove old snapshots, and the content no snapshot uses any more."""
    from parity.api import fleet_prune
    from parity.report.fleet_report import render_prune

    outcome = fleet_prune(older_than, store=store, keep_latest=keep_latest, dry_run=dry_run)
    render_prune(outcome, as_json=as_json)

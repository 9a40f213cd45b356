"""parity snapshot"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from parity.errors import UsageError
from parity.fleet.model import ROLES


@click.command("snapshot")
@click.option(
    "--python",
    "python",
    metavar="PATH",
    help="The interpreter to fingerprint (a path or a command such as python3.9).",
)
@click.option(
    "--env",
    "env_dir",
    type=click.Path(path_type=Path),
    metavar="DIR",
    help="A venv or conda prefix to fingerprint.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the JSON here (default: print it, unless --push).",
)
@click.option(
    "--label",
    help="How reports name this environment (default: its path); with --push, the "
    "machine's label in the fleet.",
)
@click.option("--push", is_flag=True, help="Record the snapshot in the fleet store.")
@click.option(
    "--store",
    metavar="URL",
    help="The fleet store for --push: a file path or postgresql://... "
    "(default: $PARITY_STORE, else .parity/fleet.db).",
)
@click.option(
    "--role",
    type=click.Choice(ROLES),
    help="With --push: dev, ci or prod (default: ci under CI, else dev).",
)
def command(
    python: str | None,
    env_dir: Path | None,
    output: Path | None,
    label: str | None,
    push: bool,
    store: str | None,
    role: str | None,
) -> None:
    """Fingerprint an environment (any, back to Python 3.8) into JSON, schema
    parity/snapshot@1: Python, platform, libc, every distribution, native
    libraries, behaviour-changing variables, redacted index settings.

    With --push the snapshot is also recorded in the fleet store (see `parity
    fleet`), with its machine label, role, host, git commit and the digest of
    the lock the environment was synced to.
    """
    from parity.api import snapshot as take_snapshot
    from parity.report.snapshot_report import render_snapshot

    if python and env_dir:
        raise UsageError("give --python or --env, not both")
    if (store or role) and not push:
        raise UsageError(
            "--store and --role describe a push", hint="Add --push to record the snapshot."
        )
    if not push:
        from parity.cli.snapshot_fast import run_snapshot

        run_snapshot(python=python, env_dir=env_dir, output=output, label=label)
        return
    snapshot = take_snapshot(python=python, env=env_dir, label=label)
    if output is not None:
        render_snapshot(snapshot, output=output)
    if push:
        from parity.fleet.origin import machine_origin
        from parity.fleet.service import push as push_snapshots
        from parity.report.fleet_push_report import render_push

        cwd = Path.cwd()
        origin = machine_origin(
            snapshot,
            label=label,
            role=role,
            environ=os.environ,
            cwd=cwd,
            env_dir=_env_root(python, env_dir, cwd),
            default_env=python is None and env_dir is None,
        )
        render_push(
            push_snapshots([(snapshot, origin)], store=store, environ=os.environ, cwd=cwd),
            as_json=False,
        )


def _env_root(python: str | None, env_dir: Path | None, cwd: Path) -> Path | None:
    """The environment's folder (where parity's sync stamp lives), when known."""
    if env_dir is not None:
        return env_dir if env_dir.is_absolute() else cwd / env_dir
    if python is None:
        return Path(sys.prefix)
    path = Path(python)
    if path.parent.name in ("bin", "Scripts"):
        return path.parent.parent if path.is_absolute() else cwd / path.parent.parent
    return None

"""parity snapshot"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from parity.errors import UsageError


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
    help="Write the JSON here (default: print it).",
)
@click.option("--label", help="How reports name this environment (default: its path).")
def command(
    python: str | None, env_dir: Path | None, output: Path | None, label: str | None
) -> None:
    """Fingerprint an environment (any, back to Python 3.8) into JSON, schema
    parity/snapshot@1: Python, platform, libc, every distribution, native
    libraries, behaviour-changing variables, redacted index settings."""
    from parity.env.snapshot import capture_snapshot
    from parity.env.snapshot_json import dumps_snapshot, write_snapshot

    if python and env_dir:
        raise UsageError("give --python or --env, not both")
    snapshot = capture_snapshot(python=python, env_dir=env_dir, label=label)
    if output is None:
        sys.stdout.write(dumps_snapshot(snapshot))
        return
    write_snapshot(snapshot, output)
    sys.stderr.write(
        f"Wrote {output}: {snapshot.label}, Python "
        f"{snapshot.python.version if snapshot.python else '?'}, "
        f"{len(snapshot.distributions)} distributions, {len(snapshot.native)} native libraries.\n"
    )

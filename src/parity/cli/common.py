"""Options and helpers shared by the subcommands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def project_option(func: F) -> F:
    decorated: F = click.option(
        "-p",
        "--project",
        "project",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help="The project directory.",
    )(func)
    return decorated


def venv_option(func: F) -> F:
    decorated: F = click.option(
        "--venv",
        default=None,
        help="The environment directory, relative to the project "
        "(default: .venv; .conda for a conda project).",
    )(func)
    return decorated


def load(project: Path, *, command: str | None = None, conda: bool = False) -> Any:
    """Read the project's spec (the one place the CLI touches spec/).

    A command that does not handle conda projects (``conda=False``) says so
    rather than treating environment.yml's pip section as the whole project.
    """
    from parity.spec.load import load_project

    spec = load_project(project.resolve())
    if spec.format == "conda" and not conda:
        from parity.errors import UsageError

        raise UsageError(
            f"parity {command or 'this command'} does not handle conda projects "
            "(environment.yml) yet",
            hint="parity lock, sync and check handle conda projects.",
        )
    return spec

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

"""Options and helpers shared by the subcommands."""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from parity import ProjectSpec

F = TypeVar("F", bound=Callable[..., Any])

_FORMAT_KEY = "parity.spec_format"
_VERBOSITY_KEY = "parity.verbosity"
FORMATS = ("pep621", "poetry", "requirements-in", "conda")


def _remember(key: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        if value is not None:
            ctx.meta[key] = value
        return value

    return callback


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


def format_option(func: F) -> F:
    """``--format``: the input style to read a project in, when it has several."""
    decorated: F = click.option(
        "--format",
        "spec_format",
        type=click.Choice(FORMATS),
        default=None,
        expose_value=False,
        callback=_remember(_FORMAT_KEY),
        help="Read the project in this input style when it has several "
        "(also: format under [tool.parity]).",
    )(func)
    return decorated


def rules_option(func: F) -> F:
    """``--rules``: extra risk rules for the commands that rank differences."""
    decorated: F = click.option(
        "--rules",
        "rule_files",
        multiple=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="Extra risk rules, in the format of the shipped table (repeatable).",
    )(func)
    return decorated


def report_format_options(schema: str, markdown_suits: str) -> Callable[[F], F]:
    """``--json`` and ``--format table|json|markdown`` of a report with a JSON ``schema``."""

    def decorate(func: F) -> F:
        with_format: F = click.option(
            "--format",
            "fmt",
            type=click.Choice(["table", "json", "markdown"]),
            default="table",
            show_default=True,
            help=f"markdown suits {markdown_suits}.",
        )(func)
        decorated: F = click.option(
            "--json", "as_json", is_flag=True, help=f"Same as --format json (schema {schema})."
        )(with_format)
        return decorated

    return decorate


def spec_format(ctx: click.Context | None) -> str | None:
    """The input style ``--format`` chose, or None (detected)."""
    return ctx.meta.get(_FORMAT_KEY) if ctx is not None else None


def project_spec(project: Path) -> ProjectSpec:
    """The project read in the style ``--format`` chose (detected when it is absent)."""
    from parity.api import load_project

    return load_project(project, format=spec_format(click.get_current_context(silent=True)))


def output_options(func: F) -> F:
    """``-v`` (show the uv commands run, with their times) and ``-q`` (only errors)."""

    def verbose(ctx: click.Context, _param: click.Parameter, value: int) -> int:
        if value:
            ctx.meta[_VERBOSITY_KEY] = value
            ctx.call_on_close(_show_uv_commands())
        return value

    def quiet(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
        if value:
            ctx.meta[_VERBOSITY_KEY] = -1
        return value

    with_quiet: F = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=quiet,
        help="Print nothing but errors.",
    )(func)
    decorated: F = click.option(
        "-v",
        "--verbose",
        count=True,
        expose_value=False,
        callback=verbose,
        help="Show each uv command parity runs, and how long it took.",
    )(with_quiet)
    return decorated


def verbosity() -> int:
    """-1 quiet, 0 normal, 1+ verbose (from ``-q``/``-v`` of the running command)."""
    ctx = click.get_current_context(silent=True)
    return int(ctx.meta.get(_VERBOSITY_KEY, 0)) if ctx is not None else 0


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is when a record comes (not when created)."""

    def emit(self, record: logging.LogRecord) -> None:
        sys.stderr.write(self.format(record) + "\n")


def _show_uv_commands() -> Callable[[], None]:
    """Print each uv command (from parity.uv's debug log) on stderr; returns the undo."""
    log = logging.getLogger("parity.uv")
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("  %(message)s"))
    level = log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)

    def undo() -> None:
        log.removeHandler(handler)
        log.setLevel(level)

    return undo


@contextlib.contextmanager
def progress(message: str) -> Iterator[None]:
    """A spinner on stderr while long work runs, when stderr is a terminal (not with -q)."""
    from parity.cli.plain import spinner

    with spinner(message, quiet=verbosity() < 0):
        yield

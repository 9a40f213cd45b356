"""``parity export --to conda`` and ``parity init --strategy conda``: environment.yml.

The minimal "from history" form: what the project asks for, not what the
resolver chose.  conda-forge (or ``[tool.parity.conda] channels``), the
project's Python, the native-heavy requirements from conda (the shipped
native-packages table decides, the project overrides it), everything else
under ``pip:`` exactly as written in the project's inputs.  The fully pinned
form is ``--to conda-pinned``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from parity.conda.matchspec import from_pep440
from parity.errors import UsageError
from parity.lock.index import index_lines, lockfile_index_of
from parity.spec.model import IndexConfig, ProjectSpec
from parity.strategies.base import FileOutput, Rendered, Request, check_relative
from parity.strategies.common import default_group
from parity.strategies.conda_placement import place_requirements
from parity.strategies.conda_yaml import environment_text
from parity.strategies.convert import check_nothing_unconverted

NAME = "conda"
STRATEGY = "conda"
NEEDS_LOCK = False
OPTIONS = ("output", "group")
DEFAULT_OUTPUT = "environment.yml"
DEFAULT_CHANNELS = ("conda-forge",)
# Written by `parity init --strategy conda` after the lock.
FOLLOW_UP = ("conda-pinned",)


def render(request: Request) -> Rendered:
    check_nothing_unconverted(request, "conda")
    spec = request.spec
    if spec is None:
        raise UsageError(
            "no project here to write an environment.yml for",
            hint="Start with a requirements.in or a pyproject.toml, then run this again.",
        )
    if spec.format == "conda":
        raise UsageError(
            "this project's environment files are its inputs; parity will not rewrite them",
            hint="Export the pinned form with `parity export --to conda-pinned`.",
        )
    output = check_relative(request.option("output") or DEFAULT_OUTPUT)
    group = default_group(spec, request.option("group"))
    placement = place_requirements(spec.requirements_of(group), spec.conda_settings)
    python = python_spec(spec)
    conda = ([python] if python else []) + [e.spec for e in placement.conda]
    notes = list(placement.notes)
    if python is None:
        notes.append("the project pins no Python: add python to environment.yml by hand")
    text = environment_text(
        name=environment_name(spec),
        channels=spec.conda_settings.channels or DEFAULT_CHANNELS,
        conda=conda,
        pip=with_index_options(placement.pip, lockfile_index_of(spec.index, spec)),
        comments=(
            f"The '{group}' group of this project as a conda environment: native-heavy",
            "packages from conda, the rest from pip. Pinned versions: environment.pinned.yml.",
        ),
    )
    if placement.conda:
        notes.append("from conda: " + ", ".join(f"{e.pypi} (as {e.spec})" for e in placement.conda))
    return Rendered({output: FileOutput(text)}, tuple(notes), artifact=NAME)


def with_index_options(pip: Sequence[str], index: IndexConfig) -> list[str]:
    """The pip section with the project's index options first, as its lockfiles carry
    them: without them pip takes every package from its default index, whatever the
    project resolved from (a private index, PyTorch's CPU wheels)."""
    return [*index_lines(index), *pip] if pip else []


def convert(request: Request) -> Rendered:
    """``parity init --strategy conda``: the project keeps its inputs, and gains environment.yml."""
    return render(request)


def python_spec(spec: ProjectSpec) -> str | None:
    if spec.python.pinned:
        parts = spec.python.pinned.split(".")
        return (
            f"python={'.'.join(parts[:2])}" if len(parts) <= 2 else f"python=={spec.python.pinned}"
        )
    if spec.python.requires_python:
        version = from_pep440(spec.python.requires_python)
        return f"python{version}" if version else None
    return None


def environment_name(spec: ProjectSpec) -> str:
    raw = spec.name or spec.root.name or "project"
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", raw).strip("-") or "project"

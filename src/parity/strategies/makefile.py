"""``parity export --to makefile``: venv, lock, sync, check, test and clean targets.

The targets call parity by default; ``engine="pip-tools"`` makes them call
pip-compile and pip-sync (pinned) for projects that ask for pip-tools itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parity.errors import UsageError
from parity.spec.model import ProjectSpec
from parity.strategies.base import FileOutput, Rendered, Request, check_relative
from parity.strategies.common import default_group, pins, python_minor, test_command

NAME = "makefile"
NEEDS_LOCK = True


def needs_lock(options: Mapping[str, Any]) -> bool:
    """pip-compile's projects have no parity lock: the pip-tools engine does without."""
    return options.get("engine") != "pip-tools"


OPTIONS = ("output", "group", "engine")
DEFAULT_OUTPUT = "Makefile"
ENGINES = ("parity", "pip-tools")


def render(request: Request) -> Rendered:
    spec = request.spec
    assert spec is not None
    engine = request.option("engine") or "parity"
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}", hint=f"Use one of: {', '.join(ENGINES)}.")
    output = check_relative(request.option("output") or DEFAULT_OUTPUT)
    group = default_group(spec, request.option("group"))
    minor = python_minor(spec)
    python = f"python{minor}" if minor else "python3"
    test = test_command(spec, group, request.workspace, "$(VENV)/bin/python")
    if engine == "pip-tools":
        body = _pip_tools(spec, group, python, test)
    else:
        body = _parity(spec, group, python, test)
    notes: list[str] = []
    if test is None:
        notes.append(
            "no tests found (no pytest in the group, no tests/ directory): `make test` only syncs"
        )
    if output != DEFAULT_OUTPUT:
        notes.append(f"include it from your Makefile with: include {output}")
    return Rendered({output: FileOutput(body)}, tuple(notes), artifact=NAME)


def _header(spec: ProjectSpec, python: str, what: str) -> list[str]:
    # A conda project's prefix is .conda, where `parity sync` and `parity check` (and
    # the CI parity writes) look without --venv.
    venv = ".conda" if spec.format == "conda" else ".venv"
    return [
        f"# Tasks of this project's pinned environment ({what}).",
        f"# `make sync` builds {venv} from the lock; `make check` is the same gate CI runs.",
        f"PYTHON ?= {python}",
        f"VENV   ?= {venv}",
    ]


def _parity(spec: ProjectSpec, group: str, python: str, test: str | None) -> str:
    lines = [
        *_header(spec, python, "run by parity"),
        "PARITY ?= parity",
        "",
        ".PHONY: venv lock sync check test clean",
        "",
        "## venv: create $(VENV) on the pinned Python with the locked packages",
        "venv: sync",
        "",
        "## lock: resolve every group in one resolution and write the lockfiles",
        "lock:",
        "\t$(PARITY) lock",
        "",
        f"## sync: make $(VENV) exactly the '{group}' lock (hash-checked)",
        "sync:",
        f"\t$(PARITY) sync --group {group} --venv $(VENV)",
        "",
        "## check: lock fresh, files consistent, $(VENV) matches the lock",
        "check:",
        f"\t$(PARITY) check --group {group} --venv $(VENV)",
        "",
        "## test: run the tests in $(VENV)",
        "test: sync",
    ]
    if test:
        lines.append(f"\t{test}")
    lines += [
        "",
        "## clean: remove the environment and tool caches (never the lockfiles)",
        "clean:",
        "\trm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache",
    ]
    return "\n".join(lines) + "\n"


def _pip_tools(spec: ProjectSpec, group: str, python: str, test: str | None) -> str:
    if spec.format != "requirements-in":
        raise UsageError(
            "the pip-tools engine compiles requirements*.in files, and this project keeps "
            f"its requirements in pyproject.toml ({spec.format})",
            hint="Convert it with `parity init --strategy pip-tools`, or use the parity engine.",
        )
    version = pins().tools["pip-tools"]
    compile_lines = []
    for g in spec.groups:
        source = g.source.path if g.source else None
        if source is None or not source.endswith(".in"):
            continue
        compile_lines.append(
            f"\t$(TOOLS)/bin/pip-compile --quiet --generate-hashes --strip-extras "
            f"-o {g.output} {source}"
        )
    lockfile = spec.group(group).output
    lines = [
        *_header(spec, python, "pip-tools"),
        "# pip-tools lives in a venv of its own: pip-sync would remove it from $(VENV).",
        "TOOLS  ?= .venv-pip-tools",
        f"PIP_TOOLS ?= pip-tools=={version}",
        "",
        ".PHONY: venv lock sync check test clean",
        "",
        "## venv: create $(VENV) on the pinned Python, and pip-tools (pinned) next to it",
        "venv: $(VENV)/bin/python $(TOOLS)/bin/pip-sync",
        "$(VENV)/bin/python:",
        "\t$(PYTHON) -m venv $(VENV)",
        "$(TOOLS)/bin/pip-sync:",
        "\t$(PYTHON) -m venv $(TOOLS)",
        '\t$(TOOLS)/bin/python -m pip install --quiet "$(PIP_TOOLS)"',
        "",
        "## lock: compile each requirements*.in into its hash-pinned .txt",
        "## (pip-compile resolves each file on its own; `parity lock` resolves them together)",
        "lock: $(TOOLS)/bin/pip-sync",
        *compile_lines,
        "",
        f"## sync: make $(VENV) exactly {lockfile}",
        "sync: venv",
        f"\t$(TOOLS)/bin/pip-sync --python-executable $(VENV)/bin/python {lockfile}",
        "",
        f"## check: $(VENV) matches {lockfile} and its dependencies are consistent",
        "check: venv",
        f"\t$(TOOLS)/bin/pip-sync --dry-run --python-executable $(VENV)/bin/python {lockfile}",
        "\t$(VENV)/bin/python -m pip check",
        "",
        "## test: run the tests in $(VENV)",
        "test: sync",
    ]
    if test:
        lines.append(f"\t{test}")
    lines += [
        "",
        "## clean: remove the environment and tool caches (never the lockfiles)",
        "clean:",
        "\trm -rf $(VENV) $(TOOLS) .pytest_cache .mypy_cache .ruff_cache",
    ]
    return "\n".join(lines) + "\n"

"""What a CI pipeline for the project's strategy does, decided once for every CI.

GitHub Actions and GitLab CI render the same :class:`CiPlan`: the gate
(``parity check --lock-only``) first, then the environment installed from the
lock (hash-checked), then the tests, with the dependency cache keyed on the
lockfiles' hash.  Pure.
"""

from __future__ import annotations

from parity.errors import UsageError
from parity.frozen import dataclass
from parity.spec.model import ProjectSpec
from parity.strategies.base import Request
from parity.strategies.common import default_group, parity_version, pins, test_command

POETRY = "poetry"
UV = "uv"
CONDA = "conda"


@dataclass(frozen=True)
class CiPlan:
    """The steps of the pipeline, as shell commands, and what the cache is keyed on."""

    installer: str  # "uv" (parity sync), "poetry" (poetry sync) or "conda" (parity sync)
    group: str
    install_parity: str  # the pinned pip install of parity
    gate: str
    install: tuple[str, ...]
    verify: str | None
    test: str | None
    cache_files: tuple[str, ...]
    cache_prefix: str
    poetry_version: str | None = None

    @property
    def install_tools(self) -> str:
        """One pinned pip install of parity, and Poetry when the pipeline uses it."""
        if self.poetry_version is None:
            return self.install_parity
        return f'{self.install_parity} "poetry=={self.poetry_version}"'


def ci_plan(request: Request) -> CiPlan:
    spec = request.spec
    assert spec is not None
    group = default_group(spec, request.option("group"))
    version = parity_version()
    poetry = spec.format == "poetry" and request.workspace.exists("poetry.lock")
    if poetry:
        poetry_version = pins().tools["poetry"]
        only = "main" if group == "prod" else f"main,{group}"
        return CiPlan(
            installer=POETRY,
            group=group,
            install_parity=f'python -m pip install --disable-pip-version-check "parity=={version}"',
            poetry_version=poetry_version,
            gate="parity check --lock-only",
            install=(
                "poetry config virtualenvs.in-project true",
                f"poetry sync --no-interaction --only {only}",
            ),
            verify=None,
            test=test_command(spec, group, request.workspace, "poetry run python"),
            cache_files=("poetry.lock", ".python-version"),
            cache_prefix="poetry-venv",
        )
    if spec.format == "conda":
        return _conda_plan(request, spec, group, version)
    lockfile = spec.group(group).output
    return CiPlan(
        installer=UV,
        group=group,
        install_parity=f'python -m pip install --disable-pip-version-check "parity=={version}"',
        gate="parity check --lock-only",
        install=(f"parity sync --group {group}",),
        verify=f"parity check --group {group}",
        test=test_command(spec, group, request.workspace, ".venv/bin/python"),
        cache_files=(lockfile, ".python-version"),
        cache_prefix="uv",
    )


def _conda_plan(request: Request, spec: ProjectSpec, group: str, version: str) -> CiPlan:
    """A conda project: parity (with py-rattler) builds the .conda prefix from conda.lock."""
    import re

    environment = spec.python.source.path if spec.python.source else "environment.yml"
    text = request.workspace.read(environment) or ""
    has_pytest = bool(re.search(r"^\s*-\s*pytest\b", text, re.M)) or "pytest" in {
        r.name for g in spec.groups for r in g.requirements
    }
    test = ".conda/bin/python -m pytest" if has_pytest else None
    if test is None and request.workspace.exists("tests"):
        test = ".conda/bin/python -m unittest discover -s tests"
    return CiPlan(
        installer=CONDA,
        group=group,
        install_parity=f'python -m pip install --disable-pip-version-check "parity[conda]=={version}"',
        gate="parity check --lock-only",
        install=("parity sync",),
        verify="parity check",
        test=test,
        cache_files=("conda.lock", environment),
        cache_prefix="conda",
    )


def require_python_pin(spec: ProjectSpec) -> str:
    """The pinned Python CI builds with: .python-version is the one source of truth."""
    if not spec.python.pinned:
        raise UsageError(
            "CI reads the Python version from .python-version, and this project pins none",
            hint="Pin it: `echo 3.11 > .python-version` (or run `parity init --strategy ...`).",
        )
    return spec.python.pinned

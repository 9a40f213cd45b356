"""Strategies and exports: the files of pip-tools, Poetry, CI, ... from one spec and lock.

Adding an export is adding one module and one line to :data:`ARTIFACTS`;
adding a strategy for ``parity init`` is one module and one line to
:data:`STRATEGIES`.  See docs/init-export.md for the module contract.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from parity.errors import UsageError

# --to name -> (module with NAME and render(Request) -> Rendered, the glob
# patterns of the files it generates by default).  The patterns live here, not
# in the modules, so ``parity check`` finds generated files without importing them.
ARTIFACTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "requirements": ("parity.strategies.requirements", ("requirements*.txt", "requirements/*.txt")),
    "pylock": ("parity.strategies.pylock_export", ()),
    "poetry": ("parity.strategies.poetry", ()),
    "github-actions": ("parity.strategies.github_actions", (".github/workflows/*.y*ml",)),
    "gitlab-ci": ("parity.strategies.gitlab_ci", (".gitlab-ci.yml",)),
    "makefile": ("parity.strategies.makefile", ("Makefile", "*.mk")),
    "pre-commit": ("parity.strategies.precommit", ()),
    "conda": ("parity.strategies.conda", ("environment.yml",)),
    "conda-pinned": ("parity.strategies.conda_pinned", ("environment.pinned.yml",)),
    "devcontainer": (
        "parity.strategies.devcontainer",
        (
            ".devcontainer/devcontainer.json",
            ".devcontainer/docker-compose.yml",
            ".devcontainer/Dockerfile",
            ".devcontainer/.env.example",
        ),
    ),
    "dockerfile": ("parity.strategies.dockerfile", ("Dockerfile", ".dockerignore")),
}

# --strategy name -> module with STRATEGY, convert(Request) -> Rendered and FOLLOW_UP.
STRATEGIES: dict[str, str] = {
    "pip-tools": "parity.strategies.piptools",
    "poetry": "parity.strategies.poetry",
    "conda": "parity.strategies.conda",
    "docker": "parity.strategies.docker",
}


def _load(table: dict[str, str], name: str, what: str, option: str) -> ModuleType:
    module = table.get(name)
    if module is None:
        raise UsageError(
            f"unknown {what} {name!r}",
            hint=f"{option} takes one of: {', '.join(table)}.",
        )
    return importlib.import_module(module)


def artifact_module(name: str) -> ModuleType:
    return _load({k: v[0] for k, v in ARTIFACTS.items()}, name, "export", "--to")


def strategy_module(name: str) -> ModuleType:
    return _load(STRATEGIES, name, "strategy", "--strategy")


def generated_globs() -> tuple[str, ...]:
    """Where generated files usually are, for ``check`` to find them."""
    return tuple(dict.fromkeys(p for _, patterns in ARTIFACTS.values() for p in patterns))

"""``parity init --strategy docker``: a dev container and a production image from the lock.

The project keeps its inputs and its lock; the strategy adds the Docker files,
all written from the lock after it is made (``FOLLOW_UP``): the dev
container (``.devcontainer/``, with the services the project uses) and the
production Dockerfile with its .dockerignore.
"""

from __future__ import annotations

from parity.errors import UsageError
from parity.strategies.base import Rendered, Request
from parity.strategies.convert import check_nothing_unconverted
from parity.strategies.docker_common import python_version

STRATEGY = "docker"
FOLLOW_UP = ("devcontainer", "dockerfile")


def convert(request: Request) -> Rendered:
    check_nothing_unconverted(request, "docker")
    spec = request.spec
    if spec is None:
        raise UsageError(
            "no project here to containerise",
            hint="Start with a requirements.in or a pyproject.toml, then run this again.",
        )
    if spec.format == "conda":
        raise UsageError(
            "the docker strategy installs a pip lock, and this is a conda project",
            hint="Export the conda environment with `parity export --to conda-pinned`.",
        )
    if spec.python.requires_python and not spec.python.pinned:
        # A range and no pin: the lock names no Python, so neither image could be written.
        # Said now, before the lock, so that a failed init changes nothing.
        python_version(spec, request.lock)
    return Rendered(
        {}, ("the project's inputs stay as they are; the Docker files follow the lock",)
    )

"""``parity export --to conda-pinned``: environment.pinned.yml, every version exact.

Written from the lock, never re-resolved.  For a project locked by uv, every
pin of the group at its exact version: the native-heavy ones (and what both
sides need) from conda, the rest under ``pip:``.  For a conda project, the
records of ``conda.lock`` for one platform (``name=version=build``) and its
pip section's pins: what ``conda env export`` would print for an environment
built from the lock.
"""

from __future__ import annotations

from parity.conda.platform import this_platform
from parity.errors import UsageError
from parity.lock.formats.conda_lock import CONDA_LOCK, parse_conda_lock
from parity.spec.model import ProjectSpec
from parity.strategies.base import FileOutput, Rendered, Request, check_relative
from parity.strategies.common import default_group
from parity.strategies.conda import (
    DEFAULT_CHANNELS,
    environment_name,
    python_spec,
    with_index_options,
)
from parity.strategies.conda_placement import place_pins
from parity.strategies.conda_yaml import environment_text

NAME = "conda-pinned"
NEEDS_LOCK = True
OPTIONS = ("output", "group")
DEFAULT_OUTPUT = "environment.pinned.yml"


def render(request: Request) -> Rendered:
    spec = request.spec
    assert spec is not None
    output = check_relative(request.option("output") or DEFAULT_OUTPUT)
    if spec.format == "conda":
        return _from_conda_lock(request, spec, output)
    lock = request.lock
    assert lock is not None
    group = default_group(spec, request.option("group"))
    pins = lock.group(group).pins
    placement = place_pins(pins, spec.conda_settings)
    python = lock.meta.python or (spec.python.pinned or "")
    # No exact Python: the range the project supports (its pins carry markers for each part).
    python_entry = f"python={'.'.join(python.split('.')[:2])}" if python else python_spec(spec)
    conda = ([python_entry] if python_entry else []) + [e.spec for e in placement.conda]
    notes = list(placement.notes)
    if not python_entry:
        notes.append("the lock names no Python: add python to the file by hand")
    comments = [
        f"The '{group}' group at the exact versions of the lock (never re-resolved).",
        "Hashes stay in the lockfiles: `parity sync` checks them, conda does not.",
    ]
    if lock.meta.target:
        # The lock was made for one target: `parity check` compares these pins with its own.
        comments.append(f"parity:target {lock.meta.target}")
    text = environment_text(
        name=environment_name(spec),
        channels=spec.conda_settings.channels or DEFAULT_CHANNELS,
        conda=conda,
        pip=with_index_options(placement.pip, lock.group(group).index),
        comments=tuple(comments),
    )
    return Rendered({output: FileOutput(text)}, tuple(notes), artifact=NAME)


def _from_conda_lock(request: Request, spec: ProjectSpec, output: str) -> Rendered:
    text = request.workspace.read(CONDA_LOCK)
    if text is None:
        raise UsageError("this conda project has no conda.lock yet", hint="Run `parity lock`.")
    lock = parse_conda_lock(text, path=CONDA_LOCK)
    group = request.option("group") or "prod"
    environment = lock.for_group(group)
    if environment is None:
        raise UsageError(
            f"conda.lock has no environment for group {group!r}",
            hint=f"Its groups: {', '.join(spec.group_names)}.",
        )
    here = this_platform()
    platforms = environment.platforms
    platform = here if here in platforms else platforms[0]
    notes: list[str] = []
    if platform != here:
        notes.append(f"conda.lock has no {here} packages: wrote its {platform} packages")
    conda = [f"{r.name}={r.version}={r.build}" for r in environment.conda.get(platform, ())]
    pip: list[str] = []
    if request.lock is not None:
        for locked in request.lock.groups:
            if locked.name == group:
                pip = [
                    f"{p.name}=={p.version}" + (f" ; {p.marker}" if p.marker else "")
                    for p in locked.pins
                ]
    body = environment_text(
        name=environment_name(spec),
        channels=environment.channels,
        conda=conda,
        pip=pip,
        comments=(
            f"conda.lock's '{group}' environment for {platform}, every build exact.",
            "Regenerate with `parity lock`, then this export; conda.lock stays the lock.",
        ),
    )
    return Rendered({output: FileOutput(body)}, tuple(notes), artifact=NAME)

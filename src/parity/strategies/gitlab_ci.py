"""``parity export --to gitlab-ci``: .gitlab-ci.yml for the project's strategy.

The image's Python is the one .python-version pins (``parity check`` reports
the file if the two ever disagree); ``parity-check`` runs in GitLab's ``.pre``
stage, before every other job; the test job installs from the lock with the
cache keyed on the lockfile's hash (``cache:key:files``) and runs the tests.
Tools are installed at exact versions.

An existing .gitlab-ci.yml that parity did not write is the user's: the gate
job is merged into it (round trip, comments and order kept) and nothing
else changes.
"""

from __future__ import annotations

from typing import Any

from parity.strategies.base import FileOutput, Rendered, Request, check_relative
from parity.strategies.ci import CONDA, POETRY, CiPlan, ci_plan, require_python_pin
from parity.strategies.header import read_header

NAME = "gitlab-ci"
NEEDS_LOCK = True
OPTIONS = ("output", "group")
DEFAULT_OUTPUT = ".gitlab-ci.yml"
GATE_JOB = "parity-check"


def image(pinned: str) -> str:
    return f"python:{pinned}-slim"


def gate_job(plan: CiPlan) -> dict[str, Any]:
    return {
        "stage": ".pre",
        "script": [
            plan.install_tools.replace(' "poetry==', ' "poetry==').split(' "poetry==')[0].rstrip()
            if plan.installer == POETRY
            else plan.install_tools,
            plan.gate,
        ],
    }


def test_job(plan: CiPlan) -> dict[str, Any]:
    cache_dir = {POETRY: ".venv", CONDA: ".cache/conda"}.get(plan.installer, ".cache/uv")
    job: dict[str, Any] = {"stage": "test"}
    if plan.installer == CONDA:
        job["variables"] = {"PARITY_CONDA_CACHE_DIR": "$CI_PROJECT_DIR/.cache/conda"}
    elif plan.installer != POETRY:
        job["variables"] = {"UV_CACHE_DIR": "$CI_PROJECT_DIR/.cache/uv"}
    job["cache"] = {"key": {"files": list(plan.cache_files)}, "paths": [cache_dir]}
    job["script"] = [plan.install_tools, *plan.install]
    if plan.verify:
        job["script"].append(plan.verify)
    if plan.test:
        job["script"].append(plan.test)
    return job


def render(request: Request) -> Rendered:
    from parity.strategies.roundtrip import dump_yaml, load_yaml, to_yaml_tree

    spec = request.spec
    assert spec is not None
    pinned = require_python_pin(spec)
    output = check_relative(request.option("output") or DEFAULT_OUTPUT)
    plan = ci_plan(request)
    existing = request.workspace.read(output)
    if existing is not None and read_header(existing) is None:
        # The user's pipeline: add the gate, change nothing else.
        data = load_yaml(existing, output)
        if data is None:
            data = to_yaml_tree({})
        data[GATE_JOB] = to_yaml_tree({"image": image(pinned), **gate_job(plan)})
        note = (
            f"{output} is yours: only the {GATE_JOB} job (stage .pre) was added; install from "
            f"the lock in your test job with `{' && '.join(plan.install)}`"
        )
        return Rendered(
            {output: FileOutput(dump_yaml(data, like=existing), owned=False)},
            (note,),
            artifact=NAME,
        )
    pipeline: dict[str, Any] = {
        "default": {"image": image(pinned)},
        "stages": ["test"],
        GATE_JOB: gate_job(plan),
        "test": test_job(plan),
    }
    notes = []
    if plan.test is None:
        notes.append(
            "no tests found (no pytest in the group, no tests/ directory): no test command"
        )
    text = dump_yaml(to_yaml_tree(pipeline))
    text = text.replace(f"\n{GATE_JOB}:", f"\n\n{GATE_JOB}:").replace("\ntest:", "\n\ntest:")
    text = text.replace("\nstages:", "\n\nstages:")
    return Rendered({output: FileOutput(text)}, tuple(notes), artifact=NAME)

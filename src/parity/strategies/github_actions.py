"""``parity export --to github-actions``: a workflow for the project's strategy.

The Python comes from .python-version (``python-version-file``); actions are
pinned to full commit SHAs (``parity/data/pins.toml``, the release tag in a
comment); the workflow may only read the repository; tools are installed at
exact versions.  Steps: the gate (``parity check --lock-only``), the cache
keyed on the lockfiles' hash, the install from the lock, then the tests.

Other jobs plug in through :data:`EXTRA_JOBS`: each builder gets the request
and the plan and returns jobs to add (or nothing), so an optional job (a
snapshot matrix, say) is one function and one line, not an edit of this file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from parity.errors import UsageError
from parity.strategies.base import FileOutput, Rendered, Request, check_relative
from parity.strategies.ci import CONDA, POETRY, CiPlan, ci_plan, require_python_pin
from parity.strategies.common import pins
from parity.strategies.fleet_job import snapshot_matrix
from parity.strategies.roundtrip import quoted

NAME = "github-actions"
NEEDS_LOCK = True
OPTIONS = ("output", "group", "parity_action", "snapshot_matrix")
DEFAULT_OUTPUT = ".github/workflows/ci.yml"

_ACTION_REF = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$")

GATE = "Gate (the lock is fresh and every file agrees)"

JobBuilder = Callable[[Request, CiPlan], Mapping[str, Any] | None]
# Builders of optional extra jobs: (request, plan) -> {job id: job} or None.
EXTRA_JOBS: list[JobBuilder] = [snapshot_matrix]


def uses(name: str) -> tuple[str, str]:
    """``owner/action@<commit>`` and its release tag, from the pins table."""
    pin = pins().actions[name]
    return pin.ref, pin.tag


def render(request: Request) -> Rendered:
    spec = request.spec
    assert spec is not None
    require_python_pin(spec)
    output = check_relative(request.option("output") or DEFAULT_OUTPUT)
    action = request.option("parity_action")
    if action is not None and not _ACTION_REF.fullmatch(action):
        raise UsageError(
            f"--parity-action must name an action at a full commit, not {action!r}",
            hint="Write OWNER/REPO@<40-hex commit>; a tag or branch can move under you.",
        )
    plan = ci_plan(request)
    workflow = build_workflow(
        request,
        plan,
        action,
        python_file=spec.python.source is None or spec.python.source.path == ".python-version",
        pinned=spec.python.pinned,
    )
    notes = []
    if plan.test is None:
        notes.append("no tests found (no pytest in the group, no tests/ directory): no test step")
    return Rendered({output: FileOutput(dump_workflow(workflow))}, tuple(notes), artifact=NAME)


def build_workflow(
    request: Request,
    plan: CiPlan,
    action: str | None,
    *,
    python_file: bool = True,
    pinned: str | None = None,
) -> dict[str, Any]:
    jobs: dict[str, Any] = {"test": test_job(plan, action, python_file=python_file, pinned=pinned)}
    for builder in EXTRA_JOBS:
        jobs.update(builder(request, plan) or {})
    return {
        "name": "ci",
        "on": ["push", "pull_request"],
        "permissions": {"contents": "read"},
        "jobs": jobs,
    }


def _step(
    name: str | None = None,
    *,
    id: str | None = None,
    uses: str | None = None,
    with_: Mapping[str, Any] | None = None,
    run: str | None = None,
) -> dict[str, Any]:
    fields = {"name": name, "id": id, "uses": uses, "with": with_, "run": run}
    return {key: value for key, value in fields.items() if value is not None}


def test_job(
    plan: CiPlan, action: str | None, *, python_file: bool = True, pinned: str | None = None
) -> dict[str, Any]:
    # .python-version is the one source of the version; a conda project pins it in
    # environment.yml instead, and the workflow then names it (check compares the two).
    python = (
        {"python-version-file": ".python-version"}
        if python_file or pinned is None
        else {"python-version": quoted(pinned)}
    )
    checkout, _ = uses("checkout")
    setup_python, _ = uses("setup-python")
    cache, _ = uses("cache")
    steps: list[dict[str, Any]] = [
        _step(uses=checkout, with_={"persist-credentials": False}),
        _step(
            id="python",
            uses=setup_python,
            with_=python,
        ),
    ]
    if action is not None:
        steps.append(
            _step(
                GATE,
                uses=action,
                with_={"lock-only": "true"},
            )
        )
        if plan.installer == POETRY:
            pip = "python -m pip install --disable-pip-version-check"
            install_poetry = f'{pip} "poetry=={plan.poetry_version}"'
            steps.append(_step("Install Poetry (pinned)", run=install_poetry))
    else:
        what = "parity and Poetry" if plan.installer == POETRY else "parity"
        steps.append(_step(f"Install {what} (pinned)", run=plan.install_tools))
        steps.append(_step(GATE, run=plan.gate))
    key_files = ", ".join(f"'{f}'" for f in plan.cache_files)
    path = {POETRY: ".venv", CONDA: "~/.cache/parity/conda"}.get(plan.installer, "~/.cache/uv")
    steps.append(
        _step(
            "Cache keyed on the lock",
            uses=cache,
            with_={
                "path": path,
                "key": f"{plan.cache_prefix}-${{{{ runner.os }}}}-${{{{ steps.python.outputs.python-version }}}}-${{{{ hashFiles({key_files}) }}}}",
            },
        )
    )
    install = "\n".join(plan.install)
    steps.append(_step("Install the lock (hash-checked)", run=install))
    if plan.verify:
        steps.append(_step("The environment matches the lock", run=plan.verify))
    if plan.test:
        steps.append(_step("Tests", run=plan.test))
    return {"runs-on": "ubuntu-latest", "timeout-minutes": 30, "steps": steps}


def dump_workflow(workflow: Mapping[str, Any]) -> str:
    """YAML with each pinned action's release tag as a comment after its commit."""
    from parity.strategies.roundtrip import dump_yaml, literal, to_yaml_tree

    tags = {pin.ref: pin.tag for pin in pins().actions.values()}
    tree = to_yaml_tree(workflow)
    for job in tree["jobs"].values():
        for step in job.get("steps", []):
            if step.get("uses") in tags:
                step.yaml_add_eol_comment(tags[step["uses"]], "uses")
            run = step.get("run")
            if isinstance(run, str) and "\n" in run:
                step["run"] = literal(run)
    text = dump_yaml(tree)
    # Blank lines between top-level keys and between steps, for readers.
    text = re.sub(r"\n(?=(on|permissions|jobs):)", "\n\n", text)
    return re.sub(r"\n(?=      - )", "\n\n", text).replace("steps:\n\n", "steps:\n")

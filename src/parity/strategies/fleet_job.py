"""The optional snapshot matrix of ``parity export --to github-actions --snapshot-matrix``.

One job per runner of the matrix (every OS GitHub hosts, on the project's
pinned Python, which is the one the lock and ``parity sync`` are made for):
it installs the lock as the test job does, fingerprints the environment
(``parity snapshot``), pushes it to the team's fleet store when the
repository has a ``PARITY_STORE`` secret, and uploads it as an artifact
either way, so ``parity fleet push`` can record it later from anywhere.

Only on pushes and schedules: pull requests from forks get no secrets, and
their environments are not the team's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from parity.strategies.base import Request
from parity.strategies.ci import CONDA, CiPlan, require_python_pin
from parity.strategies.common import pins

JOB = "fleet-snapshots"
OPTION = "snapshot_matrix"
RUNNERS = ("ubuntu-latest", "macos-latest", "windows-latest")
SNAPSHOT = "snapshot.json"
LABEL = f"ci/{JOB}/${{{{ matrix.os }}}}-py${{{{ matrix.python }}}}"


def snapshot_matrix(request: Request, plan: CiPlan) -> Mapping[str, Any] | None:
    """The job, when the export asks for it; None otherwise."""
    if not request.option(OPTION):
        return None
    spec = request.spec
    assert spec is not None
    python = require_python_pin(spec)
    actions = pins().actions
    install = plan.install_tools.replace('"parity==', '"parity[postgres]==', 1).replace(
        '"parity[conda]==', '"parity[conda,postgres]==', 1
    )
    env_dir = ".conda" if plan.installer == CONDA else ".venv"
    steps: list[dict[str, Any]] = [
        {"uses": actions["checkout"].ref, "with": {"persist-credentials": False}},
        {"uses": actions["setup-python"].ref, "with": {"python-version": "${{ matrix.python }}"}},
        {"name": "Install parity (pinned, with the PostgreSQL driver)", "run": install},
        {"name": "Install the lock (hash-checked)", "run": "\n".join(plan.install)},
        {
            # The label names the matrix cell, the same at every run (runners' host
            # names change); the push and the artifact both carry it.
            "name": "Snapshot this runner",
            "run": f'parity snapshot --env {env_dir} -o {SNAPSHOT} --label "{LABEL}"',
        },
        {
            "name": "Push it to the fleet store",
            "if": "env.PARITY_STORE != ''",
            "run": f"parity fleet push {SNAPSHOT} --role ci",
        },
        {
            "name": "Keep it as an artifact",
            "uses": actions["upload-artifact"].ref,
            "with": {
                "name": "snapshot-${{ matrix.os }}-py${{ matrix.python }}",
                "path": SNAPSHOT,
            },
        },
    ]
    job: dict[str, Any] = {
        "if": "github.event_name == 'push' || github.event_name == 'schedule'",
        "strategy": {
            "fail-fast": False,
            "matrix": {"os": list(RUNNERS), "python": [python]},
        },
        "runs-on": "${{ matrix.os }}",
        "timeout-minutes": 30,
        # The store's URL and password stay in the repository's secrets; an unset
        # secret leaves PARITY_STORE empty and the push step is skipped.
        "env": {
            "PARITY_STORE": "${{ secrets.PARITY_STORE }}",
            "PGPASSWORD": "${{ secrets.PARITY_STORE_PASSWORD }}",
        },
        "steps": steps,
    }
    return {JOB: job}

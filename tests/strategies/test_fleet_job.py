"""``parity export --to github-actions --snapshot-matrix``: the fleet's CI job."""

from __future__ import annotations

from strategy_helpers import lock_for, pip_tools_spec

from parity.strategies import github_actions
from parity.strategies.base import DictWorkspace, Request


def test_the_exported_snapshot_matrix_snapshots_pushes_and_keeps_each_runner() -> None:
    spec = pip_tools_spec()
    plain = github_actions.render(Request(spec, lock_for(spec), DictWorkspace({}), {}))
    assert "fleet-snapshots" not in next(iter(plain.files.values())).text
    request = Request(spec, lock_for(spec), DictWorkspace({}), {"snapshot_matrix": True})
    text = next(iter(github_actions.render(request).files.values())).text
    job = text[text.index("  fleet-snapshots:") :]
    assert (
        "os:\n          - ubuntu-latest\n          - macos-latest\n          - windows-latest"
        in job
    )
    assert "python:\n          - '3.11'" in job  # the pinned Python the lock is made for
    assert '"parity[postgres]==' in job
    assert "parity sync --group dev" in job
    assert '--label "ci/fleet-snapshots/${{ matrix.os }}-py${{ matrix.python }}"' in job
    assert (
        "if: env.PARITY_STORE != ''\n        run: parity fleet push snapshot.json --role ci" in job
    )
    assert "PARITY_STORE: ${{ secrets.PARITY_STORE }}" in job
    assert "actions/upload-artifact@" in job


def test_the_snapshot_matrix_is_a_github_actions_option(tmp_path, run_parity) -> None:  # type: ignore[no-untyped-def]
    result = run_parity("export", "-p", tmp_path, "--to", "gitlab-ci", "--snapshot-matrix")
    assert result.code == 2
    assert "--snapshot-matrix does not apply to --to gitlab-ci" in result.err

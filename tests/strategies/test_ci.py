"""CI exports, the pre-commit hook and parity's own action: golden files and real validators."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from strategy_helpers import DIGEST, lock_for, pip_tools_spec

from parity.errors import UsageError
from parity.strategies import github_actions, gitlab_ci, precommit
from parity.strategies.apply import final_text
from parity.strategies.base import DictWorkspace, Request
from parity.strategies.common import pins

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parents[2]
POETRY_LOCK = '[[package]]\nname = "alpha"\nversion = "1.1"\n\n[metadata]\nlock-version = "2.1"\n'


def run_tool(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd)


def render(
    module: object, *, poetry: bool = False, files: dict[str, str] | None = None, **options: object
) -> dict[str, str]:
    spec = pip_tools_spec()
    workspace = dict(files or {})
    if poetry:
        spec = replace(spec, format="poetry")
        workspace["poetry.lock"] = POETRY_LOCK
    request = Request(spec, lock_for(spec), DictWorkspace(workspace), dict(options))
    rendered = module.render(request)  # type: ignore[attr-defined]
    return {
        path: final_text(
            path,
            out,
            artifact=rendered.artifact,
            lock_digest=DIGEST,
            command=f"parity export --to {rendered.artifact}",
        )
        for path, out in rendered.files.items()
    }


def write(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


FLAVOURS = {
    "uv": {},
    "poetry": {"poetry": True},
    "action": {"parity_action": "parity-dev/parity@" + "a" * 40},
    "fleet": {"snapshot_matrix": True},
}


@pytest.mark.parametrize("flavour", list(FLAVOURS))
def test_github_workflow_golden_and_accepted(
    flavour: str, tmp_path: Path, golden: Callable[[str, str], None]
) -> None:
    [(path, text)] = render(github_actions, **FLAVOURS[flavour]).items()  # type: ignore[arg-type]
    assert path == ".github/workflows/ci.yml"
    golden(f"github-actions.{flavour}.yml", text)
    project = write(tmp_path, {path: text})
    lint = run_tool(BIN / "actionlint", path, cwd=project)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    schema = run_tool(
        BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", project / path
    )
    assert schema.returncode == 0, schema.stdout


def test_github_workflow_is_pinned_least_privilege_and_gated_first() -> None:
    # With the snapshot matrix, every pinned action is used somewhere.
    text = render(github_actions, snapshot_matrix=True)[".github/workflows/ci.yml"]
    for action in pins().actions.values():
        assert f"uses: {action.uses}@{action.commit}  # {action.tag}" in text
        assert len(action.commit) == 40
    assert "permissions:\n  contents: read\n" in text
    assert "python-version-file: .python-version" in text
    assert "hashFiles('requirements-dev.txt', '.python-version')" in text
    assert '"parity==' in text and "pip install parity\n" not in text
    order = [
        text.index(s) for s in ("parity check --lock-only", "parity sync --group dev", "-m pytest")
    ]
    assert order == sorted(order)


def test_github_extra_jobs_plug_in(monkeypatch: pytest.MonkeyPatch) -> None:
    def snapshot(request: Request, plan: object) -> dict[str, object]:
        return {"snapshot": {"runs-on": "ubuntu-latest", "steps": [{"run": "echo snap"}]}}

    monkeypatch.setattr(github_actions, "EXTRA_JOBS", [snapshot])
    text = render(github_actions)[".github/workflows/ci.yml"]
    assert "\n  snapshot:\n" in text and "\n  test:\n" in text


def test_bad_parity_action_reference() -> None:
    with pytest.raises(UsageError, match="full commit"):
        render(github_actions, parity_action="parity-dev/parity@v1")


def test_ci_needs_a_pinned_python() -> None:
    spec = pip_tools_spec(python=None)
    request = Request(spec, lock_for(spec), DictWorkspace({}), {})
    with pytest.raises(UsageError, match=r"\.python-version"):
        github_actions.render(request)


@pytest.mark.parametrize("flavour", ["uv", "poetry"])
def test_gitlab_pipeline_golden_and_accepted(
    flavour: str, tmp_path: Path, golden: Callable[[str, str], None]
) -> None:
    [(path, text)] = render(gitlab_ci, poetry=flavour == "poetry").items()
    golden(f"gitlab-ci.{flavour}.yml", text)
    project = write(tmp_path, {path: text})
    schema = run_tool(
        BIN / "check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", project / path
    )
    assert schema.returncode == 0, schema.stdout
    assert "image: python:3.11-slim" in text and "stage: .pre" in text


def test_gitlab_merges_the_gate_into_the_users_pipeline(tmp_path: Path) -> None:
    mine = "# my pipeline\nstages: [build]\n\nbuild:\n  stage: build  # keep me\n  script:\n    - make\n"
    files = render(gitlab_ci, files={".gitlab-ci.yml": mine})
    text = files[".gitlab-ci.yml"]
    assert text.startswith(mine)
    assert "parity-check:\n  image: python:3.11-slim\n  stage: .pre\n" in text
    assert "parity:generated" not in text
    project = write(tmp_path, files)
    schema = run_tool(
        BIN / "check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", project / ".gitlab-ci.yml"
    )
    assert schema.returncode == 0, schema.stdout


def test_pre_commit_config_new_and_merged(
    tmp_path: Path, golden: Callable[[str, str], None]
) -> None:
    new = render(precommit)[".pre-commit-config.yaml"]
    golden("pre-commit-config.yaml", new)
    mine = (
        "# hooks\nrepos:\n  - repo: https://example.invalid/hooks\n    rev: " + "b" * 40 + "\n"
        "    hooks:\n      - id: trailing-whitespace  # keep\n"
    )
    merged = render(precommit, files={".pre-commit-config.yaml": mine})[".pre-commit-config.yaml"]
    assert merged.startswith(mine)
    assert merged.count("id: parity-check") == 1
    again = render(precommit, files={".pre-commit-config.yaml": merged})[".pre-commit-config.yaml"]
    assert again == merged
    for text in (new, merged):
        project = write(tmp_path, {".pre-commit-config.yaml": text})
        valid = run_tool(BIN / "pre-commit", "validate-config", project / ".pre-commit-config.yaml")
        assert valid.returncode == 0, valid.stdout + valid.stderr


@pytest.mark.parametrize(
    ("module", "path", "mine"),
    [
        # pre-commit's own `sample-config` style: items indented as "-   id:".
        (
            precommit,
            ".pre-commit-config.yaml",
            "repos:\n-   repo: https://example.invalid/hooks\n    rev: v4.5.0\n    hooks:\n"
            "    -   id: trailing-whitespace\n    -   id: check-yaml\n"
            "        exclude: mkdocs.yml\n-   repo: local\n    hooks:\n    -   id: clean\n"
            "        name: clean\n        entry: make\n        language: system\n",
        ),
        (
            gitlab_ci,
            ".gitlab-ci.yml",
            "stages:\n- build\nbuild:\n    stage: build\n    script:\n    - make\n",
        ),
    ],
)
def test_a_merged_yaml_file_keeps_its_own_indentation(
    tmp_path: Path, module: object, path: str, mine: str
) -> None:
    # Re-indenting the user's whole file to parity's layout rewrote every line of it
    # in review for one added hook or job.
    merged = render(module, files={path: mine})[path]
    assert merged.startswith(mine)
    again = render(module, files={path: merged})[path]
    assert again == merged


@pytest.mark.parametrize(
    ("text", "layout"),
    [
        ("repos:\n  - repo: a\n    hooks:\n      - id: x\n", (2, 4, 2)),
        ("repos:\n-   repo: a\n    hooks:\n    -   id: x\n", (2, 4, 0)),
        ("repos:\n- repo: a\n  hooks:\n  - id: x\n", (2, 2, 0)),
        ("a:\n    b: 1\n    c:\n        - x\n", (4, 6, 4)),
        ("# only a comment\nname: x\n", (2, 4, 2)),
    ],
)
def test_guess_layout_reads_the_files_indentation(text: str, layout: tuple[int, int, int]) -> None:
    from parity.strategies.roundtrip import guess_layout

    assert guess_layout(text) == layout


def test_parity_ships_a_valid_hook_manifest_and_action(tmp_path: Path) -> None:
    manifest = run_tool(BIN / "pre-commit", "validate-manifest", REPO / ".pre-commit-hooks.yaml")
    assert manifest.returncode == 0, manifest.stdout + manifest.stderr
    schema = run_tool(
        BIN / "check-jsonschema", "--builtin-schema", "vendor.github-actions", REPO / "action.yml"
    )
    assert schema.returncode == 0, schema.stdout
    # actionlint checks how a workflow calls the action (inputs it declares).
    (tmp_path / "action.yml").write_text((REPO / "action.yml").read_text())
    checkout = pins().actions["checkout"]
    workflow = (
        "name: gate\non: [push]\npermissions:\n  contents: read\njobs:\n  gate:\n"
        "    runs-on: ubuntu-latest\n    steps:\n"
        f"      - uses: {checkout.ref}\n        with:\n          persist-credentials: false\n"
        '      - uses: ./\n        with:\n          lock-only: "true"\n          group: dev\n'
    )
    write(tmp_path, {".github/workflows/gate.yml": workflow})
    lint = run_tool(BIN / "actionlint", ".github/workflows/gate.yml", cwd=tmp_path)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    text = (REPO / "action.yml").read_text()
    assert "--require-hashes" in text and "GITHUB_STEP_SUMMARY" in text and "--markdown" in text


def conda_render(module: object) -> dict[str, str]:
    from parity.spec.model import PythonTarget, SourceRef

    spec = replace(
        pip_tools_spec(),
        format="conda",
        python=PythonTarget(pinned="3.11", source=SourceRef("environment.yml", 4)),
    )
    env = "name: demo\ndependencies:\n  - numpy=1.26\n  - python=3.11\n  - pytest\n"
    request = Request(spec, lock_for(spec), DictWorkspace({"environment.yml": env}), {})
    rendered = module.render(request)  # type: ignore[attr-defined]
    return {
        path: final_text(
            path,
            out,
            artifact=rendered.artifact,
            lock_digest=DIGEST,
            command=f"parity export --to {rendered.artifact}",
        )
        for path, out in rendered.files.items()
    }


def test_conda_project_ci(tmp_path: Path, golden: Callable[[str, str], None]) -> None:
    workflow = conda_render(github_actions)[".github/workflows/ci.yml"]
    pipeline = conda_render(gitlab_ci)[".gitlab-ci.yml"]
    golden("github-actions.conda.yml", workflow)
    golden("gitlab-ci.conda.yml", pipeline)
    assert 'python-version: "3.11"' in workflow and '"parity[conda]==' in workflow
    assert "hashFiles('conda.lock', 'environment.yml')" in workflow
    assert ".conda/bin/python -m pytest" in workflow and "parity sync" in pipeline
    project = write(tmp_path, {".github/workflows/ci.yml": workflow, ".gitlab-ci.yml": pipeline})
    lint = run_tool(BIN / "actionlint", ".github/workflows/ci.yml", cwd=project)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    schema = run_tool(
        BIN / "check-jsonschema", "--builtin-schema", "vendor.gitlab-ci", project / ".gitlab-ci.yml"
    )
    assert schema.returncode == 0, schema.stdout

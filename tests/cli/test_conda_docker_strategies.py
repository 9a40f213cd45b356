"""The conda and docker strategies on examples/bankchurn and the computer-vision fixture.

Files are written by the real CLI from the committed lockfiles (no resolver
run), then read by their consumers: rattler and parity's own reader for
environment files, hadolint for Dockerfiles, check-jsonschema for the compose
file and devcontainer.json.  A second run changes nothing; a hand edit is
caught by `parity check`.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from parity.spec.conda_env import parse_environment

TESTS = Path(__file__).parents[1]
PROJECTS = {
    "bankchurn": TESTS.parent / "examples" / "bankchurn",
    "cv-service": TESTS / "fixtures" / "projects" / "cv-service",
}
DEVCONTAINER_SCHEMA = TESTS / "schemas" / "devContainer.base.schema.json"
ARTIFACTS = ("conda", "conda-pinned", "devcontainer", "dockerfile")


def tool(name: str) -> str:
    found = shutil.which(name) or str(Path(TESTS.parent / ".venv" / "bin" / name))
    if not Path(found).exists():
        pytest.skip(f"{name} is not installed")
    return found


def run(*args: str | Path) -> None:
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.fixture(params=sorted(PROJECTS))
def project(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    root = tmp_path / request.param
    shutil.copytree(
        PROJECTS[request.param],
        root,
        ignore=shutil.ignore_patterns(".venv", "__pycache__", "mlruns", "artifacts"),
    )
    return root


def consumers_accept(root: Path, tmp_path: Path) -> None:
    import rattler

    for name in ("environment.yml", "environment.pinned.yml"):
        parsed = parse_environment((root / name).read_text(), path=name)
        for dependency in parsed.environment.dependencies:
            rattler.MatchSpec(dependency.spec)
    run(tool("hadolint"), root / "Dockerfile", root / ".devcontainer" / "Dockerfile")
    run(
        tool("check-jsonschema"),
        "--builtin-schema",
        "vendor.compose-spec",
        root / ".devcontainer" / "docker-compose.yml",
    )
    json_text = "\n".join(
        line
        for line in (root / ".devcontainer" / "devcontainer.json").read_text().splitlines()
        if not line.lstrip().startswith("//")
    )
    plain = tmp_path / "devcontainer.json"
    plain.write_text(json_text)
    run(tool("check-jsonschema"), "--schemafile", DEVCONTAINER_SCHEMA, plain)


def test_exports_are_accepted_by_their_consumers_and_stable(
    project: Path, tmp_path: Path, run_parity: Callable
) -> None:
    pytest.importorskip("rattler")
    for artifact in ARTIFACTS:
        result = run_parity("export", "-p", project, "--to", artifact)
        assert result.code == 0, result.err
        assert "created" in result.out
    consumers_accept(project, tmp_path)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    for artifact in ARTIFACTS:
        result = run_parity("export", "-p", project, "--to", artifact)
        assert result.code == 0, result.err
        assert "created" not in result.out and "updated" not in result.out
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before
    check = run_parity("check", "-p", project, "--lock-only", "--json").json()
    ours = {"generated-stale", "generated-edited", "pins-disagree", "python-disagrees"}
    assert [f for f in check["findings"] if f["code"] in ours] == []


def test_a_hand_edit_of_a_generated_file_is_caught(project: Path, run_parity: Callable) -> None:
    assert run_parity("export", "-p", project, "--to", "conda-pinned").code == 0
    path = project / "environment.pinned.yml"
    text = path.read_text()
    pinned = next(line for line in text.splitlines() if "==" in line and "python" not in line)
    _, _, version = pinned.strip().lstrip("- ").partition("==")
    path.write_text(text.replace(pinned, pinned.replace(f"=={version}", "==0.0.1")))
    result = run_parity("check", "-p", project, "--lock-only", "--json")
    assert result.code == 1
    codes = {f["code"] for f in result.json()["findings"]}
    assert "pins-disagree" in codes and "generated-edited" in codes
    refused = run_parity("export", "-p", project, "--to", "conda-pinned")
    assert refused.code == 2 and "changed by hand" in refused.err


def test_the_cv_project_takes_torch_and_opencv_from_conda(
    tmp_path: Path, run_parity: Callable
) -> None:
    root = tmp_path / "cv"
    shutil.copytree(PROJECTS["cv-service"], root)
    assert run_parity("export", "-p", root, "--to", "conda").code == 0
    env = parse_environment((root / "environment.yml").read_text(), path="environment.yml")
    assert {"pytorch", "torchvision", "opencv"} <= {d.name for d in env.environment.dependencies}
    assert "torch" not in {r.name for r in env.requirements}
    assert run_parity("export", "-p", root, "--to", "devcontainer").code == 0
    text = (root / ".devcontainer" / "devcontainer.json").read_text()
    assert "ms-toolsai.jupyter" in text  # the project has a notebook
    assert '"forwardPorts": [\n    8080\n  ]' in text  # the port its code names


INIT = importlib.util.find_spec("parity.cli.init_cmd") is not None


@pytest.mark.skipif(not INIT, reason="parity init is not part of this build")
@pytest.mark.parametrize("strategy", ["conda", "docker"])
def test_init_strategy_writes_files_their_consumers_accept(
    project: Path, strategy: str, tmp_path: Path, run_parity: Callable
) -> None:
    pytest.importorskip("rattler")
    result = run_parity("init", "-p", project, "--strategy", strategy, "--no-lock")
    assert result.code == 0, result.err
    if strategy == "conda":
        assert (project / "environment.yml").is_file()
        assert (project / "environment.pinned.yml").is_file()
    else:
        for name in ("Dockerfile", ".dockerignore", ".devcontainer/devcontainer.json"):
            assert (project / name).is_file(), name
    for artifact in ARTIFACTS:
        assert run_parity("export", "-p", project, "--to", artifact).code == 0
    consumers_accept(project, tmp_path)

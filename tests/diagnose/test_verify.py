from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, make_project


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def project(tmp_path: Path, local_index: LocalIndex, run_parity: Callable) -> Path:
    root = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\nbeta\n",
            "requirements-dev.in": "-r requirements.in\ntool-a\n",
            ".python-version": "3.11\n",
            ".github/workflows/ci.yml": "jobs:\n  test:\n    steps:\n      - run: pip install --require-hashes -r requirements-dev.txt\n",
        },
    )
    assert run_parity("lock", "-p", root).code == 0
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "init")
    return root


def statuses(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {item["id"]: item["status"] for item in result.json()["items"]}


def test_good_project_passes_every_item(project: Path, run_parity: Callable) -> None:
    result = run_parity("verify", "-p", project, "--group", "dev", "--json")
    assert result.code == 0, result.out
    assert result.json()["schema"] == "parity/verify@1"
    assert set(statuses(result).values()) == {"pass"}
    usable = next(i for i in result.json()["items"] if i["id"] == "usable")
    assert any("beta" in line and "tool_a" in line for line in usable["evidence"])


def test_uncommitted_lock_fails_the_git_item(project: Path, run_parity: Callable) -> None:
    git(project, "rm", "-q", "--cached", "requirements.txt")
    git(project, "commit", "-qm", "drop")
    result = run_parity("verify", "-p", project, "--json")
    assert result.code == 1
    assert statuses(result)["committed"] == "fail"


def test_modified_lock_fails_the_git_item(project: Path, run_parity: Callable) -> None:
    lock = project / "requirements.txt"
    lock.write_text(lock.read_text() + "\n")
    assert statuses(run_parity("verify", "-p", project, "--json"))["committed"] == "fail"


def test_stale_lock_fails_freshness(project: Path, run_parity: Callable) -> None:
    (project / "requirements.in").write_text((project / "requirements.in").read_text() + "zeta\n")
    result = run_parity("verify", "-p", project, "--json")
    assert statuses(result)["fresh"] == "fail"


def test_tampered_hash_fails_the_rebuild_with_uvs_error(
    project: Path, run_parity: Callable, local_index: LocalIndex
) -> None:
    lock = project / "requirements.txt"
    good = local_index.hashes("beta", "1.0")[0]
    lock.write_text(lock.read_text().replace(good, "sha256:" + "0" * 64))
    result = run_parity("verify", "-p", project, "--json")
    assert result.code == 1
    rebuild = next(i for i in result.json()["items"] if i["id"] == "rebuild")
    assert rebuild["status"] == "fail"
    assert any("hash" in line.lower() for line in rebuild["evidence"])


def test_lock_missing_a_dependency_fails_consistency(project: Path, run_parity: Callable) -> None:
    lock = project / "requirements.txt"
    text = lock.read_text()
    start = text.index("alpha==")
    end = text.index("beta==")
    lock.write_text(text[:start] + text[end:])
    result = run_parity("verify", "-p", project, "--json")
    assert statuses(result)["usable"] == "fail"


def test_ci_installing_from_input_files_fails(project: Path, run_parity: Callable) -> None:
    (project / ".github/workflows/ci.yml").write_text(
        "steps:\n  - run: pip install -r requirements.in\n"
    )
    result = run_parity("verify", "-p", project, "--json")
    ci = next(i for i in result.json()["items"] if i["id"] == "ci")
    assert ci["status"] == "fail"
    assert "ci.yml:2" in ci["evidence"][0]


def test_no_ci_is_a_skip_not_a_failure(project: Path, run_parity: Callable) -> None:
    (project / ".github/workflows/ci.yml").unlink()
    git(project, "add", "-A")
    git(project, "commit", "-qm", "no ci")
    result = run_parity("verify", "-p", project)
    assert result.code == 0
    assert "SKIP" in result.out

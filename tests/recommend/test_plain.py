"""``parity recommend`` on projects parity does not lock from yet: a hand-written
requirements.txt (and its layers) or a Pipfile, read as evidence, said as they are."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fixtures import make_project

ML_PROJECT = {
    "requirements.txt": """
        # training
        torch==2.1.0
        scikit-learn>=1.3
        psycopg2-binary
        pandas==2.1.1
        -r requirements-dev.txt
    """,
    "requirements-dev.txt": """
        pytest
    """,
    "docker-compose.yml": """
        services:
          db:
            image: postgres:15
    """,
    "train.py": "import torch\n",
}

PIPFILE_PROJECT = {
    "Pipfile": """
        [[source]]
        url = "https://pypi.org/simple"
        verify_ssl = true
        name = "pypi"

        [packages]
        scikit-learn = "==1.0.2"
        mlflow = "*"
        torch = {version = "==2.1.0"}

        [dev-packages]
        pytest = "*"

        [requires]
        python_version = "3.10"
    """,
    "Pipfile.lock": json.dumps(
        {"default": {"mlflow": {}, "scikit-learn": {}, "torch": {}}, "develop": {"pytest": {}}}
    ),
}


def _recommend(run_parity: Callable[..., Any], project: Path) -> dict[str, Any]:
    result = run_parity("recommend", "-p", project, "--json")
    assert result.code == 0, result.err
    data: dict[str, Any] = result.json()
    return data


def _fact(data: dict[str, Any], topic: str) -> dict[str, Any]:
    return next(f for f in data["facts"] if f["topic"] == topic)


def _line(project: Path, evidence: dict[str, Any]) -> str:
    return (project / evidence["file"]).read_text().splitlines()[evidence["line"] - 1]


def _every_evidence_is_real(project: Path, data: dict[str, Any]) -> None:
    cited = [e for f in data["facts"] for e in f["evidence"]]
    cited += [e for r in data["ranking"] for s in r["scores"].values() for e in s["evidence"]]
    for evidence in cited:
        path = project / evidence["file"]
        assert path.is_file(), evidence
        assert evidence["line"] is None or 1 <= evidence["line"] <= len(
            path.read_text().splitlines()
        ), evidence


def test_a_hand_written_requirements_txt_ml_project_gets_a_recommendation(
    tmp_path: Path, run_parity: Callable
) -> None:
    project = make_project(tmp_path, ML_PROJECT)
    data = _recommend(run_parity, project)
    assert data["format"] == "requirements-txt"
    assert data["current"] is None
    dependencies = _fact(data, "dependencies")
    assert dependencies["text"] == (
        "dependencies in requirements.txt (hand-written; 4 entries, 2 not pinned with ==); "
        "requirements-dev.txt (hand-written; 1 entry, not pinned with ==); no lockfile"
    )
    assert [(e["file"], e["line"]) for e in dependencies["evidence"]] == [
        ("requirements.txt", 2),
        ("requirements-dev.txt", 1),
    ]
    [native] = _fact(data, "native")["evidence"]
    assert _line(project, native) == "torch==2.1.0"
    services = _fact(data, "services")
    assert services["text"] == "services: PostgreSQL"
    assert _line(project, services["evidence"][0]).strip() == "image: postgres:15"
    _every_evidence_is_real(project, data)
    # The strategies already here are the compose file's, not pip-tools: nothing was compiled.
    in_use = next((f for f in data["facts"] if f["topic"] == "in-use"), None)
    assert in_use is None or "pip-tools" not in in_use["text"]
    text = json.dumps(data)
    assert "locked packages" not in text and "packages to install" not in text
    # Step one converts the files parity does not lock from.
    assert data["convert"] == ["requirements.txt", "requirements-dev.txt"]
    assert data["steps"][0] == "parity init --strategy pip-tools"
    assert data["next"] == "parity init --strategy pip-tools"
    if data["best"] != "pip-tools":
        assert data["steps"][1] == f"parity init --strategy {data['best']}"


def test_the_terminal_says_the_conversion_comes_first(tmp_path: Path, run_parity: Callable) -> None:
    project = make_project(tmp_path, ML_PROJECT)
    result = run_parity("recommend", "-p", project)
    assert result.code == 0, result.err
    assert "(requirements-txt project)" in result.out.splitlines()[0]
    assert "  - dependencies in requirements.txt (hand-written; 4 entries" in result.out
    last = result.out.strip().splitlines()[-1]
    assert "`parity init --strategy pip-tools` carries requirements.txt and " in last


def test_requirements_folder_layers_and_includes_are_read(
    tmp_path: Path, run_parity: Callable
) -> None:
    project = make_project(
        tmp_path,
        {
            "requirements/base.txt": "numpy==1.26.4\n-r common.txt\n",
            "requirements/common.txt": "gdal\n",
            "requirements/dev.txt": "-r base.txt\npytest\n",
        },
    )
    data = _recommend(run_parity, project)
    [native] = _fact(data, "native")["evidence"]
    assert (native["file"], native["line"]) == ("requirements/common.txt", 1)
    text = _fact(data, "dependencies")["text"]
    assert "requirements/base.txt (hand-written; 1 entry, pinned with ==)" in text
    assert "requirements/common.txt (hand-written; 1 entry, not pinned with ==)" in text


def test_an_include_outside_the_folders_is_read_and_said_so(
    tmp_path: Path, run_parity: Callable
) -> None:
    project = make_project(
        tmp_path,
        {"requirements.txt": "-r deps/ml.txt\n", "deps/ml.txt": "# ml\nopencv-python\n"},
    )
    data = _recommend(run_parity, project)
    assert "deps/ml.txt (included with -r; 1 entry" in _fact(data, "dependencies")["text"]
    [native] = _fact(data, "native")["evidence"]
    assert (native["file"], native["line"]) == ("deps/ml.txt", 2)
    assert data["convert"] == ["requirements.txt"]


def test_a_pipfile_project_gets_a_recommendation(tmp_path: Path, run_parity: Callable) -> None:
    project = make_project(tmp_path, PIPFILE_PROJECT)
    data = _recommend(run_parity, project)
    assert data["format"] == "pipfile"
    assert data["current"] is None
    dependencies = _fact(data, "dependencies")
    assert dependencies["text"] == (
        "dependencies in a Pipfile (4 packages, 2 not pinned with ==); "
        "locked by Pipfile.lock (4 packages)"
    )
    assert [(e["file"], e["line"]) for e in dependencies["evidence"]] == [("Pipfile", 7)]
    [native] = _fact(data, "native")["evidence"]
    assert _line(project, native).startswith("torch = ")
    python = _fact(data, "python")
    assert python["text"].startswith("Python 3.10 pinned")
    assert _line(project, python["evidence"][0]) == 'python_version = "3.10"'
    _every_evidence_is_real(project, data)
    assert data["convert"] == ["Pipfile"]
    assert data["next"] == "parity init --strategy pip-tools"


def test_an_empty_requirements_txt_still_gets_an_answer(
    tmp_path: Path, run_parity: Callable
) -> None:
    project = make_project(tmp_path, {"requirements.txt": ""})
    data = _recommend(run_parity, project)
    assert _fact(data, "dependencies")["text"] == (
        "no dependencies: requirements.txt (hand-written; empty); no lockfile"
    )
    assert _fact(data, "native")["text"] == "native stacks: none (no direct requirements)"
    reasons = {r["scores"]["non-python"]["reason"] for r in data["ranking"]}
    assert reasons == {
        "nothing outside Python to provide: no direct requirements, and no service is configured"
    }
    assert len(data["ranking"]) == 4


def test_a_malformed_line_stops_with_its_file_and_line(
    tmp_path: Path, run_parity: Callable
) -> None:
    project = make_project(
        tmp_path,
        {"requirements.txt": "numpy\n-r more.txt\n", "more.txt": "# x\npandas>=>2\n"},
    )
    result = run_parity("recommend", "-p", project, "--json")
    assert result.code == 2
    assert "more.txt:2: not a valid requirement: 'pandas>=>2'" in result.err
    assert "Traceback" not in result.err
    assert result.out == ""


def test_a_missing_include_stops_with_the_line_that_names_it(
    tmp_path: Path, run_parity: Callable
) -> None:
    project = make_project(tmp_path, {"requirements.txt": "numpy\n-r gone.txt\n"})
    result = run_parity("recommend", "-p", project)
    assert result.code == 2
    assert "requirements.txt:2: -r gone.txt: no such file" in result.err


def test_a_pipfile_entry_that_cannot_be_read_stops_with_its_line(
    tmp_path: Path, run_parity: Callable
) -> None:
    project = make_project(tmp_path, {"Pipfile": '[packages]\nnumpy = {versoin = "==1"}\n'})
    result = run_parity("recommend", "-p", project)
    assert result.code == 2
    assert "Pipfile:2: numpy: versoin cannot be carried" in result.err
    assert "Traceback" not in result.err


def test_hashes_in_a_hand_written_file_are_not_a_lock_of_the_project(
    tmp_path: Path, run_parity: Callable
) -> None:
    project = make_project(
        tmp_path, {"requirements.txt": "requests==2.31.0 --hash=sha256:" + "a" * 64 + "\n"}
    )
    data = _recommend(run_parity, project)
    assert _fact(data, "native")["text"] == "native stacks: none among 1 direct requirement"


def test_a_folder_with_neither_still_says_what_parity_reads(
    tmp_path: Path, run_parity: Callable
) -> None:
    project = make_project(tmp_path, {"notes.txt": "numpy\n"})
    result = run_parity("recommend", "-p", project)
    assert result.code == 2
    assert "no dependencies found" in result.err and "Pipfile or environment.yml" in result.err
    assert "parity init --strategy pip-tools" in result.err and "Traceback" not in result.err


def test_recommend_writes_nothing_into_a_plain_project(
    tmp_path: Path, run_parity: Callable
) -> None:
    project = make_project(tmp_path, {**ML_PROJECT, **PIPFILE_PROJECT})
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    _recommend(run_parity, project)
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_a_file_of_includes_only_is_said_to_include_not_to_be_empty(
    tmp_path: Path, run_parity: Callable
) -> None:
    project = make_project(
        tmp_path,
        {"requirements.txt": "-r requirements/base.txt\n", "requirements/base.txt": "numpy\n"},
    )
    text = _fact(_recommend(run_parity, project), "dependencies")["text"]
    assert "requirements.txt (hand-written; only -r requirements/base.txt)" in text
    assert "empty" not in text


def test_a_project_with_its_requirements_one_folder_down_is_pointed_there(
    tmp_path: Path, run_parity: Callable
) -> None:
    # iterative/example-get-started keeps src/requirements.txt (its devcontainer installs it).
    project = make_project(
        tmp_path, {"src/requirements.txt": "pandas\n", "dvc.yaml": "stages: {}\n"}
    )
    result = run_parity("recommend", "-p", project)
    assert result.code == 2
    assert "In a subfolder: src/requirements.txt" in result.err
    assert "`--project src`" in result.err and "Traceback" not in result.err

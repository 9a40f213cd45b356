from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from fixtures import LocalIndex, find_python, make_project, make_venv
from parity.cli.main import cli, main
from parity.errors import UsageError


def lock(numpy: str, *, pandas: str = "2.0.3") -> str:
    return f"numpy=={numpy}\n    # via -r requirements.in\npandas=={pandas}\n    # via -r requirements.in\n"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(lock("1.24.3"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(lock("1.21.0"), encoding="utf-8")
    (tmp_path / "same.txt").write_text(lock("1.24.3"), encoding="utf-8")
    (tmp_path / "patch.txt").write_text(lock("1.24.3", pandas="2.0.2"), encoding="utf-8")
    (tmp_path / "prod.in").write_text("numpy\npandas\n", encoding="utf-8")
    return tmp_path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["diff", *args])


def test_no_differences_exits_0(workdir: Path) -> None:
    result = run("a.txt", "same.txt")
    assert result.exit_code == 0, result.output
    assert "No differences between a.txt and same.txt." in result.output


def test_differences_exit_1_with_the_riskiest_first(workdir: Path) -> None:
    result = run("a.txt", "b.txt")
    assert result.exit_code == 1, result.output
    assert result.output.startswith("1 difference between a.txt and b.txt (1 critical)")
    assert "numpy" in result.output and "1.24.3" in result.output


def test_json_output(workdir: Path) -> None:
    result = run("a.txt", "b.txt", "--json")
    data = json.loads(result.output)
    assert data["schema"] == "parity/diff@1"
    assert [s["kind"] for s in data["sides"]] == ["lock", "lock"]
    (numpy,) = data["differences"]
    assert (numpy["subject"], numpy["values"], numpy["direct"]) == (
        "numpy",
        ["1.24.3", "1.21.0"],
        True,
    )
    assert run("a.txt", "b.txt", "--format", "json").output == result.output


def test_markdown_output(workdir: Path) -> None:
    result = run("a.txt", "b.txt", "--format", "markdown")
    assert result.exit_code == 1
    assert result.output.startswith("## parity diff: `a.txt` vs `b.txt`\n")
    assert "### Top fixes" in result.output


def test_three_sides_print_a_matrix(workdir: Path) -> None:
    result = run("a.txt", "b.txt", "prod.in", "--json")
    data = json.loads(result.output)
    rows = {r["subject"]: r["values"] for r in data["matrix"]}
    assert rows["numpy"] == ["1.24.3", "1.21.0", "unpinned"]
    assert rows["pandas"] == ["2.0.3", "2.0.3", "unpinned"]


def test_fail_on_sets_the_threshold_for_exit_1(workdir: Path) -> None:
    assert run("a.txt", "patch.txt").exit_code == 1
    assert run("a.txt", "patch.txt", "--fail-on", "high").exit_code == 0
    assert run("a.txt", "b.txt", "--fail-on", "high").exit_code == 1


def test_direct_option_marks_packages_direct(workdir: Path) -> None:
    (workdir / "plain-a.txt").write_text("numpy==1.24.3\nscipy==1.11.1\n", encoding="utf-8")
    (workdir / "plain-b.txt").write_text("numpy==1.24.3\nscipy==1.11.3\n", encoding="utf-8")
    data = json.loads(run("plain-a.txt", "plain-b.txt", "--json", "--direct", "SciPy").output)
    assert data["differences"][0]["direct"] is True


def test_extra_rules_file_changes_the_ranking(workdir: Path) -> None:
    (workdir / "rules.toml").write_text(
        '[[transition]]\nid = "pandas-patch"\npackage = "pandas"\nchange = "patch"\n'
        'severity = "critical"\nreason = "our pipeline pins pandas exactly"\n'
        'source = "https://wiki.example/pandas"\n',
        encoding="utf-8",
    )
    data = json.loads(run("a.txt", "patch.txt", "--json", "--rules", "rules.toml").output)
    assert data["differences"][0]["rules"] == ["pandas-patch"]
    assert data["differences"][0]["severity"] == "critical"


def test_a_project_directory_is_read_through_its_lock(workdir: Path) -> None:
    (workdir / "proj").mkdir()
    (workdir / "proj" / "requirements.txt").write_text(lock("1.21.0"), encoding="utf-8")
    data = json.loads(run("a.txt", "proj", "--json").output)
    assert data["sides"][1]["label"] == "proj/requirements.txt"
    assert data["differences"][0]["subject"] == "numpy"


def test_bad_input_exits_2_with_a_hint(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["diff", "a.txt", "missing.txt"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "error: missing.txt: no such file or directory" in err
    assert "hint:" in err


def test_one_side_is_not_enough(workdir: Path) -> None:
    result = run("a.txt")
    assert isinstance(result.exception, UsageError)
    assert result.exception.exit_code == 2
    with pytest.raises(SystemExit) as info:
        main(["diff", "a.txt"])
    assert info.value.code == 2


def test_an_unreadable_lock_exits_2(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (workdir / "pylock.toml").write_text('lock-version = "9.0"\n', encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["diff", "a.txt", "pylock.toml"])
    assert info.value.code == 2
    assert "pylock.toml:1: unsupported lock-version" in capsys.readouterr().err


def test_the_command_module_imports_no_rich_at_startup() -> None:
    code = "import sys, parity.cli.diff_cmd; print('rich' in sys.modules, 'tomlkit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.skipif(
    importlib.util.find_spec("parity.env.snapshot") is None,
    reason="live capture (parity.env.snapshot) is not part of this build yet",
)
def test_a_live_interpreter_against_a_lock(workdir: Path) -> None:
    result = run("a.txt", "--python", sys.executable, "--json")
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.output)
    live = data["sides"][1]
    assert live["kind"] != "lock"
    assert live["python"] is not None
    assert not live["label"].startswith("/")


def test_locks_that_record_a_python_range_are_compared_with_the_environment_against_it(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A project without .python-version: its lockfiles record only ">=3.11", and diff
    # said each "does not record its Python" and compared no Python at all.
    project = make_project(
        tmp_path,
        {
            "pyproject.toml": f"""
                [project]
                name = "app"
                version = "0.1.0"
                requires-python = ">=3.11"
                dependencies = ["beta"]

                [[tool.uv.index]]
                url = "{local_index.url}"
                default = true
            """,
        },
    )
    assert run_parity("lock", "-p", project).code == 0
    assert run_parity("sync", "-p", project).code == 0
    monkeypatch.chdir(project)
    for lockfile in ("requirements.txt", "pylock.toml"):
        result = run_parity("diff", lockfile, ".venv", "--json")
        assert result.code == 0, result.out
        data = result.json()
        assert data["sides"][0]["requires_python"] == ">=3.11"
        assert not any("does not record its Python" in n for n in data["notes"])
        assert any(n.startswith(f"{lockfile} records Python >=3.11") for n in data["notes"])
    # uv.lock records its own range: one that excludes the environment's Python is ranked.
    (project / "uv.lock").write_text(
        'version = 1\nrevision = 3\nrequires-python = ">=3.12"\n\n'
        '[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\n'
        'dependencies = [{ name = "beta" }]\n\n'
        '[[package]]\nname = "beta"\nversion = "1.0"\nsource = { registry = "https://x.example/simple" }\n'
        'dependencies = [{ name = "alpha" }]\n\n'
        '[[package]]\nname = "alpha"\nversion = "2.0"\nsource = { registry = "https://x.example/simple" }\n'
    )
    result = run_parity("diff", "uv.lock", ".venv", "--json")
    assert result.code == 1, result.out
    (python,) = [d for d in result.json()["differences"] if d["kind"] == "python"]
    assert (python["change"], python["severity"]) == ("minor", "critical")
    assert python["values"][0] == ">=3.12" and python["values"][1].startswith("3.11.")
    assert "outside the range uv.lock was locked for (>=3.12)" in python["reason"]
    # A 3.10 environment is outside the parity lock's range too.
    if find_python("3.10") is not None:
        make_venv(project / "old", "3.10")
        result = run_parity("diff", "requirements.txt", "old", "--json")
        assert [d["change"] for d in result.json()["differences"] if d["kind"] == "python"] == [
            "minor"
        ]

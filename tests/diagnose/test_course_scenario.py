"""The course's opening scene, on real environments built from the wheel factory.

Developer A works on Python 3.11 with the newer releases; developer B on an
older Python with an older major release of the same package; production
installs "whatever pip installed" from an unpinned requirements list.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, find_python, make_venv, uv_bin


def install(python: Path, index: LocalIndex, *requirements: str) -> None:
    subprocess.run(
        [
            uv_bin(),
            "pip",
            "install",
            "--quiet",
            "--python",
            python,
            "--index-url",
            index.url,
            *requirements,
        ],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def older_python() -> str:
    for version in ("3.9", "3.10", "3.8"):
        if find_python(version) is not None:
            return version
    pytest.skip("no second Python minor on this machine")


def test_diff_ranks_the_python_change_first_then_the_major_downgrade(
    tmp_path: Path,
    local_index: LocalIndex,
    older_python: str,
    run_parity: Callable,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    dev_a = make_venv(tmp_path / "dev-a", "3.11")
    dev_b = make_venv(tmp_path / "dev-b", older_python)
    install(dev_a, local_index, "alpha==2.0", "beta==1.0", "zeta==1.0")
    install(dev_b, local_index, "alpha==1.0", "beta==1.0")
    (tmp_path / "production.in").write_text("alpha\nbeta\nzeta\n")

    snap = run_parity("snapshot", "--env", "dev-a", "-o", "dev-a.json")
    assert snap.code == 0, snap.err
    result = run_parity("diff", "dev-a.json", "production.in", "--env", "dev-b", "--json")
    assert result.code == 1, result.err
    data = result.json()
    assert data["schema"] == "parity/diff@1"
    labels = [side["label"] for side in data["sides"]]
    assert labels == ["dev-a.json", "production.in", "dev-b"]
    ranked = [(d["kind"], d["subject"]) for d in data["differences"] if d["sides"] == [0, 2]]
    assert ranked[0] == ("python", "python")
    assert ranked.index(("version", "alpha")) < ranked.index(("missing", "zeta"))
    alpha = next(d for d in data["differences"] if d["subject"] == "alpha" and d["sides"] == [0, 2])
    assert alpha["change"] == "major"
    assert alpha["values"] == ["2.0", "1.0"]
    unpinned = {d["subject"] for d in data["differences"] if d["kind"] == "unpinned"}
    assert unpinned == {"alpha", "beta", "zeta"}


def test_markdown_report_is_ready_for_a_pull_request(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    one = make_venv(tmp_path / "one", "3.11")
    two = make_venv(tmp_path / "two", "3.11")
    install(one, local_index, "alpha==1.1")
    install(two, local_index, "alpha==1.0")
    result = run_parity("diff", "--env", "one", "--env", "two", "--format", "markdown")
    assert result.code == 1
    assert result.out.startswith("## parity diff: `one` vs `two`")
    assert "| version minor | `alpha` | 1.1 | 1.0 |" in result.out
    assert str(tmp_path) not in result.out

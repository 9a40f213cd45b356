"""Output details users run into: an empty environment, a diff through a pipe, check's help."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fixtures import LocalIndex, make_project, make_venv

Run = Callable[..., object]


def test_check_of_an_empty_environment_says_so_once(
    tmp_path: Path, local_index: LocalIndex, run_parity: Run
) -> None:
    project = make_project(
        tmp_path,
        {"requirements.in": f"-i {local_index.url}\ntool-a\ngamma\n", ".python-version": "3.11\n"},
    )
    assert run_parity("lock", "-p", project).code == 0  # type: ignore[attr-defined]
    make_venv(project / ".venv", "3.11")
    result = run_parity("check", "-p", project)
    assert result.code == 1  # type: ignore[attr-defined]
    out = result.out  # type: ignore[attr-defined]
    assert "env-empty" in out and "holds none of the" in out
    assert "package-missing" not in out
    assert out.count("\n") <= 4


def test_diff_through_a_pipe_keeps_each_version_on_one_line(
    tmp_path: Path, run_parity: Run
) -> None:
    long_a, long_b = "2.14.0.post1+build.20260101", "3.0.0rc2+cuda124.cudnn9.local"
    root = make_project(
        tmp_path,
        {
            "a.txt": f"numpy=={long_a}\nscikit-learn-intelex-extension=={long_a}\n",
            "b.txt": f"numpy=={long_b}\nscikit-learn-intelex-extension=={long_b}\n",
        },
    )
    result = run_parity("diff", root / "a.txt", root / "b.txt")
    out = result.out  # type: ignore[attr-defined]
    assert long_a in out and long_b in out, out


def test_check_help_says_how_the_group_is_chosen(run_parity: Run) -> None:
    out = run_parity("check", "--help").out  # type: ignore[attr-defined]
    assert "stamp" in out and "matches best" in out

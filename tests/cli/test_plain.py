"""``lock``, ``check`` and ``sync`` with everyday arguments run without click, and print what
click's commands print."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fixtures import LocalIndex, make_project
from parity.cli.plain import parse, plain_run


def make(tmp_path: Path, local_index: LocalIndex, name: str) -> Path:
    return make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\nbeta\n",
            "requirements-dev.in": "-r requirements.in\ntool-a\n",
            ".python-version": "3.11\n",
        },
        name=name,
    )


def clicked(*args: str) -> tuple[int, str]:
    from click.testing import CliRunner

    from parity.cli.app import cli

    result = CliRunner().invoke(cli, list(args), prog_name="parity")
    return result.exit_code, result.output


def test_plain_and_click_runs_print_the_same(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project, twin = make(tmp_path, local_index, "a"), make(tmp_path, local_index, "b")
    plain_lock = run_parity("lock", "-p", project)
    click_lock = clicked("lock", "-p", str(twin))
    assert (plain_lock.code, plain_lock.out.replace("a/", "b/")) == click_lock
    for args in (["check", "--lock-only"], ["check", "--json"], ["check", "-g", "dev"]):
        plain = run_parity(*args, "-p", project)
        assert (plain.code, plain.out) == clicked(*args, "-p", str(project))


def test_anything_unusual_goes_to_click() -> None:
    flags, valued = {"--offline": "offline"}, {"-p": "project", "--project": "project"}
    assert parse(["--offline", "-p", "x"], flags, valued) == {"offline": True, "project": "x"}
    assert parse(["--project=x"], flags, valued) == {"project": "x"}
    for argv in (
        ["--help"],
        ["-p"],
        ["-p", "x", "-p", "y"],
        ["--offline", "--offline"],
        ["a.in"],
        ["-U"],
        ["-p", "--offline"],
    ):
        assert parse(argv, flags, valued) is None, argv
    assert not plain_run(["lock", "--upgrade"])
    assert not plain_run(["check", "--markdown"])
    assert not plain_run(["sync", "--extra", "x"])


def test_plain_and_click_syncs_print_the_same(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = make(tmp_path, local_index, "a")
    assert run_parity("lock", "-p", project).code == 0
    first = run_parity("sync", "-g", "dev", "-p", project)
    assert first.code == 0 and "synced .venv" in first.out
    for args in (["sync", "-g", "dev"], ["sync", "--group=dev", "--json"]):
        plain = run_parity(*args, "-p", project)
        assert (plain.code, plain.out) == clicked(*args, "-p", str(project))


def test_styles_are_clicks() -> None:
    import click

    from parity.report.style import style

    for kwargs in ({"fg": "red"}, {"bold": True}, {"dim": True}, {"fg": "green", "bold": True}, {}):
        assert style("x", **kwargs) == click.style("x", **kwargs)  # type: ignore[arg-type]

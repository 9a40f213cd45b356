"""``lock``, ``check`` and ``sync`` with everyday arguments run without click, and print what
click's commands print."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

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


class _Terminal:
    """A stderr that says it is a terminal, and keeps what is written to it."""

    def __init__(self, encoding: str = "utf-8") -> None:
        self.encoding = encoding
        self.text = ""

    def isatty(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass


def test_the_spinner_draws_its_line_and_leaves_the_terminal_as_it_found_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading
    import time

    from parity.cli.plain import spinner

    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with spinner("Resolving...", quiet=False):
        time.sleep(0.2)
    assert terminal.text.startswith("\x1b[?25l\r\u280b Resolving...\r\u2819 Resolving...")
    assert terminal.text.endswith("\r\x1b[2K\x1b[?25h")
    assert [t for t in threading.enumerate() if t.name == "parity-spinner"] == []
    quiet = _Terminal()
    monkeypatch.setattr("sys.stderr", quiet)
    with spinner("Resolving...", quiet=True):
        pass
    assert quiet.text == ""


def test_the_spinner_draws_ascii_on_a_terminal_that_has_no_braille(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from parity.cli.plain import spinner

    terminal = _Terminal(encoding="ascii")
    monkeypatch.setattr("sys.stderr", terminal)
    with spinner("Installing...", quiet=False):
        pass
    assert "\r| Installing..." in terminal.text


@pytest.mark.skipif(sys.platform == "win32", reason="no pseudo-terminals")
def test_the_spinner_at_a_terminal_imports_nothing_heavy() -> None:
    # rich's status spinner cost 60 ms (its import and start) before uv could start.
    import os
    import pty
    import subprocess

    code = (
        "import sys\n"
        "from parity.cli.plain import spinner\n"
        "assert sys.stderr.isatty()\n"
        "with spinner('Resolving...', quiet=False):\n"
        "    pass\n"
        "print(sorted(m for m in ('rich', 'click') if m in sys.modules))\n"
    )
    main, secondary = pty.openpty()
    try:
        proc = subprocess.run(
            [sys.executable, "-c", code], stderr=secondary, stdout=subprocess.PIPE, text=True
        )
    finally:
        os.close(secondary)
        os.close(main)
    assert proc.returncode == 0
    assert proc.stdout.strip() == "[]"

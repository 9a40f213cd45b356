from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

from parity import __version__
from parity.cli.commands import COMMANDS


def test_help_lists_every_command(run_parity: Callable) -> None:
    result = run_parity("--help")
    assert result.code == 0
    for name in COMMANDS:
        assert f"  {name} " in result.out


def test_fast_help_matches_clicks_own(run_parity: Callable) -> None:
    from click.testing import CliRunner

    from parity.cli.app import cli

    assert (
        CliRunner().invoke(cli, ["--help"], prog_name="parity").output == run_parity("--help").out
    )


def test_help_and_version_do_not_import_heavy_modules() -> None:
    code = (
        "import sys; from parity.cli.main import main; main(['--help']); main(['--version']);"
        "print(sorted(m for m in ('click', 'rich', 'tomlkit', 'ruamel', 'packaging.markers') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_python_dash_m_parity_reports_the_version() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "parity", "--version"], capture_output=True, text=True
    )
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"parity, version {__version__}"


def test_unknown_command_is_a_usage_error(run_parity: Callable) -> None:
    result = run_parity("frobnicate")
    assert result.code == 2
    assert "No such command" in result.err


def test_bad_input_is_one_message_without_traceback(run_parity: Callable, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "pyproject.toml").write_text("[project\nname = 'x'\n")
    result = run_parity("check", "-p", tmp_path)
    assert result.code == 2
    assert result.err.startswith("error: pyproject.toml:1: invalid TOML")
    assert "Traceback" not in result.err

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


# A command run as the ``parity`` script: an object whose finaliser says when the
# interpreter's teardown runs, and an exit handler that must run all the same.
_TEARDOWN_WITNESS = (
    "import atexit, sys\n"
    "class Witness:\n"
    "    def __del__(self):\n"
    "        sys.__stderr__.write('TEARDOWN\\n')\n"
    "witness = Witness()\n"
    "atexit.register(lambda: sys.__stderr__.write('AT-EXIT\\n'))\n"
    "from parity.cli.main import main\n"
    "sys.exit(main())\n"
)


def _script(*args: str, cwd: object = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _TEARDOWN_WITNESS, *args],
        capture_output=True,
        text=True,
        cwd=cwd,  # type: ignore[arg-type]
    )


def test_the_command_ends_without_the_interpreters_teardown_after_its_output() -> None:
    # Freeing every object and module one by one cost 30 to 60 ms after a lock.
    proc = _script("--help")
    assert proc.returncode == 0
    assert all(f"  {name} " in proc.stdout for name in COMMANDS)  # every byte flushed
    assert proc.stderr.splitlines() == ["AT-EXIT"]  # exit handlers run, no teardown


def test_an_error_keeps_its_exit_status_when_the_teardown_is_skipped(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "pyproject.toml").write_text("[project\nname = 'x'\n")
    proc = _script("check", "-p", str(tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: pyproject.toml:1: invalid TOML")
    assert proc.stderr.splitlines()[-1] == "AT-EXIT"
    assert "TEARDOWN" not in proc.stderr


def test_a_program_calling_main_keeps_its_interpreter(run_parity: Callable) -> None:
    # main(argv) from a program (and these tests) returns or raises SystemExit as before.
    assert run_parity("--version").code == 0
    assert run_parity("frobnicate").code == 2


def test_the_usual_exit_when_another_thread_still_runs(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import threading

    from parity.cli import main as entry

    ended: list[int] = []
    monkeypatch.setattr(entry.os, "_exit", ended.append)
    monkeypatch.setattr("atexit._run_exitfuncs", lambda: None)  # pytest's own handlers
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        entry._exit_now(0)
    finally:
        stop.set()
        other.join()
    assert ended == []  # left to Python, which waits for the thread
    entry._exit_now(None)
    entry._exit_now(3)
    entry._exit_now("a message")  # Python prints it and exits 1: its own way
    assert ended == [0, 3]

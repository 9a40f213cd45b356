"""Running uv: timeout, environment, and the debug log of the commands run."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parity import uv
from parity.errors import EngineError


def fake_uv(tmp_path: Path, body: str) -> str:
    script = tmp_path / "uv"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for uv")
def test_a_command_past_the_timeout_is_stopped_with_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uv, "find_uv", lambda: fake_uv(tmp_path, "sleep 30"))
    with pytest.raises(EngineError) as info:
        uv.run_uv(["lock", "--offline"], timeout=0.3)
    assert "uv lock did not finish within 0 s" in info.value.message
    assert uv.TIMEOUT_VARIABLE in (info.value.hint or "")


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for uv")
def test_a_background_command_past_the_timeout_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(uv, "find_uv", lambda: fake_uv(tmp_path, "sleep 30"))
    monkeypatch.setenv(uv.TIMEOUT_VARIABLE, "0.3")
    proc = uv.start_uv(["export", "--frozen"])
    with pytest.raises(EngineError, match="uv export did not finish"):
        proc.wait()


@pytest.mark.skipif(os.name == "nt", reason="a shell script stands in for uv")
def test_the_end_of_a_command_is_waited_for_not_polled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # uv often closes its output a moment before it ends: a timeout on communicate()
    # then polls for the end, sleeping 1, 2, 4 ms... between looks.
    monkeypatch.setattr(uv, "find_uv", lambda: fake_uv(tmp_path, "exec >&- 2>&-\nsleep 0.2"))
    sleeps: list[float] = []
    real_sleep = time.sleep

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(time, "sleep", sleep)
    started = time.monotonic()
    done = uv.run_uv(["lock", "--offline"], timeout=30)
    assert done.returncode == 0
    assert time.monotonic() - started >= 0.2
    assert sleeps == []


@pytest.mark.parametrize(
    ("text", "seconds"), [("", 3600.0), ("12", 12.0), ("x", 3600.0), ("-1", 3600.0)]
)
def test_the_timeout_comes_from_the_environment(text: str, seconds: float) -> None:
    assert uv.timeout_seconds({uv.TIMEOUT_VARIABLE: text}) == seconds


def test_a_failing_command_returns_its_status_and_output() -> None:
    proc = uv.run_uv(["pip", "show", "--python", "/nonexistent/python", "x"])
    assert proc.returncode != 0
    assert proc.stderr


def test_uv_gets_no_colour_no_activated_venv_and_no_downloads() -> None:
    env = uv.uv_environment({"VIRTUAL_ENV": "/somewhere", "PATH": "/bin"})
    assert "VIRTUAL_ENV" not in env
    assert env["NO_COLOR"] == "1"
    assert env["UV_PYTHON_DOWNLOADS"] == "never"
    # A narrow terminal must not wrap the messages parity reads (a URL split over lines).
    assert int(uv.uv_environment({"COLUMNS": "40"})["COLUMNS"]) >= 10000
    assert uv.uv_environment({"UV_PYTHON_DOWNLOADS": "automatic"})["UV_PYTHON_DOWNLOADS"] == (
        "automatic"
    )


def test_each_command_is_logged_at_debug_level_without_credentials(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="parity.uv"):
        uv.run_uv(["--version", "--default-index", "https://ci:hunter2@index.example/simple"])
    [record] = [r for r in caplog.records if r.name == "parity.uv"]
    message = record.getMessage()
    assert message.startswith("uv --version --default-index https://***@index.example/simple")
    assert "exit 0 in" in message
    assert "hunter2" not in message


def test_nothing_is_logged_unless_debug_is_on(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="parity.uv"):
        uv.run_uv(["--version"])
    assert not [r for r in caplog.records if r.name == "parity.uv"]


def test_only_an_offline_command_may_go_without_dying_with_parity() -> None:
    with pytest.raises(ValueError, match="--offline"):
        uv.start_uv(["export", "--frozen"], die_with_parity=False)


_DIES_WITH_PARITY = """
import sys
from parity import uv
uv.find_uv = lambda: sys.argv[1]
proc = uv.start_uv(["lock"])
proc.wait()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_uv_dies_when_parity_is_killed(tmp_path: Path) -> None:
    """SIGKILL runs no handler in parity: the kernel itself must stop uv."""
    pid_file = tmp_path / "uv.pid"
    fake = fake_uv(tmp_path, f'echo $$ > "{pid_file}"\nexec sleep 30')
    parity = subprocess.Popen([sys.executable, "-c", _DIES_WITH_PARITY, fake])
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text().strip():
            assert parity.poll() is None and time.monotonic() < deadline, "uv never started"
            time.sleep(0.02)
        uv_pid = int(pid_file.read_text())
        assert _running(uv_pid)
    finally:
        parity.kill()
        parity.wait()
    deadline = time.monotonic() + 10
    while _running(uv_pid):
        assert time.monotonic() < deadline, "uv ran on after parity was killed"
        time.sleep(0.02)


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie, dead but not yet reaped, is not)."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat_line.rsplit(")", 1)[1].split()[0] != "Z"

"""A repeated check, sync, lock or --help answers from the record of the last run, while nothing it read changed."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, make_project
from parity.cli import resultcache
from parity.cli.main import main
from parity.report.lock_report import CURRENT

pytestmark = pytest.mark.skipif(
    not (3, 11) <= sys.version_info[:2] <= (3, 12),
    reason="reuse is on for Python 3.11 and 3.12 only",
)


class Run:
    def __init__(self, code: int, out: str, err: str, replayed: bool) -> None:
        self.code, self.out, self.err, self.replayed = code, out, err, replayed


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Run]:
    """The CLI as a user runs it (records on), telling a replay apart."""
    replays: list[int | None] = []
    original = resultcache.replay

    def replay(args: list[str]) -> int | None:
        replays.append(original(args))
        return replays[-1]

    monkeypatch.setattr(resultcache, "replay", replay)

    def run(*args: str | Path) -> Run:
        replays.clear()
        code = 0
        try:
            main([str(a) for a in args], reuse=True)
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        replayed = bool(replays) and replays[0] is not None
        return Run(code, captured.out, captured.err, replayed)

    return run


@pytest.fixture
def project(tmp_path: Path, local_index: LocalIndex) -> Path:
    return make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\nbeta\n",
            "requirements-dev.in": "-r requirements.in\ntool-a\n",
            ".python-version": "3.11\n",
        },
    )


def test_a_repeated_lock_is_answered_without_resolving_and_says_so(
    project: Path, cli: Callable[..., Run]
) -> None:
    first = cli("lock", "-p", project)
    assert first.code == 0 and not first.replayed
    second = cli("lock", "-p", project)  # the lock's own digests answer it: recorded
    assert second.code == 0 and not second.replayed
    assert CURRENT in second.out
    third = cli("lock", "-p", project)
    assert third.replayed and third.code == 0
    assert third.out == second.out  # said once: the record is of a run that did not resolve


def test_a_repeated_resolution_that_changed_nothing_is_answered_from_its_record(
    project: Path, cli: Callable[..., Run], local_index: LocalIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without pylock.toml (which records the indexes) the lock's digests cannot answer
    # for indexes that pip's configuration chose.
    monkeypatch.setenv("PIP_INDEX_URL", local_index.url)
    inputs = project / "requirements.in"
    inputs.write_text(inputs.read_text().replace(f"-i {local_index.url}\n", ""))
    first = cli("lock", "--no-pylock", "-p", project)
    assert first.code == 0 and not first.replayed
    second = cli("lock", "--no-pylock", "-p", project)  # resolves, changes nothing: recorded
    assert second.code == 0 and not second.replayed
    assert "Nothing changed: the lockfiles already held this lock." in second.out
    third = cli("lock", "--no-pylock", "-p", project)
    assert third.replayed and third.code == 0
    assert third.out.startswith(second.out)
    assert "Up to date:" in third.out and "nothing was resolved" in third.out


def test_a_repeated_lock_without_pylock_is_answered_from_the_lockfiles(
    project: Path, cli: Callable[..., Run]
) -> None:
    # The project names its index, which the lockfiles' own lines record.
    first = cli("lock", "--no-pylock", "-p", project)
    assert first.code == 0 and not first.replayed
    second = cli("lock", "--no-pylock", "-p", project)
    assert second.code == 0 and not second.replayed
    assert CURRENT in second.out


def test_a_changed_input_is_never_answered_from_a_record(
    project: Path, cli: Callable[..., Run]
) -> None:
    cli("lock", "-p", project)
    cli("lock", "-p", project)
    (project / "requirements.in").write_text((project / "requirements.in").read_text() + "gamma\n")
    check = cli("check", "--lock-only", "-p", project)
    assert check.code == 1 and not check.replayed and "stale" in check.out
    again = cli("lock", "-p", project)
    assert not again.replayed and "gamma" in (project / "requirements.txt").read_text()


@pytest.mark.parametrize(
    "change",
    [
        "a new requirements file",
        "a lockfile edited by hand",
        "pylock.toml removed",
        "an output path changed",
        "an index option",
    ],
)
def test_what_changes_the_result_of_a_lock_is_never_skipped(
    project: Path, cli: Callable[..., Run], change: str, local_index: LocalIndex
) -> None:
    cli("lock", "-p", project)
    cli("lock", "-p", project)
    assert cli("lock", "-p", project).replayed
    args: list[str | Path] = ["lock", "-p", project]
    if change == "a new requirements file":
        (project / "requirements-test.in").write_text("-r requirements.in\neta\n")
    elif change == "a lockfile edited by hand":
        path = project / "requirements.txt"
        path.write_text(path.read_text().replace("# via", "#  via", 1))
    elif change == "pylock.toml removed":
        (project / "pylock.toml").unlink()
    elif change == "an output path changed":
        (project / "parity.toml").write_text('[tool.parity]\noutputs = { prod = "locked.txt" }\n')
    else:
        args += ["--extra-index-url", local_index.url]
    after = cli(*args)
    assert after.code == 0, after.err
    assert not after.replayed
    assert "Up to date" not in after.out


def test_upgrade_always_resolves(project: Path, cli: Callable[..., Run]) -> None:
    cli("lock", "-p", project)
    cli("lock", "-p", project)
    assert not cli("lock", "-p", project, "--upgrade").replayed
    assert not cli("lock", "-p", project, "-P", "beta").replayed


def test_check_and_a_sync_with_nothing_to_do_replay_until_the_environment_moves(
    project: Path, cli: Callable[..., Run]
) -> None:
    assert cli("lock", "-p", project).code == 0
    assert cli("sync", "-p", project, "--group", "dev").code == 0
    noop = cli("sync", "-p", project, "--group", "dev")
    assert "nothing to do" in noop.out and not noop.replayed
    again = cli("sync", "-p", project, "--group", "dev")
    assert again.replayed and again.out == noop.out
    first = cli("check", "-p", project)
    assert first.code == 0 and not first.replayed
    second = cli("check", "-p", project)
    assert second.replayed and (second.code, second.out) == (first.code, first.out)
    site = next((project / ".venv" / "lib").glob("python*/site-packages"))
    for dist in site.glob("tool_a-*.dist-info"):
        for item in dist.iterdir():
            item.unlink()
        dist.rmdir()
    after = cli("check", "-p", project)
    assert after.code == 1 and not after.replayed and "tool-a" in after.out
    resynced = cli("sync", "-p", project, "--group", "dev")
    assert not resynced.replayed and "nothing to do" not in resynced.out


def test_help_replays_and_the_environment_is_part_of_the_key(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cli("lock", "--help")
    second = cli("lock", "--help")
    assert second.replayed and second.out == first.out
    monkeypatch.setenv("PARITY_SOMETHING", "else")
    assert not cli("lock", "--help").replayed


def test_reuse_can_be_turned_off(cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARITY_NO_CACHE", "1")
    cli("lock", "--help")
    assert not cli("lock", "--help").replayed


def test_records_are_private(cli: Callable[..., Run]) -> None:
    cli("check", "--help")
    folder = Path(os.environ["PARITY_CACHE_DIR"]) / "results"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_the_records_live_in_paritys_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from parity.fsutil import cache_root

    for value in (str(tmp_path / "explicit"), None):
        if value is None:
            monkeypatch.delenv("PARITY_CACHE_DIR", raising=False)
            monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        else:
            monkeypatch.setenv("PARITY_CACHE_DIR", value)
        assert resultcache.cache_root() == str(cache_root())

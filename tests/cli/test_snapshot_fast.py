"""The fast path of ``parity snapshot`` takes the snapshot click's command would."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import make_venv


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    return make_venv(tmp_path / "env", "3.11").parent.parent


def _without_time(text: str) -> dict[str, object]:
    data = json.loads(text)
    data.pop("taken_at")
    return data  # type: ignore[no-any-return]


def test_the_fast_snapshot_path_matches_click(
    venv: Path, tmp_path: Path, run_parity: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from parity.cli.app import cli

    monkeypatch.chdir(tmp_path)
    fast = run_parity("snapshot", "--env", "env", "--label=box")
    clicked = CliRunner().invoke(cli, ["snapshot", "--env", "env", "--label", "box"])
    assert (fast.code, clicked.exit_code) == (0, 0)
    assert _without_time(fast.out) == _without_time(clicked.output)
    written = run_parity("snapshot", "--env", "env", "-o", "snap.json")
    assert written.code == 0 and "Wrote snap.json" in written.err
    assert _without_time((tmp_path / "snap.json").read_text()) == {
        **_without_time(fast.out),
        "label": "env",
    }


def test_anything_unusual_goes_to_click(venv: Path, tmp_path: Path, run_parity: Callable) -> None:
    both = run_parity("snapshot", "--env", str(venv), "--python", "python3")
    assert both.code == 2 and "not both" in both.err
    unknown = run_parity("snapshot", "--frobnicate")
    assert unknown.code == 2 and "No such option" in unknown.err
    helped = run_parity("snapshot", "--help")
    assert helped.code == 0 and "Fingerprint an environment" in helped.out
    pushed_store = run_parity("snapshot", "--env", str(venv), "--store", "x.db")
    assert pushed_store.code == 2 and "--push" in pushed_store.err

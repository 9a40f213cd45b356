"""The fleet through the library API: the same results the commands print, and clear errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import parity
from fixtures.fleet import make_snapshot
from parity.env.snapshot_json import write_snapshot


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _same(printed: dict[str, object], value: dict[str, object]) -> bool:
    """Equal but for the store's name: what the CLI prints masks a user name too."""
    return {**printed, "store": None} == {**value, "store": None}


def _files(folder: Path) -> list[Path]:
    snapshots = {
        "a": make_snapshot("dev-a", dists={"numpy": "1.26.4", "pandas": "2.1.4"}),
        "b": make_snapshot("dev-b", python="3.9.18", dists={"numpy": "1.21.0", "pandas": "2.1.4"}),
        "c": make_snapshot("ci", dists={"numpy": "1.26.4", "pandas": "2.1.4"}),
    }
    for name, snapshot in snapshots.items():
        write_snapshot(snapshot, folder / f"{name}.json")
    return [folder / f"{name}.json" for name in snapshots]


def test_the_api_answers_what_the_commands_print(
    store_url: str, in_tmp: Path, run_parity: Callable
) -> None:
    pushed = parity.fleet_push(_files(in_tmp), store=store_url)
    assert isinstance(pushed, parity.PushOutcome)
    assert [p.label for p in pushed.pushed] == ["dev-a", "dev-b", "ci"]

    status = parity.fleet_status(store=store_url)
    assert isinstance(status, parity.FleetStatus)
    assert status.machines[0].label == "dev-b"
    cli = run_parity("fleet", "status", "--store", store_url, "--json")
    assert _same(cli.json(), status.to_json())

    query = parity.fleet_query("numpy<1.22", store=store_url)
    assert isinstance(query, parity.QueryResult)
    assert [hit.label for hit in query.hits] == ["dev-b"]
    printed = run_parity("fleet", "query", "numpy<1.22", "--store", store_url, "--json")
    assert _same(printed.json(), query.to_json())

    history = parity.fleet_history("dev-b", store=store_url)
    assert isinstance(history, parity.History)
    assert history.records == 1
    printed = run_parity("fleet", "history", "dev-b", "--store", store_url, "--json")
    assert _same(printed.json(), history.to_json())

    pruned = parity.fleet_prune("1h", store=store_url, dry_run=True)
    assert isinstance(pruned, parity.PruneOutcome)
    # The snapshots were taken a month ago: all three would go, and none went.
    assert (pruned.dry_run, pruned.counts.records, pruned.counts.remaining) == (True, 3, 0)
    assert len(parity.fleet_status(store=store_url).machines) == 3


def test_a_snapshot_value_is_pushed_under_the_label_and_role_given(
    store_url: str, in_tmp: Path
) -> None:
    outcome = parity.fleet_push(
        make_snapshot("env"), store=store_url, label="api-prod", role="prod", commit="a" * 40
    )
    [pushed] = outcome.pushed
    assert (pushed.label, pushed.role) == ("api-prod", "prod")
    history = parity.fleet_history("api-prod", store=store_url)
    assert history.periods[0].first.git_commit == "a" * 40


def test_values_and_files_in_one_push_are_refused(in_tmp: Path) -> None:
    [file, *_] = _files(in_tmp)
    with pytest.raises(parity.UsageError, match="not both"):
        parity.fleet_push([make_snapshot("a"), file])
    assert not (in_tmp / ".parity").exists()  # no store was created


def test_a_label_names_one_snapshot(in_tmp: Path) -> None:
    with pytest.raises(parity.UsageError, match="one machine"):
        parity.fleet_push([make_snapshot("a"), make_snapshot("b")], label="laptop")
    assert not (in_tmp / ".parity").exists()


def test_an_unknown_role_is_refused(in_tmp: Path) -> None:
    with pytest.raises(parity.UsageError, match="unknown role 'staging'"):
        parity.fleet_status(roles=["staging"])


def test_a_production_snapshot_needs_a_label(in_tmp: Path) -> None:
    with pytest.raises(parity.UsageError, match="needs --label"):
        parity.fleet_push(make_snapshot("a"), role="prod")

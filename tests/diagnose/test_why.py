from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, make_project
from parity.diagnose.why import chains_in_group, requires_dist
from parity.lock.model import LockedGroup, LockMeta, Pin

META = LockMeta(digest="", inputs=(), requires_python=None, python=None)


def group(*pins: Pin) -> LockedGroup:
    return LockedGroup("prod", "requirements.txt", pins, META)


def test_diamond_gives_both_chains() -> None:
    g = group(
        Pin("app", "1", via=("-r requirements.in",)),
        Pin("left", "1", via=("app",)),
        Pin("right", "1", via=("app",)),
        Pin("base", "1", via=("left", "right")),
    )
    chains = sorted(path for path, _ in chains_in_group(g, "base"))
    assert chains == [("app", "left", "base"), ("app", "right", "base")]


def test_cycles_in_via_do_not_loop() -> None:
    g = group(
        Pin("a", "1", via=("-r requirements.in", "b")),
        Pin("b", "1", via=("a",)),
    )
    assert chains_in_group(g, "b") == [(("a", "b"), "requirements.in")]


def test_direct_requirement_is_a_one_step_chain_with_its_source() -> None:
    g = group(Pin("a", "1", via=("demo (pyproject.toml)",)))
    assert chains_in_group(g, "a") == [(("a",), "pyproject.toml")]


def test_constraints_come_from_installed_metadata(tmp_path: Path) -> None:
    dist = tmp_path / "app-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: app\nVersion: 1.0\nRequires-Dist: base<3,>=1\n"
        "Requires-Dist: extra-thing; extra == 'x'\n"
    )
    found = requires_dist(tmp_path, "app", "1.0")
    assert found["base"] == "<3,>=1"
    assert found["extra-thing"] == "any [extra]"


@pytest.fixture
def synced(tmp_path: Path, local_index: LocalIndex, run_parity: Callable) -> Path:
    project = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\ngamma\n",
            "requirements-dev.in": "-r requirements.in\ntool-a\n",
            ".python-version": "3.11\n",
        },
    )
    assert run_parity("lock", "-p", project).code == 0
    assert run_parity("sync", "-p", project, "--group", "dev").code == 0
    return project


def test_why_shows_every_chain_with_constraints(synced: Path, run_parity: Callable) -> None:
    result = run_parity("why", "alpha", "-p", synced, "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert data["schema"] == "parity/why@1"
    assert data["direct"] is False
    rendered = {
        " -> ".join(f"{s['name']}({s['constraint']})" for s in chain["steps"])
        for chain in data["chains"]
    }
    assert "gamma(any) -> beta(any) -> alpha(>=1.0)" in rendered
    assert "tool-a(any) -> beta(any) -> alpha(>=1.0)" in rendered
    dev_only = next(c for c in data["chains"] if c["steps"][0]["name"] == "tool-a")
    assert dev_only["groups"] == ["dev"]


def test_why_direct_package(synced: Path, run_parity: Callable) -> None:
    result = run_parity("why", "gamma", "-p", synced)
    assert result.code == 0
    assert "direct requirement: requirements.in (groups prod, dev)" in result.out


def test_unknown_package_suggests_close_names(synced: Path, run_parity: Callable) -> None:
    result = run_parity("why", "alpah", "-p", synced)
    assert result.code == 2
    assert "Did you mean alpha" in result.err


def test_package_of_another_group_says_which(synced: Path, run_parity: Callable) -> None:
    result = run_parity("why", "tool-a", "-p", synced, "--group", "prod")
    assert result.code == 2
    assert "try --group dev" in result.err

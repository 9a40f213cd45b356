"""Environments as they really are: broken links, two installs of one package, bundled libraries."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, make_project, make_venv
from parity.env.health import damaged_distributions
from parity.env.installed import installed_distributions
from parity.env.snapshot.native import build_config_libraries

SITE = "lib/python3.11/site-packages"


def dist_info(site: Path, name: str, version: str) -> None:
    folder = site / f"{name}-{version}.dist-info"
    folder.mkdir(parents=True)
    (folder / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (folder / "RECORD").write_text("")


@pytest.fixture
def messy_venv(tmp_path: Path) -> Path:
    """A real venv with a develop install, broken .egg-link files and a package installed twice."""
    venv = tmp_path / "venv"
    make_venv(venv, "3.11")
    site = venv / SITE
    project = tmp_path / "devproj"
    (project / "devproj.egg-info").mkdir(parents=True)
    (project / "devproj.egg-info" / "PKG-INFO").write_text(
        "Metadata-Version: 2.1\nName: devproj\nVersion: 0.3\n"
    )
    (site / "devproj.egg-link").write_text(f"{project}\n.\n")
    (site / "nul.egg-link").write_bytes(b"bad\x00path\n")
    (site / "gone.egg-link").write_text("/nonexistent/folder\n.\n")
    (site / "folder.egg-link").mkdir()
    dist_info(site, "alpha", "1.0")
    dist_info(site, "alpha", "2.0")
    return venv


def test_one_bad_egg_link_does_not_cost_the_snapshot(
    messy_venv: Path, run_parity: Callable, tmp_path: Path
) -> None:
    result = run_parity("snapshot", "--env", messy_venv, "-o", tmp_path / "snap.json")
    assert result.code == 0, result.err
    data = json.loads((tmp_path / "snap.json").read_text())
    dists = {d["name"]: d for d in data["distributions"]}
    assert dists["devproj"]["version"] == "0.3" and dists["devproj"]["editable"] is True
    problems = "\n".join(data["problems"])
    assert "nul.egg-link: cannot be read" in problems
    assert "gone.egg-link" in problems and "folder.egg-link" in problems
    assert "alpha is installed 2 times: 1.0" in problems
    assert "warning: alpha is installed 2 times" in result.err
    assert str(tmp_path) not in (tmp_path / "snap.json").read_text()


def test_diff_says_what_a_side_could_not_read(
    messy_venv: Path, run_parity: Callable, tmp_path: Path
) -> None:
    assert run_parity("snapshot", "--env", messy_venv, "-o", tmp_path / "a.json").code == 0
    result = run_parity("diff", tmp_path / "a.json", tmp_path / "a.json")
    assert "alpha is installed 2 times" in result.out + result.err


def test_check_reports_both_installs_and_the_broken_links(messy_venv: Path) -> None:
    damage = {(d.name, d.problem) for d in damaged_distributions(messy_venv / SITE)}
    assert ("alpha", "duplicate") in damage
    assert ("nul", "egg-link") in damage and ("gone", "egg-link") in damage


def test_check_sees_develop_installs(messy_venv: Path) -> None:
    installed = installed_distributions(messy_venv / SITE)
    assert installed["devproj"].version == "0.3" and installed["devproj"].editable
    assert installed["alpha"].version == "1.0"  # the first, in a stable order


def test_an_egg_link_install_outside_the_lock_fails_check(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    root = make_project(
        tmp_path,
        {"requirements.in": f"-i {local_index.url}\nbeta\n", ".python-version": "3.11\n"},
    )
    assert run_parity("lock", "-p", root, "--no-pylock").code == 0
    assert run_parity("sync", "-p", root).code == 0
    project = tmp_path / "legacy"
    (project / "legacy.egg-info").mkdir(parents=True)
    (project / "legacy.egg-info" / "PKG-INFO").write_text("Name: legacy\nVersion: 1.0\n")
    (root / ".venv" / SITE / "legacy.egg-link").write_text(f"{project}\n.\n")
    result = run_parity("check", "-p", root, "--json")
    assert result.code == 1
    extra = [f for f in result.json()["findings"] if f["code"] == "package-extra"]
    assert [f["subject"] for f in extra] == ["legacy"]


def test_a_bundled_lapack_is_named_after_the_blas_that_carries_it() -> None:
    config = """
CONFIG = {
    "Build Dependencies": {
        "blas": {"name": "scipy-openblas", "found": True, "version": "0.3.27"},
        "lapack": {"name": "dep140213194937296", "found": True, "version": "0.3.27"},
    }
}
"""
    libs = {
        (lib.kind, lib.name, lib.version)
        for lib in build_config_libraries(config, provider="numpy")
    }
    assert libs == {("blas", "scipy-openblas", "0.3.27"), ("lapack", "scipy-openblas", "0.3.27")}


def test_snapshot_output_never_creates_folders(
    messy_venv: Path, run_parity: Callable, tmp_path: Path
) -> None:
    result = run_parity("snapshot", "--env", messy_venv, "-o", tmp_path / "nope" / "snap.json")
    assert result.code == 2
    assert "the folder nope does not exist" in result.err
    assert not (tmp_path / "nope").exists()

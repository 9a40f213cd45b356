"""How compare tells two builds apart and measures an environment's size."""

from __future__ import annotations

import os
from pathlib import Path

from parity.compare.envfiles import differences, disk_usage, manifest
from parity.compare.targets import Command


def _dist(env: Path, name: str, rows: list[str]) -> None:
    info = env / "lib" / "python3.11" / "site-packages" / f"{name}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "RECORD").write_text("\n".join(rows) + "\n")


def test_byte_code_and_install_bookkeeping_do_not_count(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    common = ["alpha/__init__.py,sha256=AAA,10"]
    _dist(
        a,
        "alpha-1.0",
        [
            *common,
            "alpha/__pycache__/x.cpython-311.pyc,sha256=P1,5",
            "alpha-1.0.dist-info/INSTALLER,sha256=uv,3",
        ],
    )
    _dist(
        b,
        "alpha-1.0",
        [
            *common,
            "alpha/__pycache__/x.cpython-311.pyc,sha256=P2,5",
            "alpha-1.0.dist-info/INSTALLER,sha256=pip,4",
        ],
    )
    assert manifest(a) == manifest(b)
    assert differences(manifest(a), manifest(b)) == ""


def test_a_changed_file_or_distribution_is_named(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _dist(a, "alpha-1.0", ["alpha/__init__.py,sha256=AAA,10"])
    _dist(b, "alpha-1.0", ["alpha/__init__.py,sha256=BBB,10"])
    _dist(b, "beta-2.0", ["beta/__init__.py,sha256=CCC,10"])
    text = differences(manifest(a), manifest(b))
    assert text == "only in the second: beta-2.0; files differ in: alpha-1.0"


def test_conda_packages_are_compared_by_their_records(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    for env, sha in ((a, "1" * 64), (b, "2" * 64)):
        (env / "conda-meta").mkdir(parents=True)
        (env / "conda-meta" / "numpy-1.26.4-0.json").write_text(
            f'{{"name": "numpy", "version": "1.26.4", "build": "0", "sha256": "{sha}"}}'
        )
    assert differences(manifest(a), manifest(b)) == "files differ in: numpy-1.26.4-0"


def test_a_hard_linked_file_counts_once(tmp_path: Path) -> None:
    env = tmp_path / "env"
    env.mkdir()
    (env / "big").write_bytes(b"x" * 100_000)
    alone = disk_usage(env)
    os.link(env / "big", env / "same")
    assert disk_usage(env) == alone
    (env / "other").write_bytes(b"y" * 100_000)
    assert disk_usage(env) > alone


def test_commands_are_shown_without_machine_paths(tmp_path: Path) -> None:
    import sys

    command = Command((sys.executable, "-m", "parity", "lock"))
    assert command.shown() == "python -m parity lock"
    tool = Command(
        (str(tmp_path / "bin" / "pip-compile"), f"--cache-dir={tmp_path}", "-o", "x.txt")
    )
    assert tool.shown() == "pip-compile --cache-dir=<cache> -o x.txt"

"""Credentials and machine paths planted everywhere parity can meet them never come out.

Planted: user-info and query tokens in the project's index and requirement
URLs, a GitHub token in a VCS URL, pip's environment variables, a pip.conf,
a uv.toml, a .netrc, PYTHONPATH.  Then every command runs (lock, sync,
check, snapshot, diff in every format, why, verify, export) and every line
printed and every file written is scanned.  The local index accepts any
credentials, so everything really works with them in place.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from fixtures import LocalIndex, make_project

SECRETS = (
    "PLANTED-USERINFO-PW",
    "PLANTED-QUERY-TOKEN",
    "ghp_PLANTEDPLANTEDPLANTEDPLANTED0123",
    "PLANTED-PIP-ENV-PW",
    "PLANTED-PIP-CONF-PW",
    "PLANTED-PIP-CONF-TOKEN",
    "PLANTED-UV-TOML-PW",
    "PLANTED-NETRC-PW",
)


@pytest.fixture
def planted(
    tmp_path: Path, local_index: LocalIndex, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    host = local_index.url.split("//", 1)[1].split("/", 1)[0]
    delta = next(e for e in local_index.files_for("delta") if e.is_wheel).filename
    files = local_index.url.rsplit("/simple", 1)[0] + "/files"
    root = make_project(
        tmp_path,
        {
            "requirements.in": (
                f"-i http://user:PLANTED-USERINFO-PW@{host}/simple\n"
                "beta\n"
                f"delta @ {files}/{delta}?private_token=PLANTED-QUERY-TOKEN&v=1\n"
            ),
            "requirements-dev.in": "-r requirements.in\ntool-a\n",
            ".python-version": "3.11\n",
        },
    )
    home = tmp_path / "home"
    home.mkdir()
    (home / ".netrc").write_text(
        f"machine {host.split(':')[0]} login u password PLANTED-NETRC-PW\n"
    )
    pip_conf = tmp_path / "pip.conf"
    pip_conf.write_text(
        "[global]\n"
        f"extra-index-url = http://u:PLANTED-PIP-CONF-PW@{host}/simple\n"
        f"    http://{host}/simple?token=PLANTED-PIP-CONF-TOKEN\n"
        f"find-links = {tmp_path}/machine-wheels\n"
    )
    uv_toml = tmp_path / "uv.toml"
    uv_toml.write_text(f'[[index]]\nurl = "http://u:PLANTED-UV-TOML-PW@{host}/simple"\n')
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("NETRC", str(home / ".netrc"))
    monkeypatch.setenv("PIP_CONFIG_FILE", str(pip_conf))
    monkeypatch.setenv("PIP_INDEX_URL", f"http://u:PLANTED-PIP-ENV-PW@{host}/simple")
    monkeypatch.setenv("UV_CONFIG_FILE", str(uv_toml))
    monkeypatch.delenv("UV_NO_CONFIG", raising=False)
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path}/machine-path{os.pathsep}{home}/lib")
    monkeypatch.chdir(root)
    yield root


def written_files(root: Path) -> dict[str, str]:
    """Every file parity may have written: the project's, and parity's own in the venv."""
    found: dict[str, str] = {}
    for path in root.rglob("*"):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(root)
        if rel.parts[0] == ".venv" and not rel.name.startswith(".parity-"):
            continue  # what uv and the packages wrote into the environment
        found[str(rel)] = path.read_text(encoding="utf-8", errors="replace")
    return found


def leaks(text: str, machine: list[str]) -> list[str]:
    found = [s for s in SECRETS if s in text]
    found += [f"path {m}" for m in machine if m in text]
    return found


def test_no_planted_secret_or_machine_path_comes_out(
    planted: Path, run_parity: Callable, tmp_path: Path
) -> None:
    root = planted
    machine = [str(tmp_path), str(Path.home())]
    outputs: dict[str, str] = {}
    inputs = written_files(root)  # the user's own files hold what the user wrote

    def run(*args: str, ok: tuple[int, ...] = (0, 1)) -> None:
        result = run_parity(*args)
        assert result.code in ok, f"{args}: {result.code}\n{result.err}"
        outputs[" ".join(args)] = result.out + result.err

    run("lock", ok=(0,))
    run("lock", "--json", ok=(0,))
    run("sync", "--group", "dev", ok=(0,))
    run("sync", "--group", "dev", "--json", ok=(0,))
    run("check")
    run("check", "--json")
    run("check", "--deep", "--json")
    run("snapshot", "--env", ".venv", "-o", "env.json", ok=(0,))
    run("snapshot", "--env", ".venv", ok=(0,))
    run("diff", "requirements-dev.txt", "env.json")
    run("diff", "requirements-dev.txt", "env.json", "--format", "markdown")
    run("diff", "requirements-dev.txt", "env.json", "--json")
    run("diff", "requirements.in", "requirements-dev.txt", "--json")
    run("why", "alpha")
    run("why", "alpha", "--json")
    run("verify", "--group", "dev", "--json")
    for artifact in ("requirements", "pylock", "github-actions", "makefile"):
        run("export", "--to", artifact, ok=(0, 1, 2))
    # A side that names a VCS token and URL credentials, compared without resolving.
    (root / "other.txt").write_text(
        "idna @ https://u:PLANTED-USERINFO-PW@files.example/idna-3.7-py3-none-any.whl\n"
        "pkg @ git+https://ghp_PLANTEDPLANTEDPLANTEDPLANTED0123@git.example/org/pkg@v1\n"
    )
    for fmt in ("table", "markdown", "json"):
        run("diff", "other.txt", "requirements.txt", "--format", fmt)
    (root / "other.txt").unlink()

    problems = {cmd: leaks(text, machine) for cmd, text in outputs.items()}
    problems |= {
        f"file {name}": leaks(text, machine)
        for name, text in written_files(root).items()
        if inputs.get(name) != text
    }
    assert len(written_files(root)) > len(inputs) + 5  # lockfiles, snapshot, exports, stamp
    assert {k: v for k, v in problems.items() if v} == {}
    lock = (root / "requirements.txt").read_text()
    assert "private_token" not in lock and "v=1" in lock  # the token goes, the rest stays
    snapshot = json.loads((root / "env.json").read_text())
    assert snapshot["schema"].startswith("parity/snapshot@")


def test_the_planted_index_credentials_were_really_used(planted: Path) -> None:
    """The scan above means something only if parity met the secrets: they are in its inputs."""
    text = (planted / "requirements.in").read_text()
    assert "PLANTED-USERINFO-PW" in text and "PLANTED-QUERY-TOKEN" in text
    assert shutil.which("true") is not None or os.name == "nt"
    assert re.search(r"PLANTED", os.environ["PIP_INDEX_URL"])


def test_credentials_from_pip_configuration_stay_out_of_the_lock(
    planted: Path, run_parity: Callable, tmp_path: Path
) -> None:
    """A project that names no index locks against pip's configuration (env and pip.conf)."""
    root = make_project(
        tmp_path, {"requirements.in": "beta\n", ".python-version": "3.11\n"}, name="bare"
    )
    result = run_parity("lock", "-p", root)
    assert result.code == 0, result.err
    text = (root / "requirements.txt").read_text() + result.out + result.err
    assert leaks(text, [str(tmp_path), str(Path.home())]) == []
    assert "beta==1.0" in text


@pytest.mark.skipif(
    not (3, 11) <= sys.version_info[:2] <= (3, 12),
    reason="reuse is on for Python 3.11 and 3.12 only (elsewhere nothing is recorded)",
)
def test_records_of_repeated_commands_hold_no_secret(
    planted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repeated command answers from a record on disk: it must not keep the environment's secrets."""
    import subprocess
    import sys

    cache = tmp_path / "parity-cache"
    monkeypatch.setenv("PARITY_CACHE_DIR", str(cache))
    monkeypatch.delenv("PARITY_NO_CACHE", raising=False)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "PLANTED-AWS-SECRET")
    for _ in range(2):
        for command in (["--help"], ["lock", "--help"], ["check", "--lock-only"]):
            subprocess.run(
                [sys.executable, "-m", "parity", *command],
                capture_output=True,
                cwd=planted,
                env=dict(os.environ),
                check=False,
            )
    records = [p for p in cache.rglob("*") if p.is_file()]
    assert records, "nothing was recorded: the test would prove nothing"
    for record in records:
        data = record.read_bytes()
        for secret in (*SECRETS, "PLANTED-AWS-SECRET"):
            assert secret.encode() not in data, f"{secret} in {record.name}"

"""lock -> sync -> check end to end, on real uv and real venvs, against a local index."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, Pkg, edit_lock, make_project, uv_bin
from parity.lock.formats import requirements_txt


def pins(path: Path) -> dict[str, str | None]:
    return {p.name: p.version for p in requirements_txt.read(path).pins}


@pytest.fixture
def project(tmp_path: Path, local_index: LocalIndex) -> Path:
    return make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\nbeta\ngamma\n",
            "requirements-dev.in": "-r requirements.in\ntool-a\neta\n",
            ".python-version": "3.11\n",
        },
    )


def test_lock_resolves_all_groups_once_and_prod_is_dev_restricted(
    project: Path, run_parity: Callable
) -> None:
    result = run_parity("lock", "-p", project)
    assert result.code == 0, result.err
    prod, dev = pins(project / "requirements.txt"), pins(project / "requirements-dev.txt")
    # eta (dev only) needs alpha<2: prod must carry the same alpha as dev.
    assert dev["alpha"] == prod["alpha"] == "1.1"
    assert set(prod) == {"alpha", "beta", "gamma", "delta"}
    assert set(dev) == set(prod) | {"tool-a", "eta"}
    text = (project / "requirements.txt").read_text()
    assert "# via -r requirements.in" in text
    assert "delta==1.0 ; sys_platform == 'win32'" in text
    assert "--hash=sha256:" in text
    assert str(project) not in text and "127.0.0.1" in text  # index as written, no local path


def test_each_group_file_is_made_once_as_its_export_arrives(
    project: Path, run_parity: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Made (and its digest taken) while uv still writes the other exports, then used
    # as it is: only pylock.toml and the seal are left for after uv.
    from parity.lock import outputs

    made: list[str] = []
    real = outputs.group_file

    def spy(group: object) -> outputs.GroupFile:
        made.append(group.name)  # type: ignore[attr-defined]
        return real(group)  # type: ignore[arg-type]

    monkeypatch.setattr(outputs, "group_file", spy)
    assert run_parity("lock", "-p", project).code == 0
    assert sorted(made) == ["dev", "prod"]


def test_lockfiles_are_accepted_by_pip_and_pip_sync(
    project: Path, run_parity: Callable, tmp_path: Path
) -> None:
    assert run_parity("lock", "-p", project).code == 0
    from fixtures import make_venv

    py = make_venv(tmp_path / "pipvenv", "3.11", pip=True)
    proc = subprocess.run(
        [
            py,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--require-hashes",
            "-r",
            project / "requirements-dev.txt",
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    freeze = subprocess.run([py, "-m", "pip", "freeze"], capture_output=True, text=True).stdout
    assert "tool-a==1.0" in freeze.replace("tool_a", "tool-a")


def test_a_url_or_local_archive_requirement_keeps_its_hash_and_pip_installs_the_lock(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    # One hashed line turns pip's --require-hashes on for the whole file: an archive
    # written without the hash uv took of it made `pip install -r` refuse the lock.
    from fixtures import make_venv

    alpha = next(e for e in local_index.files_for("alpha", "1.0") if e.is_wheel)
    beta = next(e for e in local_index.files_for("beta", "1.0") if e.is_wheel)
    files_url = local_index.url.removesuffix("/simple") + "/files"
    root = make_project(
        tmp_path / "p",
        {
            "requirements.in": (
                f"-i {local_index.url}\n"
                f"alpha @ {files_url}/{alpha.filename}\n"
                f"./wheels/{beta.filename}\n"
            ),
            ".python-version": "3.11\n",
        },
    )
    (root / "wheels").mkdir()
    shutil.copy(local_index.path(beta.filename), root / "wheels")
    assert run_parity("lock", "-p", root).code == 0
    text = (root / "requirements.txt").read_text()
    assert f"alpha @ {files_url}/{alpha.filename} \\\n    --hash=sha256:{alpha.sha256}\n" in text
    assert f"./wheels/{beta.filename} \\\n    --hash=sha256:{beta.sha256}\n" in text
    py = make_venv(tmp_path / "pipvenv", "3.11", pip=True)
    proc = subprocess.run(
        [py, "-m", "pip", "install", "--quiet", "-r", root / "requirements.txt"],
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert proc.returncode == 0, proc.stderr


def test_a_lock_whose_archive_pin_lacks_its_hash_is_stale_and_relocked(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    # An older parity wrote a URL pin without its hash: its digests are current, but
    # pip refuses the file, so the gate must not pass it and `lock` must rewrite it.
    from parity.lock.integrity import seal

    alpha = next(e for e in local_index.files_for("alpha", "1.0") if e.is_wheel)
    url = local_index.url.removesuffix("/simple") + f"/files/{alpha.filename}"
    root = make_project(
        tmp_path / "p",
        {
            "requirements.in": f"-i {local_index.url}\nalpha @ {url}\nbeta\n",
            ".python-version": "3.11\n",
        },
    )
    assert run_parity("lock", "-p", root).code == 0
    lockfile, pylock = root / "requirements.txt", root / "pylock.toml"
    hashed = lockfile.read_text()
    old = hashed.replace(f"{url} \\\n    --hash=sha256:{alpha.sha256}\n", f"{url}\n")
    assert old != hashed
    seal_lines = ("# parity:content ", "# parity:generation ", "content = ", "generation = ")
    unsealed = {
        path.name: "".join(
            line for line in text.splitlines(keepends=True) if not line.startswith(seal_lines)
        )
        for path, text in ((lockfile, old), (pylock, pylock.read_text()))
    }
    for name, text in seal(unsealed).items():
        (root / name).write_text(text)
    result = run_parity("check", "-p", root, "--lock-only")
    assert result.code == 1
    assert "lock-stale" in result.out and "alpha to an archive without its hash" in result.out
    assert "lock-edited" not in result.out and "lock-mixed" not in result.out
    result = run_parity("lock", "-p", root)
    assert result.code == 0, result.err
    assert lockfile.read_text() == hashed
    assert run_parity("check", "-p", root, "--lock-only").code == 0


def test_trusted_host_is_carried_into_the_lockfiles_and_sealed(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    # pip uses a plain-HTTP index only for a --trusted-host: the line was accepted in
    # requirements.in and left out of the lock, so `pip install -r` found nothing.
    root = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\n--trusted-host 127.0.0.1\nbeta\n",
            "requirements-dev.in": "-r requirements.in\n--trusted-host mirror.example\ntool-a\n",
            ".python-version": "3.11\n",
        },
    )
    assert run_parity("lock", "-p", root).code == 0
    for name in ("requirements.txt", "requirements-dev.txt"):
        text = (root / name).read_text()
        assert (
            f"--index-url {local_index.url}\n--trusted-host 127.0.0.1\n"
            "--trusted-host mirror.example\n\n"
        ) in text
    result = run_parity("lock", "-p", root, "--verbose")
    assert result.code == 0 and "uv lock" not in result.out + result.err  # up to date
    assert run_parity("check", "-p", root, "--lock-only").code == 0
    lockfile = root / "requirements.txt"
    lockfile.write_text(lockfile.read_text().replace("--trusted-host mirror.example\n", ""))
    result = run_parity("check", "-p", root, "--lock-only")
    assert result.code == 1 and "lock-edited" in result.out


def test_a_constrained_package_names_its_constraints_file_in_via_as_pip_compile_does(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    # pip-compile and uv pip compile write `# via -c constraints.txt`; parity's lock
    # named only the packages, so the lock hid why alpha stopped below 2.
    root = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\n-c constraints.txt\nbeta\n",
            "constraints.txt": "alpha<2\nzeta==1.0\n",
            ".python-version": "3.11\n",
        },
    )
    assert run_parity("lock", "-p", root).code == 0
    text = (root / "requirements.txt").read_text()
    assert "alpha==1.1 \\\n" in text
    assert "    # via\n    #   -c constraints.txt\n    #   beta\n" in text
    assert "zeta" not in text  # a constraint on a package nothing needs adds nothing
    result = run_parity("why", "alpha", "-p", root)
    assert result.code == 0 and "is a direct requirement" not in result.out
    assert run_parity("lock", "-p", root, "--verbose").out.count("uv lock") == 0


def test_pylock_holds_every_group_and_uv_installs_it(
    project: Path, run_parity: Callable, tmp_path: Path
) -> None:
    assert run_parity("lock", "-p", project).code == 0
    from fixtures import make_venv

    py = make_venv(tmp_path / "v", "3.11")
    for extra, expected in (([], False), (["--group", "dev"], True)):
        proc = subprocess.run(
            [uv_bin(), "pip", "sync", "--python", py, project / "pylock.toml", *extra],
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stderr
        listing = subprocess.run(
            [uv_bin(), "pip", "freeze", "--python", py], capture_output=True, text=True
        ).stdout
        assert ("tool-a==1.0" in listing) is expected
        assert "beta==1.0" in listing


def test_relock_keeps_pins_until_upgrade(
    project: Path, run_parity: Callable, local_index: LocalIndex
) -> None:
    (project / "requirements-dev.in").write_text("-r requirements.in\ntool-a\n")
    assert run_parity("lock", "-p", project).code == 0
    first = (project / "requirements.txt").read_text()
    assert pins(project / "requirements.txt")["alpha"] == "2.0"
    local_index.add(Pkg("alpha", "2.1"))
    assert run_parity("lock", "-p", project).code == 0
    assert (project / "requirements.txt").read_text() == first  # byte-stable, pin kept
    result = run_parity("lock", "-p", project, "--upgrade-package", "alpha")
    assert result.code == 0
    assert pins(project / "requirements.txt")["alpha"] == "2.1"
    assert "alpha 2.0 -> 2.1" in result.out


def test_sync_then_check_passes_and_noop_sync_does_nothing(
    project: Path, run_parity: Callable
) -> None:
    assert run_parity("lock", "-p", project).code == 0
    result = run_parity("sync", "-p", project, "--group", "dev")
    assert result.code == 0, result.err
    assert "Created and synced" in result.out
    assert run_parity("sync", "-p", project, "--group", "dev").out.startswith("In sync")
    check = run_parity("check", "-p", project, "--json")
    assert check.code == 0, check.out
    assert check.json()["environment_method"] == "stamp"
    assert check.json()["group"] == "dev"


def test_check_reports_drift_and_stale_lock(
    project: Path, run_parity: Callable, local_index: LocalIndex
) -> None:
    assert run_parity("lock", "-p", project).code == 0
    assert run_parity("sync", "-p", project).code == 0
    venv_py = project / ".venv" / "bin" / "python"
    subprocess.run(
        [
            uv_bin(),
            "pip",
            "install",
            "--python",
            venv_py,
            "--index-url",
            local_index.url,
            "zeta",
            "alpha==1.0",
        ],
        check=True,
        capture_output=True,
    )
    (project / "requirements.in").write_text(f"-i {local_index.url}\nbeta\ngamma\nepsilon\n")
    result = run_parity("check", "-p", project, "--json")
    assert result.code == 1
    findings = {(f["code"], f.get("subject")) for f in result.json()["findings"]}
    assert ("lock-stale", "requirements.txt") in findings
    assert ("package-extra", "zeta") in findings
    assert ("package-version", "alpha") in findings
    stale = next(f for f in result.json()["findings"] if f["code"] == "lock-stale")
    assert "requirements.in changed (+epsilon)" in stale["message"]
    drift = [f for f in result.json()["findings"] if f["code"].startswith("package-")]
    assert all(f["data"]["risk"] in {"critical", "high", "medium", "low"} for f in drift)
    scores = [f["data"]["score"] for f in drift]
    assert scores == sorted(scores, reverse=True)


def test_sync_removes_what_the_lock_does_not_hold(
    project: Path, run_parity: Callable, local_index: LocalIndex
) -> None:
    assert run_parity("lock", "-p", project).code == 0
    assert run_parity("sync", "-p", project, "--group", "dev").code == 0
    result = run_parity("sync", "-p", project)  # back to prod: dev tools go
    assert result.code == 0
    assert "removed" in result.out
    assert run_parity("check", "-p", project).code == 0


def test_check_flags_wrong_python(project: Path, run_parity: Callable) -> None:
    from fixtures import find_python

    if find_python("3.12") is None:
        pytest.skip("Python 3.12 is not installed")
    assert run_parity("lock", "-p", project).code == 0
    assert run_parity("sync", "-p", project).code == 0
    (project / ".python-version").write_text("3.12\n")
    stale = run_parity("check", "-p", project, "--json")
    assert {f["code"] for f in stale.json()["findings"]} == {"lock-stale"}
    assert run_parity("lock", "-p", project).code == 0
    result = run_parity("check", "-p", project, "--json")
    assert result.code == 1
    assert [f["code"] for f in result.json()["findings"]] == ["python-mismatch"]
    assert run_parity("sync", "-p", project).code == 0  # rebuilds on 3.12
    assert run_parity("check", "-p", project).code == 0


def test_unsatisfiable_inputs_explain_and_write_nothing(
    project: Path, run_parity: Callable
) -> None:
    (project / "requirements.in").write_text((project / "requirements.in").read_text() + "theta\n")
    result = run_parity("lock", "-p", project)
    assert result.code == 2
    assert "no set of versions" in result.err
    assert "theta" in result.err and "alpha" in result.err
    assert "Traceback" not in result.err
    assert not (project / "requirements.txt").exists()


def test_missing_python_is_a_clear_error(project: Path, run_parity: Callable) -> None:
    assert run_parity("lock", "-p", project).code == 0
    lockfile = project / "requirements.txt"
    edit_lock(lockfile, "# parity:python 3.11", "# parity:python 3.4")
    result = run_parity("sync", "-p", project)
    assert result.code == 2
    assert "Python 3.4 is not installed" in result.err
    assert "uv python install 3.4" in result.err
    assert not (project / ".venv").exists()


def test_locking_for_an_absent_python_says_which(project: Path, run_parity: Callable) -> None:
    (project / ".python-version").write_text("3.4\n")
    result = run_parity("lock", "-p", project)
    assert result.code == 2
    assert "Python 3.4 is not installed" in result.err
    assert not (project / "requirements.txt").exists()


def test_unknown_group_lists_the_known_ones(project: Path, run_parity: Callable) -> None:
    assert run_parity("lock", "-p", project).code == 0
    result = run_parity("sync", "-p", project, "--group", "docs")
    assert result.code == 2
    assert "unknown group 'docs'" in result.err and "prod, dev" in result.err


def test_named_target_locks_for_one_platform(project: Path, run_parity: Callable) -> None:
    result = run_parity(
        "lock", "-p", project, "--python-platform", "windows", "--python-version", "3.11"
    )
    assert result.code == 0, result.err
    text = (project / "requirements.txt").read_text()
    assert "delta==1.0\n" in text or "delta==1.0 \\" in text  # win32-only dep, marker gone
    assert "# parity:target windows / Python 3.11" in text
    assert "#    parity lock --python-platform windows --python-version 3.11\n" in text


def test_a_lock_for_a_named_target_stays_fresh_whatever_its_label_says(
    project: Path, run_parity: Callable
) -> None:
    # check decides freshness from the options stored in the header, never from
    # the human-readable target label.
    assert run_parity("lock", "-p", project, "--python-platform", "linux").code == 0
    edit_lock(project / "requirements.txt", "# parity:target linux", "# parity:target whatever")
    result = run_parity("check", "-p", project, "--json")
    assert '"lock_fresh": true' in result.out, result.out


def test_pip_sync_reads_the_lockfile(project: Path, run_parity: Callable, tmp_path: Path) -> None:
    import sys

    from fixtures import make_venv

    assert run_parity("lock", "-p", project).code == 0
    python = make_venv(tmp_path / "pipsync", "3.11", pip=True)
    pip_sync = Path(sys.executable).parent / "pip-sync"
    proc = subprocess.run(
        [pip_sync, "--python-executable", python, project / "requirements-dev.txt"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    frozen = subprocess.run(
        [uv_bin(), "pip", "freeze", "--python", python], capture_output=True, text=True
    ).stdout
    assert "tool-a==1.0" in frozen.replace("tool_a", "tool-a") and "eta==1.0" in frozen


def test_local_path_dependency_is_written_relative(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable
) -> None:
    project = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\n-e ./libs/mylib\nbeta\n",
            ".python-version": "3.11\n",
            "libs/mylib/pyproject.toml": (
                "[build-system]\nrequires = []\nbuild-backend = 'backend'\nbackend-path = ['.']\n"
                "[project]\nname = 'mylib'\nversion = '0.1'\n"
            ),
        },
    )
    result = run_parity("lock", "-p", project, "--no-pylock")
    if result.code != 0 and "backend" in result.err:
        pytest.skip("local build backend unavailable")
    text = (project / "requirements.txt").read_text()
    assert "-e ./libs/mylib" in text
    assert str(tmp_path) not in text


def test_offline_says_what_the_cache_lacks(
    project: Path, run_parity: Callable, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The test index forbids caching its pages (so republished files are seen),
    # so only the failure side of --offline can be shown hermetically; the
    # network test covers a warm-cache offline lock.
    assert run_parity("lock", "-p", project).code == 0
    monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "empty-cache"))
    result = run_parity("lock", "-p", project, "--offline", "--upgrade")
    assert result.code == 2
    assert "cannot resolve offline" in result.err and "not in the uv cache" in result.err


def test_sync_of_a_stale_lock_warns(project: Path, run_parity: Callable) -> None:
    assert run_parity("lock", "-p", project).code == 0
    (project / "requirements.in").write_text((project / "requirements.in").read_text() + "zeta\n")
    result = run_parity("sync", "-p", project)
    assert result.code == 0
    assert "warning: requirements.txt is stale: requirements.in changed (+zeta)" in result.err


def test_check_without_a_stamp_compares_with_the_best_matching_group(
    project: Path, run_parity: Callable
) -> None:
    assert run_parity("lock", "-p", project).code == 0
    assert run_parity("sync", "-p", project, "--group", "dev").code == 0
    (project / ".venv" / ".parity-sync.json").unlink()
    result = run_parity("check", "-p", project, "--json")
    assert result.code == 0, result.out
    assert result.json()["group"] == "dev"
    assert result.json()["environment_method"] == "full"

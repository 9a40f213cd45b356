from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from fixtures import LocalIndex, Pkg, make_project
from parity.diagnose.verify import (
    BYPASS,
    LOCK,
    PROJECT,
    TOOL,
    ci_item,
    classify_command,
    git_item,
    import_names,
    lockfile_item,
    logical_lines,
    parse_import_output,
    rebuild,
    scan_ci_text,
    split_modules,
)
from parity.errors import PythonNotFoundError
from parity.fsutil import cache_root
from parity.lock.model import LockedGroup, LockMeta, Pin

META = LockMeta(digest="sha256:0", inputs=(), requires_python=None, python="3.11")
NAMES = frozenset({"alpha", "beta", "pandas"})
LOCKFILES = ("requirements.txt", "requirements-dev.txt")


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def items(result: Any) -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for entry in result.json()["items"]}


def statuses(result: Any) -> dict[str, str]:
    return {key: entry["status"] for key, entry in items(result).items()}


# -- pure decisions ---------------------------------------------------------------------


def test_lockfile_with_exact_hashed_pins_passes() -> None:
    group = LockedGroup("prod", "requirements.txt", (Pin("a", "1.0", hashes=("sha256:x",)),), META)
    assert lockfile_item(group).status == "pass"


def test_lockfile_pin_without_hashes_fails_and_names_it() -> None:
    group = LockedGroup(
        "prod",
        "requirements.txt",
        (Pin("a", "1.0", hashes=("sha256:x",)), Pin("b", "2.0")),
        META,
    )
    result = lockfile_item(group)
    assert result.status == "fail"
    assert "without hashes: b" in result.evidence


def test_lockfile_vcs_pin_must_be_at_a_commit() -> None:
    floating = Pin("lib", "1.0", source="git+https://git.example/lib.git@main")
    pinned = Pin("lib", "1.0", source="git+https://git.example/lib.git@" + "a" * 40)
    assert lockfile_item(LockedGroup("prod", "r.txt", (floating,), META)).status == "fail"
    assert lockfile_item(LockedGroup("prod", "r.txt", (pinned,), META)).status == "pass"


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        ("pip install --require-hashes -r requirements-dev.txt", LOCK),
        ("python -m pip install -rrequirements.txt", LOCK),
        (".venv/bin/pip install --requirement=requirements.txt", LOCK),
        ("uv pip sync requirements.txt", LOCK),
        ("pip-sync", LOCK),
        ("parity sync --group dev", LOCK),
        ("uv sync --locked", LOCK),
        ("poetry install --no-root", LOCK),
        ("pip install -c requirements.txt pandas", LOCK),
        ("pip install -r requirements.in", BYPASS),
        ("uv pip install -r requirements-dev.in", BYPASS),
        ("pip install pandas", BYPASS),
        ("pip install 'pandas>=2'", BYPASS),
        ("uv sync", BYPASS),
        ("pip install -e .", PROJECT),
        ("pip install .", PROJECT),
        ("pip install pandas==2.2.0", TOOL),
        ("pip install --upgrade pip setuptools", TOOL),
        ("pip install parity", TOOL),
        ("pip install -r docs/extra.txt", TOOL),
        ("pip check", None),
        ("python -m pytest", None),
    ],
)
def test_ci_commands_are_classified(command: str, kind: str | None) -> None:
    assert classify_command(command, lockfiles=LOCKFILES, locked_names=NAMES)[0] == kind


def test_ci_scan_joins_continuations_drops_comments_and_numbers_lines() -> None:
    text = "# pip install -r requirements.in\nRUN pip install \\\n    -r requirements.in\n"
    found = scan_ci_text("Dockerfile", text, lockfiles=LOCKFILES, locked_names=NAMES)
    assert [(f.line, f.kind, f.command) for f in found] == [
        (2, BYPASS, "pip install -r requirements.in")
    ]
    assert logical_lines("a \\\nb\n# c\n") == [(1, "a b")]


def test_ci_scan_reads_tox_deps_and_nox_sessions() -> None:
    tox = "[testenv]\ndeps =\n    -r{toxinidir}/requirements-dev.txt\ncommands = pytest\n"
    nox = 'def tests(session):\n    session.install("-r", "requirements.in")\n'
    tox_found = scan_ci_text("tox.ini", tox, lockfiles=LOCKFILES, locked_names=NAMES)
    nox_found = scan_ci_text("noxfile.py", nox, lockfiles=LOCKFILES, locked_names=NAMES)
    assert [(f.line, f.kind) for f in tox_found] == [(3, LOCK)]
    assert [(f.line, f.kind) for f in nox_found] == [(2, BYPASS)]
    assert nox_found[0].render() == (
        'noxfile.py:2: session.install("-r", "requirements.in")'
        " (installs from an input file, not the lock)"
    )


def test_ci_installing_only_the_project_fails(tmp_path: Path) -> None:
    (tmp_path / "Makefile").write_text("install:\n\tpip install -e .\n")
    result = ci_item(tmp_path, lockfiles=LOCKFILES, locked_names=NAMES)
    assert result.status == "fail"
    assert "no command installs from a lockfile" in result.evidence


def test_ci_that_installs_nothing_is_a_skip(tmp_path: Path) -> None:
    (tmp_path / "Makefile").write_text("test:\n\tpytest\n")
    assert ci_item(tmp_path, lockfiles=LOCKFILES, locked_names=NAMES).status == "skip"


def test_ci_job_that_tests_another_repository_is_not_this_ones_install(tmp_path: Path) -> None:
    """click's nightly job checks out Flask and runs `uv sync` there."""
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "nightly.yaml").write_text(
        "jobs:\n"
        "  tests:\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: pip install --require-hashes -r requirements-dev.txt\n"
        "  flask:\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          repository: pallets/flask\n"
        "      - run: uv sync --all-extras\n"
    )
    result = ci_item(tmp_path, lockfiles=LOCKFILES, locked_names=NAMES)
    assert result.status == "pass", result.evidence
    assert not any("uv sync" in line for line in result.evidence)


def test_import_names_come_from_top_level_or_record(tmp_path: Path) -> None:
    (tmp_path / "withtop-1.0.dist-info").mkdir()
    (tmp_path / "withtop-1.0.dist-info/top_level.txt").write_text("wt\n_private\nmissing\n")
    (tmp_path / "wt").mkdir()
    (tmp_path / "_private.py").write_text("")
    (tmp_path / "rec-2.0.dist-info").mkdir()
    (tmp_path / "rec-2.0.dist-info/RECORD").write_text(
        "rec/__init__.py,sha256=x,1\nfast.cpython-311-x86_64-linux-gnu.so,sha256=y,2\n"
        "single.py,,\nrec-2.0.dist-info/METADATA,,\n../../bin/rec,,\ntests/__init__.py,,\n"
    )
    for present in ("rec", "tests"):
        (tmp_path / present).mkdir()
    (tmp_path / "fast.cpython-311-x86_64-linux-gnu.so").write_text("")
    (tmp_path / "single.py").write_text("")
    found = import_names(tmp_path, ["WithTop", "rec", "absent"])
    assert found == {"withtop": ("wt",), "rec": ("rec", "fast", "single")}


def test_import_output_reports_failures_and_crashes() -> None:
    mark = "##parity## "
    out = (
        f"{mark}ACTIVE 3.11.7 cpython 1\n{mark}TRY a\nnoise\n{mark}TRY b\n"
        f"{mark}FAILED b ModuleNotFoundError: No module named 'x'\n{mark}TRY c\n"
    )
    run = parse_import_output(out, -11)
    assert (run.version, run.implementation, run.in_venv) == ("3.11.7", "CPython", True)
    assert run.failures == ("b failed: ModuleNotFoundError: No module named 'x'",)
    assert run.errors == ("import c crashed the interpreter (exit code -11)",)


def test_modules_are_shared_heaviest_first() -> None:
    shares = split_modules({"big": 100, "mid": 60, "small": 30, "tiny": 1}, 2)
    assert shares == [["big"], ["mid", "small", "tiny"]]
    assert split_modules({}, 4) == [[]]


def test_not_a_git_repository_fails_with_a_clear_line(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("")
    result = git_item(tmp_path, "requirements.txt")
    assert result.status == "fail"
    assert "not in a git repository" in result.evidence[0]


def test_lockfile_ignored_by_git_names_the_rule(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / ".gitignore").write_text("*.txt\n")
    (tmp_path / "requirements.txt").write_text("")
    result = git_item(tmp_path, "requirements.txt")
    assert result.status == "fail"
    assert ".gitignore:1 ignores it" in result.evidence[0]


def test_lockfile_staged_but_never_committed_fails(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    (tmp_path / "requirements.txt").write_text("")
    git(tmp_path, "add", "requirements.txt")
    result = git_item(tmp_path, "requirements.txt")
    assert result.status == "fail"
    assert "staged but was never committed" in result.evidence[0]


# -- end to end on a real rebuild ---------------------------------------------------------


def rebuilt_venvs() -> list[Path]:
    """Venvs verify left in parity's cache (its folders there keep bytecode only)."""
    return [p for p in (cache_root() / "verify").glob("*/*") if p.name not in ("claim", "pycache")]


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Where verify's temporary venvs go, so the tests can see them removed."""
    where = tmp_path / "system-tmp"
    where.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(where))
    yield where


@pytest.fixture
def project(
    tmp_path: Path, local_index: LocalIndex, run_parity: Callable[..., Any], private_tmp: Path
) -> Path:
    local_index.add(
        Pkg("needy", "1.0", files={"needy/__init__.py": "import zeta\n"}),
        Pkg("crashy", "1.0", files={"crashy/__init__.py": "import os\nos._exit(3)\n"}),
    )
    root = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\ngamma\n",
            "requirements-dev.in": "-r requirements.in\ntool-a\n",
            ".python-version": "3.11\n",
            ".github/workflows/ci.yml": (
                "jobs:\n  test:\n    steps:\n"
                "      - run: pip install --require-hashes -r requirements-dev.txt\n"
            ),
        },
    )
    assert run_parity("lock", "-p", root).code == 0
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "init")
    return root


def relock_with(root: Path, run_parity: Callable[..., Any], requirement: str) -> None:
    (root / "requirements.in").write_text((root / "requirements.in").read_text() + requirement)
    assert run_parity("lock", "-p", root).code == 0
    git(root, "commit", "-qam", "add " + requirement)


def test_good_project_passes_every_item_in_the_courses_order(
    project: Path, run_parity: Callable[..., Any], private_tmp: Path
) -> None:
    result = run_parity("verify", "-p", project, "--group", "dev", "--json")
    assert result.code == 0, result.out
    data = result.json()
    assert data["schema"] == "parity/verify@1"
    assert [i["id"] for i in data["items"]] == [
        "create",
        "lockfile",
        "committed",
        "fresh",
        "rebuild",
        "usable",
        "ci",
    ]
    assert set(statuses(result).values()) == {"pass"}
    usable = " ".join(items(result)["usable"]["evidence"])
    assert "gamma" in usable and "tool_a" in usable
    assert "hash-verified by uv against the lock (--require-hashes)" in " ".join(
        items(result)["rebuild"]["evidence"]
    )
    # the venv is gone (work folders live in parity's own folder of the temp dir)
    assert [p for p in private_tmp.rglob("*") if not p.name.startswith("parity-")] == []
    assert rebuilt_venvs() == []
    assert not any(p.name == "pyvenv.cfg" for p in project.rglob("pyvenv.cfg"))


def test_uncommitted_lock_fails_the_git_item(project: Path, run_parity: Callable[..., Any]) -> None:
    git(project, "rm", "-q", "--cached", "requirements.txt")
    git(project, "commit", "-qm", "drop")
    result = run_parity("verify", "-p", project, "--json")
    assert result.code == 1
    assert statuses(result)["committed"] == "fail"
    assert "not tracked" in items(result)["committed"]["evidence"][0]


def test_modified_lock_fails_the_git_item(project: Path, run_parity: Callable[..., Any]) -> None:
    lock = project / "requirements.txt"
    lock.write_text(lock.read_text() + "\n")
    result = run_parity("verify", "-p", project, "--json")
    assert statuses(result)["committed"] == "fail"
    assert "not committed" in items(result)["committed"]["evidence"][0]


def test_stale_lock_fails_freshness(project: Path, run_parity: Callable[..., Any]) -> None:
    (project / "requirements.in").write_text((project / "requirements.in").read_text() + "zeta\n")
    result = run_parity("verify", "-p", project, "--json")
    assert result.code == 1
    assert statuses(result)["fresh"] == "fail"
    assert "+zeta" in items(result)["fresh"]["evidence"][0]


def test_tampered_hash_fails_the_rebuild_with_uvs_error(
    project: Path, run_parity: Callable[..., Any], local_index: LocalIndex, private_tmp: Path
) -> None:
    lock = project / "requirements.txt"
    good = local_index.hashes("beta", "1.0")[0]
    lock.write_text(lock.read_text().replace(good, "sha256:" + "0" * 64))
    result = run_parity("verify", "-p", project, "--json")
    assert result.code == 1
    found = statuses(result)
    assert (found["create"], found["rebuild"], found["usable"]) == ("pass", "fail", "skip")
    assert any("hash" in line.lower() for line in items(result)["rebuild"]["evidence"])
    assert [p for p in private_tmp.rglob("*") if not p.name.startswith("parity-")] == []
    assert rebuilt_venvs() == []


def test_lock_missing_a_dependency_fails_consistency(
    project: Path, run_parity: Callable[..., Any]
) -> None:
    lock = project / "requirements.txt"
    text = lock.read_text()
    lock.write_text(text[: text.index("alpha==")] + text[text.index("beta==") :])
    result = run_parity("verify", "-p", project, "--json")
    assert statuses(result)["usable"] == "fail"
    assert any(
        "uv pip check" in line and "alpha" in line for line in items(result)["usable"]["evidence"]
    )


def test_undeclared_import_fails_the_import_check(
    project: Path, run_parity: Callable[..., Any]
) -> None:
    relock_with(project, run_parity, "needy\n")
    result = run_parity("verify", "-p", project, "--json")
    assert result.code == 1
    usable = items(result)["usable"]
    assert usable["status"] == "fail"
    assert "import needy failed: ModuleNotFoundError: No module named 'zeta'" in usable["evidence"]


def test_a_module_that_kills_the_interpreter_is_named(
    project: Path, run_parity: Callable[..., Any]
) -> None:
    relock_with(project, run_parity, "crashy\n")
    result = run_parity("verify", "-p", project, "--json")
    evidence = items(result)["usable"]["evidence"]
    assert "import crashy crashed the interpreter (exit code 3)" in evidence
    assert statuses(result)["create"] == "pass"


def test_ci_installing_from_input_files_fails(
    project: Path, run_parity: Callable[..., Any]
) -> None:
    (project / ".github/workflows/ci.yml").write_text(
        "steps:\n  - run: pip install -r requirements.in\n"
    )
    result = run_parity("verify", "-p", project, "--json")
    ci = items(result)["ci"]
    assert ci["status"] == "fail"
    assert ci["evidence"][0].startswith(
        ".github/workflows/ci.yml:2: pip install -r requirements.in"
    )


def test_no_ci_is_a_skip_not_a_failure(project: Path, run_parity: Callable[..., Any]) -> None:
    (project / ".github/workflows/ci.yml").unlink()
    git(project, "add", "-A")
    git(project, "commit", "-qm", "no ci")
    result = run_parity("verify", "-p", project)
    assert result.code == 0, result.out
    assert "SKIP" in result.out
    assert "a skip is not a failure" in result.out


def test_missing_lockfile_fails_and_skips_what_depends_on_it(
    project: Path, run_parity: Callable[..., Any]
) -> None:
    (project / "requirements-dev.txt").unlink()
    result = run_parity("verify", "-p", project, "--group", "dev", "--json")
    assert result.code == 1
    assert statuses(result) == {
        "create": "skip",
        "lockfile": "fail",
        "committed": "skip",
        "fresh": "skip",
        "rebuild": "skip",
        "usable": "skip",
        "ci": "pass",
    }


def test_missing_python_fails_creation_and_skips_the_rebuild(
    project: Path, run_parity: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_python(*args: object, **kwargs: object) -> None:
        raise PythonNotFoundError("Python 3.11 is not installed", hint="Install it.")

    monkeypatch.setattr(rebuild, "create_venv", no_python)
    result = run_parity("verify", "-p", project, "--json")
    found = items(result)
    assert found["create"]["status"] == "fail"
    assert found["create"]["fix"] == "Install it."
    assert (found["rebuild"]["status"], found["usable"]["status"]) == ("skip", "skip")


def test_unknown_group_is_bad_input(project: Path, run_parity: Callable[..., Any]) -> None:
    result = run_parity("verify", "-p", project, "--group", "nope")
    assert result.code == 2
    assert "unknown group" in result.err


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths in the evidence check")
def test_evidence_never_shows_the_temporary_path(
    project: Path, run_parity: Callable[..., Any], private_tmp: Path
) -> None:
    lock = project / "requirements.txt"
    text = lock.read_text()
    lock.write_text(text[: text.index("alpha==")] + text[text.index("beta==") :])
    result = run_parity("verify", "-p", project, "--json")
    assert str(private_tmp) not in result.out
    assert str(cache_root()) not in result.out, result.out


def test_a_second_verify_of_byte_identical_packages_reuses_the_import_outcome(
    project: Path, run_parity: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PARITY_CACHE_DIR", str(tmp_path / "own-cache"))

    def usable_evidence() -> str:
        result = run_parity("verify", "-p", project, "--group", "dev", "--json")
        assert result.code == 0, result.out
        return " ".join(items(result)["usable"]["evidence"])

    first = usable_evidence()
    assert "tool_a" in first and "imported for real on" not in first
    again = usable_evidence()
    assert "tool_a" in again and "imported for real on" in again
    monkeypatch.setenv("PARITY_NO_CACHE", "1")
    assert "imported for real on" not in usable_evidence()
    monkeypatch.delenv("PARITY_NO_CACHE")
    relock_with(project, run_parity, "delta\n")
    assert "imported for real on" not in usable_evidence()


def test_a_failed_import_is_never_reused(
    project: Path, run_parity: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PARITY_CACHE_DIR", str(tmp_path / "own-cache"))
    relock_with(project, run_parity, "needy\n")
    for _ in range(2):
        result = run_parity("verify", "-p", project, "--json")
        assert items(result)["usable"]["status"] == "fail"


def test_the_bytecode_of_the_import_test_is_kept_for_the_next_verify_of_the_lock(
    project: Path, run_parity: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The venv is rebuilt from scratch each time; what was compiled from its bytes is kept."""
    monkeypatch.setenv("PARITY_CACHE_DIR", str(tmp_path / "own-cache"))
    monkeypatch.setenv("PARITY_NO_CACHE", "1")  # every import for real
    assert run_parity("verify", "-p", project, "--group", "dev").code == 0
    (folder,) = (tmp_path / "own-cache" / "verify").iterdir()
    compiled = sorted(p.name for p in (folder / "pycache").rglob("*.pyc") if "tool_a" in p.parts)
    assert compiled and compiled[0].startswith("__init__.cpython-")
    assert rebuilt_venvs() == []
    assert run_parity("verify", "-p", project, "--group", "dev").code == 0
    assert list((tmp_path / "own-cache" / "verify").iterdir()) == [folder]  # the same folder
    assert rebuilt_venvs() == []


POETRY_LOCK_TEXT = (
    '[[package]]\nname = "a"\nversion = "{}"\noptional = false\ngroups = ["main"]\n'
    "files = []\n\n"
    '[metadata]\nlock-version = "2.1"\npython-versions = ">=3.10"\ncontent-hash = "x"\n'
)


def _poetry_ci_project(root: Path, *, locked: str | None) -> Path:
    workflows = root / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text("jobs:\n  t:\n    steps:\n      - run: poetry install\n")
    (root / "requirements.txt").write_text("a==1.0\n")
    if locked is not None:
        (root / "poetry.lock").write_text(POETRY_LOCK_TEXT.format(locked))
    return root


def test_ci_poetry_install_is_the_same_lock_only_while_poetry_lock_agrees(tmp_path: Path) -> None:
    # qdrant-client's CI runs `poetry install`: verify passed it as "the same lock" even
    # with poetry.lock pinning another version than parity's lock.
    agrees = _poetry_ci_project(tmp_path / "agrees", locked="1.0")
    assert ci_item(agrees, lockfiles=["requirements.txt"], locked_names=["a"]).status == "pass"
    differs = _poetry_ci_project(tmp_path / "differs", locked="0.9")
    result = ci_item(differs, lockfiles=["requirements.txt"], locked_names=["a"])
    assert result.status == "fail"
    assert any("poetry.lock pins a 0.9" in line for line in result.evidence)
    assert result.fix is not None and "Make poetry.lock and the lock agree" in result.fix
    missing = _poetry_ci_project(tmp_path / "missing", locked=None)
    result = ci_item(missing, lockfiles=["requirements.txt"], locked_names=["a"])
    assert result.status == "fail"
    assert any("there is no poetry.lock" in line for line in result.evidence)


UV_LOCK_TEXT = (
    'version = 1\nrequires-python = ">=3.10"\n\n[[package]]\nname = "a"\nversion = "{}"\n'
    'source = {{ registry = "https://index.example/simple" }}\n'
)
PDM_LOCK_TEXT = '[metadata]\ngroups = ["default"]\n\n[[package]]\nname = "a"\nversion = "{}"\n'


@pytest.mark.parametrize(
    ("command", "lockfile", "text"),
    [("uv sync --locked", "uv.lock", UV_LOCK_TEXT), ("pdm sync", "pdm.lock", PDM_LOCK_TEXT)],
)
def test_ci_uv_sync_and_pdm_sync_are_the_same_lock_only_while_their_lock_agrees(
    tmp_path: Path, command: str, lockfile: str, text: str
) -> None:
    # pdm-backend's CI runs `pdm sync`, fastapi's `uv sync --locked`: verify passed them as
    # "the same lock" whatever pdm.lock or uv.lock pinned.
    def project(name: str, locked: str | None) -> Path:
        root = tmp_path / name
        workflows = root / ".github" / "workflows"
        workflows.mkdir(parents=True)
        (workflows / "ci.yml").write_text(f"jobs:\n  t:\n    steps:\n      - run: {command}\n")
        (root / "requirements.txt").write_text("a==1.0\n")
        if locked is not None:
            (root / lockfile).write_text(text.format(locked))
        return root

    def ci(root: Path) -> Any:
        return ci_item(root, lockfiles=["requirements.txt"], locked_names=["a"])

    assert ci(project("agrees", "1.0")).status == "pass"
    result = ci(project("differs", "0.9"))
    assert result.status == "fail"
    assert any(f"{lockfile} pins a 0.9" in line for line in result.evidence)
    assert result.fix is not None and f"Make {lockfile} and the lock agree" in result.fix
    result = ci(project("missing", None))
    assert result.status == "fail"
    assert any(f"there is no {lockfile}, so" in line for line in result.evidence)


def test_ci_uv_sync_without_a_uv_lock_resolves_afresh_rather_than_needing_locked(
    tmp_path: Path,
) -> None:
    # optuna keeps uv.lock out of git: "add --locked" would only make its CI fail.
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "ci.yml").write_text("jobs:\n  t:\n    steps:\n      - run: uv sync\n")
    (tmp_path / "requirements.txt").write_text("a==1.0\n")
    result = ci_item(tmp_path, lockfiles=["requirements.txt"], locked_names=["a"])
    assert result.status == "fail"
    assert result.evidence[0].endswith("uv sync (there is no uv.lock, so uv resolves afresh)")
    (tmp_path / "uv.lock").write_text(UV_LOCK_TEXT.format("1.0"))
    result = ci_item(tmp_path, lockfiles=["requirements.txt"], locked_names=["a"])
    assert "add --locked" in result.evidence[0]

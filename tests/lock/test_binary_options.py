"""``--only-binary`` / ``--no-binary`` in requirements inputs change the lock (real uv, local index).

The index holds ``pkg`` 1.0 (wheel and sdist) and 2.0 (sdist only), and
``other`` 1.0 (wheel and sdist) and 2.0 (wheel only): without options uv
takes both 2.0s; ``--only-binary`` rules out pkg 2.0, ``--no-binary`` other 2.0.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import parity
from fixtures import LocalIndex, Pkg, make_project
from parity.lock.engines import uv as uv_engine
from parity.lock.formats import requirements_txt


@pytest.fixture
def index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalIndex]:
    built = LocalIndex(tmp_path / "index", [Pkg("pkg", "1.0"), Pkg("other", "1.0")], sdists=True)
    built.add(Pkg("pkg", "2.0"), wheel=False, sdist=True)
    built.add(Pkg("other", "2.0"), wheel=True, sdist=False)
    with built.serve():
        # The index comes from pip's configuration, so the lockfiles name none.
        monkeypatch.setenv("PIP_INDEX_URL", built.url)
        yield built


def _lock(tmp_path: Path, requirements_in: str) -> tuple[Path, dict[str, str]]:
    root = make_project(tmp_path, {"requirements.in": requirements_in, ".python-version": "3.11\n"})
    outcome = parity.lock(parity.load_project(root))
    versions = {p.name: p.version or "" for p in outcome.lock.groups[0].pins}
    return root, versions


def _sha256(index: LocalIndex, filename: str) -> str:
    import hashlib

    return hashlib.sha256((index.root / "files" / filename).read_bytes()).hexdigest()


def test_without_options_the_newest_versions_are_locked(tmp_path: Path, index: LocalIndex) -> None:
    _, versions = _lock(tmp_path, "pkg\nother\n")
    assert versions == {"pkg": "2.0", "other": "2.0"}


def test_only_binary_all_locks_the_newest_version_with_a_wheel(
    tmp_path: Path, index: LocalIndex
) -> None:
    root, versions = _lock(tmp_path, "--only-binary :all:\npkg\nother\n")
    assert versions == {"pkg": "1.0", "other": "2.0"}
    text = (root / "requirements.txt").read_text()
    # Written as pip-compile writes it, so that pip install -r and uv pip sync honour it.
    assert "\n--only-binary :all:\n\nother==2.0 \\\n" in text
    assert requirements_txt.parse(text, output="requirements.txt").format_control == (
        parity.load_project(root).format_control
    )


def test_only_binary_for_one_package_rules_out_its_sdist_only_versions(
    tmp_path: Path, index: LocalIndex
) -> None:
    _, versions = _lock(tmp_path, "--only-binary=pkg\npkg\nother\n")
    assert versions == {"pkg": "1.0", "other": "2.0"}


def test_no_binary_locks_a_version_with_an_sdist_and_hashes_it(
    tmp_path: Path, index: LocalIndex
) -> None:
    root, versions = _lock(tmp_path, "--no-binary other\npkg\nother\n")
    assert versions == {"pkg": "2.0", "other": "1.0"}
    text = (root / "requirements.txt").read_text()
    assert "\n--no-binary other\n" in text
    assert f"--hash=sha256:{_sha256(index, 'other-1.0.tar.gz')}" in text


def test_a_named_package_keeps_its_own_setting_against_all(
    tmp_path: Path, index: LocalIndex
) -> None:
    _, versions = _lock(tmp_path, "--only-binary :all:\n--no-binary other\npkg\nother\n")
    assert versions == {"pkg": "1.0", "other": "1.0"}


def test_adding_an_option_makes_the_lock_stale_and_lock_resolves_again(
    tmp_path: Path, index: LocalIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, versions = _lock(tmp_path, "pkg\nother\n")
    assert versions["pkg"] == "2.0"
    (root / "requirements.in").write_text("pkg\nother\n--only-binary :all:\n")

    report = parity.check(parity.load_project(root), environment=False)
    assert ("lock-stale", "requirements.txt") in {(f.code, f.subject) for f in report.findings}

    calls: list[int] = []
    real = uv_engine.resolve

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(uv_engine, "resolve", counted)
    outcome = parity.lock(parity.load_project(root))
    assert calls == [1] and outcome.resolved
    # The previous lock's pkg 2.0 is a preference uv must not keep.
    assert {p.name: p.version for p in outcome.lock.groups[0].pins}["pkg"] == "1.0"
    assert parity.check(parity.load_project(root), environment=False).ok
    # And removing it again is a change too.
    (root / "requirements.in").write_text("pkg\nother\n")
    assert not parity.check(parity.load_project(root), environment=False).ok
    assert parity.lock(parity.load_project(root)).resolved
    assert len(calls) == 2


def test_an_unchanged_project_with_options_is_answered_from_the_lock(
    tmp_path: Path, index: LocalIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _ = _lock(tmp_path, "--only-binary :all:\n--no-binary other\npkg\nother\n")
    before = (root / "requirements.txt").read_bytes()
    monkeypatch.setattr(uv_engine, "resolve", lambda *a, **k: pytest.fail("resolved again"))
    outcome = parity.lock(parity.load_project(root))
    assert outcome.resolved is False
    assert (root / "requirements.txt").read_bytes() == before


def test_prefer_binary_is_a_note_on_the_lock(tmp_path: Path, index: LocalIndex) -> None:
    root = make_project(
        tmp_path, {"requirements.in": "--prefer-binary\npkg\n", ".python-version": "3.11\n"}
    )
    outcome = parity.lock(parity.load_project(root))
    assert any(n.startswith("requirements.in:1: --prefer-binary") for n in outcome.notes)


def test_sync_installs_as_the_options_say(tmp_path: Path, index: LocalIndex) -> None:
    root, _ = _lock(tmp_path, "--only-binary :all:\n--no-binary other\npkg\nother\n")
    # Only the files the options allow are left to download: other's sdist, pkg's wheel.
    (index.root / "files" / "other-1.0-py3-none-any.whl").unlink()
    (index.root / "files" / "pkg-1.0.tar.gz").unlink()
    parity.sync(parity.load_project(root))
    site = next((root / ".venv" / "lib").glob("python3.*/site-packages"))
    installed = sorted(p.name for p in site.glob("*.dist-info"))
    assert installed == ["other-1.0.dist-info", "pkg-1.0.dist-info"]


@pytest.mark.parametrize("line", ["--only-binary", "--no-binary numpy,", "--only-binary a b"])
def test_a_malformed_option_line_stops_lock_with_its_file_and_line(
    tmp_path: Path, run_parity: Any, line: str
) -> None:
    root = make_project(tmp_path, {"requirements.in": f"pkg\n{line}\n"})
    result = run_parity("lock", "-p", root)
    assert result.code == 2
    assert "requirements.in:2" in result.err
    assert "Traceback" not in result.err
    assert not (root / "requirements.txt").exists()


def test_only_binary_all_that_forbids_building_a_source_tree_package_says_so(
    tmp_path: Path, index: LocalIndex
) -> None:
    root = make_project(
        tmp_path,
        {
            "requirements.in": "--only-binary :all:\n-e ./lib\n",
            ".python-version": "3.11\n",
            # A dynamic version: uv must build the package to learn it.
            "lib/pyproject.toml": """
                [build-system]
                requires = []
                build-backend = "backend"
                backend-path = ["."]

                [project]
                name = "mylib"
                dynamic = ["version"]
            """,
            "lib/backend.py": "",
        },
    )
    with pytest.raises(parity.ParityError) as caught:
        parity.lock(parity.load_project(root))
    assert "mylib must be built from source, and --only-binary forbids" in caught.value.message
    assert "--only-binary numpy,scipy" in (caught.value.hint or "")
    assert not (root / "requirements.txt").exists()


def _stale_message(root: Path) -> tuple[str, dict[str, Any]]:
    report = parity.check(parity.load_project(root), environment=False)
    stale = next(f for f in report.findings if f.code == "lock-stale")
    return stale.message, stale.data


def test_check_names_the_option_that_changed_in_text_and_json(
    tmp_path: Path, index: LocalIndex
) -> None:
    root, _ = _lock(tmp_path, "pkg\nother\n")
    (root / "requirements.in").write_text("pkg\nother\n--only-binary :all:\n")
    message, data = _stale_message(root)
    assert "requirements.in changed (resolver options: --only-binary)" in message
    assert data["changed_parts"] == {"requirements.in": ["--only-binary"]}
    # A requirement added with an option: both are said.
    (root / "requirements.in").write_text("pkg\nother\nextra\n--no-binary other\n")
    message, _ = _stale_message(root)
    assert "requirements.in changed (+extra; resolver options: --no-binary)" in message


def test_a_lock_written_before_parts_were_recorded_stays_fresh_and_is_not_rewritten(
    tmp_path: Path, index: LocalIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parity.lock import model

    with monkeypatch.context() as earlier:  # an earlier parity wrote no parts lines
        earlier.setattr(model, "parts_value", lambda item: None)
        root, _ = _lock(tmp_path, "--only-binary :all:\npkg\nother\n")
    before = (root / "requirements.txt").read_bytes()
    assert b"# parity:parts " not in before
    assert parity.check(parity.load_project(root), environment=False).ok
    monkeypatch.setattr(uv_engine, "resolve", lambda *a, **k: pytest.fail("resolved again"))
    assert parity.lock(parity.load_project(root)).resolved is False
    assert (root / "requirements.txt").read_bytes() == before
    # Changed, it is stale, named as precisely as such a lock allows.
    (root / "requirements.in").write_text("pkg\nother\n")
    message, data = _stale_message(root)
    assert "requirements.in changed since the lock was written" in message
    assert "changed_parts" not in data


def _uv_project(tmp_path: Path, settings: str) -> Path:
    return make_project(
        tmp_path,
        {
            "pyproject.toml": "[project]\nname = 'app'\nversion = '1'\n"
            "requires-python = '>=3.11'\ndependencies = ['pkg', 'other']\n\n"
            f"[tool.uv]\npackage = false\n{settings}",
            ".python-version": "3.11\n",
        },
    )


@pytest.mark.parametrize(
    ("settings", "line", "removed"),
    [
        # other 1.0 must be built from its sdist: with the sdist gone, nothing may install it.
        ("no-binary-package = ['other']\n", "--no-binary other", "other-1.0.tar.gz"),
        ("no-binary = true\nno-build-package = ['pkg']\n", "--no-binary :all:", "other-1.0.tar.gz"),
        # pkg 1.0 must come from its wheel: with the wheel gone, nothing may build it.
        ("no-build-package = ['pkg']\n", "--only-binary pkg", "pkg-1.0-py3-none-any.whl"),
        ("no-build = true\n", "--only-binary :all:", "pkg-1.0-py3-none-any.whl"),
    ],
    ids=["no-binary-package", "no-binary", "no-build-package", "no-build"],
)
def test_sync_honours_tool_uv_no_binary_and_no_build(
    tmp_path: Path,
    index: LocalIndex,
    uv_project_config: None,
    settings: str,
    line: str,
    removed: str,
) -> None:
    """`[tool.uv] no-binary` reached the resolution but not the lockfile, so `parity sync`
    installed a wheel `uv sync` would have built from source (and built what it forbids)."""
    root = _uv_project(tmp_path, settings)
    parity.lock(parity.load_project(root))
    text = (root / "requirements.txt").read_text()
    assert f"\n{line}\n" in text  # so uv pip sync and pip install -r obey it too
    assert parity.lock(parity.load_project(root)).resolved is False
    (index.root / "files" / removed).unlink()
    with pytest.raises(parity.ParityError):
        parity.sync(parity.load_project(root))
    forbidden = removed.split("-")[0]  # its only allowed file is gone
    assert not list((root / ".venv").glob(f"lib/python3.*/site-packages/{forbidden}-*.dist-info"))


def test_sync_refuses_a_lock_without_the_options_tool_uv_asks_for(
    tmp_path: Path, index: LocalIndex, uv_project_config: None
) -> None:
    """A lock made before the setting (or by a parity that dropped it): stop, never install."""
    root = _uv_project(tmp_path, "")
    parity.lock(parity.load_project(root), pylock=False)
    pyproject = root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "no-binary-package = ['other']\n")
    with pytest.raises(parity.ParityError) as caught:
        parity.sync(parity.load_project(root))
    assert "--no-binary other" in caught.value.message
    assert "parity lock" in (caught.value.hint or "")
    assert not (root / ".venv").exists()


def test_check_fails_a_lock_made_without_the_options_tool_uv_asks_for(
    tmp_path: Path, index: LocalIndex, uv_project_config: None
) -> None:
    """A lock an older parity made (no option lines) while the project already said
    no-binary: its digests are current, but the gate must not pass what sync refuses."""
    root = _uv_project(tmp_path, "no-binary-package = ['other']\n")
    parity.lock(parity.load_project(root), pylock=False)
    lockfile = root / "requirements.txt"
    text = lockfile.read_text()
    assert "\n--no-binary other\n" in text
    # As an older parity wrote it: no option line, sealed as its own.
    from parity.lock.integrity import seal

    unsealed = "".join(
        line
        for line in text.replace("--no-binary other\n\n", "").splitlines(keepends=True)
        if not line.startswith(("# parity:content ", "# parity:generation "))
    )
    lockfile.write_text(seal({"requirements.txt": unsealed})["requirements.txt"])
    report = parity.check(parity.load_project(root), environment=False)
    found = [f for f in report.findings if f.code == "lock-stale"]
    assert found and "--no-binary other" in found[0].message
    assert parity.lock(parity.load_project(root), pylock=False).resolved
    assert parity.check(parity.load_project(root), environment=False).ok


_APP = "[project]\nname = 'app'\nversion = '1'\nrequires-python = '>=3.11'\n"


@pytest.mark.parametrize(
    ("files", "where", "says"),
    [
        (
            {"requirements.in": "--only-binary srconly\nsrconly\n"},
            "requirements.in:1",
            "srconly has only a source distribution at the versions the requirements allow, "
            "and `--only-binary srconly` (requirements.in:1) forbids building it",
        ),
        (
            {"requirements.in": "alpha\n--only-binary=:all:\nsrconly\n"},
            "requirements.in:2",
            "`--only-binary=:all:` (requirements.in:2) forbids building it",
        ),
        (
            {
                "pyproject.toml": _APP + "dependencies = ['srconly']\n\n[tool.uv]\n"
                "package = false\nno-build-package = ['srconly']\n"
            },
            "pyproject.toml:9",
            "[tool.uv] no-build-package (pyproject.toml:9) forbids building it",
        ),
        (
            {
                "pyproject.toml": _APP + "dependencies = ['alpha']\n\n[tool.uv]\n"
                "package = false\nno-binary = true\n"
            },
            "pyproject.toml:9",
            "alpha has only wheels at the versions the requirements allow, and "
            "[tool.uv] no-binary (pyproject.toml:9) forbids using them",
        ),
    ],
    ids=["only-binary-package", "only-binary-all", "no-build-package", "no-binary"],
)
def test_a_package_whose_only_files_the_project_forbids_names_the_setting_not_a_conflict(
    tmp_path: Path,
    local_index: LocalIndex,
    monkeypatch: pytest.MonkeyPatch,
    uv_project_config: None,
    run_parity: Any,
    files: dict[str, str],
    where: str,
    says: str,
) -> None:
    """uv refuses because the only files there are may not be used; the hint said "Relax
    the conflicting constraints", and uv's own hint names a flag the project never wrote."""
    monkeypatch.setenv("PIP_INDEX_URL", local_index.url)
    root = make_project(tmp_path, {**files, ".python-version": "3.11\n"})
    result = run_parity("lock", "-p", root, "--no-pylock")
    assert result.code == 2, result.out
    assert result.err.startswith(f"error: {where}: no set of versions"), result.err
    hint = result.err.split("hint:", 1)[1]
    assert says in " ".join(hint.split())
    assert "Relax" not in result.err and "Traceback" not in result.err
    assert not (root / "requirements.txt").exists()

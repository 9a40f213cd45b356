from __future__ import annotations

from pathlib import Path

import pytest

import parity
from fixtures import LocalIndex, Pkg, make_project
from parity import toml as tomllib
from parity.lock.index import choose_index, index_lines, read_pip_index_config
from parity.spec.model import IndexConfig


def test_project_index_wins_and_env_refs_are_expanded_for_uv_only() -> None:
    spec = IndexConfig(index_url="https://${TOKEN}@index.example/simple")
    args = choose_index(spec, {"TOKEN": "s3cret"}, pip_config=IndexConfig())
    assert args.index_url == "https://s3cret@index.example/simple"
    assert index_lines(spec) == ("--index-url https://${TOKEN}@index.example/simple",)


def test_literal_credentials_are_never_written() -> None:
    spec = IndexConfig(extra_index_urls=("https://user:pw@index.example/simple",))
    assert index_lines(spec) == ("--extra-index-url https://index.example/simple",)


def test_pip_config_is_translated_with_pips_best_match_strategy() -> None:
    pip = IndexConfig(
        index_url="https://mirror.example/simple",
        extra_index_urls=("https://extra.example/simple",),
    )
    args = choose_index(IndexConfig(), {}, pip_config=pip)
    assert args.index_url == "https://mirror.example/simple"
    assert args.extra_index_urls == ("https://extra.example/simple",)
    assert args.index_strategy == "unsafe-best-match"


def test_local_directories_of_the_machine_pip_config_are_not_used() -> None:
    pip = IndexConfig(extra_index_urls=("file:///srv/wheels/simple",), find_links=("/srv/wheels",))
    args = choose_index(IndexConfig(), {}, pip_config=pip)
    assert args.extra_index_urls == () and args.find_links == ()


def test_uv_variables_leave_index_choice_to_uv() -> None:
    pip = IndexConfig(index_url="https://mirror.example/simple")
    args = choose_index(
        IndexConfig(), {"UV_INDEX_URL": "https://uv.example/simple"}, pip_config=pip
    )
    assert args.as_args() == []


def test_pip_config_files_and_env_are_read(tmp_path: Path) -> None:
    conf = tmp_path / "pip.conf"
    conf.write_text("[global]\nindex-url = https://mirror.example/simple\n")
    config = read_pip_index_config(
        {"PIP_CONFIG_FILE": str(conf), "PIP_EXTRA_INDEX_URL": "https://x.example/simple"}
    )
    assert config.index_url == "https://mirror.example/simple"
    assert config.extra_index_urls == ("https://x.example/simple",)


def test_relative_find_links_are_anchored_at_the_project(tmp_path: Path) -> None:
    args = choose_index(IndexConfig(find_links=("./wheels",)), {}, root=tmp_path)
    assert args.find_links == (str((tmp_path / "wheels").resolve()),)


def test_index_option_lines_read_back_into_an_index_config() -> None:
    from parity.lock.index import parse_index_lines

    config = parse_index_lines(
        [
            "--index-url https://index.example/simple?a=b",
            "--extra-index-url=https://${TOKEN}@extra.example/simple",
            "-f https://links.example/wheels",
            "--no-index",
        ]
    )
    assert config == IndexConfig(
        index_url="https://index.example/simple?a=b",
        extra_index_urls=("https://${TOKEN}@extra.example/simple",),
        find_links=("https://links.example/wheels",),
        no_index=True,
    )


def test_a_lockfile_records_the_index_without_secrets_or_local_paths() -> None:
    from parity.lock.index import lockfile_index

    spec = IndexConfig(
        index_url="https://user:secret@index.example/simple",
        find_links=("/home/me/wheels", "https://links.example/wheels"),
    )
    assert lockfile_index(spec) == IndexConfig(
        index_url="https://index.example/simple", find_links=("https://links.example/wheels",)
    )


def test_the_projects_index_strategy_wins_over_pips_best_match() -> None:
    pip = IndexConfig(
        index_url="https://mirror.example/simple",
        extra_index_urls=("https://extra.example/simple",),
    )
    args = choose_index(IndexConfig(), {}, pip_config=pip, strategy="first-index")
    assert args.index_strategy == "first-index"
    assert args.as_args().count("--index-strategy") == 1


def test_a_lock_with_pips_indexes_resolves_as_the_projects_index_strategy_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, uv_project_config: None
) -> None:
    """pip's indexes made parity pass --index-strategy unsafe-best-match, which beat the
    project's own `[tool.uv] index-strategy = "first-index"`: the lock took pkg 2.0 from
    the default index where uv lock takes 1.0 from the first index that has pkg."""
    main = LocalIndex(tmp_path / "main", [Pkg("pkg", "2.0")])
    extra = LocalIndex(tmp_path / "extra", [Pkg("pkg", "1.0")])
    pyproject = (
        "[project]\nname = 'app'\nversion = '1'\nrequires-python = '>=3.11'\n"
        "dependencies = ['pkg']\n\n[tool.uv]\npackage = false\n"
    )
    root = make_project(tmp_path / "app", {"pyproject.toml": pyproject})
    with main.serve(), extra.serve():
        monkeypatch.setenv("PIP_INDEX_URL", main.url)
        monkeypatch.setenv("PIP_EXTRA_INDEX_URL", extra.url)
        best = parity.lock(parity.load_project(root), pylock=False)
        assert {p.name: p.version for p in best.lock.groups[0].pins} == {"pkg": "2.0"}
        (root / "pyproject.toml").write_text(pyproject + 'index-strategy = "first-index"\n')
        first = parity.lock(parity.load_project(root), pylock=False)
        assert {p.name: p.version for p in first.lock.groups[0].pins} == {"pkg": "1.0"}


def test_uv_no_config_turns_the_projects_uv_index_off_for_the_lock_and_its_digest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`uv lock` with UV_NO_CONFIG set ignores `[[tool.uv.index]]`; parity resolved from
    it all the same, and a lock made either way passed `check` the other way."""
    project_index = LocalIndex(tmp_path / "project-index", [Pkg("pkg", "1.0")])
    pip_index = LocalIndex(tmp_path / "pip-index", [Pkg("pkg", "2.0")])
    with project_index.serve(), pip_index.serve():
        pyproject = (
            "[project]\nname = 'app'\nversion = '1'\nrequires-python = '>=3.11'\n"
            "dependencies = ['pkg']\n\n[tool.uv]\npackage = false\n\n"
            f"[[tool.uv.index]]\nname = 'own'\nurl = '{project_index.url}'\ndefault = true\n"
        )
        root = make_project(tmp_path / "app", {"pyproject.toml": pyproject})
        monkeypatch.setenv("PIP_INDEX_URL", pip_index.url)

        def locked() -> str | None:
            outcome = parity.lock(parity.load_project(root), pylock=False)
            return {p.name: p.version for p in outcome.lock.groups[0].pins}["pkg"]

        def stale_inputs() -> set[str]:
            report = parity.check(parity.load_project(root), environment=False)
            assert all("UV_NO_CONFIG" in f.message for f in report.findings), report.findings
            return {f.code for f in report.findings}

        assert locked() == "1.0"  # the project's index
        assert "--index-url" in (root / "requirements.txt").read_text()
        monkeypatch.setenv("UV_NO_CONFIG", "1")
        assert stale_inputs() == {"lock-stale"}
        assert locked() == "2.0"  # as `uv lock` does: the project's index is not read
        assert "--index-url" not in (root / "requirements.txt").read_text()
        assert "UV_NO_CONFIG" in (root / "requirements.txt").read_text()
        assert stale_inputs() == set()
        monkeypatch.delenv("UV_NO_CONFIG")
        assert stale_inputs() == {"lock-stale"}


_UV_CONNECT_ERROR = """error: Request failed after 3 retries in 10.4s
  cause: Failed to fetch: https://mirror.example/pypi/simple/six/
  cause: error sending request for url (https://mirror.example/pypi/simple/six/)
  cause: client error (Connect)
  cause: Connection refused (os error 111)
"""


def test_an_unreachable_index_is_named_as_configured_with_its_credentials_masked() -> None:
    from parity.lock.index import IndexArgs, unreachable_index

    args = IndexArgs(
        index_url="https://pypi.internal.example/simple",
        extra_index_urls=("https://ci:s3cret@mirror.example/pypi/simple/",),
    )
    shown, cause = unreachable_index(_UV_CONNECT_ERROR, args)
    assert shown == "https://***@mirror.example/pypi/simple/"
    assert cause == "Connection refused (os error 111)"


def test_an_unreachable_index_parity_did_not_choose_is_named_by_the_page_uv_fetched() -> None:
    from parity.lock.index import IndexArgs, unreachable_index

    assert unreachable_index(_UV_CONNECT_ERROR, IndexArgs())[0] == (
        "https://mirror.example/pypi/simple"
    )
    assert unreachable_index("error: dns error", IndexArgs())[0].startswith("uv's default index")


def test_a_poetry_explicit_source_in_the_requirements_lockfiles_is_said(
    tmp_path: Path, uv_project_config: None
) -> None:
    """An explicit source serves only the packages that name it, but a requirements file
    can only list it as a global --extra-index-url: the lock did so without a word."""
    main = LocalIndex(tmp_path / "main", [Pkg("pkg", "1.0")])
    private = LocalIndex(tmp_path / "private", [Pkg("inhouse", "1.0")])
    with main.serve() as main_url, private.serve() as private_url:
        pyproject = f"""
            [tool.poetry]
            name = "app"
            version = "1"
            package-mode = false

            [tool.poetry.dependencies]
            python = "~3.11"
            pkg = "*"
            inhouse = {{ version = "*", source = "private" }}

            [[tool.poetry.source]]
            name = "main"
            url = "{main_url}"
            priority = "primary"

            [[tool.poetry.source]]
            name = "private"
            url = "{private_url}"
            priority = "explicit"
            """
        root = make_project(tmp_path / "app", {"pyproject.toml": pyproject})
        outcome = parity.lock(parity.load_project(root))
        again = parity.lock(parity.load_project(root))
    assert f"--extra-index-url {private_url}" in (root / "requirements.txt").read_text()
    [note] = [n for n in outcome.notes if "one index" in n]
    assert note.startswith(f"inhouse: pyproject.toml takes it from the index {private_url} only")
    assert "requirements.txt lists it as an --extra-index-url" in note
    assert "the hashes in the lock are what keep pip" in note
    assert [n for n in again.notes if "one index" in n] == [note]
    # pylock.toml keeps the package tied to its index, as uv's explicit index does.
    pylock = tomllib.loads((root / "pylock.toml").read_text())
    indexes = {p["name"]: p.get("index") for p in pylock["packages"]}
    assert indexes == {"pkg": main_url, "inhouse": private_url}

"""Input digests: what was read, not how it was written; and URL redaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import make_project
from parity.spec.digest import (
    canonical_requirement,
    digest_data,
    digest_requirements_file,
    redact_url,
)
from parity.spec.load import load_project
from parity.spec.model import DirectRequirement, IndexConfig, SourceRef


def digests(tmp_path: Path, name: str, files: dict[str, str]) -> dict[str, str]:
    spec = load_project(make_project(tmp_path, files, name=name))
    return {i.path: i.digest for i in spec.inputs}


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("pandas>=2", "pandas>=2"),
        ("Scikit_Learn >= 1.3 , < 2", "scikit-learn<2,>=1.3"),
        ("requests[socks,Security]", "requests[security,socks]"),
        ("a ; python_version<'3.9'", 'a ; python_version < "3.9"'),
        ("tool @ git+https://git.example/t.git@v1", "tool @ git+https://git.example/t.git@v1"),
        ("pkg==${VERSION}", "pkg==${VERSION}"),
        ("pkg  ==  ${VERSION}", "pkg == ${VERSION}"),
    ],
)
def test_canonical_requirement(text: str, canonical: str) -> None:
    assert canonical_requirement(text) == canonical


# -- requirements files ------------------------------------------------------------


def test_comments_whitespace_and_order_do_not_change_the_digest(tmp_path: Path) -> None:
    a = digests(tmp_path, "a", {"requirements.in": "alpha>=1,<2\nbeta[x,y]\n"})
    b = digests(
        tmp_path,
        "b",
        {"requirements.in": "# why we need these\nBeta[y,x]   # inline\n\nalpha <2, >=1\n"},
    )
    assert a == b


def test_changing_a_requirement_changes_the_digest(tmp_path: Path) -> None:
    a = digests(tmp_path, "a", {"requirements.in": "alpha\nbeta\n"})
    b = digests(tmp_path, "b", {"requirements.in": "alpha\nbeta<2\n"})
    assert a["requirements.in"] != b["requirements.in"]


@pytest.mark.parametrize(
    "addition",
    [
        "-r other.in\n",
        "-c constraints.txt\n",
        "-i https://i.example/simple\n",
        "--extra-index-url https://e.example/simple\n",
        "-f ./wheels\n",
        "--no-index\n",
        "gamma\n",
    ],
)
def test_options_and_includes_are_part_of_the_digest(tmp_path: Path, addition: str) -> None:
    extra = {"other.in": "x\n", "constraints.txt": "alpha<3\n"}
    a = digests(tmp_path, "a", {"requirements.in": "alpha\n", **extra})
    b = digests(tmp_path, "b", {"requirements.in": "alpha\n" + addition, **extra})
    assert a["requirements.in"] != b["requirements.in"]


def test_ignored_options_do_not_change_the_digest(tmp_path: Path) -> None:
    a = digests(tmp_path, "a", {"requirements.in": "alpha\n"})
    b = digests(tmp_path, "b", {"requirements.in": "--prefer-binary\nalpha\n"})
    assert a == b


def test_asking_for_pre_releases_changes_the_digest(tmp_path: Path) -> None:
    a = digests(tmp_path, "a", {"requirements.in": "alpha\n"})
    b = digests(tmp_path, "b", {"requirements.in": "--pre\nalpha\n"})
    assert a != b


def test_extra_index_order_is_part_of_the_digest(tmp_path: Path) -> None:
    one = "--extra-index-url https://a.example/s\n--extra-index-url https://b.example/s\n"
    two = "--extra-index-url https://b.example/s\n--extra-index-url https://a.example/s\n"
    a = digests(tmp_path, "a", {"requirements.in": one})
    b = digests(tmp_path, "b", {"requirements.in": two})
    assert a != b


def test_editing_an_inlined_file_changes_only_its_digest(tmp_path: Path) -> None:
    a = digests(tmp_path, "a", {"requirements.in": "-r shared.in\n", "shared.in": "x\n"})
    b = digests(tmp_path, "b", {"requirements.in": "-r shared.in\n", "shared.in": "x>1\n"})
    assert a["requirements.in"] == b["requirements.in"]
    assert a["shared.in"] != b["shared.in"]


def test_editing_a_constraints_file_changes_its_digest(tmp_path: Path) -> None:
    files = {"requirements.in": "-c c.txt\nalpha\n"}
    a = digests(tmp_path, "a", {**files, "c.txt": "alpha<2\n"})
    b = digests(tmp_path, "b", {**files, "c.txt": "# note\nalpha<2\n"})
    c = digests(tmp_path, "c", {**files, "c.txt": "alpha<3\n"})
    assert a == b
    assert a["c.txt"] != c["c.txt"]
    assert a["requirements.in"] == c["requirements.in"]


def test_editable_flag_is_part_of_the_digest(tmp_path: Path) -> None:
    lib = {"lib/pyproject.toml": "[project]\nname = 'lib'\n"}
    a = digests(tmp_path, "a", {"requirements.in": "-e ./lib\n", **lib})
    b = digests(tmp_path, "b", {"requirements.in": "./lib\n", **lib})
    assert a != b


def test_env_references_are_digested_as_written(tmp_path: Path) -> None:
    a = digests(tmp_path, "a", {"requirements.in": "-i https://${TOKEN}@i.example/simple\n"})
    b = digests(tmp_path, "b", {"requirements.in": "-i https://${OTHER}@i.example/simple\n"})
    assert a != b


def test_python_version_digest_ignores_comments(tmp_path: Path) -> None:
    base = {"requirements.in": "alpha\n"}
    a = digests(tmp_path, "a", {**base, ".python-version": "3.11\n"})
    b = digests(tmp_path, "b", {**base, ".python-version": "# pinned\n3.11\n"})
    c = digests(tmp_path, "c", {**base, ".python-version": "3.12\n"})
    assert a == b
    assert a[".python-version"] != c[".python-version"]


# -- pyproject.toml ----------------------------------------------------------------

PROJECT = "[project]\nname = 'x'\nversion = '1'\ndependencies = ['alpha', 'beta>=2']\n"


def test_pyproject_formatting_order_and_other_tables_do_not_matter(tmp_path: Path) -> None:
    a = digests(tmp_path, "a", {"pyproject.toml": PROJECT + "[tool.ruff]\nline-length = 80\n"})
    b = digests(
        tmp_path,
        "b",
        {
            "pyproject.toml": "# the project\n[project]\nversion = '2'\nname = 'x'\n"
            "description = 'changed'\ndependencies = [\n  'beta >= 2',  # new\n  'alpha',\n]\n"
        },
    )
    assert a == b


@pytest.mark.parametrize(
    "change",
    [
        ("'alpha', ", "'alpha>1', "),
        ("dependencies", "requires-python = '>=3.11'\ndependencies"),
        ("'beta>=2']\n", "'beta>=2']\n[dependency-groups]\ndev = ['pytest']\n"),
        ("'beta>=2']\n", "'beta>=2']\n[tool.uv]\nindex-url = 'https://i.example/simple'\n"),
        ("'beta>=2']\n", "'beta>=2']\n[tool.parity]\noutputs = { prod = 'lock.txt' }\n"),
    ],
)
def test_pyproject_changes_parity_reads_change_the_digest(
    tmp_path: Path, change: tuple[str, str]
) -> None:
    a = digests(tmp_path, "a", {"pyproject.toml": PROJECT})
    b = digests(tmp_path, "b", {"pyproject.toml": PROJECT.replace(*change)})
    assert a["pyproject.toml"] != b["pyproject.toml"]


def test_poetry_constraint_spelled_differently_digests_the_same(tmp_path: Path) -> None:
    a = digests(tmp_path, "a", {"pyproject.toml": "[tool.poetry.dependencies]\nalpha = '^1.2'\n"})
    b = digests(
        tmp_path, "b", {"pyproject.toml": "[tool.poetry.dependencies]\nalpha = '>=1.2,<2.0'\n"}
    )
    assert a == b


# -- pure functions ----------------------------------------------------------------


def test_digest_data_is_independent_of_key_order() -> None:
    assert digest_data("f", {"a": 1, "b": [2]}) == digest_data("f", {"b": [2], "a": 1})


def test_requirements_file_digest_ignores_source_lines() -> None:
    def req(line: int) -> DirectRequirement:
        return DirectRequirement.make("alpha", SourceRef("r.in", line), name="alpha")

    one = digest_requirements_file("r.in", [req(1)], [], [], IndexConfig())
    two = digest_requirements_file("r.in", [req(7)], [], [], IndexConfig())
    assert one == two
    assert one.path == "r.in"


@pytest.mark.parametrize(
    ("url", "redacted"),
    [
        ("https://user:secret@host.example/simple", "https://host.example/simple"),
        ("https://token@host.example/simple", "https://host.example/simple"),
        (
            "https://${USER}:${TOKEN}@host.example/simple",
            "https://${USER}:${TOKEN}@host.example/simple",
        ),
        ("https://${TOKEN}@host.example/simple", "https://${TOKEN}@host.example/simple"),
        ("https://host.example/simple", "https://host.example/simple"),
        ("https://host.example:8443/simple", "https://host.example:8443/simple"),
        ("./wheels", "./wheels"),
    ],
)
def test_redact_url_drops_literal_credentials_and_keeps_env_references(
    url: str, redacted: str
) -> None:
    assert redact_url(url) == redacted


def test_extras_that_differ_only_in_case_are_one_extra() -> None:
    from parity.spec.digest import canonical_requirement

    assert canonical_requirement("a[U,u] >= 1") == "a[u]>=1"


@pytest.mark.parametrize(
    "text",
    ["uvicorn[standard]", "Celery [ Redis , msgpack ] >= 5.3", "a[]", "a[x_y]==1.*", "a[B,a]~=1.4"],
)
def test_a_requirement_with_extras_is_spelt_as_packaging_reads_it(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read without packaging (the fast path) and through it: one spelling, so a
    # lockfile's digest does not change with the path that read its inputs.
    from parity.spec import digest

    fast = canonical_requirement(text)
    monkeypatch.setattr(digest, "plain_requirement", lambda _text: None)
    assert canonical_requirement(text) == fast


@pytest.mark.parametrize(
    "option",
    ["--only-binary :all:", "--only-binary alpha", "--no-binary :all:", "--no-binary alpha"],
)
def test_binary_options_change_the_digest(tmp_path: Path, option: str) -> None:
    a = digests(tmp_path, "a", {"requirements.in": "alpha\n"})
    b = digests(tmp_path, "b", {"requirements.in": f"alpha\n{option}\n"})
    assert a["requirements.in"] != b["requirements.in"]


def test_binary_options_in_a_conda_pip_section_change_the_digest(tmp_path: Path) -> None:
    env = "name: x\ndependencies:\n  - python=3.11\n  - pip:\n      - alpha\n"
    a = digests(tmp_path, "a", {"environment.yml": env})
    b = digests(tmp_path, "b", {"environment.yml": env + '      - "--only-binary :all:"\n'})
    assert a["environment.yml"] != b["environment.yml"]

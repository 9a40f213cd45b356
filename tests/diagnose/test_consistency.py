"""Cross-file consistency: each source's facts, the comparison, and check end to end."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, make_project
from parity.diagnose.consistency import collect_facts, consistency_findings
from parity.diagnose.consistency.compare import pin_findings, python_findings
from parity.diagnose.consistency.facts import CANDIDATE, PIN, RANGE, PinFact, Place, PythonFact
from parity.diagnose.consistency.sources import (
    github_actions,
    gitlab_ci,
    pdm_lock,
    poetry_lock,
    pylock,
    pyproject,
    python_version,
    requirements_txt,
    uv_lock,
)

# -- sources ---------------------------------------------------------------------


def test_requirements_pins_with_lines_and_scope() -> None:
    text = (
        "#\n# parity:target Python 3.8 / linux\n#\n--index-url https://index.example/simple\n"
        "numpy==1.24.4 ; python_version < '3.9' \\\n    --hash=sha256:aa\n"
        "pandas>=2\nrequests===2.31.0\n-e ./lib\n"
    )
    facts = list(requirements_txt.facts("requirements-prod.txt", text))
    assert facts == [
        PinFact("numpy", "1.24.4", Place("requirements-prod.txt", 5), "Python 3.8 / linux"),
        PinFact("requests", "2.31.0", Place("requirements-prod.txt", 8), "Python 3.8 / linux"),
    ]


def test_poetry_lock_and_pylock_pins_with_lines() -> None:
    lock = (
        '[[package]]\nname = "Alpha"\nversion = "1.0"\ndescription = ""\n\n'
        '[package.dependencies]\nbeta = "*"\n\n[[package]]\nname = "beta"\nversion = "2.0"\n\n'
        '[metadata]\nlock-version = "2.1"\n'
    )
    assert [(f.name, f.version, f.place.line) for f in poetry_lock.facts("poetry.lock", lock)] == [
        ("alpha", "1.0", 3),
        ("beta", "2.0", 11),
    ]
    py = 'lock-version = "1.0"\n\n[[packages]]\nname = "alpha"\nversion = "1.1"\n\n[[packages.wheels]]\nname = "x"\n'
    assert [(f.name, f.version, f.place.line) for f in pylock.facts("pylock.toml", py)] == [
        ("alpha", "1.1", 5)
    ]


def test_python_version_file() -> None:
    facts = list(python_version.facts(".python-version", "# pinned\n3.11.7\n3.10\n"))
    assert facts == [PythonFact(PIN, "3.11.7", Place(".python-version", 2), ".python-version")]


def test_pyproject_ranges() -> None:
    text = '[project]\nname = "x"\nrequires-python = ">=3.10"\n\n[tool.poetry.dependencies]\npython = "^3.11"\n'
    facts = list(pyproject.facts("pyproject.toml", text))
    assert facts == [
        PythonFact(RANGE, ">=3.10", Place("pyproject.toml", 3), "requires-python"),
        PythonFact(RANGE, ">=3.11,<4.0", Place("pyproject.toml", 6), "Poetry's python"),
    ]


WORKFLOW = """\
name: ci
on: push
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["3.10", 3.12]
        os:
          - ubuntu-latest
    steps:
      - uses: actions/setup-python@v5  # comment
        with:
          python-version: ${{ matrix.python }}
  lint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: 3.10
  other:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python-version:
          - "3.11"
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version-file: .python-version
"""


def test_github_workflow_python_versions() -> None:
    facts = list(github_actions.facts(".github/workflows/ci.yml", WORKFLOW))
    assert [(f.kind, f.value, f.place.line) for f in facts] == [
        (PIN, "3.1", 20),  # unquoted 3.10 is the number 3.1
        (PIN, "3.11", 26),
        (CANDIDATE, "3.10", 8),
        (CANDIDATE, "3.12", 8),
    ]
    assert "unquoted 3.10 is the YAML number 3.1" in facts[0].what


MATRIX_WITH_INCLUDE = """\
jobs:
  test:
    strategy:
      matrix:
        os: [windows-latest, macos-latest]
        python-version: ["3.14", "3.14t"]
        include:
          - os: macos-latest
            python-version: "3.10"
            coverage: coverage
          - os: ubuntu-latest
            python-version: "3.13"
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python-version }}
  combine:
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: "3.13"
"""


def test_a_matrix_include_adds_candidates_not_pins() -> None:
    # fastapi: one version in the matrix's list ("3.14t" is not a release) and one per
    # include entry. The matrix tries all of them; only the combine job pins one.
    facts = list(github_actions.facts(".github/workflows/test.yml", MATRIX_WITH_INCLUDE))
    assert [(f.kind, f.value, f.place.line) for f in facts] == [
        (PIN, "3.13", 21),
        (CANDIDATE, "3.14", 6),
        (CANDIDATE, "3.10", 9),
        (CANDIDATE, "3.13", 12),
    ]
    reference = py(PIN, "3.11", ".python-version", 1, ".python-version")
    findings = python_findings([reference, *facts])
    assert [f.data["sides"][1]["line"] for f in findings] == [21]


def test_gitlab_images() -> None:
    text = (
        "image: python:3.11-slim\n"
        "test:\n  image:\n    name: docker.io/library/python:3.12.1\n  script: [pytest]\n"
        "uv:\n  image: ghcr.io/astral-sh/uv:0.9-python3.10-bookworm\n"
        "node:\n  image: node:20\n"
    )
    facts = list(gitlab_ci.facts(".gitlab-ci.yml", text))
    assert [(f.value, f.place.line) for f in facts] == [("3.11", 1), ("3.12.1", 4), ("3.10", 7)]


# -- comparison ------------------------------------------------------------------


def pin(name: str, version: str, path: str, line: int, scope: str | None = None) -> PinFact:
    return PinFact(name, version, Place(path, line), scope)


def test_one_finding_per_package_pinned_differently_naming_every_side() -> None:
    findings = pin_findings(
        [
            pin("numpy", "1.26.4", "requirements.txt", 10),
            pin("numpy", "1.26.4", "requirements-dev.txt", 12),
            pin("numpy", "1.26.2", "poetry.lock", 200),
            pin("pandas", "2.1.0", "requirements.txt", 20),
            pin("pandas", "2.1", "poetry.lock", 300),  # the same version, spelled shorter
        ]
    )
    [finding] = findings
    assert finding.code == "pins-disagree" and finding.subject == "numpy"
    assert "poetry.lock:200 pins 1.26.2" in finding.message
    assert "requirements.txt:10 pins 1.26.4" in finding.message
    assert finding.data["sides"] == [
        {"file": "poetry.lock", "line": 200, "value": "1.26.2"},
        {"file": "requirements-dev.txt", "line": 12, "value": "1.26.4"},
        {"file": "requirements.txt", "line": 10, "value": "1.26.4"},
    ]


def test_locks_for_other_targets_are_not_compared() -> None:
    facts = [
        pin("numpy", "1.24.4", "requirements-prod.txt", 5, "Python 3.8"),
        pin("numpy", "1.26.4", "requirements.txt", 5),
    ]
    assert pin_findings(facts) == []


def test_a_forked_pin_narrowed_elsewhere_agrees() -> None:
    facts = [
        pin("numpy", "1.24.4", "requirements.txt", 5),
        pin("numpy", "1.26.4", "requirements.txt", 7),
        pin("numpy", "1.26.4", "poetry.lock", 9),
    ]
    assert pin_findings(facts) == []
    facts.append(pin("numpy", "1.25.0", "pylock.toml", 9))
    assert len(pin_findings(facts)) == 1


def py(kind: str, value: str, path: str, line: int, what: str) -> PythonFact:
    return PythonFact(kind, value, Place(path, line), what)


def test_python_pins_compare_with_python_version_file() -> None:
    findings = python_findings(
        [
            py(PIN, "3.11", ".python-version", 1, ".python-version"),
            py(PIN, "3.11.7", "Dockerfile", 1, "Dockerfile FROM"),
            py(PIN, "3.10", ".github/workflows/ci.yml", 14, "CI python-version"),
        ]
    )
    [finding] = findings
    assert finding.message == (
        ".python-version names Python 3.11 (.python-version:1), but CI python-version names 3.10 "
        "(.github/workflows/ci.yml:14)"
    )
    assert [s["file"] for s in finding.data["sides"]] == [
        ".python-version",
        ".github/workflows/ci.yml",
    ]


def test_pins_and_candidates_must_be_inside_ranges() -> None:
    findings = python_findings(
        [
            py(PIN, "3.11", ".python-version", 1, ".python-version"),
            py(RANGE, ">=3.12", "pyproject.toml", 4, "requires-python"),
            py(CANDIDATE, "3.12", "ci.yml", 3, "CI python-version"),
        ]
    )
    [finding] = findings
    assert (
        "3.11 (.python-version:1) is outside requires-python >=3.12 (pyproject.toml:4)"
        in finding.message
    )


def test_ranges_that_cannot_both_hold() -> None:
    findings = python_findings(
        [
            py(RANGE, ">=3.12", "pyproject.toml", 4, "requires-python"),
            py(RANGE, ">=3.9,<3.11", "pyproject.toml", 9, "Poetry's python"),
        ]
    )
    assert [f.code for f in findings] == ["python-disagrees"]
    assert "allow no common Python" in findings[0].message


# -- check end to end --------------------------------------------------------------


@pytest.fixture
def locked(tmp_path: Path, local_index: LocalIndex, run_parity: Callable) -> Path:
    project = make_project(
        tmp_path,
        {
            "requirements.in": f"-i {local_index.url}\nbeta\n",
            "requirements-dev.in": "-r requirements.in\neta\n",
            ".python-version": "3.11\n",
        },
    )
    result = run_parity("lock", "-p", project, "--no-pylock")
    assert result.code == 0, result.err
    return project


def test_clean_project_has_no_consistency_findings(locked: Path) -> None:
    assert consistency_findings(locked, ["requirements.txt", "requirements-dev.txt"]) == []
    assert collect_facts(locked)  # it did read the lockfiles


def test_hand_edit_that_makes_two_files_disagree_fails_check(
    locked: Path, run_parity: Callable
) -> None:
    (locked / "poetry.lock").write_text(
        '[[package]]\nname = "alpha"\nversion = "1.0"\n\n[metadata]\nlock-version = "2.1"\n'
    )
    (locked / ".gitlab-ci.yml").write_text("test:\n  image: python:3.12-slim\n  script: [pytest]\n")
    result = run_parity("check", "-p", locked, "--lock-only")
    assert result.code == 1
    assert "poetry.lock:3 pins 1.0" in result.out
    assert "requirements.txt:" in result.out and "pins 1.1" in result.out
    assert "CI image names 3.12 (.gitlab-ci.yml:2)" in result.out
    data = run_parity("check", "-p", locked, "--lock-only", "--json").json()
    [pins] = [f for f in data["findings"] if f["code"] == "pins-disagree"]
    assert {s["file"] for s in pins["data"]["sides"]} == {
        "poetry.lock",
        "requirements.txt",
        "requirements-dev.txt",
    }
    assert all(isinstance(s["line"], int) for s in pins["data"]["sides"])
    assert "consistency" in data["checked"]


UV_LOCK = """\
version = 1
requires-python = ">=3.11"

[[package]]
name = "alpha"
version = "{alpha}"
source = {{ registry = "https://index.example/simple" }}
wheels = [
    {{ url = "https://index.example/alpha-{alpha}-py3-none-any.whl", hash = "sha256:00" }},
]

[[package]]
name = "demo"
version = "0.1.0"
source = {{ editable = "." }}

[[package]]
name = "beta"
version = "7.0"
source = {{ git = "https://git.example/beta?rev=main#0123" }}

[package.optional-dependencies]
fast = [
    {{ name = "zeta" }},
]
"""


def test_uv_lock_pins_come_from_registry_packages_only() -> None:
    facts = list(uv_lock.facts("uv.lock", UV_LOCK.format(alpha="1.0")))
    assert facts == [PinFact("alpha", "1.0", Place("uv.lock", 6))]


def test_pdm_lock_pins_leave_local_and_url_packages_out() -> None:
    text = (
        '[metadata]\ngroups = ["default"]\n\n'
        '[[package]]\nname = "Alpha"\nversion = "1.0"\nrequires_python = ">=3.8"\n'
        'files = [\n    {file = "alpha-1.0.tar.gz", hash = "sha256:00"},\n]\n\n'
        '[[package]]\nname = "mkdocstrings[python]"\nversion = "0.30"\n\n'
        '[[package]]\nname = "mine"\nversion = "0.1"\npath = "./libs/mine"\n'
    )
    assert [(f.name, f.version, f.place.line) for f in pdm_lock.facts("pdm.lock", text)] == [
        ("alpha", "1.0", 6),
        ("mkdocstrings", "0.30", 14),
    ]


@pytest.mark.parametrize("lockfile", ["uv.lock", "pdm.lock"])
def test_a_uv_or_pdm_lock_that_disagrees_with_parity_s_fails_check(
    locked: Path, run_parity: Callable, lockfile: str
) -> None:
    # fastapi keeps uv.lock (its CI runs `uv sync --locked`) beside parity's lockfiles: a
    # uv.lock left at another version installed another environment, and check passed.
    text = (
        UV_LOCK.format(alpha="1.0")
        if lockfile == "uv.lock"
        else '[[package]]\nname = "alpha"\nversion = "1.0"\n'
    )
    (locked / lockfile).write_text(text)
    result = run_parity("check", "-p", locked, "--lock-only")
    assert result.code == 1
    assert "alpha is pinned differently" in result.out
    assert f"{lockfile}:{6 if lockfile == 'uv.lock' else 3} pins 1.0" in result.out
    if lockfile == "uv.lock":
        (locked / lockfile).write_text(UV_LOCK.format(alpha="1.1"))  # the versions agree
        assert run_parity("check", "-p", locked, "--lock-only").code == 0


def test_stale_generated_file_is_reported_with_both_places(
    locked: Path, run_parity: Callable
) -> None:
    assert run_parity("export", "-p", locked, "--to", "makefile").code == 0
    assert run_parity("check", "-p", locked, "--lock-only").code == 0
    (locked / "requirements-dev.in").write_text("-r requirements.in\neta\nbeta\n")
    assert run_parity("lock", "-p", locked, "--no-pylock").code == 0
    result = run_parity("check", "-p", locked, "--lock-only", "--json")
    assert result.code == 1
    [stale] = [f for f in result.json()["findings"] if f["code"] == "generated-stale"]
    assert stale["subject"] == "Makefile"
    assert [s["file"] for s in stale["data"]["sides"]] == ["Makefile", "requirements.txt"]
    assert "parity export --to makefile" in stale["fix"]


def test_hand_edited_generated_file_is_reported_without_failing(
    locked: Path, run_parity: Callable
) -> None:
    assert run_parity("export", "-p", locked, "--to", "makefile").code == 0
    with (locked / "Makefile").open("a") as handle:
        handle.write("mine:\n\techo\n")
    result = run_parity("check", "-p", locked, "--lock-only", "--json")
    assert result.code == 0
    [edited] = result.json()["findings"]
    assert edited["code"] == "generated-edited" and edited["severity"] == "info"


def test_a_whole_project_lock_missing_a_direct_requirement_is_stale() -> None:
    from parity.diagnose.consistency.compare import missing_requirements
    from parity.spec.model import DirectRequirement, SourceRef

    reqs = [
        DirectRequirement.make("rich>=13", SourceRef("pyproject.toml", 17), name="rich"),
        DirectRequirement.make("alpha", SourceRef("pyproject.toml", 18), name="alpha"),
        DirectRequirement.make(
            "win ; sys_platform == 'win32'", SourceRef("pyproject.toml", 19), name="win"
        ),
    ]
    pins = [pin("alpha", "1.0", "poetry.lock", 3), pin("rich", "13.0", "requirements.txt", 9)]
    [finding] = missing_requirements(pins, reqs)
    assert finding.code == "lock-lacks-requirement" and finding.subject == "rich"
    assert "poetry.lock does not lock rich, which pyproject.toml:17 asks for" in finding.message
    assert missing_requirements([pin("alpha", "1.0", "requirements.txt", 3)], reqs) == []


def test_stale_fix_names_the_recorded_command(locked: Path, run_parity: Callable) -> None:
    assert run_parity("export", "-p", locked, "--to", "makefile", "-o", "parity.mk").code == 0
    (locked / "requirements-dev.in").write_text("-r requirements.in\neta\nbeta\n")
    assert run_parity("lock", "-p", locked, "--no-pylock").code == 0
    [stale] = [
        f
        for f in run_parity("check", "-p", locked, "--lock-only", "--json").json()["findings"]
        if f["code"] == "generated-stale"
    ]
    assert "`parity export --to makefile -o parity.mk`" in stale["fix"]
    refreshed = run_parity("export", "-p", locked, "--refresh")
    assert refreshed.code == 0 and "updated       parity.mk" in refreshed.out
    assert run_parity("check", "-p", locked, "--lock-only").code == 0


def test_refresh_regenerates_the_files_init_wrote_itself(
    locked: Path, run_parity: Callable
) -> None:
    # environment.yml is written by `parity init --strategy conda`, and its header says so:
    # --refresh once said it could not read that command, and left the file stale.
    init = run_parity("init", "-p", locked, "--strategy", "conda", "--no-lock")
    assert init.code == 0 and "cannot read the command" not in init.out + init.err
    assert (
        "# Generated by `parity init --strategy conda`" in (locked / "environment.yml").read_text()
    )
    (locked / "requirements-dev.in").write_text("-r requirements.in\neta\nbeta\n")
    assert run_parity("lock", "-p", locked, "--no-pylock").code == 0
    refreshed = run_parity("export", "-p", locked, "--refresh")
    assert refreshed.code == 0, refreshed.err
    assert "cannot read the command" not in refreshed.out + refreshed.err
    assert "updated       environment.yml" in refreshed.out
    assert "updated       environment.pinned.yml" in refreshed.out
    assert (
        "# Generated by `parity init --strategy conda`" in (locked / "environment.yml").read_text()
    )
    assert run_parity("check", "-p", locked, "--lock-only").code == 0


# -- found on real projects ----------------------------------------------------------


def test_ci_jobs_on_several_pythons_are_not_a_disagreement_among_themselves() -> None:
    """jrnl: docs built on 3.11, releases on 3.14, no .python-version: both fit the range."""
    facts = [
        py(PIN, "3.11", ".github/workflows/docs.yaml", 35, "CI python-version"),
        py(PIN, "3.14", ".github/workflows/release.yaml", 66, "CI python-version"),
        py(RANGE, ">=3.11.0,<3.15", "pyproject.toml", 15, "requires-python"),
    ]
    assert python_findings(facts) == []
    # A project's own pin is still the reference the CI jobs are held to.
    dockerfile = py(PIN, "3.8", "Dockerfile", 1, "Dockerfile")
    findings = python_findings([dockerfile, *facts[:2]])
    assert [f.message.split(", but")[0] for f in findings] == [
        "Dockerfile names Python 3.8 (Dockerfile:1)"
    ] * 2


def test_a_ci_job_that_tests_another_repository_says_nothing_about_this_ones_python() -> None:
    """click's nightly job checks out Flask and runs Flask's tests on 3.14."""
    text = (
        "name: nightly\n"
        "jobs:\n"
        "  tests:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: actions/setup-python@v5\n"
        "        with:\n"
        "          python-version: '3.12'\n"
        "  flask:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          persist-credentials: false\n"
        "          repository: pallets/flask\n"
        "      - uses: actions/setup-python@v5\n"
        "        with:\n"
        "          python-version: '3.14'\n"
    )
    values = [f.value for f in github_actions.facts("nightly.yaml", text)]
    assert values == ["3.12"]
    own = text.replace("repository: pallets/flask", "repository: ${{ github.repository }}")
    assert [f.value for f in github_actions.facts("nightly.yaml", own)] == ["3.12", "3.14"]


def test_the_python_most_files_state_is_the_one_a_new_pin_takes() -> None:
    """healthchecks: CI runs 3.12 twice, the Dockerfile 3.14, requirements.txt names Django 6.1
    (3.12+); `init` pinned the interpreter parity ran on, 3.11, and the lock failed."""
    from parity.diagnose.consistency import most_stated_minor

    def pin(value: str, path: str) -> PythonFact:
        return PythonFact(PIN, value, Place(path, 1), "x")

    facts = [
        pin("3.12", ".github/workflows/coverage.yml"),
        pin("3.12", ".github/workflows/mypy.yml"),
        pin("3.14.7", "docker/Dockerfile"),
        PythonFact(CANDIDATE, "3.13", Place(".github/workflows/tests.yml", 1), "x"),
    ]
    assert most_stated_minor(facts) == "3.12"
    assert most_stated_minor([pin("3.13", "a"), pin("3.12", "b")]) == "3.12"
    ranged = [*facts, PythonFact(RANGE, ">=3.13", Place("pyproject.toml", 1), "x")]
    assert most_stated_minor(ranged) == "3.14"
    assert most_stated_minor([]) is None


def test_init_pins_the_python_the_projects_files_build_with(
    tmp_path: Path, run_parity: Callable
) -> None:
    project = make_project(
        tmp_path,
        {
            "requirements.txt": "alpha==1.0\n",
            "Dockerfile": "FROM python:3.12-slim\n",
            ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
            "    steps:\n      - uses: actions/setup-python@v5\n        with:\n"
            '          python-version: "3.12"\n',
        },
    )
    result = run_parity("init", "--strategy", "pip-tools", "--no-lock", "-p", project)
    assert result.code == 0, result.err
    assert (project / ".python-version").read_text() == "3.12\n"


DEVCONTAINER = """\
// VS Code's template, with comments and a trailing comma (JSONC)
{
  "name": "app", // "image": "python:3.8" in a comment is no image
  /* "image": "python:3.7",
     a block comment */
  "image": "registry.example/devcontainers/python:1-3.12-bookworm",
  "features": {
    "ghcr.io/devcontainers/features/python:1": {"version": "3.11"},
  },
  "build": {"args": {"VARIANT": "3.10-bullseye"}},
  "postCreateCommand": "pip install -r requirements.txt // not a comment",
}
"""


def test_devcontainer_json_states_its_python_with_lines_through_comments() -> None:
    from parity.diagnose.consistency.sources import devcontainer

    found = [(f.value, f.place.line) for f in devcontainer.facts("x.json", DEVCONTAINER)]
    assert found == [("3.12", 6), ("3.11", 8), ("3.10", 10)]
    legacy = '{"image": "registry.example/vscode/devcontainers/python:0-3.9"}'
    assert [f.value for f in devcontainer.facts("x.json", legacy)] == ["3.9"]
    plain = '{"image": "python:3.13-slim", "x": "unterminated\n}'
    assert [f.value for f in devcontainer.facts("x.json", plain)] == ["3.13"]


def test_check_catches_a_dev_container_on_another_python(
    tmp_path: Path, run_parity: Callable
) -> None:
    # The dev container is where the team runs the code: its Python went unchecked.
    project = make_project(
        tmp_path,
        {
            "requirements.in": "",
            ".python-version": "3.11\n",
            ".devcontainer/devcontainer.json": DEVCONTAINER,
        },
    )
    result = run_parity("check", "--lock-only", "-p", project)
    assert result.code == 1
    assert "but dev container names 3.12 (.devcontainer/devcontainer.json:6)" in result.out, (
        result.out
    )

"""Poetry constraint translation, checked against poetry-core itself.

poetry-core is the reference: for every constraint in the table, the PEP 440
specifier parity writes must admit exactly the versions poetry-core's parsed
constraint admits, and every marker parity writes (``python``, ``platform``,
``markers``) must hold in exactly the environments poetry-core's marker holds.
Pre-releases are compared as pip and uv compare them when pre-releases are
allowed (``prereleases=True``), with one documented exception: PEP 440 and
Poetry disagree on whether ``<2.0`` admits ``2.0a1`` inside a union, which
never matters unless pre-releases are asked for.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from parity.spec.poetry import dependency_requirements, poetry_to_pep440

poetry_factory = pytest.importorskip("poetry.core.factory")
poetry_version = pytest.importorskip("poetry.core.constraints.version")

PROBES = [
    "0",
    "0.0.1",
    "0.0.3",
    "0.0.4",
    "0.1",
    "0.2.2",
    "0.2.3",
    "0.2.9",
    "0.3.0",
    "0.8",
    "0.8.post1",
    "0.8.1",
    "0.8.5.post2",
    "0.9",
    "0.9.0b1",
    "1.0",
    "1.0.0rc1",
    "1.0.1",
    "1.1",
    "1.2",
    "1.2.0",
    "1.2.3",
    "1.2.4",
    "1.2.5",
    "1.2.9",
    "1.3",
    "1.4.1",
    "1.4.2",
    "1.4.9",
    "1.5",
    "1.9.9",
    "2.0",
    "2.0.1",
    "2.4",
    "2.9.9",
    "3.0",
    "3.5",
    "7.9",
    "8.0.0b1",
    "8.0.0",
    "8.1",
    "8.9.9",
    "9.0",
    "10.0",
]

CONSTRAINTS = [
    "*",
    "^1.2.3",
    "^1.2",
    "^1",
    "^0.2.3",
    "^0.0.3",
    "^0.0",
    "^0",
    "^0.8.post1",
    "^8.0.0b1",
    "^1.0.0-rc.1",
    "~1.2.3",
    "~1.2",
    "~1",
    "~=1.4.2",
    "~=1.4",
    "1.*",
    "1.2.*",
    "!=1.2.*",
    ">=1.2,<1.5",
    ">= 1.2, < 1.5",
    ">=1.2 <1.5",
    "^1.2,!=1.2.5",
    "<2",
    "> 1",
    "<=2",
    "1.2.3",
    "==1.2.3",
    "=1.2.3",
    "!=1.3",
    ">1.0b1",
    "^1.2 || ^2.0",
    ">=1,<2 || >=1.5,<3",
    "~1.2 || ~1.3 || ~1.4",
    "1.* || 2.*",
]


def _poetry_allows(constraint: str, version: str) -> bool:
    parsed = poetry_version.parse_constraint(constraint)
    return bool(parsed.allows(poetry_version.Version.parse(version)))


@pytest.mark.parametrize("constraint", CONSTRAINTS)
def test_version_constraint_admits_what_poetry_admits(constraint: str) -> None:
    ours = SpecifierSet(poetry_to_pep440(constraint))
    union = "|" in constraint
    for probe in PROBES:
        if union and Version(probe).is_prerelease:
            continue  # see the module docstring
        assert ours.contains(probe, prereleases=True) == _poetry_allows(constraint, probe), (
            f"{constraint!r} on {probe}: parity says {ours}"
        )


def _environments() -> list[dict[str, str]]:
    pythons = ["2.7.18", "3.7.2", "3.8.0", "3.8.1", "3.8.5", "3.9.0", "3.9.7", "3.10.1"]
    pythons += ["3.11.4", "3.12.0", "3.13.1", "4.0.0"]
    platforms = ["linux", "darwin", "win32", "cygwin"]
    out = []
    for python, platform in itertools.product(pythons, platforms):
        out.append(
            {
                "python_version": ".".join(python.split(".")[:2]),
                "python_full_version": python,
                "sys_platform": platform,
                "os_name": "nt" if platform == "win32" else "posix",
                "platform_machine": "x86_64",
                "implementation_name": "cpython",
                "platform_python_implementation": "CPython",
            }
        )
    return out


ENTRIES = [
    {"version": "*", "python": "^3.8.1"},
    {"version": "*", "python": ">=3.8,<3.11"},
    {"version": "*", "python": "~3.9"},
    {"version": "*", "python": "~3.9.1"},
    {"version": "*", "python": "3.9.*"},
    {"version": "*", "python": ">=3.7.2"},
    {"version": "*", "python": "<3.8 || >=3.10"},
    {"version": "*", "python": ">=3.6,<3.8 || >=3.10"},
    {"version": "*", "python": "^3.10"},
    {"version": "*", "platform": "win32"},
    {"version": "*", "platform": "linux || darwin"},
    {"version": "*", "platform": "!=win32"},
    {"version": "*", "markers": "sys_platform == 'linux'", "python": ">=3.10"},
    {"version": "*", "markers": "os_name == 'nt' or python_version < '3.9'"},
    {"version": "*", "platform": "darwin", "python": "<3.12"},
]


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: ",".join(f"{k}={v}" for k, v in e.items()))
def test_dependency_marker_holds_where_poetrys_holds(entry: dict[str, str]) -> None:
    [ours] = dependency_requirements("pkg", entry)
    our_marker = Marker(ours.text.split(";", 1)[1]) if ";" in ours.text else None
    theirs = poetry_factory.Factory.create_dependency("pkg", entry)
    their_marker = None if theirs.marker.is_any() else Marker(str(theirs.marker))
    for env in _environments():
        expected = their_marker.evaluate(env) if their_marker else True
        actual = our_marker.evaluate(env) if our_marker else True
        assert actual == expected, f"{entry} in {env}: parity writes {ours.text!r}"


@pytest.mark.parametrize(
    "entry",
    [
        "^2.0",
        {"version": "^0.24", "extras": ["standard"]},
        {"version": ">=1.2,<2", "optional": True},
        {"git": "https://git.example/tool.git", "tag": "v1"},
        {"url": "https://files.example/pkg-1.0.tar.gz"},
    ],
)
def test_requirement_names_the_same_extras_and_url_as_poetry(entry: object) -> None:
    from packaging.requirements import Requirement

    [ours] = dependency_requirements("pkg", entry)
    theirs = Requirement(poetry_factory.Factory.create_dependency("pkg", entry).to_pep_508())
    mine = Requirement(ours.text)
    assert mine.extras == theirs.extras
    assert (mine.url or "").removeprefix("git+") == (theirs.url or "").removeprefix("git+")


@pytest.mark.parametrize(
    "constraint", ["^0.8 || ^1.0", "1.2.3 || 1.2.5", "<1 || >2", "!=1.0 || >3"]
)
def test_alternatives_with_a_gap_are_refused(constraint: str) -> None:
    from parity.errors import SpecError

    parsed = poetry_version.parse_constraint(constraint)
    assert not parsed.is_any()  # poetry-core reads them; PEP 440 has no way to say them
    with pytest.raises(SpecError, match="do not join into one range"):
        poetry_to_pep440(constraint)


def test_extras_hold_the_dependencies_poetry_core_puts_in_them(tmp_path: Path) -> None:
    """[tool.poetry.extras]: optional or not, a main dependency named goes into the extra."""
    from parity.spec.load import load_project

    (tmp_path / "pyproject.toml").write_text(
        "[tool.poetry]\nname = 'app'\nversion = '0.1.0'\ndescription = ''\nauthors = []\n"
        "[tool.poetry.dependencies]\npython = '^3.10'\nalpha = '*'\n"
        "beta = { version = '^1', optional = true }\ngamma = '*'\n"
        "[tool.poetry.extras]\nx = ['alpha', 'beta']\ny = ['Beta', 'nothere']\n"
    )
    package = poetry_factory.Factory().create_poetry(tmp_path).package
    spec = load_project(tmp_path)
    for extra, deps in package.extras.items():
        assert sorted(r.name for r in spec.group(extra).requirements) == sorted(
            d.name for d in deps
        )
    in_extras = {d.name for d in package.requires if d.in_extras}
    prod = {r.name for r in spec.group("prod").requirements}
    assert prod == {d.name for d in package.requires if not d.is_optional()} - in_extras


KIND_ENTRIES = [
    {"git": "https://git.example/org/pkg.git", "version": "^1.0"},
    {"git": "https://git.example/org/pkg.git", "rev": "abc", "develop": True},
    {"path": "../pkg", "version": "1.0"},
    {"path": "../pkg", "source": "private"},
    {"path": "../pkg", "develop": True, "extras": ["x"]},
    {"path": "../pkg", "file": "pkg.whl"},
    {"file": "pkg-1.0-py3-none-any.whl", "subdirectory": "sub"},
    {"url": "https://files.example/pkg-1.0-py3-none-any.whl", "develop": True},
    {"version": "^1.0", "source": "private", "python": ">=3.10"},
]


@pytest.mark.parametrize("entry", KIND_ENTRIES, ids=str)
def test_a_table_mixing_two_kinds_of_dependency_is_refused_as_poetry_refuses_it(
    entry: dict[str, object],
) -> None:
    # `{git = ..., version = "^1.0"}` locked the default branch, dropping the version,
    # where poetry-core refuses the file.
    from parity.errors import SpecError

    data = {
        "tool": {
            "poetry": {
                "name": "x",
                "version": "1",
                "description": "",
                "authors": [],
                "dependencies": {"python": "^3.10", "pkg": entry},
            }
        }
    }
    poetry_refuses = bool(poetry_factory.Factory.validate(data)["errors"])
    try:
        dependency_requirements("pkg", entry)
    except SpecError:
        parity_refuses = True
    else:
        parity_refuses = False
    assert parity_refuses == poetry_refuses


def test_a_poetry_2_refinement_without_a_version_is_still_read() -> None:
    # [project] names `pkg @ ../pkg`; [tool.poetry.dependencies] only refines it.
    assert dependency_requirements("pkg", {"develop": True})
    assert dependency_requirements("pkg", {"source": "private"})

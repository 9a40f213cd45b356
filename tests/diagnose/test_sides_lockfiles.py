"""Lock files as diff sides: uv.lock read as a lock with groups and markers; -g everywhere.

The uv.lock below is shaped like a real one (Flask's): the project is an
editable root with prod dependencies, extras and dependency groups; one
package is locked at two versions split by Python, another only on Windows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import make_project
from fixtures.poetry_locks import POETRY_1X_LOCK, poetry_package
from parity.diagnose.sides import (
    POETRY_LOCK,
    UV_LOCK,
    declared_snapshot,
    detect_format,
    read_side,
)
from parity.env.snapshot_model import PlatformInfo, PythonInfo
from parity.errors import UsageError
from parity.lock.formats.detect import detect_lock_format

UV_LOCK_TEXT = """\
version = 1
revision = 3
requires-python = ">=3.10"
resolution-markers = [
    "python_full_version >= '3.11'",
    "python_full_version < '3.11'",
]

[[package]]
name = "app"
version = "1.0.0"
source = { editable = "." }
dependencies = [
    { name = "click" },
]

[package.optional-dependencies]
async = [
    { name = "asgiref" },
]

[package.dev-dependencies]
docs = [
    { name = "sphinx", version = "8.1.3", source = { registry = "https://index.example/simple" }, marker = "python_full_version < '3.11'" },
    { name = "sphinx", version = "8.2.3", source = { registry = "https://index.example/simple" }, marker = "python_full_version >= '3.11'" },
]
tests = [
    { name = "pytest" },
]

[[package]]
name = "asgiref"
version = "3.11.1"
source = { registry = "https://index.example/simple" }

[[package]]
name = "click"
version = "8.3.2"
source = { registry = "https://index.example/simple" }
dependencies = [
    { name = "colorama", marker = "sys_platform == 'win32'" },
]

[[package]]
name = "colorama"
version = "0.4.6"
source = { registry = "https://index.example/simple" }

[[package]]
name = "pytest"
version = "9.0.2"
source = { registry = "https://index.example/simple" }
dependencies = [
    { name = "tomli", marker = "python_full_version < '3.11'" },
]

[[package]]
name = "sphinx"
version = "8.1.3"
source = { registry = "https://index.example/simple" }
resolution-markers = [
    "python_full_version < '3.11'",
]

[[package]]
name = "sphinx"
version = "8.2.3"
source = { registry = "https://index.example/simple" }
resolution-markers = [
    "python_full_version >= '3.11'",
]

[[package]]
name = "tomli"
version = "2.4.1"
source = { registry = "https://index.example/simple" }
"""

LINUX = PlatformInfo(system="Linux", machine="x86_64")
WINDOWS = PlatformInfo(system="Windows", machine="AMD64")


def versions(side: object, python: str, platform: PlatformInfo) -> dict[str, str | None]:
    snapshot = declared_snapshot(
        side,  # type: ignore[arg-type]
        python=PythonInfo(implementation="CPython", version=python),
        platform=platform,
    )
    return {d.name: d.version for d in snapshot.distributions}


@pytest.fixture
def uv_project(tmp_path: Path) -> Path:
    return make_project(tmp_path, {"uv.lock": UV_LOCK_TEXT})


def test_uv_lock_is_detected_as_uv_lock_not_poetry_lock() -> None:
    assert detect_format("uv.lock", UV_LOCK_TEXT) == UV_LOCK
    assert detect_lock_format("renamed.lock", UV_LOCK_TEXT) == UV_LOCK
    assert detect_lock_format("poetry.lock", "[[package]]\n[metadata]\n") == POETRY_LOCK


def test_uv_lock_side_is_prod_by_default(uv_project: Path) -> None:
    side = read_side(str(uv_project / "uv.lock"))
    assert versions(side, "3.12.1", LINUX) == {"app": "1.0.0", "click": "8.3.2"}


def test_uv_lock_follows_edge_markers_for_the_environment(uv_project: Path) -> None:
    side = read_side(str(uv_project / "uv.lock"))
    assert versions(side, "3.12.1", WINDOWS) == {
        "app": "1.0.0",
        "click": "8.3.2",
        "colorama": "0.4.6",
    }


def test_group_picks_the_version_locked_for_that_python(uv_project: Path) -> None:
    side = read_side(str(uv_project / "uv.lock"), groups=frozenset({"docs"}))
    assert versions(side, "3.12.1", LINUX)["sphinx"] == "8.2.3"
    assert versions(side, "3.10.4", LINUX)["sphinx"] == "8.1.3"


def test_groups_and_extras_are_honoured(uv_project: Path) -> None:
    side = read_side(str(uv_project / "uv.lock"), groups=frozenset({"tests", "async"}))
    assert versions(side, "3.10.4", LINUX) == {
        "app": "1.0.0",
        "asgiref": "3.11.1",
        "click": "8.3.2",
        "pytest": "9.0.2",
        "tomli": "2.4.1",
    }


def test_unknown_group_of_a_uv_lock_is_a_usage_error(uv_project: Path) -> None:
    with pytest.raises(UsageError) as info:
        read_side(str(uv_project / "uv.lock"), groups=frozenset({"nope"}))
    assert "has no group 'nope'" in info.value.message
    assert info.value.hint is not None and "docs" in info.value.hint


def test_unknown_group_of_a_pylock_is_a_usage_error(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "pylock.toml": 'lock-version = "1.0"\ncreated-by = "x"\n'
            'dependency-groups = ["dev"]\ndefault-groups = ["dev"]\n\n'
            '[[packages]]\nname = "a"\nversion = "1.0"\n'
        },
    )
    with pytest.raises(UsageError, match="has no group 'docs'"):
        read_side(str(root / "pylock.toml"), groups=frozenset({"docs"}))


def test_poetry_lock_without_groups_refuses_a_group(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "poetry.lock": '[[package]]\nname = "a"\nversion = "1.0"\n\n'
            '[metadata]\nlock-version = "2.0"\n'
        },
    )
    with pytest.raises(UsageError, match="does not record which group"):
        read_side(str(root / "poetry.lock"), groups=frozenset({"dev"}))


def test_group_of_a_requirements_file_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"requirements.txt": "a==1.0\n"})
    with pytest.raises(UsageError, match="one group's file"):
        read_side(str(root / "requirements.txt"), groups=frozenset({"dev"}))


def test_the_group_a_parity_lockfile_is_of_may_be_named(tmp_path: Path) -> None:
    """`parity diff uv.lock requirements-tests.txt -g tests` (click): -g applies to both sides."""
    lockfile = "#\n# parity:group tests\n#\na==1.0\n"
    root = make_project(tmp_path, {"requirements-tests.txt": lockfile})
    side = read_side(str(root / "requirements-tests.txt"), groups=frozenset({"tests"}))
    assert [p.name for p in side.pins] == ["a"]  # type: ignore[union-attr]
    with pytest.raises(UsageError, match="one group's file"):
        read_side(str(root / "requirements-tests.txt"), groups=frozenset({"dev"}))


def test_project_directory_with_a_group_reads_that_groups_lock(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "requirements.in": "a\n",
            "requirements-dev.in": "-r requirements.in\nb\n",
            "requirements.txt": "a==1.0\n    # via -r requirements.in\n",
            "requirements-dev.txt": "a==1.0\n    # via -r requirements.in\n"
            "b==2.0\n    # via -r requirements-dev.in\n",
        },
    )
    side = read_side(str(root), groups=frozenset({"dev"}))
    assert side.label.endswith("requirements-dev.txt")  # type: ignore[union-attr]
    with pytest.raises(UsageError, match="no group 'docs'"):
        read_side(str(root), groups=frozenset({"docs"}))


def test_diff_of_a_uv_lock_with_an_unknown_group_exits_2(
    uv_project: Path, run_parity: Callable[..., object]
) -> None:
    result = run_parity("diff", uv_project / "uv.lock", uv_project / "uv.lock", "-g", "nope")
    assert result.code == 2  # type: ignore[attr-defined]
    assert "has no group 'nope'" in result.err  # type: ignore[attr-defined]


def test_diff_reads_two_groups_of_one_uv_lock(
    uv_project: Path, run_parity: Callable[..., object]
) -> None:
    result = run_parity("diff", uv_project / "uv.lock", uv_project / "uv.lock", "--json")
    assert result.code == 0, result.err  # type: ignore[attr-defined]


POETRY_PYPROJECT = (
    "[tool.poetry]\nname = 'app'\nversion = '0.1.0'\n"
    "[tool.poetry.dependencies]\npython = '^3.10'\nrequests = '^2.31'\n"
    "[tool.poetry.group.test.dependencies]\npytest = '*'\n"
)


def _names(side: object) -> list[str]:
    return sorted(p.name for p in side.pins)  # type: ignore[attr-defined]


def test_a_poetry_1x_lock_is_read_for_main_by_walking_from_pyproject(tmp_path: Path) -> None:
    """lock-version 2.0 records neither groups nor markers: main is what its requirements reach."""
    root = make_project(
        tmp_path, {"pyproject.toml": POETRY_PYPROJECT, "poetry.lock": POETRY_1X_LOCK}
    )
    side = read_side(str(root / "poetry.lock"))
    assert _names(side) == ["idna", "requests"]
    assert any("records no groups" in n for n in side.notes)  # type: ignore[union-attr]
    assert _names(read_side(str(root))) == ["idna", "requests"]  # the project directory too


def test_a_group_of_a_poetry_1x_lock_is_main_and_that_group(tmp_path: Path) -> None:
    root = make_project(
        tmp_path, {"pyproject.toml": POETRY_PYPROJECT, "poetry.lock": POETRY_1X_LOCK}
    )
    side = read_side(str(root / "poetry.lock"), groups=frozenset({"test"}))
    assert _names(side) == ["colorama", "idna", "iniconfig", "pytest", "requests"]
    with pytest.raises(UsageError, match="has no group 'docs'"):
        read_side(str(root / "poetry.lock"), groups=frozenset({"docs"}))


def test_a_poetry_1x_lock_alone_is_compared_whole_and_says_so(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"poetry.lock": POETRY_1X_LOCK})
    side = read_side(str(root / "poetry.lock"))
    assert len(side.pins) == 6  # type: ignore[union-attr]
    assert any("every package of every group" in n for n in side.notes)  # type: ignore[union-attr]


def test_diff_of_a_poetry_1x_lock_and_its_main_export_finds_no_difference(
    tmp_path: Path, run_parity: Callable[..., object]
) -> None:
    root = make_project(
        tmp_path,
        {
            "pyproject.toml": POETRY_PYPROJECT,
            "poetry.lock": POETRY_1X_LOCK,
            "main.txt": "requests==2.31.0\nidna==3.7\n",
        },
    )
    result = run_parity("diff", root / "poetry.lock", root / "main.txt", "--json")
    assert result.code == 0, result.err  # type: ignore[attr-defined]
    assert result.json()["differences"] == []  # type: ignore[attr-defined]


def test_a_poetry_lock_leaves_out_what_only_an_extra_installs(tmp_path: Path) -> None:
    """Poetry 1.x's category locks mark extras-only packages ``optional = true``."""
    lock = (
        poetry_package("a", "1.0").replace(
            'description = ""', 'category = "main"\ndescription = ""'
        )
        + poetry_package("b", "1.0")
        .replace("optional = false", "optional = true")
        .replace('description = ""', 'category = "main"\ndescription = ""')
        + poetry_package("c", "1.0").replace(
            'description = ""', 'category = "dev"\ndescription = ""'
        )
        + '[metadata]\nlock-version = "1.1"\npython-versions = "^3.10"\ncontent-hash = "0a1b"\n'
    )
    root = make_project(tmp_path, {"poetry.lock": lock})
    assert _names(read_side(str(root / "poetry.lock"))) == ["a"]
    # dev on top of main, as `poetry install --with dev` installs it; b still left out.
    assert _names(read_side(str(root / "poetry.lock"), groups=frozenset({"dev"}))) == ["a", "c"]


POETRY_LOCK_WITH_GROUPS = (
    '[[package]]\nname = "a"\nversion = "1.0"\noptional = false\ngroups = ["main"]\n\n'
    '[[package]]\nname = "b"\nversion = "2.0"\noptional = false\ngroups = ["dev"]\n\n'
    '[[package]]\nname = "c"\nversion = "3.0"\noptional = false\ngroups = ["docs"]\n\n'
    '[metadata]\nlock-version = "2.1"\npython-versions = ">=3.10"\ncontent-hash = "x"\n'
)


def test_a_poetry_group_is_read_on_top_of_main_as_poetry_installs_it(tmp_path: Path) -> None:
    # `poetry install --with dev` installs main and dev; every other side's -g dev
    # (pylock.toml, uv.lock, requirements-dev.txt) holds prod too.
    root = make_project(tmp_path, {"poetry.lock": POETRY_LOCK_WITH_GROUPS})
    side = read_side(str(root / "poetry.lock"), groups=frozenset({"dev"}))
    assert _names(side) == ["a", "b"]


def test_prod_names_poetry_main_group(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"poetry.lock": POETRY_LOCK_WITH_GROUPS})
    side = read_side(str(root / "poetry.lock"), groups=frozenset({"prod"}))
    assert _names(side) == ["a"]


def test_every_lock_format_gives_the_python_range_it_records(tmp_path: Path) -> None:
    # diff said each of these "does not record its Python", and compared none.
    root = make_project(
        tmp_path,
        {
            "uv.lock": UV_LOCK_TEXT,
            "pylock.toml": 'lock-version = "1.0"\ncreated-by = "x"\nrequires-python = ">=3.11"\n'
            '\n[[packages]]\nname = "a"\nversion = "1.0"\n',
            "requirements.txt": "# parity:group prod\n# parity:requires-python >=3.12\na==1.0\n",
            "poetry.lock": POETRY_1X_LOCK,
            "other/requirements.txt": "a==1.0\n",
        },
    )
    ranges = {
        name: read_side(str(root / name)).requires_python  # type: ignore[union-attr]
        for name in ("uv.lock", "pylock.toml", "requirements.txt", "poetry.lock")
    }
    assert ranges == {
        "uv.lock": ">=3.10",
        "pylock.toml": ">=3.11",
        "requirements.txt": ">=3.12",
        "poetry.lock": ">=3.10,<4.0",
    }
    assert read_side(str(root / "other" / "requirements.txt")).requires_python is None  # type: ignore[union-attr]
    snapshot = declared_snapshot(
        read_side(str(root / "uv.lock")),  # type: ignore[arg-type]
        python=PythonInfo(implementation="CPython", version="3.11.7"),
        platform=LINUX,
    )
    assert (snapshot.python, snapshot.requires_python) == (None, ">=3.10")

"""Reading real project shapes faithfully: uv sources and workspaces, Poetry sources and
opt-ins, fragments, setuptools' dynamic files, contradictory Python ranges, unread files."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import make_project
from parity.errors import SpecError
from parity.spec.load import load_project
from parity.spec.model import ProjectSpec

MEMBER = "[project]\nname = '{name}'\nversion = '0.1'\ndependencies = {deps}\n"


def load(tmp_path: Path, files: dict[str, str]) -> ProjectSpec:
    return load_project(make_project(tmp_path, files))


def error(tmp_path: Path, files: dict[str, str]) -> SpecError:
    with pytest.raises(SpecError) as info:
        load(tmp_path, files)
    return info.value


def reqs(spec: ProjectSpec, group: str = "prod") -> dict[str, str]:
    return {r.name: r.requirement for r in spec.group(group).requirements}


# -- [tool.uv.sources] --------------------------------------------------------------------


def test_uv_sources_are_applied_to_their_requirements(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "app"
                version = "1"
                dependencies = ["tool[cli]>=1", "lib", "torch ; sys_platform == 'linux'", "wheel-pkg"]

                [tool.uv.sources]
                tool = { git = "https://git.example/tool.git", tag = "v1", subdirectory = "py" }
                lib = { path = "libs/lib", editable = true }
                torch = { index = "cpu" }
                wheel-pkg = { url = "https://files.example/wheel_pkg-1.0-py3-none-any.whl" }

                [[tool.uv.index]]
                name = "cpu"
                url = "https://download.example/cpu"
                explicit = true
            """,
            "libs/lib/pyproject.toml": MEMBER.format(name="lib", deps="[]"),
        },
    )
    found = {r.name: r for r in spec.group("prod").requirements}
    assert found["tool"].requirement == (
        "tool[cli] @ git+https://git.example/tool.git@v1#subdirectory=py"
    )
    assert (found["lib"].path, found["lib"].editable) == ("libs/lib", True)
    assert found["torch"].index == "https://download.example/cpu"
    assert found["torch"].requirement == 'torch ; sys_platform == "linux"'
    assert found["wheel-pkg"].requirement.startswith("wheel-pkg @ https://files.example/")
    assert spec.index.extra_index_urls == ()  # an explicit index serves only its packages


def test_a_source_that_holds_for_one_group_is_refused(tmp_path: Path) -> None:
    failure = error(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "app"
                version = "1"
                dependencies = ["torch"]

                [tool.uv.sources]
                torch = [{ index = "cpu", extra = "cpu" }]
            """
        },
    )
    assert "holds only for extra 'cpu'" in failure.message
    assert failure.line is not None and failure.hint


def test_uv_conflicts_are_refused_with_the_reason(tmp_path: Path) -> None:
    failure = error(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "app"
                version = "1"
                dependencies = []

                [tool.uv]
                conflicts = [[{ extra = "a" }, { extra = "b" }]]
            """
        },
    )
    assert "conflicts" in failure.message and "one resolution" in failure.message


def test_uv_constraints_overrides_and_prerelease_are_read(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "app"
                version = "1"
                dependencies = ["alpha"]

                [tool.uv]
                constraint-dependencies = ["urllib3>=2"]
                override-dependencies = ["beta==1.0"]
                prerelease = "allow"
            """
        },
    )
    assert [c.requirement for c in spec.constraints] == ["urllib3>=2"]
    assert [o.requirement for o in spec.overrides] == ["beta==1.0"]
    assert spec.prerelease


def test_uv_resolver_settings_are_read_and_carried_into_the_resolution(tmp_path: Path) -> None:
    """attrs' `exclude-newer = "1 week"` (a dependency cooldown) was dropped: parity locked
    what uv lock, in the same project, refuses for another week."""
    from parity.lock.engines.uv import ResolveRequest, render_pyproject
    from parity.toml import loads

    text = """
        [project]
        name = "app"
        version = "1"
        dependencies = ["alpha"]

        [tool.uv]
        exclude-newer = "1 week"
        resolution = "lowest-direct"
        fork-strategy = "fewest"

        [tool.uv.exclude-newer-package]
        alpha = false
        beta = "2024-06-01T00:00:00Z"
    """
    spec = load(tmp_path, {"pyproject.toml": text})
    assert dict(spec.resolver_settings) == {
        "exclude-newer": "1 week",
        "resolution": "lowest-direct",
        "fork-strategy": "fewest",
        "exclude-newer-package": (("alpha", False), ("beta", "2024-06-01T00:00:00Z")),
    }
    assert "pyproject.toml [tool.uv]" in {i.path for i in spec.inputs}
    rendered = loads(
        render_pyproject(
            ResolveRequest(groups=(), requires_python=">=3.10", settings=spec.resolver_settings)
        )
    )["tool"]["uv"]
    assert rendered["exclude-newer"] == "1 week"
    assert rendered["resolution"] == "lowest-direct"
    assert rendered["fork-strategy"] == "fewest"
    assert rendered["exclude-newer-package"] == {"alpha": False, "beta": "2024-06-01T00:00:00Z"}


@pytest.mark.parametrize(
    ("setting", "message", "line"),
    [
        ("exclude-newer = 7", "[tool.uv] exclude-newer must be a date", 7),
        ('resolution = "newest"', '[tool.uv] resolution must be one of "highest"', 7),
        (
            "exclude-newer-package = { alpha = 1 }",
            "[tool.uv] exclude-newer-package alpha: must be a date",
            7,
        ),
    ],
)
def test_a_bad_uv_resolver_setting_names_its_line(
    tmp_path: Path, setting: str, message: str, line: int
) -> None:
    text = f"[project]\nname = 'app'\nversion = '1'\ndependencies = []\n\n[tool.uv]\n{setting}\n"
    with pytest.raises(SpecError) as info:
        load_project(make_project(tmp_path, {"pyproject.toml": text}))
    assert info.value.message.startswith(message)
    assert (info.value.path, info.value.line) == ("pyproject.toml", line)


_UV_HEAD = "[project]\nname = 'app'\nversion = '1'\ndependencies = []\n\n[tool.uv]\n"


@pytest.mark.parametrize(
    ("setting", "key", "value"),
    [
        ("no-build = true", "no-build", True),
        ("no-build-package = ['srconly']", "no-build-package", ["srconly"]),
        ("no-binary = true", "no-binary", True),
        ("no-binary-package = ['delta']", "no-binary-package", ["delta"]),
        ('prerelease = "if-necessary"', "prerelease", "if-necessary"),
        ('index-strategy = "unsafe-best-match"', "index-strategy", "unsafe-best-match"),
        ("build-constraint-dependencies = ['setuptools<70']", "build-constraint-dependencies",
         ["setuptools<70"]),
        ("required-environments = \"sys_platform == 'linux'\"", "required-environments",
         ["sys_platform == 'linux'"]),
        ("dependency-metadata = [{ name = 'srconly', version = '0.1', requires-dist = [] }]",
         "dependency-metadata", [{"name": "srconly", "version": "0.1", "requires-dist": []}]),
        ("config-settings = { editable_mode = 'compat' }", "config-settings",
         {"editable_mode": "compat"}),
        ("no-build-isolation-package = ['flash-attn']", "no-build-isolation-package",
         ["flash-attn"]),
        ("extra-build-dependencies = { flash-attn = ['torch'] }", "extra-build-dependencies",
         {"flash-attn": ["torch"]}),
        ("exclude-dependencies = ['beta']", "exclude-dependencies", ["beta"]),
        ('minimum-libc-version = { glibc = "2.28" }', "minimum-libc-version", {"glibc": "2.28"}),
    ],
)  # fmt: skip
def test_uv_settings_that_change_a_lock_are_carried_and_digested(
    tmp_path: Path, setting: str, key: str, value: object
) -> None:
    """`no-build`, `no-binary` and the like were not read at all: parity locked what
    uv lock, in the same project, refuses (or resolves differently)."""
    from parity.lock.engines.uv import ResolveRequest, render_pyproject
    from parity.toml import loads

    spec = load(tmp_path, {"pyproject.toml": _UV_HEAD + setting + "\n"})
    assert dict(spec.resolver_settings) == {key: value}
    assert "pyproject.toml [tool.uv]" in {i.path for i in spec.inputs}
    rendered = loads(
        render_pyproject(
            ResolveRequest(groups=(), requires_python=">=3.10", settings=spec.resolver_settings)
        )
    )["tool"]["uv"]
    assert rendered[key] == value


def test_a_changed_uv_setting_changes_the_digest(tmp_path: Path) -> None:
    def digest(setting: str) -> str:
        spec = load(tmp_path / setting.replace(" ", ""), {"pyproject.toml": _UV_HEAD + setting})
        return next(i.digest for i in spec.inputs if i.path == "pyproject.toml [tool.uv]")

    assert digest("no-binary-package = ['a']") != digest("no-binary-package = ['b']")
    assert digest("no-build = true") != digest("no-binary = true")


def test_prerelease_allow_stays_the_project_wide_switch(tmp_path: Path) -> None:
    spec = load(tmp_path, {"pyproject.toml": _UV_HEAD + 'prerelease = "allow"\n'})
    assert spec.prerelease and not spec.resolver_settings


@pytest.mark.parametrize(
    ("setting", "message", "hint"),
    [
        ("no-sources = true", "[tool.uv] no-sources: uv lock then ignores", "Remove no-sources"),
        ("no-sources-package = ['x']", "[tool.uv] no-sources-package:", "Remove the sources"),
        ("upgrade = true", "[tool.uv] upgrade: uv lock then moves", "parity lock --upgrade"),
        ("upgrade-package = ['x']", "[tool.uv] upgrade-package:", "--upgrade-package NAME"),
        ("dependency-groups = { dev = { requires-python = '>=3.12' } }",
         "[tool.uv] dependency-groups:", "markers"),
        ("no-bulid = true", "[tool.uv] no-bulid is not a setting uv knows", "Fix or remove"),
        ("no-build = 'yes'", "[tool.uv] no-build must be true or false", None),
        ("no-binary-package = 'delta'", "[tool.uv] no-binary-package must be a list of", None),
        ('prerelease = "sometimes"', '[tool.uv] prerelease must be one of "allow", "disallow"',
         None),
    ],
)  # fmt: skip
def test_a_uv_setting_parity_cannot_carry_is_refused_at_its_line(
    tmp_path: Path, setting: str, message: str, hint: str | None
) -> None:
    with pytest.raises(SpecError) as info:
        load_project(make_project(tmp_path, {"pyproject.toml": _UV_HEAD + setting + "\n"}))
    assert info.value.message.startswith(message)
    assert (info.value.path, info.value.line) == ("pyproject.toml", 7)
    if hint is not None:
        assert hint in (info.value.hint or "")


def test_a_uv_settings_table_is_refused_at_its_header(tmp_path: Path) -> None:
    text = _UV_HEAD + "package = false\n\n[tool.uv.dependency-groups]\ndev = {}\n"
    with pytest.raises(SpecError) as info:
        load_project(make_project(tmp_path, {"pyproject.toml": text}))
    assert info.value.line == 9


# -- uv workspaces ------------------------------------------------------------------------


def test_workspace_members_are_local_packages_and_sources(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "pyproject.toml": """
                [build-system]
                requires = ["hatchling"]
                build-backend = "hatchling.build"

                [project]
                name = "root"
                version = "1"
                dependencies = ["api"]

                [tool.uv.sources]
                api = { workspace = true }

                [tool.uv.workspace]
                members = ["packages/*"]
                exclude = ["packages/skip"]
            """,
            "packages/api/pyproject.toml": MEMBER.format(name="api", deps='["core"]'),
            "packages/core/pyproject.toml": MEMBER.format(name="core", deps="[]"),
            "packages/skip/pyproject.toml": MEMBER.format(name="skip", deps="[]"),
        },
    )
    assert [(p.name, p.path) for p in spec.local_packages] == [
        ("root", "."),
        ("api", "packages/api"),
        ("core", "packages/core"),
    ]
    api = spec.group("prod").requirements[0]
    assert (api.path, api.editable) == ("packages/api", True)


def test_a_virtual_workspace_root_makes_each_member_a_group(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "pyproject.toml": """
                [tool.uv.workspace]
                members = ["apps/*"]

                [dependency-groups]
                lint = ["ruff"]
            """,
            "apps/web/pyproject.toml": MEMBER.format(name="web", deps='["alpha"]'),
            "apps/worker/pyproject.toml": MEMBER.format(name="worker", deps="[]"),
        },
    )
    assert spec.group_names == ("web", "worker", "lint")
    web = spec.group("web").requirements[0]
    assert (web.name, web.path, web.editable) == ("web", "apps/web", True)


def test_a_virtual_workspace_is_locked_for_the_range_its_members_declare(
    tmp_path: Path,
) -> None:
    # crewAI: a root with no [project], members that all support ">=3.10, <3.14", and a
    # .python-version of 3.13. uv lock resolves for 3.10 to 3.13, not for 3.13 alone.
    member = MEMBER + "requires-python = '>=3.10, <3.14'\n"
    spec = load(
        tmp_path,
        {
            "pyproject.toml": '[tool.uv.workspace]\nmembers = ["lib/*"]\n',
            ".python-version": "3.13\n",
            "lib/core/pyproject.toml": member.format(name="core", deps="[]"),
            "lib/tools/pyproject.toml": member.format(name="tools", deps="[]"),
        },
    )
    assert spec.python.requires_python == ">=3.10, <3.14"
    assert spec.python.pinned == "3.13"


def test_a_pin_outside_a_members_range_names_the_member_file(tmp_path: Path) -> None:
    from parity.errors import UsageError
    from parity.lock.target import choose_target

    member = MEMBER + "requires-python = '>=3.10, <3.13'\n"
    spec = load(
        tmp_path,
        {
            "pyproject.toml": '[tool.uv.workspace]\nmembers = ["lib/*"]\n',
            ".python-version": "3.13\n",
            "lib/files/pyproject.toml": member.format(name="files", deps="[]"),
        },
    )
    with pytest.raises(UsageError) as info:
        choose_target(spec.python)
    assert info.value.message == (
        ".python-version pins 3.13, outside requires-python <3.13,>=3.10 "
        "(lib/files/pyproject.toml:5)"
    )


def test_a_workspace_is_locked_for_the_pythons_every_member_supports(tmp_path: Path) -> None:
    files = {
        "pyproject.toml": """
            [project]
            name = "root"
            version = "1"
            requires-python = ">=3.8,<4"
            dependencies = ["api"]

            [tool.uv.sources]
            api = { workspace = true }

            [tool.uv.workspace]
            members = ["packages/*"]
        """,
        "packages/api/pyproject.toml": MEMBER.format(name="api", deps="[]")
        + "requires-python = '>= 3.10'\n",
        "packages/core/pyproject.toml": MEMBER.format(name="core", deps="[]")
        + "requires-python = '>=3.9,<3.14'\n",
    }
    spec = load(tmp_path, files)
    assert spec.python.requires_python == ">=3.10,<3.14"  # as uv lock intersects them


def test_workspace_ranges_with_no_common_python_are_refused_naming_each(tmp_path: Path) -> None:
    failure = error(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "root"
                version = "1"
                requires-python = "<3.10"

                [tool.uv.workspace]
                members = ["packages/*"]
            """,
            "packages/api/pyproject.toml": MEMBER.format(name="api", deps="[]")
            + "requires-python = '>=3.11'\n",
        },
    )
    assert "admit no common Python" in failure.message
    assert "<3.10 (pyproject.toml:4)" in failure.message
    assert ">=3.11 (packages/api/pyproject.toml:5)" in failure.message


def test_each_extra_of_a_member_is_a_group_that_installs_the_member_with_it(
    tmp_path: Path,
) -> None:
    # crewAI: uv lock locks every member's extras (`uv sync --package crewai --extra
    # tools`); member crewai's extra `tools` would be named as member crewai-tools is.
    extras = "[project.optional-dependencies]\ntools = ['alpha']\nfast = ['zeta']\n"
    spec = load(
        tmp_path,
        {
            "pyproject.toml": '[tool.uv.workspace]\nmembers = ["lib/*"]\n',
            "lib/crewai/pyproject.toml": MEMBER.format(name="crewai", deps="[]") + extras,
            "lib/crewai-tools/pyproject.toml": MEMBER.format(name="crewai-tools", deps="[]"),
        },
    )
    assert spec.group_names == ("crewai", "crewai-tools", "crewai-extra-tools", "crewai-fast")
    fast = spec.group("crewai-fast")
    [own] = fast.requirements
    assert (own.name, own.path, own.editable) == ("crewai", "lib/crewai", True)
    assert own.requirement.startswith("crewai[fast]")
    assert fast.extra  # optional, as the member declares it
    assert fast.origin == "lib/crewai/pyproject.toml [project.optional-dependencies] fast"
    assert spec.group("crewai-extra-tools").output == "requirements-crewai-extra-tools.txt"


def test_a_member_with_broken_toml_is_named_at_its_own_line(tmp_path: Path) -> None:
    failure = error(
        tmp_path,
        {
            "pyproject.toml": '[tool.uv.workspace]\nmembers = ["lib/*"]\n',
            "lib/cli/pyproject.toml": MEMBER.format(name="cli", deps="[]") + "oops = [\n",
        },
    )
    # It was "workspace member lib/cli has no [project] name", at the root's line.
    assert (failure.path, failure.line) == ("lib/cli/pyproject.toml", 5)
    assert "invalid TOML" in failure.message


def test_two_members_with_one_name_are_refused_naming_both(tmp_path: Path) -> None:
    # uv refuses it too, but only once it builds a member, in words about a build.
    failure = error(
        tmp_path,
        {
            "pyproject.toml": '[tool.uv.workspace]\nmembers = ["lib/*"]\n',
            "lib/core/pyproject.toml": MEMBER.format(name="core", deps="[]"),
            "lib/files/pyproject.toml": MEMBER.format(name="Core", deps="[]"),
        },
    )
    assert failure.message == "two workspace members are both named core: lib/core and lib/files"
    assert (failure.path, failure.line) == ("pyproject.toml", 2)


def test_a_workspace_source_naming_no_member_is_refused(tmp_path: Path) -> None:
    failure = error(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "root"
                version = "1"
                dependencies = ["ghost"]

                [tool.uv.sources]
                ghost = { workspace = true }

                [tool.uv.workspace]
                members = []
            """
        },
    )
    assert "no workspace member is named so" in failure.message


# -- Poetry sources and opt-ins -------------------------------------------------------------


def test_poetry_source_and_allow_prereleases_are_kept(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "pyproject.toml": """
                [tool.poetry.dependencies]
                python = "^3.11"
                torch = { version = "^2.0", source = "pytorch" }
                black = { version = "^24.1", allow-prereleases = true }

                [[tool.poetry.source]]
                name = "pytorch"
                url = "https://download.example/whl"
                priority = "explicit"
            """
        },
    )
    found = {r.name: r for r in spec.group("prod").requirements}
    assert found["torch"].index == "https://download.example/whl"
    assert found["black"].allow_prerelease
    assert spec.index.extra_index_urls == ()


def test_poetry_source_that_is_not_declared_is_refused(tmp_path: Path) -> None:
    failure = error(
        tmp_path,
        {"pyproject.toml": "[tool.poetry.dependencies]\ntorch = { version = '*', source = 'x' }\n"},
    )
    assert "names source 'x'" in failure.message and failure.line == 2


def test_poetry_platform_that_can_never_match_is_refused(tmp_path: Path) -> None:
    failure = error(
        tmp_path,
        {
            "pyproject.toml": "[tool.poetry.dependencies]\nx = { version = '*', platform = '!win32' }\n"
        },
    )
    assert "!=win32" in (failure.hint or "") and failure.line == 2


# -- requirements files ----------------------------------------------------------------------


def test_requirements_dev_in_is_group_dev_and_fragments_are_not_groups(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements/base.in": "-r common.in\nalpha\n",
            "requirements/dev.in": "-r common.in\n-r base.in\nbeta\n",
            "requirements/common.in": "zeta\n",
        },
    )
    assert spec.group_names == ("prod", "dev")
    assert [r.name for r in spec.group("prod").requirements] == ["zeta", "alpha"]
    assert spec.group("dev").includes == ("prod",)
    assert any(
        "requirements/common.in is read as part of groups dev, prod" in n for n in spec.notes
    )


def test_a_fragment_with_its_own_lockfile_stays_a_group(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements/dev.in": "-r test.in\nbeta\n",
            "requirements/test.in": "zeta\n",
            "requirements/test.txt": "zeta==1.0\n",
        },
    )
    assert set(spec.group_names) == {"dev", "test"}


def test_group_requirements_in_at_the_root_are_read(tmp_path: Path) -> None:
    spec = load(tmp_path, {"requirements.in": "alpha\n", "dev-requirements.in": "beta\n"})
    assert spec.group_names == ("prod", "dev")
    assert spec.group("dev").output == "dev-requirements.txt"


def test_pre_in_an_input_file_asks_for_pre_releases(tmp_path: Path) -> None:
    assert load(tmp_path, {"requirements.in": "--pre\nalpha\n"}).prerelease


# -- setuptools dynamic dependencies from files ------------------------------------------------


def test_dynamic_dependencies_are_read_from_the_files_setuptools_names(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "app"
                version = "1"
                dynamic = ["dependencies", "optional-dependencies"]

                [tool.setuptools.dynamic]
                dependencies = { file = ["requirements/base.in"] }
                optional-dependencies.docs = { file = ["requirements/docs.in"] }
            """,
            "requirements/base.in": "alpha>=1\n",
            "requirements/docs.in": "beta\n",
        },
    )
    assert reqs(spec) == {"alpha": "alpha>=1"}
    assert (
        spec.group("prod").origin is not None
        and "requirements/base.in" in spec.group("prod").origin
    )  # type: ignore[operator]
    assert reqs(spec, "docs") == {"beta": "beta"}
    assert {"requirements/base.in", "requirements/docs.in"} <= {i.path for i in spec.inputs}


def test_dynamic_optional_dependencies_are_extras(tmp_path: Path) -> None:
    # recommend counts what only an extra installs as optional: it must know the extras.
    spec = load(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "app"
                version = "1"
                dynamic = ["dependencies", "optional-dependencies"]

                [tool.setuptools.dynamic]
                dependencies = { file = ["deps/base.txt"] }
                optional-dependencies.docs = { file = ["deps/docs.txt"] }
            """,
            "deps/base.txt": "alpha>=1\n",
            "deps/docs.txt": "beta\n",
        },
    )
    assert spec.format == "pep621"
    assert {g.name: g.extra for g in spec.groups} == {"prod": False, "docs": True}


def test_a_dynamic_extra_naming_another_includes_it(tmp_path: Path) -> None:
    # ``app[docs]`` in an extra's file was locked as a requirement on the source tree
    # (``-e .`` in its lockfile), where [project.optional-dependencies] includes the group.
    spec = load(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "app"
                version = "1"
                dynamic = ["dependencies", "optional-dependencies"]

                [tool.setuptools.dynamic]
                dependencies = { file = ["deps/base.txt"] }
                optional-dependencies.docs = { file = ["deps/docs.txt"] }
                optional-dependencies.all = { file = ["deps/all.txt"] }
            """,
            "deps/base.txt": "alpha>=1\n",
            "deps/docs.txt": "beta\n",
            "deps/all.txt": "App[Docs]\ngamma\n",
        },
    )
    assert spec.group("all").includes == ("prod", "docs")
    assert reqs(spec, "all") == {"gamma": "gamma"}


DYNAMIC_EXTRAS = """
    [project]
    name = "app"
    version = "1"
    dynamic = ["dependencies", "optional-dependencies"]

    [tool.setuptools.dynamic]
    dependencies = { file = ["deps/base.txt"] }
    optional-dependencies.docs = { file = ["deps/docs.txt"] }
    optional-dependencies . "all" = { file = ["deps/all.txt"] }

    [tool.setuptools.dynamic.optional-dependencies.gpu]
    file = ["deps/gpu.txt"]
"""
DYNAMIC_FILES = {"deps/base.txt": "alpha\n", "deps/docs.txt": "beta\n", "deps/gpu.txt": "delta\n"}


def test_each_dynamic_extra_is_placed_at_its_own_line(tmp_path: Path) -> None:
    # Every dynamic extra pointed at the dependencies line of [tool.setuptools.dynamic].
    spec = load(tmp_path, {"pyproject.toml": DYNAMIC_EXTRAS, **DYNAMIC_FILES, "deps/all.txt": ""})
    lines = {g.name: g.source.line for g in spec.groups if g.source}
    assert lines == {"prod": 7, "docs": 8, "all": 9, "gpu": 11}


def test_a_dynamic_extra_with_a_bad_name_is_said_at_its_line(tmp_path: Path) -> None:
    pyproject = DYNAMIC_EXTRAS.replace('"all"', '"all in"')
    failure = error(tmp_path, {"pyproject.toml": pyproject, **DYNAMIC_FILES, "deps/all.txt": ""})
    assert failure.message == "invalid extra name 'all in'"
    assert (failure.path, failure.line) == ("pyproject.toml", 9)


def test_an_unknown_extra_in_a_dynamic_extras_file_is_said_at_its_line(tmp_path: Path) -> None:
    # It was said at the dependencies line of [tool.setuptools.dynamic], naming neither
    # the extra nor the file that wrote it.
    failure = error(
        tmp_path,
        {
            "pyproject.toml": DYNAMIC_EXTRAS,
            **DYNAMIC_FILES,
            "deps/all.txt": "app[docs]\napp[nope]\n",
        },
    )
    assert failure.message == "extra 'all' includes 'app[nope]', but app has no extra 'nope'"
    assert (failure.path, failure.line) == ("deps/all.txt", 2)
    assert failure.hint is not None and "docs, all, gpu" in failure.hint


def test_a_dynamic_extra_read_from_its_in_file_is_still_an_extra(tmp_path: Path) -> None:
    # Read as pip-compile reads the .in files, but ``pip install .[docs]`` installs it:
    # ``sync --extra docs`` refused it as a dependency group.
    spec = load(
        tmp_path,
        {
            "pyproject.toml": """
                [project]
                name = "app"
                version = "1"
                dynamic = ["dependencies", "optional-dependencies"]

                [tool.setuptools.dynamic]
                dependencies = { file = ["requirements.in"] }
                optional-dependencies.docs = { file = ["./requirements-docs.in"] }
            """,
            "requirements.in": "alpha>=1\n",
            "requirements-docs.in": "beta\n",
            "requirements-dev.in": "-r requirements.in\npytest\n",
        },
    )
    assert spec.format == "requirements-in"
    assert {g.name: g.extra for g in spec.groups} == {"prod": False, "docs": True, "dev": False}
    assert spec.group("docs").includes == ()  # its lock is what pip-compile writes for it


IN_FILE_EXTRA = """
    [project]
    name = "app"
    version = "1"
    dynamic = ["dependencies", "optional-dependencies"]

    [tool.setuptools.dynamic]
    dependencies = { file = ["requirements.in"] }
    optional-dependencies.gpu = { file = ["requirements-cuda.in"] }
"""


def test_a_dynamic_extra_read_from_an_in_file_named_otherwise_is_that_extra(
    tmp_path: Path,
) -> None:
    # The group took the file's name (cuda) and was no extra: `sync --extra gpu` refused it.
    spec = load(
        tmp_path,
        {
            "pyproject.toml": IN_FILE_EXTRA,
            "requirements.in": "alpha\n",
            "requirements-cuda.in": "beta\n",
            "requirements-dev.in": "-r requirements.in\n-r requirements-cuda.in\npytest\n",
        },
    )
    assert {g.name: g.extra for g in spec.groups} == {"prod": False, "gpu": True, "dev": False}
    assert spec.group("gpu").output == "requirements-cuda.txt"
    assert spec.group("dev").includes == ("prod", "gpu")
    assert (
        "requirements-cuda.in is extra gpu of the package ([tool.setuptools.dynamic]): its "
        "group is gpu, not cuda (`sync --extra gpu`), locked into requirements-cuda.txt"
    ) in spec.notes


def test_a_dynamic_extra_in_file_that_another_file_includes_is_still_an_extra(
    tmp_path: Path,
) -> None:
    # Included by -r and without a lockfile of its own, it was read as a fragment of dev.
    spec = load(
        tmp_path,
        {
            "pyproject.toml": IN_FILE_EXTRA.replace("cuda", "gpu"),
            "requirements.in": "alpha\n",
            "requirements-gpu.in": "beta\n",
            "requirements-dev.in": "-r requirements-gpu.in\npytest\n",
        },
    )
    assert {g.name: g.extra for g in spec.groups} == {"prod": False, "gpu": True, "dev": False}
    assert spec.group("dev").includes == ("gpu",)


def test_a_dynamic_extra_named_as_another_in_file_is_said(tmp_path: Path) -> None:
    failure = error(
        tmp_path,
        {
            "pyproject.toml": IN_FILE_EXTRA,
            "requirements.in": "alpha\n",
            "requirements-cuda.in": "beta\n",
            "requirements-gpu.in": "gamma\n",
        },
    )
    assert failure.message == (
        "two files define group 'gpu': requirements-cuda.in and requirements-gpu.in "
        "(requirements-cuda.in is extra gpu in [tool.setuptools.dynamic])"
    )


# -- the Python range -------------------------------------------------------------------------


@pytest.mark.parametrize("bad", [">=3.10,<3.9", "==3.11.*,>=3.12", "<2.7,>3"])
def test_a_python_range_that_admits_nothing_is_named_as_such(tmp_path: Path, bad: str) -> None:
    failure = error(
        tmp_path,
        {"pyproject.toml": f"[project]\nname = 'a'\nversion = '1'\nrequires-python = '{bad}'\n"},
    )
    assert failure.message == f"requires-python {bad!r} admits no Python version"
    assert failure.line == 4


# -- files not read ---------------------------------------------------------------------------


def test_dependency_files_that_no_input_names_are_said(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements.in": "alpha\n",
            "requirements/docs.txt": "sphinx\n",
            "requirements-old.txt": "# via nothing\nflask\n",
        },
    )
    note = next(n for n in spec.notes if n.startswith("not read:"))
    assert "requirements/docs.txt" in note and "requirements-old.txt" in note


def test_nothing_found_lists_the_dependency_files_there_are(tmp_path: Path) -> None:
    failure = error(tmp_path, {"requirements.txt": "flask\n", "setup.py": "setup()\n"})
    assert failure.hint is not None
    assert "requirements.txt" in failure.hint and "setup.py" in failure.hint


def test_nothing_found_names_the_requirements_one_folder_down(tmp_path: Path) -> None:
    # A DVC example keeps src/requirements.txt (its devcontainer installs it from there).
    failure = error(tmp_path, {"src/requirements.txt": "pandas\n", "dvc.yaml": "stages: {}\n"})
    assert failure.hint is not None
    assert "In a subfolder: src/requirements.txt" in failure.hint
    assert "`--project src`" in failure.hint

"""pip-tools style projects: requirements.in, requirements-<group>.in, requirements/*.in."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import make_project
from parity.errors import SpecError
from parity.spec.load import load_project
from parity.spec.model import FormatControl, ProjectSpec, SourceRef

MYLIB = {"libs/mylib/pyproject.toml": "[project]\nname = 'my-lib'\nversion = '1'\n"}


def load(tmp_path: Path, files: dict[str, str]) -> ProjectSpec:
    return load_project(make_project(tmp_path, files))


def spec_error(tmp_path: Path, files: dict[str, str]) -> SpecError:
    with pytest.raises(SpecError) as info:
        load(tmp_path, files)
    return info.value


def texts(spec: ProjectSpec, group: str = "prod") -> list[str]:
    return [r.requirement for r in spec.group(group).requirements]


# -- groups and their files --------------------------------------------------------


def test_requirements_in_is_the_prod_group_locked_into_requirements_txt(tmp_path: Path) -> None:
    spec = load(tmp_path, {"requirements.in": "pandas>=2\n"})
    assert spec.format == "requirements-in"
    assert spec.group_names == ("prod",)
    prod = spec.group("prod")
    assert prod.output == "requirements.txt"
    assert prod.source == SourceRef("requirements.in")
    assert prod.includes == ()
    assert not spec.installable


def test_dev_file_including_requirements_in_includes_the_prod_group(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {"requirements.in": "pandas>=2\n", "requirements-dev.in": "-r requirements.in\npytest\n"},
    )
    assert spec.group_names == ("prod", "dev")
    dev = spec.group("dev")
    assert dev.includes == ("prod",)
    assert dev.output == "requirements-dev.txt"
    assert [g.name for g in spec.closure("dev")] == ["dev", "prod"]
    assert [r.name for r in spec.requirements_of("dev")] == ["pytest", "pandas"]
    assert [r.name for r in dev.requirements] == ["pytest"]


def test_group_file_name_is_normalized_but_output_keeps_the_stem(tmp_path: Path) -> None:
    spec = load(tmp_path, {"requirements-Dev_Tools.in": "ruff\n"})
    group = spec.group("dev-tools")
    assert group.output == "requirements-Dev_Tools.txt"


def test_prod_comes_first_then_file_name_order(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements-zeta.in": "a\n",
            "requirements-alpha.in": "b\n",
            "requirements.in": "c\n",
        },
    )
    assert spec.group_names == ("prod", "alpha", "zeta")


def test_project_without_requirements_in_has_no_prod_group(tmp_path: Path) -> None:
    spec = load(tmp_path, {"requirements-dev.in": "pytest\n"})
    assert spec.group_names == ("dev",)


@pytest.mark.parametrize("stem", ["base", "main", "prod", "requirements"])
def test_requirements_directory_prod_stems_are_the_prod_group(tmp_path: Path, stem: str) -> None:
    spec = load(tmp_path, {f"requirements/{stem}.in": "alpha\n"})
    assert spec.group_names == ("prod",)
    assert spec.group("prod").output == f"requirements/{stem}.txt"
    assert spec.group("prod").source == SourceRef(f"requirements/{stem}.in")


def test_requirements_directory_groups_include_relative_to_their_file(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements/base.in": "alpha\n",
            "requirements/dev.in": "-r base.in\nbeta\n",
            "requirements/docs.in": "-r ./base.in\nsphinx\n",
        },
    )
    assert spec.group_names == ("prod", "dev", "docs")
    assert spec.group("dev").output == "requirements/dev.txt"
    assert spec.group("dev").includes == ("prod",)
    assert spec.group("docs").includes == ("prod",)


def test_two_files_for_one_group_are_refused(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "a\n", "requirements/base.in": "b\n"})
    assert "two files define group 'prod'" in error.message
    assert error.path == "requirements/base.in"
    assert error.hint


def test_invalid_group_file_name_is_refused(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements-dev!.in": "a\n"})
    assert error.path == "requirements-dev!.in"
    assert "group name" in error.message


# -- syntax ------------------------------------------------------------------------


def test_comments_blank_lines_and_continuations_keep_line_numbers(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements.in": (
                "# top comment\n"
                "numpy>=1.24 \\\n"
                "  ,<2  # inline comment\n"
                "\n"
                "   \n"
                "requests[socks] ; python_version >= '3.9'\n"
            )
        },
    )
    reqs = spec.group("prod").requirements
    assert [(r.name, r.source.line) for r in reqs] == [("numpy", 2), ("requests", 6)]
    assert reqs[0].requirement.replace(" ", "") == "numpy>=1.24,<2"
    assert reqs[1].requirement == "requests[socks] ; python_version >= '3.9'"


def test_hash_sign_without_space_before_it_is_not_a_comment(tmp_path: Path) -> None:
    line = "pkg @ https://files.example/pkg-1.0-py3-none-any.whl#sha256=abc"
    spec = load(tmp_path, {"requirements.in": line + "  # pinned\n"})
    assert texts(spec) == [line]


def test_names_are_canonical_and_requirements_kept_as_written(tmp_path: Path) -> None:
    spec = load(tmp_path, {"requirements.in": "Scikit_Learn >= 1.3\n"})
    req = spec.group("prod").requirements[0]
    assert req.name == "scikit-learn"
    assert req.requirement == "Scikit_Learn >= 1.3"
    assert req.path is None and not req.editable


def test_direct_url_requirement_is_kept_with_env_references(tmp_path: Path) -> None:
    line = "private @ https://${TOKEN}@git.example/private-1.0.tar.gz"
    spec = load(tmp_path, {"requirements.in": line + "\n"})
    assert texts(spec) == [line]
    assert spec.group("prod").requirements[0].name == "private"


def test_bare_vcs_url_takes_its_name_from_egg(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {"requirements.in": "git+https://git.example/tool.git@v1#egg=tool&subdirectory=src\n"},
    )
    req = spec.group("prod").requirements[0]
    assert req.name == "tool"
    assert req.requirement == "tool @ git+https://git.example/tool.git@v1#subdirectory=src"


def test_bare_wheel_url_takes_its_name_from_the_file_name(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements.in": "https://files.example/My_Pkg-1.0-py3-none-any.whl ; os_name == 'nt'\n"
        },
    )
    req = spec.group("prod").requirements[0]
    assert req.name == "my-pkg"
    assert req.requirement == (
        "my-pkg @ https://files.example/My_Pkg-1.0-py3-none-any.whl ; os_name == 'nt'"
    )


def test_bare_url_without_a_name_asks_for_one(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "alpha\nhttps://files.example/download\n"})
    assert (error.path, error.line) == ("requirements.in", 2)
    assert "cannot tell the package name" in error.message
    assert error.hint is not None and "name @ <url>" in error.hint


def test_editable_vcs_url_is_editable_without_a_path(tmp_path: Path) -> None:
    spec = load(tmp_path, {"requirements.in": "-e git+https://git.example/tool.git#egg=tool\n"})
    req = spec.group("prod").requirements[0]
    assert (req.name, req.editable, req.path) == ("tool", True, None)
    assert req.requirement == "tool @ git+https://git.example/tool.git"


@pytest.mark.parametrize(
    "line",
    ["-e ./libs/mylib", "-e libs/mylib", "--editable ./libs/mylib", "--editable=./libs/mylib"],
)
def test_editable_local_path_is_relative_and_named_from_its_metadata(
    tmp_path: Path, line: str
) -> None:
    spec = load(tmp_path, {"requirements.in": line + "\n", **MYLIB})
    req = spec.group("prod").requirements[0]
    assert (req.name, req.path, req.editable) == ("my-lib", "libs/mylib", True)
    assert req.requirement == "my-lib @ ./libs/mylib"
    assert str(tmp_path) not in req.requirement


def test_bare_local_path_is_not_editable(tmp_path: Path) -> None:
    spec = load(tmp_path, {"requirements.in": "./libs/mylib\n", **MYLIB})
    req = spec.group("prod").requirements[0]
    assert (req.name, req.path, req.editable) == ("my-lib", "libs/mylib", False)
    assert req.requirement == "my-lib @ ./libs/mylib"


def test_local_path_keeps_extras_and_markers(tmp_path: Path) -> None:
    spec = load(
        tmp_path, {"requirements.in": "./libs/mylib[fast] ; sys_platform == 'linux'\n", **MYLIB}
    )
    req = spec.group("prod").requirements[0]
    assert req.requirement == "my-lib[fast] @ ./libs/mylib ; sys_platform == 'linux'"


def test_the_project_itself_is_a_local_path(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {"requirements.in": "-e .\n", "setup.cfg": "[metadata]\nname = selfpkg\n"},
    )
    req = spec.group("prod").requirements[0]
    assert (req.name, req.path, req.requirement) == ("selfpkg", ".", "selfpkg @ .")


def test_local_path_named_in_the_line_needs_no_metadata(tmp_path: Path) -> None:
    spec = load(
        tmp_path, {"requirements.in": "thing @ ./vendor/thing\n", "vendor/thing/README": "x"}
    )
    req = spec.group("prod").requirements[0]
    assert (req.name, req.path, req.requirement) == (
        "thing",
        "vendor/thing",
        "thing @ ./vendor/thing",
    )


def test_file_url_is_stored_as_a_relative_path(tmp_path: Path) -> None:
    root = make_project(tmp_path, MYLIB)
    (root / "requirements.in").write_text(f"my-lib @ file://{root}/libs/mylib\n")
    req = load_project(root).group("prod").requirements[0]
    assert (req.path, req.requirement) == ("libs/mylib", "my-lib @ ./libs/mylib")


def test_local_wheel_takes_its_name_from_the_file_name(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements.in": "./dist/wheelie-1.0-py3-none-any.whl\n",
            "dist/wheelie-1.0-py3-none-any.whl": "",
        },
    )
    req = spec.group("prod").requirements[0]
    assert (req.name, req.path) == ("wheelie", "dist/wheelie-1.0-py3-none-any.whl")


def test_local_path_in_a_nested_file_is_read_from_the_project_root(tmp_path: Path) -> None:
    # pip and uv read it from the working directory, not from the file's directory.
    spec = load(tmp_path, {"requirements/dev.in": "-e ./libs/mylib\n", **MYLIB})
    req = spec.group("dev").requirements[0]
    assert (req.path, req.requirement) == ("libs/mylib", "my-lib @ ./libs/mylib")


def test_local_path_without_a_name_asks_for_name_at_path(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path, {"requirements.in": "./vendor/thing\n", "vendor/thing/README": "x"}
    )
    assert "cannot tell the package name" in error.message
    assert (error.path, error.line) == ("requirements.in", 1)
    assert error.hint is not None and "name @ ./vendor/thing" in error.hint


def test_missing_local_path_is_an_error(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "alpha\n-e ./nowhere\n"})
    assert "does not exist" in error.message
    assert (error.path, error.line) == ("requirements.in", 2)


# -- includes and constraints ------------------------------------------------------


def test_non_group_include_is_inlined_in_place_with_its_own_location(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements.in": "alpha\n-r common/shared.in\ngamma\n",
            "common/shared.in": "# shared\nbeta\n",
        },
    )
    reqs = spec.group("prod").requirements
    assert [r.name for r in reqs] == ["alpha", "beta", "gamma"]
    assert str(reqs[1].source) == "common/shared.in:2"
    assert spec.group("prod").includes == ()


def test_include_paths_are_relative_to_the_including_file(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements/dev.in": "-r ../common.in\n--requirement=../more.in\n",
            "common.in": "a\n",
            "more.in": "b\n",
        },
    )
    assert [r.source.path for r in spec.group("dev").requirements] == ["common.in", "more.in"]


def test_attached_short_option_form_is_read(tmp_path: Path) -> None:
    spec = load(tmp_path, {"requirements.in": "a\n", "requirements-dev.in": "-rrequirements.in\n"})
    assert spec.group("dev").includes == ("prod",)


def test_group_included_through_an_inlined_file_is_an_include(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements.in": "alpha\n",
            "requirements-dev.in": "-r common.in\n-r requirements.in\n",
            "common.in": "-r requirements.in\nbeta\n",
        },
    )
    dev = spec.group("dev")
    assert dev.includes == ("prod",)
    assert [r.name for r in dev.requirements] == ["beta"]


def test_include_of_a_groups_lockfile_includes_that_group(tmp_path: Path) -> None:
    spec = load(
        tmp_path, {"requirements.in": "alpha\n", "requirements-dev.in": "-r requirements.txt\nb\n"}
    )
    assert spec.group("dev").includes == ("prod",)


def test_constraints_file_is_read_with_its_locations(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements.in": "-c constraints.txt\nalpha\n",
            "constraints.txt": "# pins\nalpha<2\n--index-url https://ignored.example\n",
        },
    )
    constraints = spec.group("prod").constraints
    assert [c.requirement for c in constraints] == ["alpha<2"]
    assert constraints[0].source == SourceRef("constraints.txt", 2)
    assert texts(spec) == ["alpha"]


def test_constraint_lines_with_hashes_are_read_without_them(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements.in": "--constraint constraints.txt\nalpha\n",
            "constraints.txt": "alpha==1.0 \\\n    --hash=sha256:00 \\\n    --hash=sha256:11\n",
        },
    )
    assert [c.requirement for c in spec.group("prod").constraints] == ["alpha==1.0"]


def test_constraint_on_a_groups_own_lockfile_is_not_read(tmp_path: Path) -> None:
    # pip-tools users keep dev on prod's pins this way; parity locks groups together.
    spec = load(
        tmp_path,
        {"requirements.in": "alpha\n", "requirements-dev.in": "-c requirements.txt\npytest\n"},
    )
    assert spec.group("dev").constraints == ()
    assert "requirements.txt" not in [i.path for i in spec.inputs]


def test_missing_include_is_reported_at_the_include_line(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "alpha\n-r missing.in\n"})
    assert (error.path, error.line) == ("requirements.in", 2)
    assert "missing.in" in error.message and "not found" in error.message


def test_missing_constraints_file_is_reported_at_the_line(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "-c nope.txt\n"})
    assert (error.path, error.line) == ("requirements.in", 1)
    assert "nope.txt" in error.message


def test_cycle_between_group_files_is_named_with_file_and_line(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path,
        {
            "requirements.in": "-r requirements-dev.in\n",
            "requirements-dev.in": "alpha\n-r requirements.in\n",
        },
    )
    assert error.message == "-r cycle: requirements.in -> requirements-dev.in -> requirements.in"
    assert (error.path, error.line) == ("requirements-dev.in", 2)
    assert error.hint


def test_cycle_among_inlined_files_is_named(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path, {"requirements.in": "-r a.in\n", "a.in": "-r b.in\n", "b.in": "x\n-r a.in\n"}
    )
    # The chain starts at the group file, so it shows how the cycle is reached.
    assert error.message == "-r cycle: requirements.in -> a.in -> b.in -> a.in"
    assert (error.path, error.line) == ("b.in", 2)


def test_file_including_itself_is_a_cycle(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "-r requirements.in\n"})
    assert error.message == "-r cycle: requirements.in -> requirements.in"


def test_remote_include_is_refused(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "-r https://example.invalid/req.in\n"})
    assert (error.path, error.line) == ("requirements.in", 1)


def test_include_through_an_environment_variable_is_refused(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "-r ${CONFIG}/base.in\n"})
    assert "environment variable" in error.message


# -- index options -----------------------------------------------------------------


def test_index_options_are_collected_as_written(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements.in": (
                "-i https://${USER}:${TOKEN}@index.example/simple\n"
                "--extra-index-url https://x.example/simple\n"
                "--extra-index-url=https://y.example/simple\n"
                "-f ./wheels\n"
                "--find-links https://links.example/\n"
                "--no-index\n"
                "--pre\n"
                "alpha\n"
            )
        },
    )
    assert spec.index.index_url == "https://${USER}:${TOKEN}@index.example/simple"
    assert spec.index.extra_index_urls == ("https://x.example/simple", "https://y.example/simple")
    assert spec.index.find_links == ("./wheels", "https://links.example/")
    assert spec.index.no_index is True
    assert texts(spec) == ["alpha"]


def test_index_url_equals_form_is_read(tmp_path: Path) -> None:
    spec = load(tmp_path, {"requirements.in": "--index-url=https://i.example/simple\n"})
    assert spec.index.index_url == "https://i.example/simple"


def test_index_options_of_every_group_file_are_merged(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements.in": "--extra-index-url https://a.example/simple\nalpha\n",
            "requirements-dev.in": "--extra-index-url https://b.example/simple\n"
            "--extra-index-url https://a.example/simple\n",
        },
    )
    assert spec.index.extra_index_urls == ("https://a.example/simple", "https://b.example/simple")


def test_find_links_of_a_nested_file_is_made_relative_to_the_project(tmp_path: Path) -> None:
    spec = load(tmp_path, {"requirements/dev.in": "-f ../wheels\n-f ${WHEELS}\n"})
    assert spec.index.find_links == ("./wheels", "${WHEELS}")


def test_two_different_index_urls_are_a_conflict(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path,
        {
            "requirements.in": "-i https://a.example/simple\n",
            "requirements-dev.in": "a\n-i https://b.example/simple\n",
        },
    )
    assert "conflicting index URLs" in error.message
    assert (error.path, error.line) == ("requirements-dev.in", 2)


def test_accepted_pip_options_are_ignored(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {"requirements.in": "--trusted-host h.example\n--use-feature truststore\nalpha\n"},
    )
    assert texts(spec) == ["alpha"]
    assert spec.format_control == FormatControl() and spec.notes == ()


# -- errors ------------------------------------------------------------------------


def test_hash_option_line_is_refused(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "alpha\n--hash=sha256:00\n"})
    assert "--hash belongs in a lockfile" in error.message
    assert (error.path, error.line) == ("requirements.in", 2)


def test_hash_after_a_requirement_is_refused(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "alpha==1 \\\n  --hash=sha256:00\n"})
    assert "--hash belongs in a lockfile" in error.message
    assert error.line == 1
    assert error.hint is not None and "parity lock" in error.hint


def test_per_requirement_options_are_refused(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "alpha --config-settings=x=y\n"})
    assert "--config-settings" in error.message and error.line == 1


def test_unknown_option_is_refused_with_file_and_line(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "alpha\n--frobnicate\n"})
    assert (error.path, error.line) == ("requirements.in", 2)
    assert "--frobnicate" in error.message
    assert error.hint is not None and "-r" in error.hint


def test_option_without_its_value_is_refused(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "-r\n"})
    assert "needs a value" in error.message and error.line == 1


def test_option_with_two_values_is_refused(tmp_path: Path) -> None:
    error = spec_error(
        tmp_path, {"requirements.in": "--index-url https://i.example/simple alpha\n"}
    )
    assert "one value" in error.message and error.line == 1


def test_flag_with_a_value_is_refused(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "--no-index alpha\n"})
    assert "no value" in error.message


def test_invalid_requirement_has_file_line_packaging_text_and_hint(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "alpha\n\nbeta>>1\n"})
    assert (error.path, error.line) == ("requirements.in", 3)
    assert "not a valid requirement: 'beta>>1'" in error.message
    assert "Expected" in error.message  # packaging's own explanation
    assert error.hint is not None and "PEP 508" in error.hint


def test_invalid_requirement_in_an_inlined_file_names_that_file(tmp_path: Path) -> None:
    error = spec_error(tmp_path, {"requirements.in": "-r extra.in\n", "extra.in": "ok\nbad==\n"})
    assert (error.path, error.line) == ("extra.in", 2)


def test_non_utf8_file_is_refused(tmp_path: Path) -> None:
    root = make_project(tmp_path, {})
    (root / "requirements.in").write_bytes(b"caf\xe9\n")
    with pytest.raises(SpecError, match="UTF-8") as info:
        load_project(root)
    assert info.value.path == "requirements.in"


@pytest.mark.parametrize("name", ["requirements/extra.in", "requirements-extra.in"])
@pytest.mark.parametrize(
    ("target", "problem"),
    [(None, "a symbolic link loop"), ("gone.in", "a symbolic link to a file that does not exist")],
)
def test_a_group_file_that_is_a_broken_link_is_an_error_not_skipped(
    tmp_path: Path, name: str, target: str | None, problem: str
) -> None:
    """A group the user wrote, unreadable, is said: never locked as if it were not there."""
    root = make_project(tmp_path, {"requirements.in": "alpha\n", "requirements/base.in": "b\n"})
    link = root / name
    link.symlink_to(target or link.name)  # a link to itself loops
    with pytest.raises(SpecError) as info:
        load_project(root)
    assert info.value.message == problem
    assert info.value.path == name
    assert str(tmp_path) not in str(info.value)


def test_a_requirement_an_extra_marker_drops_is_said_at_its_line(tmp_path: Path) -> None:
    # pip and uv read `extra` as empty in a requirements file: the line was dropped silently.
    spec = load(
        tmp_path,
        {
            "requirements.in": "six\n"
            "idna ; extra == 'gpu'\n"
            "extras-tool\n"
            "attrs ; extra != 'gpu'\n"
            "zipp ; python_version >= '3' and 'cuda' == extra\n"
        },
    )
    notes = [n for n in spec.notes if "extra" in n]
    assert len(notes) == 2
    assert notes[0].startswith("requirements.in:2: idna is never installed")
    assert "'gpu'" in notes[0] and "[project.optional-dependencies]" in notes[0]
    assert "requirements-gpu.in" in notes[0]
    assert notes[1].startswith("requirements.in:5: zipp is never installed")

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import make_project
from parity.errors import SpecError
from parity.spec.load import load_project


def load(tmp_path: Path, files: dict[str, str]):  # type: ignore[no-untyped-def]
    return load_project(make_project(tmp_path, files))


def test_requirements_in_is_prod_and_dev_includes_it(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {"requirements.in": "pandas>=2\n", "requirements-dev.in": "-r requirements.in\npytest\n"},
    )
    assert spec.format == "requirements-in"
    assert spec.group_names == ("prod", "dev")
    dev = spec.group("dev")
    assert dev.includes == ("prod",) and dev.output == "requirements-dev.txt"
    assert [r.name for r in spec.requirements_of("dev")] == ["pytest", "pandas"]


def test_comments_continuations_and_markers_are_read(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements.in": "# top\nnumpy>=1.24 \\\n  ,<2  # inline\n\nrequests[socks] ; python_version >= '3.9'\n"
        },
    )
    reqs = spec.group("prod").requirements
    assert [(r.name, r.source.line) for r in reqs] == [("numpy", 2), ("requests", 5)]
    assert reqs[0].requirement.replace(" ", "") == "numpy>=1.24,<2"


def test_requirements_directory_layout(tmp_path: Path) -> None:
    spec = load(
        tmp_path, {"requirements/base.in": "alpha\n", "requirements/dev.in": "-r base.in\nbeta\n"}
    )
    assert spec.group_names == ("prod", "dev")
    assert spec.group("dev").output == "requirements/dev.txt"
    assert spec.group("dev").includes == ("prod",)


def test_non_group_include_is_inlined_with_its_own_location(tmp_path: Path) -> None:
    spec = load(
        tmp_path, {"requirements.in": "-r common/shared.in\nalpha\n", "common/shared.in": "beta\n"}
    )
    beta = next(r for r in spec.group("prod").requirements if r.name == "beta")
    assert str(beta.source) == "common/shared.in:1"


def test_constraints_file_is_read(tmp_path: Path) -> None:
    spec = load(
        tmp_path, {"requirements.in": "-c constraints.txt\nalpha\n", "constraints.txt": "alpha<2\n"}
    )
    assert [c.requirement for c in spec.group("prod").constraints] == ["alpha<2"]


def test_include_cycle_is_named(tmp_path: Path) -> None:
    with pytest.raises(
        SpecError, match=r"-r cycle: requirements.in -> requirements-dev.in -> requirements.in"
    ):
        load(
            tmp_path,
            {
                "requirements.in": "-r requirements-dev.in\n",
                "requirements-dev.in": "-r requirements.in\n",
            },
        )


def test_inline_cycle_is_named(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match=r"-r cycle: a\.in -> b\.in -> a\.in"):
        load(tmp_path, {"requirements.in": "-r a.in\n", "a.in": "-r b.in\n", "b.in": "-r a.in\n"})


def test_bad_requirement_has_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load(tmp_path, {"requirements.in": "alpha\n\nbeta>>1\n"})
    assert (info.value.path, info.value.line) == ("requirements.in", 3)
    assert info.value.hint


def test_hash_in_input_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="--hash belongs in a lockfile"):
        load(tmp_path, {"requirements.in": "alpha==1 --hash=sha256:00\n"})


def test_unknown_option_is_refused_with_line(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load(tmp_path, {"requirements.in": "alpha\n--frobnicate\n"})
    assert info.value.line == 2 and "--frobnicate" in info.value.message


def test_index_options_keep_env_references(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements.in": "-i https://${TOKEN}@index.example/simple\n--extra-index-url https://x.example/simple\n-f ./wheels\nalpha\n"
        },
    )
    assert spec.index.index_url == "https://${TOKEN}@index.example/simple"
    assert spec.index.extra_index_urls == ("https://x.example/simple",)
    assert spec.index.find_links == ("./wheels",)


def test_local_editable_path_is_relative_and_named_from_its_metadata(tmp_path: Path) -> None:
    spec = load(
        tmp_path,
        {
            "requirements.in": "-e ./libs/mylib\n",
            "libs/mylib/pyproject.toml": "[project]\nname = 'my-lib'\nversion = '1'\n",
        },
    )
    req = spec.group("prod").requirements[0]
    assert (req.name, req.path, req.editable) == ("my-lib", "libs/mylib", True)
    assert str(tmp_path) not in req.requirement


def test_local_path_without_a_name_asks_for_one(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="cannot tell the package name"):
        load(tmp_path, {"requirements.in": "./vendor/thing\n", "vendor/thing/README": "x"})


def test_python_version_file_pins(tmp_path: Path) -> None:
    spec = load(tmp_path, {"requirements.in": "alpha\n", ".python-version": "3.11.7\n"})
    assert spec.python.pinned == "3.11.7"
    assert spec.python.requires_python is None


def test_bad_python_version_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError) as info:
        load(tmp_path, {"requirements.in": "alpha\n", ".python-version": "latest\n"})
    assert info.value.path == ".python-version" and info.value.line == 1


def test_digest_ignores_comments_and_order_but_not_requirements(tmp_path: Path) -> None:
    a = load(tmp_path / "a", {"requirements.in": "alpha\nbeta\n"}).inputs
    b = load(tmp_path / "b", {"requirements.in": "# note\nbeta\n\nalpha  # why\n"}).inputs
    c = load(tmp_path / "c", {"requirements.in": "alpha\nbeta<2\n"}).inputs
    assert a == b
    assert a != c


def test_no_inputs_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no project inputs found") as info:
        load(tmp_path, {"README.md": "hi"})
    assert info.value.hint is not None and "requirements.in" in info.value.hint

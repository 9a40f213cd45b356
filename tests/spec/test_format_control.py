"""``--no-binary`` / ``--only-binary`` / ``--prefer-binary`` in requirements inputs.

pip's format control changes which versions can be locked, so parity reads it
as pip does (in file order, ``:all:`` and ``:none:``, a name moving from one
set to the other) and never drops it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import make_project
from parity.errors import SpecError
from parity.spec.load import load_project
from parity.spec.model import FormatControl, SourceRef
from parity.spec.requirements_in.format_control import apply_option, merge_format_controls

REF = SourceRef("requirements.in", 1)


def control(*lines: str) -> FormatControl:
    out = FormatControl()
    for line in lines:
        option, value = line.split(" ", 1)
        out = apply_option(out, option, value, REF)
    return out


@pytest.mark.parametrize(
    ("lines", "no_binary", "only_binary"),
    [
        (["--only-binary :all:"], (), (":all:",)),
        (["--only-binary Foo_Bar,baz"], (), ("baz", "foo-bar")),
        (["--no-binary :all:"], (":all:",), ()),
        (["--no-binary psycopg2"], ("psycopg2",), ()),
        # :all: empties the other set, as pip's FormatControl does.
        (["--no-binary a", "--only-binary :all:"], (), (":all:",)),
        # A name moves from one set to the other.
        (["--no-binary a", "--only-binary a"], (), ("a",)),
        # A name keeps its own setting against :all: of the other kind.
        (["--only-binary :all:", "--no-binary a"], ("a",), (":all:",)),
        # :none: resets the set it names.
        (["--only-binary :all:", "--only-binary :none:"], (), ()),
        (["--only-binary :all:,:none:,a"], (), ("a",)),
        # Names after :all: (without :none:) are covered by it.
        (["--only-binary :all:,a"], (), (":all:",)),
    ],
)
def test_options_are_read_as_pip_reads_them(
    lines: list[str], no_binary: tuple[str, ...], only_binary: tuple[str, ...]
) -> None:
    assert control(*lines) == FormatControl(no_binary=no_binary, only_binary=only_binary)


@pytest.mark.parametrize("value", ["a,,b", "a,", "-x", "not a name", "a;b"])
def test_a_malformed_value_is_refused_with_its_line(value: str) -> None:
    with pytest.raises(SpecError) as caught:
        apply_option(FormatControl(), "--only-binary", value, SourceRef("requirements.in", 3))
    assert (caught.value.path, caught.value.line) == ("requirements.in", 3)
    assert "is not a package name" in caught.value.message


def test_two_files_that_contradict_each_other_are_refused() -> None:
    with pytest.raises(SpecError) as caught:
        merge_format_controls(
            [
                (FormatControl(only_binary=("a",)), SourceRef("requirements.in", 2)),
                (FormatControl(no_binary=("a",)), SourceRef("requirements-dev.in", 4)),
            ]
        )
    assert (caught.value.path, caught.value.line) == ("requirements.in", 2)
    assert "requirements-dev.in:4" in caught.value.message


def test_the_project_reads_the_options_of_every_file(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "requirements.in": "--only-binary=numpy\n-r shared.in\nalpha\n",
            "shared.in": "--no-binary psycopg2\nbeta\n",
            "requirements-dev.in": "-r requirements.in\n--only-binary scipy\ngamma\n",
        },
    )
    spec = load_project(root)
    assert spec.format_control == FormatControl(
        no_binary=("psycopg2",), only_binary=("numpy", "scipy")
    )


def test_a_malformed_line_in_a_project_names_its_file_and_line(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"requirements.in": "alpha\n--only-binary\n"})
    with pytest.raises(SpecError) as caught:
        load_project(root)
    assert (caught.value.path, caught.value.line) == ("requirements.in", 2)


def test_prefer_binary_is_said_not_dropped(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"requirements.in": "alpha\n--prefer-binary\n"})
    spec = load_project(root)
    assert len(spec.notes) == 1
    assert spec.notes[0].startswith("requirements.in:2: --prefer-binary has no equivalent in uv")
    assert "--only-binary :all:" in spec.notes[0]


def test_prefer_binary_takes_no_value(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"requirements.in": "--prefer-binary numpy\n"})
    with pytest.raises(SpecError) as caught:
        load_project(root)
    assert (caught.value.path, caught.value.line) == ("requirements.in", 1)


def test_a_conda_pip_section_carries_the_options(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "environment.yml": """
                name: demo
                channels: [conda-forge]
                dependencies:
                  - python=3.11
                  - pip
                  - pip:
                      - "--only-binary :all:"
                      - --prefer-binary
                      - alpha
            """
        },
    )
    spec = load_project(root)
    assert spec.format_control == FormatControl(only_binary=(":all:",))
    assert any(n.startswith("environment.yml:8: --prefer-binary") for n in spec.notes)

"""pip's requirements-file syntax, read by the one tokenizer of inputs, locks and lists."""

from __future__ import annotations

import pytest
from packaging.requirements import InvalidRequirement

from parity.errors import LockFileError
from parity.lock.formats.requirements_txt import parse_entries
from parity.spec.requirements_file import (
    LogicalLine,
    logical_lines,
    parse_pep508,
    split_hashes,
    split_option,
)

LOCK = """\
#
# header comment
#
--index-url https://index.example/simple

alpha==1.0 \\
    --hash=sha256:aa \\
    --hash=sha256:bb
    # via
    #   -r requirements.in
beta @ git+https://git.example/beta#egg=beta ; python_version < '3.9'  # trailing comment
# a comment at column 0 belongs to no entry
-e ./libs/gamma
"""


def test_logical_lines_join_continuations_and_keep_the_via_block() -> None:
    assert logical_lines(LOCK) == [
        LogicalLine(4, "--index-url https://index.example/simple"),
        LogicalLine(
            6,
            "alpha==1.0 --hash=sha256:aa --hash=sha256:bb",
            ("# via", "#   -r requirements.in"),
        ),
        LogicalLine(11, "beta @ git+https://git.example/beta#egg=beta ; python_version < '3.9'"),
        LogicalLine(13, "-e ./libs/gamma"),
    ]


def test_indented_comments_belong_to_the_line_before_them_wherever_they_are() -> None:
    text = (
        "    # before any line: no entry\n"
        "alpha==1.0\n"
        "    # via\n"
        "\n"
        "\t#   beta\n"
        "# column 0: no entry\n"
        "    #   gamma\n"
        "beta==2.0 \\\n"
        "    --hash=sha256:bb\n"
        "    # via alpha\n"
        "gamma==3.0\n"
        "    # via -r requirements.in"
    )
    assert logical_lines(text) == [
        LogicalLine(2, "alpha==1.0", ("# via", "#   beta", "#   gamma")),
        LogicalLine(8, "beta==2.0 --hash=sha256:bb", ("# via alpha",)),
        LogicalLine(11, "gamma==3.0", ("# via -r requirements.in",)),
    ]


def test_a_comment_line_ends_a_continuation() -> None:
    assert [line.text for line in logical_lines("alpha \\\n# note\nbeta\n")] == ["alpha", "beta"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-r base.in", ("--requirement", ["base.in"])),
        ("-rbase.in", ("--requirement", ["base.in"])),
        (
            "--index-url=https://index.example/simple",
            ("--index-url", ["https://index.example/simple"]),
        ),
        ("-e ./lib", ("--editable", ["./lib"])),
        ("--no-index", ("--no-index", [])),
    ],
)
def test_options_are_named_by_their_long_form(text: str, expected: tuple[str, list[str]]) -> None:
    assert split_option(text) == expected


def test_hashes_are_taken_off_a_requirement() -> None:
    assert split_hashes("alpha==1.0 --hash=sha256:aa --hash sha256:bb") == (
        "alpha==1.0",
        ("sha256:aa", "sha256:bb"),
    )


def test_a_requirement_keeps_its_marker_as_written() -> None:
    parsed = parse_pep508("Alpha[b,a]==1.0 ; sys_platform == 'win32'")
    assert parsed.marker == "sys_platform == 'win32'"
    assert parsed.requirement.name == "Alpha" and parsed.exact_version == "1.0"


@pytest.mark.parametrize(
    ("text", "version"), [("a==1.0", "1.0"), ("a===1.0", "1.0"), ("a==1.*", None), ("a>=1", None)]
)
def test_only_one_exact_version_is_a_pin(text: str, version: str | None) -> None:
    assert parse_pep508(text).exact_version == version


def test_a_url_may_hold_a_semicolon() -> None:
    parsed = parse_pep508("a @ https://files.example/a;1.whl ; python_version < '3.9'")
    assert parsed.requirement.url == "https://files.example/a;1.whl"
    assert parsed.marker == "python_version < '3.9'"


def test_text_that_is_not_pep_508_is_refused() -> None:
    with pytest.raises(InvalidRequirement):
        parse_pep508("alpha==1.0 and more")


def test_a_lockfile_line_with_trailing_words_is_not_a_pin() -> None:
    # A regular expression on the line's start used to read this as alpha 1.0.
    with pytest.raises(LockFileError, match="not a pinned requirement"):
        parse_entries("alpha==1.0 garbage\n", path="requirements.txt")

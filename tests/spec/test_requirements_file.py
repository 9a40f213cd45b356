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


# -- what is read without packaging is what packaging reads ----------------------------

_NAMES = ["a", "A1", "pandas", "scikit-learn", "zope.interface", "Foo_Bar", "3to2", "in", "or"]
_NOT_NAMES = ["a-", "a.", "_a", "a_", "-a"]
_OPERATORS = ["==", "!=", "<=", ">=", "<", ">", "~=", "===", "=", "=>"]
_VERSIONS = [
    *["1", "1.0", "2.0.0", "01", "0", "1.", "1..2", "1.0a1", "1.0+x", "1.0.post1"],
    *["1.*", "3.11.*", "1.*.0", "1.0a1.*", ".*", "1..*", "1.0.*+x"],
]


def _packaging_reading(text: str) -> tuple[str, str, tuple[str, ...]] | None:
    from packaging.requirements import Requirement

    try:
        req = Requirement(text)
    except InvalidRequirement:
        return None
    if req.url or req.marker:
        return None
    return req.name, str(req.specifier), tuple(sorted(req.extras))


def _requirement_texts() -> list[str]:
    texts = [*_NAMES, *_NOT_NAMES, "", " a", "a ", "a[x]", "a @ https://x.example/a.whl"]
    for name in ["pandas", "a", "a-"]:
        for op in _OPERATORS:
            for version in _VERSIONS:
                for spaced in (f"{name}{op}{version}", f"{name} {op} {version}"):
                    texts += [spaced, spaced + " ", spaced + ";python_version>'3'"]
    texts += ["a>=1,<2", "a>=1.0 , <2", "a (>=1.0)", "a>=1\t", "a\t>=1", "a>=1 # x"]
    for extras in ["[x]", " [ x , y ]", "[]", "[ ]", "[x,]", "[,x]", "[x y]", "[x-]", "[X,x,x]"]:
        for tail in [
            "",
            ">=1.0",
            " == 2.*",
            "~=1.4",
            ";python_version>'3'",
            "@ https://x.example/a.whl",
        ]:
            texts.append(f"uvicorn{extras}{tail}")
    return texts


def test_plain_requirements_are_read_as_packaging_reads_them() -> None:
    from parity.spec.requirements_file import plain_requirement

    read = 0
    for text in _requirement_texts():
        plain = plain_requirement(text)
        if plain is not None:
            read += 1
            assert plain == _packaging_reading(text), text
    assert read > 100  # the everyday spellings are read without packaging


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("requests", ("requests", "", ())),
        ("pandas>=2.0.0", ("pandas", ">=2.0.0", ())),
        ("Foo_Bar >= 1.0", ("Foo_Bar", ">=1.0", ())),
        ("a~=1.4", ("a", "~=1.4", ())),
        ("a~=1", None),  # packaging refuses it: its error is packaging's
        ("a>=1,<2", None),
        ("a[y, x]>=1", ("a", ">=1", ("x", "y"))),
        ("a>=1.0rc1", None),
        ("a==1.*", ("a", "==1.*", ())),
        ("a != 3.11.*", ("a", "!=3.11.*", ())),
        ("a>=1.*", None),  # packaging refuses it: its error is packaging's
        ("a>=1 ; python_version < '3.12'", None),
    ],
)
def test_only_a_name_with_at_most_one_plain_specifier_is_read_without_packaging(
    text: str, expected: tuple[str, str, tuple[str, ...]] | None
) -> None:
    from parity.spec.requirements_file import plain_requirement

    assert plain_requirement(text) == expected


def test_plain_specifiers_are_ones_packaging_accepts() -> None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    from parity.spec.requirements_file import plain_specifier

    texts = [f"{op}{v}" for op in _OPERATORS for v in _VERSIONS]
    texts += [f" {t} " for t in texts] + [">=3.10,<3.13", ">=3.10;", "3.10", ""]
    for text in texts:
        plain = plain_specifier(text)
        if plain is None:
            continue
        try:
            (only,) = SpecifierSet(text)
        except InvalidSpecifier:  # pragma: no cover - the failure this test exists for
            pytest.fail(f"packaging refuses {text!r}")
        assert plain[0] == only.operator, text
        assert ".".join(map(str, plain[1])) == ".".join(
            str(int(p)) for p in only.version.split(".")
        )


def test_plain_ranges_are_ones_packaging_accepts() -> None:
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    from parity.spec.requirements_file import plain_range

    texts = [f"{op}{v}" for op in _OPERATORS for v in _VERSIONS]
    texts += [f" {t} " for t in texts] + [">=3.10,<3.13", "==3.11.*;", "3.10", "", "=="]
    accepted = 0
    for text in texts:
        plain = plain_range(text)
        if plain is None:
            continue
        accepted += 1
        try:
            assert plain == str(SpecifierSet(text)), text
        except InvalidSpecifier:  # pragma: no cover - the failure this test exists for
            pytest.fail(f"packaging refuses {text!r}")
    assert plain_range("== 3.11.*") == "==3.11.*" and plain_range(">= 3.10") == ">=3.10"
    assert accepted > 50


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-r a.in", ("--requirement", ["a.in"])),
        ("-c  constraints.txt", ("--constraint", ["constraints.txt"])),
        ("-i https://x.example/s#f", ("--index-url", ["https://x.example/s#f"])),
        ('--find-links "wheels here"', ("--find-links", ["wheels here"])),  # shlex's
        ("-r a\\ b.in", ("--requirement", ["a b.in"])),
        ("-r a.in\tb.in", ("--requirement", ["a.in", "b.in"])),
    ],
)
def test_option_lines_split_as_a_shell_splits_them(
    text: str, expected: tuple[str, list[str]]
) -> None:
    assert split_option(text) == expected


@pytest.mark.parametrize("op", [">=", ">", "==", "<", "~="])
@pytest.mark.parametrize("version", ["2.7", "3", "3.10", "3.38", "3.38.99", "3.39", "3.40", "4"])
def test_a_python_range_admits_a_python_as_packaging_says(op: str, version: str) -> None:
    from packaging.specifiers import SpecifierSet

    from parity.errors import SpecError
    from parity.spec.python_target import check_python_range

    text = f"{op}{version}"
    if op == "~=" and "." not in version:
        pytest.skip("not a specifier")
    spec = SpecifierSet(text)
    probes = [
        f"{m}.{n}.{p}" for m, ns in ((2, range(8)), (3, range(40))) for n in ns for p in (0, 99)
    ]
    try:
        check_python_range(text, None)
        admitted = True
    except SpecError:
        admitted = False
    assert admitted == any(spec.contains(v, prereleases=True) for v in probes)

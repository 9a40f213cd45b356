"""Conda match specs: parsing the forms environment.yml files use, and PEP 440 translation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet

from parity.conda.matchspec import (
    MatchSpecError,
    exact_version,
    is_channel,
    parse_match_spec,
    to_pep440,
    version_to_pep440,
)


@pytest.mark.parametrize(
    ("text", "name", "channel", "version", "build"),
    [
        ("numpy", "numpy", None, None, None),
        ("numpy=1.26", "numpy", None, "1.26.*", None),
        ("numpy==1.26.4", "numpy", None, "==1.26.4", None),
        ("numpy>=1.26,<2", "numpy", None, ">=1.26,<2", None),
        ("numpy >=1.26,<2", "numpy", None, ">=1.26,<2", None),
        ("numpy >= 1.26", "numpy", None, ">=1.26", None),
        ("numpy 1.26.*", "numpy", None, "1.26.*", None),
        ("numpy 1.26.4 py311h64a7726_0", "numpy", None, "1.26.4", "py311h64a7726_0"),
        ("numpy=1.26.4=py311*", "numpy", None, "1.26.4", "py311*"),
        ("pytorch::pytorch", "pytorch", "pytorch", None, None),
        ("pytorch::pytorch 2.1.* *cuda*", "pytorch", "pytorch", "2.1.*", "*cuda*"),
        ("conda-forge/linux-64::numpy", "numpy", "conda-forge", None, None),
        ("numpy[version='>=1.8,<2', build=py*]", "numpy", None, ">=1.8,<2", "py*"),
        ("Python=3.11", "python", None, "3.11.*", None),
        ("libblas=*=*mkl", "libblas", None, "*", "*mkl"),
    ],
)
def test_reads_the_forms_environment_files_use(
    text: str, name: str, channel: str | None, version: str | None, build: str | None
) -> None:
    spec = parse_match_spec(text)
    assert (spec.name, spec.channel, spec.version, spec.build) == (name, channel, version, build)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "=1.2",
        "numpy=",
        "numpy 1 2 3",
        "bad channel::numpy",
        "numpy[colour=red]",
        "numpy@1.2",
        "numpy >>> 1",
        "numpy >=1,<<2",
    ],
)
def test_refuses_what_is_not_a_match_spec(text: str) -> None:
    with pytest.raises(MatchSpecError):
        parse_match_spec(text)


@pytest.mark.parametrize(
    ("text", "specifier"),
    [
        ("numpy", ""),
        ("numpy=1.26", "==1.26.*"),
        ("numpy==1.26.4", "==1.26.4"),
        ("numpy 1.26.4", "==1.26.4"),
        ("numpy>=1.26,<2", ">=1.26,<2"),
        ("numpy 1.26*", "==1.26.*"),
        ("numpy >=1.26.*", ">=1.26"),
        ("numpy !=1.26.1", "!=1.26.1"),
        ("numpy ~=1.26", "~=1.26"),
    ],
)
def test_translates_versions_to_pep440(text: str, specifier: str) -> None:
    assert to_pep440(parse_match_spec(text)).specifier == specifier


@pytest.mark.parametrize(
    ("version", "reason"),
    [
        ("1.2|1.3", "alternatives"),
        ("(>=1,<2)|>3", "alternatives"),
        ("1.2.3_post", "no PEP 440 form"),
        ("1.*.3", "no PEP 440 form"),
    ],
)
def test_reports_versions_pep440_cannot_spell(version: str, reason: str) -> None:
    result = version_to_pep440(version)
    assert result.specifier is None
    assert result.note is not None and reason in result.note


def test_a_build_string_is_reported_as_dropped() -> None:
    result = to_pep440(parse_match_spec("pytorch 2.1.* *cuda*"))
    assert result.specifier == "==2.1.*"
    assert result.note is not None and "'*cuda*'" in result.note


def test_exact_version_only_for_one_version() -> None:
    assert exact_version(parse_match_spec("numpy==1.26.4")) == "1.26.4"
    assert exact_version(parse_match_spec("numpy 1.26.4")) == "1.26.4"
    assert exact_version(parse_match_spec("numpy=1.26")) is None
    assert exact_version(parse_match_spec("numpy")) is None


@pytest.mark.parametrize(
    ("channel", "ok"),
    [
        ("conda-forge", True),
        ("conda-forge/label/rc", True),
        ("https://repo.example/channel", True),
        ("file:///srv/channel", True),
        ("./local-channel", True),
        ("conda forge", False),
        ("@conda-forge", False),
        ("", False),
    ],
)
def test_channel_syntax(channel: str, ok: bool) -> None:
    assert is_channel(channel) is ok


# rattler (py-rattler, in the test environment) is the reference reader of match specs.
_versions = st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=3).map(
    lambda parts: ".".join(map(str, parts))
)
_operators = st.sampled_from(["", "=", "==", ">=", "<=", ">", "<", "!="])


@settings(max_examples=200, deadline=None)
@given(op=_operators, version=_versions, other=_versions, wildcard=st.booleans())
def test_translation_agrees_with_rattler(op: str, version: str, other: str, wildcard: bool) -> None:
    rattler = pytest.importorskip("rattler")
    text = f"pkg{op}{version}" if op else f"pkg {version}{'.*' if wildcard else ''}"
    ours = parse_match_spec(text)
    theirs = rattler.MatchSpec(text)
    translated = to_pep440(ours).specifier
    assert translated is not None
    spec = SpecifierSet(translated)
    for candidate in (version, other, f"{version}.1", f"{version}.0"):
        in_rattler = theirs.version is None or rattler.VersionSpec(str(theirs.version)).matches(
            rattler.Version(candidate)
        )
        assert spec.contains(candidate, prereleases=True) == in_rattler, (text, candidate)

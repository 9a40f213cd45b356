"""Which locked versions are pre-releases: packaging's answer, mostly known without it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.version import InvalidVersion, Version

from parity.lock.prereleases import is_prerelease


def _packaging(text: str) -> bool:
    try:
        return Version(text).is_prerelease
    except InvalidVersion:
        return False


@pytest.mark.parametrize(
    "text",
    [
        "1", "1.26.4", "2.9.0.post0", "2026.10.19.post1", "1!2.0", "1.0-1", "1.0_post_2",
        "0.66b2", "1.0rc1", "1.0RC1", "1.0.dev0", "1.0a", "1.0c1", "1.0-r1", "1.0preview2",
        "1.0.PRE1", "1.0.post1.dev2", "1.0+cu121", "v1.0", "garbage", "", "1..0", " 1.0",
    ],
)  # fmt: skip
def test_a_pre_release_is_what_packaging_says_it_is(text: str) -> None:
    assert is_prerelease(text) == _packaging(text)


@given(st.text(alphabet="0123456789.abcdeprstvlhiow!+-_ ABCDRPOST", max_size=14))
def test_any_version_text_is_a_pre_release_as_packaging_says(text: str) -> None:
    assert is_prerelease(text) == _packaging(text)

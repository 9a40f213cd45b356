from __future__ import annotations

import pytest

from parity.errors import UsageError
from parity.lock.target import choose_target, platform_marker
from parity.spec.model import PythonTarget


def test_python_version_file_pins_the_minor() -> None:
    target = choose_target(PythonTarget(pinned="3.11.7"))
    assert target.requires_python == "==3.11.*"
    assert target.python == "3.11.7"
    assert target.environments == ()


def test_requires_python_is_resolved_over_its_whole_range() -> None:
    target = choose_target(PythonTarget(requires_python=">=3.10", pinned="3.11"))
    assert target.requires_python == ">=3.10"
    assert target.python == "3.11"


def test_pin_outside_requires_python_is_rejected() -> None:
    with pytest.raises(UsageError, match="outside requires-python"):
        choose_target(PythonTarget(requires_python=">=3.10", pinned="3.8"))


def test_named_target_narrows_platform_and_python() -> None:
    target = choose_target(
        PythonTarget(requires_python=">=3.8"), python_version="3.8", python_platform="linux"
    )
    assert target.requires_python == "==3.8.*"
    assert target.environments == ("sys_platform == 'linux'",)
    assert target.label == "linux / Python 3.8"


def test_unpinned_project_locks_for_the_running_python_and_says_so() -> None:
    target = choose_target(PythonTarget(), running=(3, 12))
    assert target.requires_python == "==3.12.*"
    assert target.note is not None and ".python-version" in target.note


def test_manylinux_platform_names_map_to_linux_markers() -> None:
    assert "platform_machine == 'x86_64'" in platform_marker("x86_64-manylinux_2_28")


def test_unknown_platform_lists_the_known_ones() -> None:
    with pytest.raises(UsageError) as info:
        platform_marker("plan9")
    assert info.value.hint is not None and "linux" in info.value.hint

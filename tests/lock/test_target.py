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


def test_upgrading_a_package_frees_its_dependencies_but_keeps_the_rest() -> None:
    from pathlib import Path

    from parity.lock.locker import preference_constraints
    from parity.lock.model import Origin, Pin
    from parity.spec.model import DirectRequirement, Group, ProjectSpec, SourceRef

    previous = {
        "app": [Pin("app", "1.0", origins=(Origin("requirements.in"),))],
        "lib": [Pin("lib", "2.0", required_by=("app",))],
        "other": [Pin("other", "3.0", origins=(Origin("requirements.in"),))],
    }
    ref = SourceRef("requirements.in", 1)
    spec = ProjectSpec(
        root=Path("."),
        format="requirements-in",
        groups=(
            Group(
                "prod",
                (
                    DirectRequirement.make("app", ref, name="app"),
                    DirectRequirement.make("other>=3", ref, name="other"),
                ),
                "requirements.txt",
            ),
        ),
    )
    assert preference_constraints(spec, previous, upgrade=False, upgrade_packages=["app"]) == (
        "other==3.0",
    )
    bumped = ProjectSpec(
        root=Path("."),
        format="requirements-in",
        groups=(
            Group(
                "prod", (DirectRequirement.make("app>1.0", ref, name="app"),), "requirements.txt"
            ),
        ),
    )
    assert preference_constraints(bumped, previous, upgrade=False, upgrade_packages=[]) == (
        "other==3.0",
    )
    assert preference_constraints(spec, previous, upgrade=True, upgrade_packages=[]) == ()

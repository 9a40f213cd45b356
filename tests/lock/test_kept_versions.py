"""The versions to keep reach uv with the forks they were locked in, as uv reads its own uv.lock.

uv keeps a split package's versions where they were only when its preferences
say where each was (a package's ``resolution-markers``) and the resolution
starts from the same forks (the lock's ``resolution-markers``): with versions
alone it prefers the newest of them in every fork, and a split that only the
previous lock explained (huggingface/smolagents: nvidia-cublas 13.10 on one
rare platform, 13.1 elsewhere) collapsed on the next lock.
"""

from __future__ import annotations

from pathlib import Path

from fixtures import make_project
from parity import toml
from parity.lock.engines.uv import KeptVersion, ResolveRequest, render_preferences, resolution_forks
from parity.lock.formats import pylock
from parity.lock.model import Pin
from parity.lock.preferences import existing_preferences, split_markers
from parity.spec.model import ProjectSpec

OLD = "python_full_version < '3.11'"
NEW = "python_full_version >= '3.11'"


def _rendered(**fields: object) -> dict[str, object]:
    request = ResolveRequest(groups=(), requires_python=">=3.9", **fields)  # type: ignore[arg-type]
    text = render_preferences(request)
    assert text is not None
    return toml.loads(text)


def test_each_version_of_a_split_package_carries_its_markers() -> None:
    lock = _rendered(
        preferences=(
            KeptVersion("alpha", "1.0", (OLD,)),
            KeptVersion("alpha", "2.0", (NEW,)),
            KeptVersion("beta", "1.0"),
        )
    )
    packages = lock["package"]
    assert isinstance(packages, list)
    assert [p.get("resolution-markers") for p in packages] == [[OLD], [NEW], None]
    assert "resolution-markers" not in lock  # no forks known: uv finds its own


def test_the_forks_are_written_for_the_python_range_they_were_locked_for() -> None:
    lock = _rendered(
        preferences=(KeptVersion("alpha", "1.0"),),
        preference_forks=(NEW, OLD),
        preference_python=">=3.8",
        environments=("sys_platform == 'linux'",),
    )
    assert lock["resolution-markers"] == [NEW, OLD]
    # uv shortens markers by requires-python: the lock's own, not the project's.
    assert lock["requires-python"] == ">=3.8"
    # Unless the environments match the lock's, uv drops the forks.
    assert lock["supported-markers"] == ["sys_platform == 'linux'"]


def test_forks_made_for_other_environments_are_written_with_those() -> None:
    """An adopted uv.lock's forks, made for its own environments: uv then keeps versions only."""
    lock = _rendered(
        preferences=(KeptVersion("alpha", "1.0"),),
        preference_forks=(NEW, OLD),
        preference_environments=(),
        environments=("sys_platform == 'linux'",),
    )
    assert "supported-markers" not in lock


def test_split_markers_name_only_packages_locked_at_several_versions() -> None:
    pins = [
        Pin("alpha", "1.0", marker=OLD),
        Pin("alpha", "1.0", marker=f"{OLD} and sys_platform == 'linux'"),
        Pin("alpha", "2.0", marker=NEW),
        Pin("beta", "1.0", marker="sys_platform == 'win32'"),
        Pin("gamma", "1.0"),
        Pin("gamma", "2.0", marker=NEW),
    ]
    assert split_markers(pins) == {
        ("alpha", "1.0"): (OLD, f"{OLD} and sys_platform == 'linux'"),
        ("alpha", "2.0"): (NEW,),
        # gamma 1.0 has no marker: it is kept everywhere, as before.
        ("gamma", "2.0"): (NEW,),
    }


def test_pylock_forks_read_back_as_written(tmp_path: Path) -> None:
    text = (
        'lock-version = "1.0"\nrequires-python = ">=3.9"\n\n[[packages]]\nname = "a"\n\n'
        '[tool.parity]\ndigest = "sha256:0"\nresolution-markers = [\n'
        f'    "{NEW}",\n    "{OLD}",\n]\n\n[tool.parity.inputs]\n'
    )
    assert pylock.recorded_forks(text) == ((NEW, OLD), ">=3.9")
    assert pylock.recorded_forks(text.replace("resolution-markers", "other")) == ((), None)


def test_uv_lock_forks_are_read_from_its_head(tmp_path: Path) -> None:
    lock = tmp_path / "uv.lock"
    lock.write_text(
        f'version = 1\nrequires-python = ">=3.9"\nresolution-markers = [\n    "{NEW}",\n'
        f'    "{OLD}",\n]\n\n[[package]]\nname = "a"\nresolution-markers = ["x"]\n'
    )
    assert resolution_forks(lock) == (NEW, OLD)
    lock.write_text('version = 1\n\n[[package]]\nname = "a"\n')
    assert resolution_forks(lock) == ()


def test_an_adopted_uv_lock_gives_its_forks_and_each_versions_markers(tmp_path: Path) -> None:
    root = make_project(
        tmp_path,
        {
            "uv.lock": f"""
                version = 1
                revision = 3
                requires-python = ">=3.8"
                resolution-markers = [
                    "{NEW}",
                    "{OLD}",
                ]
                supported-markers = ["sys_platform == 'linux'"]

                [[package]]
                name = "alpha"
                version = "1.0"
                source = {{ registry = "https://example.invalid/simple" }}
                resolution-markers = ["{OLD}"]

                [[package]]
                name = "alpha"
                version = "2.0"
                source = {{ registry = "https://example.invalid/simple" }}
                resolution-markers = ["{NEW}"]

                [[package]]
                name = "beta"
                version = "1.0"
                source = {{ registry = "https://example.invalid/simple" }}
            """
        },
    )
    found = existing_preferences(ProjectSpec(root=root, format="pep621", groups=()), {})
    assert found.forks == (NEW, OLD) and found.python == ">=3.8"
    assert found.environments == ("sys_platform == 'linux'",)
    assert [(p.name, p.version, p.markers) for p in found.items] == [
        ("alpha", "1.0", (OLD,)),
        ("alpha", "2.0", (NEW,)),
        ("beta", "1.0", ()),
    ]


def test_the_resolution_mode_and_fork_strategy_are_written_as_uv_lock_options() -> None:
    """uv drops every version of a lock whose [options] differ from the project's settings."""
    lock = _rendered(
        preferences=(KeptVersion("alpha", "1.0"),),
        settings=(
            ("resolution", "lowest-direct"),
            ("fork-strategy", "fewest"),
            ("prerelease", "allow"),
        ),
    )
    assert lock["options"] == {"resolution-mode": "lowest-direct", "fork-strategy": "fewest"}


def test_default_resolver_settings_write_no_options() -> None:
    lock = _rendered(
        preferences=(KeptVersion("alpha", "1.0"),),
        settings=(("resolution", "highest"), ("fork-strategy", "requires-python")),
    )
    assert "options" not in lock

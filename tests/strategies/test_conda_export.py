"""environment.yml in two forms: from history (what is asked for) and pinned (the lock)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from strategy_helpers import DIGEST, lock_for, pip_tools_spec

from fixtures import make_project
from parity.errors import UsageError
from parity.lock.model import Origin, Pin
from parity.spec.conda_env import parse_environment
from parity.spec.load import load_project
from parity.spec.model import CondaSettings
from parity.strategies import conda, conda_pinned
from parity.strategies.apply import final_text
from parity.strategies.base import DictWorkspace, Request
from parity.strategies.conda_placement import place_pins, place_requirements
from parity.strategies.run import current_lock

CV = Path(__file__).parents[1] / "fixtures" / "projects" / "cv-service"


def render(module: object, spec: object, lock: object = None, **options: str) -> str:
    out = module.render(Request(spec, lock, DictWorkspace({}), options))  # type: ignore[attr-defined]
    [(path, output)] = out.files.items()
    return final_text(
        path,
        output,
        artifact=module.NAME,  # type: ignore[attr-defined]
        lock_digest=DIGEST,
        command=f"parity export --to {module.NAME}",  # type: ignore[attr-defined]
    )


@pytest.fixture
def cv(tmp_path: Path) -> Path:
    root = tmp_path / "cv-service"
    shutil.copytree(CV, root)
    return root


def test_from_history_form_of_the_cv_project(cv: Path, golden: Callable[[str, str], None]) -> None:
    spec = load_project(cv)
    text = render(conda, spec)
    golden("conda/cv-service.environment.yml", text)
    env = parse_environment(text, path="environment.yml").environment
    assert [d.spec for d in env.dependencies] == [
        "python=3.11",
        "pytorch>=2.3",
        "torchvision>=0.18",
        "opencv>=4.9",
        "pip",
    ]
    assert env.channels == ("conda-forge",)


def test_pinned_form_of_the_cv_project_never_re_resolves(
    cv: Path, golden: Callable[[str, str], None]
) -> None:
    spec = load_project(cv)
    lock = current_lock(spec)
    text = render(conda_pinned, spec, lock, group="prod")
    golden("conda/cv-service.environment.pinned.yml", text)
    parsed = parse_environment(text, path="environment.pinned.yml")
    conda_specs = {d.name: d.version for d in parsed.environment.dependencies}
    pins = {p.name: p.version for p in lock.group("prod").pins}
    assert conda_specs["pytorch"] == "==" + pins["torch"]
    # OpenCV 5.1.0 on conda is opencv-python-headless 5.1.0.<wheel build> on PyPI.
    assert conda_specs["opencv"] == "==" + ".".join(pins["opencv-python-headless"].split(".")[:3])
    # numpy is needed by both sides: from conda, at the lock's version.
    assert conda_specs["numpy"] == "==" + pins["numpy"]
    pip = {r.name: r.requirement for r in parsed.requirements}
    assert pip["fastapi"] == f"fastapi=={pins['fastapi']}"
    # torch's CUDA wheels come with conda's pytorch: never written for pip.
    assert not any(name.startswith("nvidia-") for name in pip)
    assert "triton" not in pip
    # Every version written is the lock's.
    for name, requirement in pip.items():
        assert requirement.split(";")[0].strip() == f"{name}=={pins[name]}"


def test_every_conda_entry_is_a_match_spec_rattler_reads(cv: Path) -> None:
    rattler = pytest.importorskip("rattler")
    spec = load_project(cv)
    for text in (render(conda, spec), render(conda_pinned, spec, current_lock(spec))):
        for dependency in parse_environment(text, path="e.yml").environment.dependencies:
            rattler.MatchSpec(dependency.spec)


def test_bankchurn_takes_only_python_from_conda(golden: Callable[[str, str], None]) -> None:
    root = Path(__file__).parents[2] / "examples" / "bankchurn"
    spec = load_project(root)
    text = render(conda, spec)
    golden("conda/bankchurn.environment.yml", text)
    env = parse_environment(text, path="environment.yml")
    assert [d.spec for d in env.environment.dependencies] == ["python=3.11", "pip"]
    assert {r.name for r in env.requirements} >= {"pandas", "scikit-learn", "mlflow", "pytest"}


def test_placement_overrides_and_what_cannot_be_carried() -> None:
    from parity.spec.model import DirectRequirement, SourceRef

    def req(text: str, name: str) -> DirectRequirement:
        return DirectRequirement.make(text, SourceRef("requirements.in", 1), name=name)

    placed = place_requirements(
        [
            req("torch>=2.1; sys_platform == 'linux'", "torch"),
            req("opencv-python===4.9.0", "opencv-python"),
            req("numpy>=1.26", "numpy"),
            req("gdal[numpy]==3.8.*", "gdal"),
            req("tensorflow", "tensorflow"),
        ],
        CondaSettings(from_conda=("numpy",), from_pip=("tensorflow",)),
    )
    assert [e.spec for e in placed.conda] == ["numpy>=1.26", "gdal=3.8.*"]
    assert placed.pip == [
        "torch>=2.1; sys_platform == 'linux'",
        "opencv-python===4.9.0",
        "tensorflow",
    ]
    text = "\n".join(placed.notes)
    assert "marker" in text and "no conda form" in text and "no extras" in text


def test_pinned_placement_keeps_shared_dependencies_on_one_side() -> None:
    pins = [
        Pin("torch", "2.3.0", origins=(Origin("requirements.in"),)),
        Pin("fastapi", "0.110.0", origins=(Origin("requirements.in"),)),
        Pin("nvidia-cublas-cu12", "12.1.3.1", required_by=("torch",)),
        Pin("typing-extensions", "4.12.0", required_by=("torch", "fastapi")),
        Pin("weird-thing", "1.0", required_by=("torch", "fastapi")),
    ]
    placed = place_pins(pins, CondaSettings())
    assert [e.spec for e in placed.conda] == ["pytorch==2.3.0", "typing_extensions==4.12.0"]
    assert placed.pip == ["fastapi==0.110.0", "weird-thing==1.0"]
    assert placed.left_to_conda == ["nvidia-cublas-cu12"]


def test_pinned_placement_keeps_every_fork_of_a_package_pinned_per_python() -> None:
    """A lock for >=3.9 may pin anyio twice (one per Python range): both lines stay."""
    pins = [
        Pin(
            "anyio",
            "4.12.1",
            marker="python_full_version < '3.10'",
            origins=(Origin("pyproject.toml"),),
        ),
        Pin(
            "anyio",
            "4.16.0",
            marker="python_full_version >= '3.10'",
            origins=(Origin("pyproject.toml"),),
        ),
        Pin("idna", "3.20", required_by=("anyio",)),
        Pin("numpy", "1.26.4", marker="python_full_version < '3.10'", required_by=("anyio",)),
        Pin("numpy", "2.3.0", marker="python_full_version >= '3.10'", required_by=("anyio",)),
    ]
    placed = place_pins(pins, CondaSettings())
    assert placed.conda == []
    assert placed.pip == [
        "anyio==4.12.1 ; python_full_version < '3.10'",
        "anyio==4.16.0 ; python_full_version >= '3.10'",
        "idna==3.20",
        "numpy==1.26.4 ; python_full_version < '3.10'",
        "numpy==2.3.0 ; python_full_version >= '3.10'",
    ]


def test_pinned_form_without_an_exact_python_names_the_supported_range() -> None:
    """A library locked for >=3.9 (no .python-version): python>=3.9, not a bare file."""
    from dataclasses import replace

    from parity.spec.model import PythonTarget

    spec = replace(pip_tools_spec(), python=PythonTarget(requires_python=">=3.9"))
    lock = lock_for(spec)
    lock = replace(lock, meta=replace(lock.meta, python=None))
    text = render(conda_pinned, spec, lock, group="prod")
    env = parse_environment(text, path="environment.pinned.yml").environment
    assert [d.spec for d in env.dependencies] == ["python>=3.9", "pip"]


def test_a_conda_project_keeps_its_environment_yml(tmp_path: Path) -> None:
    root = make_project(tmp_path, {"environment.yml": "dependencies:\n  - numpy\n"})
    with pytest.raises(UsageError, match="its inputs"):
        render(conda, load_project(root))


def test_exported_environment_yml_is_solved_by_rattler(
    tmp_path: Path, run_parity: Callable
) -> None:
    """The from-history form, read back as a conda project and solved on a local channel."""
    pytest.importorskip("rattler")
    from fixtures.conda_channel import demo_channel

    source = make_project(
        tmp_path,
        {
            "requirements.in": "numpy>=1.26,<2\ntables\n",
            ".python-version": "3.11\n",
            "pyproject.toml": '[tool.parity.conda]\nchannels = ["./channel"]\n'
            'from-conda = ["numpy", "tables"]\n',
        },
        name="source",
    )
    spec = load_project(source)
    out = conda.render(Request(spec, None, DictWorkspace({}), {}))
    target = make_project(
        tmp_path, {"environment.yml": out.files["environment.yml"].text}, name="target"
    )
    demo_channel(target / "channel")
    result = run_parity("lock", "-p", target)
    assert result.code == 0, result.err
    assert "numpy-1.26.4" in (target / "conda.lock").read_text()
    assert "pytables-3.9.2" in (target / "conda.lock").read_text()


def test_pip_tools_spec_golden(golden: Callable[[str, str], None]) -> None:
    spec = pip_tools_spec()
    golden("conda/pip-tools.environment.pinned.yml", render(conda_pinned, spec, lock_for(spec)))


def test_the_pip_section_installs_from_the_projects_own_indexes() -> None:
    # The pip: section named the packages without the index options the lock was made
    # from, so conda's pip took every one of them from its default index instead.
    from parity.frozen import replace
    from parity.spec.model import IndexConfig

    index = IndexConfig(
        index_url="https://${TOKEN}@mirror.example/simple",
        extra_index_urls=("https://wheels.example/cpu",),
        trusted_hosts=("mirror.example",),
    )
    spec = replace(pip_tools_spec(), index=index)
    options = [
        "--index-url https://${TOKEN}@mirror.example/simple",
        "--extra-index-url https://wheels.example/cpu",
        "--trusted-host mirror.example",
    ]
    lock = lock_for(spec)
    lock = replace(lock, groups=tuple(replace(g, index=index) for g in lock.groups))
    for text in (render(conda, spec), render(conda_pinned, spec, lock, group="prod")):
        pip = text.split("  - pip:\n", 1)[1].splitlines()
        assert [line.removeprefix("      - ") for line in pip[:3]] == options
        parsed = parse_environment(text, path="environment.yml")
        assert {"alpha", "beta"} <= {r.name for r in parsed.requirements}

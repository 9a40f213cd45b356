"""``-e .`` on a project whose only metadata is a setup.py (stable-diffusion's shape).

The name is read from ``setup(name="...")`` without running setup.py; a name
that is computed stays the clear error it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import make_project
from parity.errors import SpecError
from parity.spec.load import load_project
from parity.spec.local import setup_py_name

SETUP_PY = """
from setuptools import setup, find_packages

setup(
    name='latent-diffusion',
    version='0.0.1',
    packages=find_packages(),
    install_requires=['torch', 'numpy'],
)
"""


def test_the_name_is_read_from_a_setup_py_literal() -> None:
    assert setup_py_name(SETUP_PY) == "latent-diffusion"
    assert setup_py_name('import setuptools\nsetuptools.setup(name="pkg")\n') == "pkg"


@pytest.mark.parametrize(
    "source",
    [
        "from setuptools import setup\nNAME = 'x'\nsetup(name=NAME)\n",
        "from setuptools import setup\nsetup(**config)\n",
        "def broken(:\n",
        "print('no setup call')\n",
    ],
)
def test_a_computed_or_missing_name_is_not_guessed(source: str) -> None:
    assert setup_py_name(source) is None


def test_setup_py_is_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    project = make_project(
        tmp_path,
        {
            "requirements.in": "-e .\n",
            "setup.py": f"open({str(marker)!r}, 'w').close()\n"
            "from setuptools import setup\nsetup(name='selfpkg')\n",
        },
    )
    req = load_project(project).group("prod").requirements[0]
    assert (req.name, req.path, req.requirement) == ("selfpkg", ".", "selfpkg @ .")
    assert not marker.exists()


def test_a_conda_pip_section_installing_the_project_reads_its_setup_py(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "environment.yaml": """
                name: ldm
                channels:
                  - defaults
                dependencies:
                  - python=3.8.5
                  - pip
                  - pip:
                    - omegaconf==2.1.1
                    - -e .
                """,
            "setup.py": SETUP_PY,
        },
    )
    spec = load_project(project)
    group = spec.group(spec.conda[0].group)
    assert any(r.name == "latent-diffusion" and r.path == "." for r in group.requirements)


def test_a_setup_py_with_a_computed_name_is_still_a_clear_error(tmp_path: Path) -> None:
    project = make_project(
        tmp_path,
        {
            "requirements.in": "-e .\n",
            "setup.py": "from setuptools import setup\nsetup(name=get_name())\n",
        },
    )
    with pytest.raises(SpecError) as caught:
        load_project(project)
    assert "cannot tell the package name of local path" in caught.value.message

"""A real-world-shaped environment.yml: names mapped to PyPI, conda-only packages reported."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from parity.conda.matchspec import parse_match_spec, to_pep440
from parity.conda.names import How, NameMap
from parity.diagnose.conda_sides import environment_side
from parity.spec.conda_env import parse_environment

FIXTURE = Path(__file__).parents[1] / "fixtures" / "conda" / "ml-book.environment.yml"


def test_names_map_to_pypi_and_conda_only_packages_are_reported() -> None:
    text = FIXTURE.read_text()
    names = NameMap()
    env = parse_environment(text, path="environment.yml").environment
    mapped = {d.name: names.to_pypi(d.name) for d in env.dependencies}
    assert mapped["pytables"].name == "tables"
    assert mapped["python-graphviz"].name == "graphviz"
    assert mapped["py-xgboost"].name == "xgboost"
    assert mapped["scikit-learn"].name == "scikit-learn"
    only = sorted(n for n, m in mapped.items() if m.how is How.CONDA_ONLY)
    assert only == ["ffmpeg", "graphviz", "libgdal"]


def test_fuzzy_pins_translate_to_pep440() -> None:
    env = parse_environment(FIXTURE.read_text(), path="environment.yml").environment
    specs = {d.name: to_pep440(parse_match_spec(d.spec)).specifier for d in env.dependencies}
    assert specs["numpy"] == "==1.26.*"
    assert specs["pytables"] == "==3.9.*"
    assert specs["graphviz"] == ""


def test_as_a_diff_side_conda_only_packages_are_named_not_compared() -> None:
    pins, python, _, notes = environment_side(FIXTURE.read_text(), label="environment.yml")
    names = {p.name for p in pins}
    assert {"tables", "graphviz", "xgboost", "keras-tuner", "tensorflow", "gymnasium"} <= names
    assert "ffmpeg" not in names and "libgdal" not in names
    assert python == "3.10"
    text = "\n".join(notes)
    assert "ffmpeg: conda-only" in text and "libgdal: conda-only" in text
    assert "graphviz: conda-only" in text


def test_cli_diff_reads_it(tmp_path: Path, run_parity: Callable) -> None:
    env = tmp_path / "environment.yml"
    env.write_text(FIXTURE.read_text())
    lock = tmp_path / "requirements.txt"
    lock.write_text("tables==3.9.2\ngraphviz==0.20.1\nnumpy==2.0.0\n")
    result = run_parity("diff", env, lock)
    assert result.code == 1
    assert "conda-only" in result.err
    assert "numpy" in result.out


def test_specs_with_no_pep440_form_are_reported_with_their_line() -> None:
    text = "dependencies:\n  - pytorch::pytorch 2.1.* *cuda*\n  - numpy 1.26|1.27\n"
    pins, _, _, notes = environment_side(text, label="environment.yml")
    assert {p.name for p in pins} == {"torch", "numpy"}
    assert "environment.yml:2: torch: build string '*cuda*' has no PEP 440 form" in notes[0]
    assert "environment.yml:3: numpy:" in notes[1] and "alternatives" in notes[1]

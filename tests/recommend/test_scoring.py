"""The scoring rules on plain facts: each moves a score only on evidence, and says why."""

from __future__ import annotations

from pathlib import Path

from parity.recommend.facts import Measured, NativeNeed, ProjectFacts, ServiceUse
from parity.recommend.matrix import course_matrix
from parity.recommend.ranking import rank
from parity.recommend.scoring import score_matrix
from parity.recommend.weights import resolve_weights
from parity.spec.services import Evidence

REQ = Evidence("requirements.in", 3, "torch")


def _facts(**kw: object) -> ProjectFacts:
    base: dict[str, object] = {
        "name": "demo",
        "format": "requirements-in",
        "requirement_files": ("requirements.in",),
        "direct": 4,
    }
    base.update(kw)
    return ProjectFacts(**base)  # type: ignore[arg-type]


def test_without_evidence_the_course_scores_stand() -> None:
    matrix = course_matrix()
    scores = score_matrix(_facts(), matrix)
    for criterion in ("simplicity", "speed", "disk", "native-lockfile"):
        for strategy in ("pip-tools", "poetry", "conda", "docker"):
            score = scores[strategy][criterion]
            assert score.value == matrix.cell(criterion, strategy).score
            assert score.reason.startswith("course: ")
            assert score.basis == "course"


def test_a_native_stack_moves_pip_down_and_conda_up() -> None:
    need = NativeNeed("torch", ("cuda", "cudnn"), "CUDA builds", REQ)
    scores = score_matrix(_facts(native=(need,)), course_matrix())
    assert scores["pip-tools"]["non-python"].value == 1
    assert scores["conda"]["non-python"].value == 5
    assert scores["pip-tools"]["non-python"].evidence[0] == REQ
    assert "CUDA and cuDNN (torch)" in scores["pip-tools"]["non-python"].reason
    assert scores["conda"]["reproducibility"].value == 4


def test_services_make_docker_the_one_that_provides_them() -> None:
    where = Evidence("app/settings.py", 4, "a PostgreSQL URL")
    facts = _facts(services=(ServiceUse("postgres", (where,)),))
    scores = score_matrix(facts, course_matrix())
    assert scores["docker"]["non-python"].value == 5
    assert scores["pip-tools"]["non-python"].value == 0
    assert scores["docker"]["simplicity"].value == 4
    assert "docker compose up" in scores["docker"]["simplicity"].reason


def test_measurements_score_speed_and_disk_relative_to_the_best() -> None:
    cache = Evidence(".parity/compare/x.json", None, "parity compare")
    measured = {
        "pip-tools": Measured("pip-tools", 4.0, 300 * 2**20, 3, cache),
        "poetry": Measured("poetry", 40.0, 320 * 2**20, 3, cache),
    }
    scores = score_matrix(_facts(measured=measured), course_matrix())
    assert scores["pip-tools"]["speed"].value == 5
    assert scores["poetry"]["speed"].value == 2  # 10x the fastest
    assert scores["poetry"]["speed"].basis == "measured"
    assert "10.0x the fastest" in scores["poetry"]["speed"].reason
    assert scores["poetry"]["disk"].value == 5  # within 30 % of the smallest
    assert scores["conda"]["speed"].basis == "course"


def test_the_total_is_a_weighted_percentage_and_ties_go_to_reproducibility() -> None:
    matrix = course_matrix()
    weights = resolve_weights(
        matrix.weights, {}, {}, [f"{c}=0" for c in matrix.criteria if c != "non-python"]
    )
    result = rank(_facts(), matrix, weights)
    # Only "non-python" counts, and every strategy scores 5 on it: all tie at 100.
    assert {r.total for r in result.ranking} == {100.0}
    assert result.best.strategy == "docker"  # the most reproducible of the tied


def test_a_library_favours_poetry(tmp_path: Path) -> None:
    lib = (Evidence("pyproject.toml", 3, "build backend hatchling.build"),)
    scores = score_matrix(_facts(library=lib, format="pep621"), course_matrix())
    assert scores["poetry"]["simplicity"].value == 5
    assert scores["docker"]["simplicity"].value == 1


def test_a_native_stack_only_an_extra_needs_counts_half_against_pip() -> None:
    core = NativeNeed("torch", ("cuda", "cudnn"), "CUDA builds", REQ)
    optional = NativeNeed("torch", ("cuda", "cudnn"), "CUDA builds", REQ, extras=("gpu",))
    whole = score_matrix(_facts(native=(core,)), course_matrix())
    half = score_matrix(_facts(native=(optional,)), course_matrix())
    matrix = course_matrix()
    for strategy in ("pip-tools", "poetry"):
        course = matrix.cell("simplicity", strategy).score
        assert whole[strategy]["simplicity"].value == course - 2
        assert half[strategy]["simplicity"].value == course - 1
        assert whole[strategy]["non-python"].value == 1
        assert half[strategy]["non-python"].value == 3
        assert "(an optional extra's need counts half)" in half[strategy]["non-python"].reason
        assert "torch, only with extra gpu" in half[strategy]["non-python"].reason
    # What the strategies that provide the stack score does not change.
    for strategy, criterion in (("conda", "non-python"), ("docker", "non-python")):
        assert half[strategy][criterion].value == whole[strategy][criterion].value
    assert half["conda"]["reproducibility"].value == whole["conda"]["reproducibility"].value


def test_a_core_native_stack_is_scored_whole_beside_an_extras() -> None:
    core = NativeNeed("opencv-python", ("opencv",), "system libraries", REQ)
    extra = NativeNeed("torch", ("cuda",), "CUDA builds", REQ, extras=("gpu",))
    scores = score_matrix(_facts(native=(core, extra)), course_matrix())
    reason = scores["pip-tools"]["non-python"].reason
    assert scores["pip-tools"]["non-python"].value == 1
    assert "(opencv-python)" in reason and "torch" not in reason and "counts half" not in reason
    # No CUDA among the core needs: nothing said of a GPU driver.
    assert "GPU driver" not in reason

"""``parity recommend`` on projects with clearly different profiles, and on bad input."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fixtures import make_project
from recommend.profiles import (
    CONDA_GPU,
    CONDA_SCIENCE,
    DJANGO_SHOP,
    GPU_VISION,
    LIBRARY_TORCH_EXTRA,
    MULTI_SERVICE,
    PURE_LIBRARY,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "bankchurn"
CRITERIA = {
    "simplicity",
    "reproducibility",
    "non-python",
    "native-lockfile",
    "speed",
    "ci",
    "disk",
    "learning-curve",
}


def _recommend(run_parity: Callable[..., Any], project: Path, *args: str) -> dict[str, Any]:
    result = run_parity("recommend", "-p", project, "--json", *args)
    assert result.code == 0, result.err
    data: dict[str, Any] = result.json()
    return data


def _order(data: dict[str, Any]) -> list[str]:
    return [row["strategy"] for row in data["ranking"]]


def _scores(data: dict[str, Any], strategy: str) -> dict[str, int]:
    row = next(r for r in data["ranking"] if r["strategy"] == strategy)
    return {c: s["score"] for c, s in row["scores"].items()}


def _copy_example(tmp_path: Path) -> Path:
    project = tmp_path / "bankchurn"
    shutil.copytree(
        EXAMPLE, project, ignore=shutil.ignore_patterns(".venv", "mlruns", "__pycache__")
    )
    return project


# -- the profiles ---------------------------------------------------------------------


def test_a_gpu_vision_project_gets_conda_or_docker(tmp_path: Path, run_parity: Callable) -> None:
    data = _recommend(run_parity, make_project(tmp_path, GPU_VISION))
    assert set(_order(data)[:2]) == {"conda", "docker"}
    assert data["best"] in ("conda", "docker")
    facts = {f["topic"]: f for f in data["facts"]}
    assert "torch" in facts["native"]["text"] and "opencv-python" in facts["native"]["text"]
    assert {e["file"] for e in facts["gpu"]["evidence"]} >= {
        "requirements.in",
        "src/vision/train.py",
    }
    pip = _scores(data, "pip-tools")
    conda = _scores(data, "conda")
    assert pip["non-python"] < conda["non-python"] == 5
    assert pip["reproducibility"] < conda["reproducibility"]


def test_a_pure_python_library_gets_poetry_or_pip_tools(
    tmp_path: Path, run_parity: Callable
) -> None:
    data = _recommend(run_parity, make_project(tmp_path, PURE_LIBRARY))
    assert _order(data)[:2] == ["poetry", "pip-tools"]
    facts = {f["topic"]: f for f in data["facts"]}
    assert "library" in facts
    assert any(e["file"] == ".github/workflows/ci.yml" for e in facts["library"]["evidence"])
    assert facts["python-matrix"]["text"] == "CI tests Python 3.9, 3.10, 3.11, 3.12, 3.13"
    poetry = next(r for r in data["ranking"] if r["strategy"] == "poetry")
    assert "publishes" in poetry["scores"]["simplicity"]["reason"]


def test_a_multi_service_app_gets_docker(tmp_path: Path, run_parity: Callable) -> None:
    project = make_project(tmp_path, MULTI_SERVICE)
    data = _recommend(run_parity, project)
    assert data["best"] == "docker"
    assert data["next"] == "parity init --strategy docker"
    services = next(f for f in data["facts"] if f["topic"] == "services")
    assert services["text"] == "services: PostgreSQL, an MLflow tracking server and Redis"
    assert {e["file"] for e in services["evidence"]} >= {"requirements.in", "app/settings.py"}
    docker = _scores(data, "docker")
    assert docker["non-python"] == 5 and _scores(data, "pip-tools")["non-python"] == 0
    text = run_parity("recommend", "-p", project).out
    assert "One step away: `parity init --strategy docker`" in text


def test_a_compose_file_is_evidence_of_services(tmp_path: Path, run_parity: Callable) -> None:
    files = {
        "requirements.in": "fastapi\nuvicorn\n",
        ".python-version": "3.11\n",
        "docker-compose.yml": """
            services:
              api:
                build: .
              db:
                image: postgres:16.4
              cache:
                image: redis:7.4
            """,
    }
    data = _recommend(run_parity, make_project(tmp_path, files))
    services = next(f for f in data["facts"] if f["topic"] == "services")
    assert services["text"] == "services: PostgreSQL and Redis"
    assert {(e["file"], e["line"]) for e in services["evidence"]} == {
        ("docker-compose.yml", 5),
        ("docker-compose.yml", 7),
    }
    assert data["best"] == "docker"


def test_a_conda_project_on_gdal_keeps_conda(tmp_path: Path, run_parity: Callable) -> None:
    data = _recommend(run_parity, make_project(tmp_path, CONDA_SCIENCE))
    assert data["current"] == "conda"
    assert data["best"] == "conda"
    text = run_parity("recommend", "-p", make_project(tmp_path, CONDA_SCIENCE, name="again")).out
    assert "conda is what the project already uses" in text


def test_a_django_shop_with_a_build_backend_is_an_application_for_docker(
    tmp_path: Path, run_parity: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    # saleor: a hatchling backend and a homepage URL made it "a library published for
    # others" (Poetry up, Docker down), and in a big repository the scan of its files
    # stopped inside the package before reaching .github/ ("no CI here yet").
    import parity.spec.services

    files = dict(DJANGO_SHOP)
    files.update({f"shop/views/v{i:02}.py": "x = 1\n" for i in range(30)})
    monkeypatch.setattr(parity.spec.services, "_MAX_FILES", 20)
    data = _recommend(run_parity, make_project(tmp_path, files))
    assert data["best"] == "docker"
    facts = {f["topic"]: f for f in data["facts"]}
    assert "library" not in facts
    assert "a Django site (manage.py)" in facts["app"]["text"]
    assert facts["services"]["text"] == "services: PostgreSQL and Redis"
    assert facts["ci"]["text"] == "CI: installs with uv"
    assert facts["ci"]["evidence"][0]["file"] == ".github/workflows/tests.yml"
    docker = next(r for r in data["ranking"] if r["strategy"] == "docker")["scores"]
    assert "library" not in docker["simplicity"]["reason"]
    pip_tools = next(r for r in data["ranking"] if r["strategy"] == "pip-tools")["scores"]
    # uv.lock is a lock: its packages are counted, nothing reads "not locked yet".
    assert "42 packages to install (uv.lock)" in pip_tools["speed"]["reason"]
    assert "installs uv.lock" not in docker["native-lockfile"]["reason"]


def test_a_library_with_a_publish_step_stays_a_library_whatever_it_depends_on(
    tmp_path: Path, run_parity: Callable
) -> None:
    files = dict(PURE_LIBRARY)
    files["pyproject.toml"] = files["pyproject.toml"].replace(
        '"attrs>=23.1",', '"attrs>=23.1",\n            "flask>=3.0",'
    )
    data = _recommend(run_parity, make_project(tmp_path, files))
    facts = {f["topic"]: f for f in data["facts"]}
    assert "library" in facts and "app" not in facts
    assert data["best"] in ("poetry", "pip-tools")


def test_gpu_evidence_points_at_the_package_before_its_tests_and_docs(
    tmp_path: Path, run_parity: Callable
) -> None:
    # The first file (by name) using CUDA was a benchmark or a doc example, so the
    # reason shown pointed away from the code that runs on the GPU.
    files = {
        "requirements.in": "numpy\n",
        "benchmarks/bench_speed.py": "import torch\nx = torch.ones(2).to('cuda')\n",
        "docs/conf_example.py": "model.to('cuda')\n",
        "src/vision/infer.py": "import torch\n\ndef run(m):\n    return m.to('cuda')\n",
        "tests/test_infer.py": "def test_gpu(m):\n    m.to('cuda')\n",
    }
    data = _recommend(run_parity, make_project(tmp_path, files))
    facts = {f["topic"]: f for f in data["facts"]}
    code = [e for e in facts["gpu"]["evidence"] if e["file"].endswith(".py")]
    assert [(e["file"], e["line"]) for e in code] == [("src/vision/infer.py", 4)]


def test_a_conda_gpu_project_installing_itself_from_setup_py_keeps_conda(
    tmp_path: Path, run_parity: Callable
) -> None:
    # CompVis/stable-diffusion: `-e .` in the pip section stopped parity with "cannot
    # tell the package name" (the name is in setup.py).
    data = _recommend(run_parity, make_project(tmp_path, CONDA_GPU))
    assert data["current"] == "conda"
    assert _order(data)[:2] == ["conda", "docker"]
    facts = {f["topic"]: f for f in data["facts"]}
    assert "cudatoolkit" in facts["native"]["text"] and "torch" in facts["native"]["text"]
    assert "opencv-python" in facts["native"]["text"]
    gpu = {e["file"] for e in facts["gpu"]["evidence"]}
    assert gpu == {"environment.yaml", "ldm/models/model.py"}


def test_the_example_keeps_pip_tools_with_poetry_close_behind(run_parity: Callable) -> None:
    data = _recommend(run_parity, EXAMPLE)
    assert _order(data)[:2] == ["pip-tools", "poetry"]
    assert data["current"] == "pip-tools"
    first, second = data["ranking"][:2]
    assert first["total"] - second["total"] < 10
    # No native stack, no service: every strategy provides what the project needs.
    assert {_scores(data, s)["non-python"] for s in _order(data)} == {5}
    reproducibility = first["scores"]["reproducibility"]
    assert reproducibility["evidence"][0]["file"] == "requirements-dev.txt"
    assert isinstance(reproducibility["evidence"][0]["line"], int)


def _row(data: dict[str, Any], strategy: str) -> dict[str, Any]:
    row: dict[str, Any] = next(r for r in data["ranking"] if r["strategy"] == strategy)
    return row


def test_a_library_whose_torch_is_only_in_an_extra_gets_poetry_not_docker(
    tmp_path: Path, run_parity: Callable
) -> None:
    # Unstructured-IO/unstructured: torch only in optional extras was scored as a core
    # dependency ("native stacks: torch (cuda, cudnn, blas, openmp)"), and Docker came
    # first for a library its users pip install.
    project = make_project(tmp_path, LIBRARY_TORCH_EXTRA)
    data = _recommend(run_parity, project)
    assert data["best"] == "poetry"
    assert _order(data)[0] != "docker"
    facts = {f["topic"]: f for f in data["facts"]}
    assert "library" in facts
    native = facts["native"]
    assert native["text"] == (
        "native stacks: torch (cuda, cudnn, blas, openmp), only in extras huggingface "
        "and local-inference"
    )
    assert [(e["file"], e["line"]) for e in native["evidence"]] == [("pyproject.toml", 23)]
    # --json says it as fields, the same as the text.
    assert native["packages"] == [
        {
            "package": "torch",
            "needs": ["cuda", "cudnn", "blas", "openmp"],
            "direct": True,
            "optional": True,
            "extras": ["huggingface", "local-inference"],
            "evidence": native["evidence"][0],
        }
    ]
    # Half weight, said in the reasons: pip's non-Python score is halfway from 5 to 1.
    pip = _row(data, "pip-tools")["scores"]
    assert pip["non-python"]["score"] == 3
    assert "only with extras huggingface and local-inference" in pip["non-python"]["reason"]
    assert "an optional extra's need counts half" in pip["non-python"]["reason"]
    assert pip["simplicity"]["score"] == 4
    poetry = _row(data, "poetry")["scores"]
    assert 'course: "Quieres publicar en PyPI"' in poetry["simplicity"]["reason"]
    text = run_parity("recommend", "-p", project).out
    assert (
        "torch (cuda, cudnn, blas, openmp), only in extras huggingface and local-inference" in text
    )
    assert "One step away: `parity init --strategy poetry`" in text


def test_a_dependency_group_that_installs_the_extra_makes_its_native_stack_core(
    tmp_path: Path, run_parity: Callable
) -> None:
    # The developers install torch (`test` includes the extra): a full-weight need.
    files = dict(LIBRARY_TORCH_EXTRA)
    files["pyproject.toml"] = files["pyproject.toml"].replace(
        'test = ["pytest>=9.0",', 'test = ["docparse[huggingface]", "pytest>=9.0",'
    )
    data = _recommend(run_parity, make_project(tmp_path, files))
    native = next(f for f in data["facts"] if f["topic"] == "native")
    assert native["text"] == "native stacks: torch (cuda, cudnn, blas, openmp)"
    assert native["packages"][0]["optional"] is False
    assert native["packages"][0]["extras"] == []
    pip = _row(data, "pip-tools")["scores"]
    assert pip["non-python"]["score"] == 1
    assert "counts half" not in pip["non-python"]["reason"]


def test_a_poetry_extra_is_optional_too(tmp_path: Path, run_parity: Callable) -> None:
    files = {
        "pyproject.toml": """
            [tool.poetry]
            name = "vision-tools"
            version = "1.0.0"
            description = "Tools."
            authors = ["A <a@example.com>"]
            classifiers = ["Programming Language :: Python :: 3"]

            [tool.poetry.dependencies]
            python = ">=3.11,<3.14"
            numpy = "^2.0"
            torch = { version = "^2.3", optional = true }

            [tool.poetry.extras]
            gpu = ["torch"]

            [build-system]
            requires = ["poetry-core"]
            build-backend = "poetry.core.masonry.api"
            """,
    }
    data = _recommend(run_parity, make_project(tmp_path, files))
    native = next(f for f in data["facts"] if f["topic"] == "native")
    assert native["text"] == "native stacks: torch (cuda, cudnn, blas, openmp), only in extra gpu"
    assert native["packages"][0]["extras"] == ["gpu"]
    assert data["best"] == "poetry"


def test_a_native_package_locked_only_for_an_extra_is_optional(
    tmp_path: Path, run_parity: Callable
) -> None:
    # torch pulled in by ultralytics, in the lock of the extra alone (requirements-gpu.txt).
    files = {
        "pyproject.toml": """
            [project]
            name = "detect"
            version = "0.1.0"
            requires-python = ">=3.11"
            dependencies = ["numpy>=2.0"]

            [project.optional-dependencies]
            gpu = ["ultralytics>=8.0"]
            """,
        "requirements.txt": "numpy==2.1.0\n",
        "requirements-gpu.txt": "numpy==2.1.0\nultralytics==8.3.0\ntorch==2.5.1\n",
    }
    data = _recommend(run_parity, make_project(tmp_path, files))
    native = next(f for f in data["facts"] if f["topic"] == "native")
    assert native["text"] == (
        "native stacks: torch (cuda, cudnn, blas, openmp, locked through another package), "
        "only in extra gpu"
    )
    assert native["packages"][0]["direct"] is False
    assert native["packages"][0]["extras"] == ["gpu"]
    # parity's pylock.toml holds every group at once: it does not make torch core.
    files["pylock.toml"] = (
        'lock-version = "1.0"\n\n[[packages]]\nname = "numpy"\nversion = "2.1.0"\n\n'
        '[[packages]]\nname = "torch"\nversion = "2.5.1"\n'
    )
    data = _recommend(run_parity, make_project(tmp_path, files, name="with-pylock"))
    native = next(f for f in data["facts"] if f["topic"] == "native")
    assert native["packages"][0]["extras"] == ["gpu"]
    # Locked in requirements.txt as well: every install needs it.
    files["requirements.txt"] = "numpy==2.1.0\ntorch==2.5.1\n"
    data = _recommend(run_parity, make_project(tmp_path, files, name="core"))
    native = next(f for f in data["facts"] if f["topic"] == "native")
    assert native["packages"][0]["extras"] == []


def test_a_service_only_an_extra_uses_counts_half(tmp_path: Path, run_parity: Callable) -> None:
    # A cache library with a Redis backend in the extra `redis` (as geopandas' psycopg
    # in `all`, private-gpt's stores): Redis counted as if every install ran it, while
    # a native stack only an extra needs counted half.
    files = {
        "pyproject.toml": """
            [build-system]
            requires = ["setuptools"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "cachelib"
            version = "1.0"
            requires-python = ">=3.10"
            dependencies = ["requests>=2.32"]
            classifiers = ["Programming Language :: Python :: 3"]

            [project.optional-dependencies]
            redis = ["redis>=5"]
            """,
    }
    data = _recommend(run_parity, make_project(tmp_path, files))
    services = next(f for f in data["facts"] if f["topic"] == "services")
    assert services["text"] == "services: Redis (only in extra redis)"
    assert services["services"] == [
        {"kind": "redis", "name": "Redis", "optional": True, "extras": ["redis"]}
    ]
    pip = _row(data, "pip-tools")["scores"]
    assert pip["non-python"]["score"] == 3  # halfway from 5 to 0
    assert pip["non-python"]["reason"] == (
        "cannot provide Redis (only with extra redis) (an optional extra's need counts half)"
    )
    assert pip["simplicity"]["reason"].startswith(
        "every developer installs and runs Redis (only with extra redis) by hand "
        "(an optional extra's need counts half)"
    )
    assert _row(data, "conda")["scores"]["non-python"]["score"] == 4
    assert _row(data, "docker")["scores"]["non-python"]["score"] == 5  # providing it stays
    # A compose file that runs it makes it the project's own: it counts whole.
    files["compose.yml"] = "services:\n  cache:\n    image: redis:7\n"
    data = _recommend(run_parity, make_project(tmp_path, files, name="composed"))
    services = next(f for f in data["facts"] if f["topic"] == "services")
    assert services["text"] == "services: Redis"
    assert _row(data, "pip-tools")["scores"]["non-python"]["score"] == 0


def test_a_core_service_is_scored_whole_beside_one_only_an_extra_uses(
    tmp_path: Path, run_parity: Callable
) -> None:
    # optuna: SQLAlchemy (PostgreSQL in its CI) in the main dependencies, redis in `optional`.
    files = {
        "pyproject.toml": """
            [project]
            name = "study"
            version = "1.0"
            requires-python = ">=3.10"
            dependencies = ["sqlalchemy>=2"]

            [project.optional-dependencies]
            optional = ["redis"]
            """,
        "study/storage.py": 'URL = "postgresql://localhost/study"\n',
    }
    data = _recommend(run_parity, make_project(tmp_path, files))
    services = next(f for f in data["facts"] if f["topic"] == "services")
    assert services["text"] == "services: PostgreSQL and Redis (only in extra optional)"
    pip = _row(data, "pip-tools")["scores"]
    assert pip["non-python"]["score"] == 0
    assert pip["non-python"]["reason"] == "cannot provide PostgreSQL"


def test_a_web_framework_only_in_an_extra_does_not_make_an_application(
    tmp_path: Path, run_parity: Callable
) -> None:
    # huggingface/smolagents: gradio in the extra `gradio` made it "an application", and
    # an application's project URLs are no sign of a library.
    files = {
        "pyproject.toml": """
            [build-system]
            requires = ["setuptools"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "agents"
            version = "1.2.0"
            requires-python = ">=3.10"
            dependencies = ["requests>=2.32", "jinja2>=3.1"]

            [project.optional-dependencies]
            gradio = ["gradio>=5.0"]

            [project.urls]
            Repository = "https://code.example/agents"
            """,
    }
    data = _recommend(run_parity, make_project(tmp_path, files))
    facts = {f["topic"] for f in data["facts"]}
    assert "library" in facts and "app" not in facts
    # A web framework the main dependencies install still makes one.
    files["pyproject.toml"] = files["pyproject.toml"].replace('"jinja2>=3.1"', '"gradio>=5.0"')
    data = _recommend(run_parity, make_project(tmp_path, files, name="app"))
    facts = {f["topic"] for f in data["facts"]}
    assert "app" in facts and "library" not in facts


def test_pip_is_not_said_to_be_unable_to_install_what_torch_wheels_bring(
    tmp_path: Path, run_parity: Callable
) -> None:
    # torch's wheels bring the CUDA runtime and cuDNN (nvidia-* wheels): what pip
    # cannot give is the GPU driver and one system build other packages share.
    data = _recommend(run_parity, make_project(tmp_path, GPU_VISION))
    pip = _row(data, "pip-tools")["scores"]
    assert "pip cannot install" not in pip["non-python"]["reason"]
    assert pip["non-python"]["reason"].startswith(
        "pip gets CUDA, cuDNN, BLAS and OpenMP (torch, torchvision, opencv-python"
    )
    assert "never the GPU driver" in pip["non-python"]["reason"]
    assert "by hand" in pip["simplicity"]["reason"]
    assert "every machine installs CUDA" not in pip["simplicity"]["reason"]


# -- what every answer carries ----------------------------------------------------------


@pytest.mark.parametrize(
    "files", [GPU_VISION, PURE_LIBRARY, MULTI_SERVICE, CONDA_SCIENCE], ids=lambda f: sorted(f)[0]
)
def test_every_score_has_a_reason_and_points_at_real_files(
    tmp_path: Path, run_parity: Callable, files: dict[str, str]
) -> None:
    project = make_project(tmp_path, files)
    data = _recommend(run_parity, project)
    assert data["schema"] == "parity/recommend@1"
    assert {r["strategy"] for r in data["ranking"]} == {"pip-tools", "poetry", "conda", "docker"}
    totals = [r["total"] for r in data["ranking"]]
    assert totals == sorted(totals, reverse=True)
    with_evidence = 0
    for row in data["ranking"]:
        assert set(row["scores"]) == CRITERIA
        for score in row["scores"].values():
            assert 0 <= score["score"] <= 5
            assert score["reason"] and "\n" not in score["reason"]
            for evidence in score["evidence"]:
                assert (project / evidence["file"]).is_file(), evidence
                lines = (project / evidence["file"]).read_text().splitlines()
                assert evidence["line"] is None or 1 <= evidence["line"] <= len(lines)
            with_evidence += bool(score["evidence"])
    assert with_evidence >= 24  # most of the 32 cells point at the project's files


def test_the_terminal_shows_the_ranking_reasons_and_next_step(run_parity: Callable) -> None:
    result = run_parity("recommend", "-p", EXAMPLE)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "parity recommend: bankchurn (requirements-in project, uses pip-tools)"
    table = [line.split() for line in lines if line.strip()[:2] in ("1 ", "2 ", "3 ", "4 ")]
    assert [row[1] for row in table[:4]] == ["pip-tools", "poetry", "docker", "conda"]
    assert "  reproducibility  4  a hash-checked lock is already here  [requirements-dev.txt:" in (
        result.out
    )
    assert (
        lines[-1]
        == "pip-tools is what the project already uses: keep it current with `parity lock`."
    )


# -- weights ------------------------------------------------------------------------------


def test_weights_in_pyproject_change_the_ranking(tmp_path: Path, run_parity: Callable) -> None:
    project = _copy_example(tmp_path)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text() + "\n[tool.parity.recommend.weights]\nnative-lockfile = 10\n"
    )
    data = _recommend(run_parity, project)
    assert data["best"] == "poetry"
    source = data["weights"]["native-lockfile"]
    assert source["weight"] == 10
    assert source["from"].startswith("pyproject.toml:")
    assert data["weights"]["speed"] == {"weight": 1, "from": "default"}


def test_a_weight_flag_wins_over_the_project(tmp_path: Path, run_parity: Callable) -> None:
    project = _copy_example(tmp_path)
    pyproject = project / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text() + "\n[tool.parity.recommend.weights]\nnative-lockfile = 10\n"
    )
    data = _recommend(run_parity, project, "--weight", "native_lockfile=0")
    assert data["best"] == "pip-tools"
    assert data["weights"]["native-lockfile"] == {"weight": 0, "from": "--weight"}


def test_strategies_limit_the_candidates(run_parity: Callable) -> None:
    data = _recommend(run_parity, EXAMPLE, "--strategies", "conda,docker")
    assert _order(data) == ["docker", "conda"]


def test_the_html_page_is_written_with_the_matrix(tmp_path: Path, run_parity: Callable) -> None:
    page = tmp_path / "out" / "recommend.html"
    result = run_parity("recommend", "-p", EXAMPLE, "--html", page)
    assert result.code == 0, result.err
    text = page.read_text()
    assert text.count('data-criterion="reproducibility"') == 4
    assert "<script" not in text and "default-src 'none'" in text
    assert f"Wrote {page}" in result.err


# -- bad input: one clear error, exit 2, nothing written -----------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--weight", "speed=fast"), "--weight 'speed=fast': the weight must be a number"),
        (("--weight", "colour=3"), "--weight 'colour=3': unknown criterion 'colour'"),
        (("--weight", "speed"), "--weight 'speed': expected NAME=NUMBER"),
        (("--weight", "speed=-1"), "the weight must be a number from 0 to 100"),
        (("--weight", "speed=nan"), "the weight must be a number from 0 to 100"),
        (("--strategies", "pip-tools,nix"), "--strategies: unknown strategy 'nix'"),
    ],
)
def test_bad_flags_are_clear_errors(
    tmp_path: Path, run_parity: Callable, args: tuple[str, ...], message: str
) -> None:
    page = tmp_path / "page.html"
    result = run_parity("recommend", "-p", EXAMPLE, *args, "--html", page)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err
    assert not page.exists()


def test_all_weights_zero_is_an_error(run_parity: Callable) -> None:
    zero = [a for c in sorted(CRITERIA) for a in ("-w", f"{c}=0")]
    result = run_parity("recommend", "-p", EXAMPLE, *zero)
    assert result.code == 2
    assert "every weight is 0" in result.err


@pytest.mark.parametrize(
    ("table", "message", "line"),
    [
        ('[tool.parity.recommend.weights]\nspeed = "3"\n', 'speed = "3" is not a weight', 2),
        ("[tool.parity.recommend.weights]\nspeed = true\n", "speed = true is not a weight", 2),
        ("[tool.parity.recommend.weights]\nlooks = 3\n", "unknown criterion 'looks'", 2),
        ("[tool.parity.recommend]\nweight = { speed = 3 }\n", "unknown key 'weight'", 2),
        ("[tool.parity.recommend]\nweights = 3\n", "must be a table of criterion = number", 2),
        ('[tool.parity.recommend]\nstrategies = ["nix"]\n', "unknown strategy 'nix'", None),
    ],
)
def test_bad_weights_in_pyproject_name_the_file_and_line(
    tmp_path: Path, run_parity: Callable, table: str, message: str, line: int | None
) -> None:
    files = {
        "requirements.in": "alpha\n",
        "pyproject.toml": "[tool.ruff]\nline-length = 100\n\n" + table,
    }
    project = make_project(tmp_path, files)
    result = run_parity("recommend", "-p", project)
    assert result.code == 2, result.out
    assert message in result.err
    if line is not None:
        assert f"pyproject.toml:{line + 3}:" in result.err
    assert "Traceback" not in result.err


def test_a_folder_without_a_project_is_a_clear_error(tmp_path: Path, run_parity: Callable) -> None:
    result = run_parity("recommend", "-p", tmp_path)
    assert result.code == 2
    assert "no dependencies found" in result.err and "Pipfile or environment.yml" in result.err
    assert "parity init --strategy pip-tools" in result.err and "Traceback" not in result.err


def test_a_broken_pyproject_is_a_clear_error(tmp_path: Path, run_parity: Callable) -> None:
    project = make_project(tmp_path, {"pyproject.toml": "[project\nname = 'x'\n"})
    result = run_parity("recommend", "-p", project)
    assert result.code == 2
    assert "pyproject.toml:1: invalid TOML" in result.err


def test_recommend_writes_nothing_into_the_project(tmp_path: Path, run_parity: Callable) -> None:
    project = make_project(tmp_path, MULTI_SERVICE)
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    _recommend(run_parity, project)
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_the_page_names_the_strategy_files_present_when_no_format_says_one(
    tmp_path: Path,
) -> None:
    # saleor's page said "none, in use now" above "already uses: docker".
    from parity.api import recommend
    from parity.report.recommend_html import in_use_card

    shop = recommend(make_project(tmp_path, DJANGO_SHOP))
    assert shop.current is None
    assert in_use_card(shop) == ("docker", "its files are here")
    library = recommend(make_project(tmp_path, PURE_LIBRARY, name="lib"))
    assert in_use_card(library) == ("none", "in use now")
    conda = recommend(make_project(tmp_path, CONDA_SCIENCE, name="geo"))
    assert in_use_card(conda) == ("conda", "in use now")


def test_a_pylock_beside_the_requirements_files_does_not_replace_them_as_evidence(
    tmp_path: Path, run_parity: Callable
) -> None:
    # After `parity lock` the example also has pylock.toml, holding the same pins as
    # requirements-dev.txt: the reasons still name the file the image installs.
    project = _copy_example(tmp_path)
    pins = [
        line.split(" ")[0].split("==", 1)
        for line in (project / "requirements-dev.txt").read_text().splitlines()
        if "==" in line and not line.startswith((" ", "#"))
    ]
    packages = "".join(
        f'\n[[packages]]\nname = "{name}"\nversion = "{version}"\n' for name, version in pins
    )
    (project / "pylock.toml").write_text(
        f'lock-version = "1.0"\ncreated-by = "parity"\n{packages}', encoding="utf-8"
    )
    data = _recommend(run_parity, project)
    docker = next(r for r in data["ranking"] if r["strategy"] == "docker")["scores"]
    assert "the image installs requirements-dev.txt" in docker["native-lockfile"]["reason"]
    assert docker["speed"]["evidence"][0]["file"] == "requirements-dev.txt"


# -- said once, and true for the project ------------------------------------------------


def _reason(data: dict[str, Any], strategy: str, criterion: str) -> str:
    row = next(r for r in data["ranking"] if r["strategy"] == strategy)
    reason: str = row["scores"][criterion]["reason"]
    return reason


def test_a_conda_project_on_the_pytorch_channels_is_not_told_of_conda_forge(
    tmp_path: Path, run_parity: Callable
) -> None:
    # CompVis/stable-diffusion's channels are pytorch and defaults: what conda-forge
    # ships says nothing of what this environment installs.
    data = _recommend(run_parity, make_project(tmp_path, CONDA_GPU))
    reason = _reason(data, "conda", "non-python")
    assert "conda-forge" not in reason
    assert reason.startswith("conda ships ")
    assert reason.endswith("(channels in environment.yaml: pytorch, defaults)")


def test_a_conda_forge_project_is_told_of_conda_forge(tmp_path: Path, run_parity: Callable) -> None:
    data = _recommend(run_parity, make_project(tmp_path, CONDA_SCIENCE))
    assert _reason(data, "conda", "non-python").startswith("conda-forge ships ")


def test_two_files_of_one_other_tool_name_it_once_and_keep_each_file(
    tmp_path: Path, run_parity: Callable
) -> None:
    project = make_project(
        tmp_path,
        {
            "requirements.in": "flask\ngunicorn\n",
            "Pipfile": "[packages]\nflask = '*'\n",
            "Pipfile.lock": "{}\n",
        },
    )
    data = _recommend(run_parity, project)
    facts = {f["topic"]: f for f in data["facts"]}
    assert facts["other"]["text"] == "other tools: Pipenv"
    assert [(e["file"], e["what"]) for e in facts["other"]["evidence"]] == [
        ("Pipfile", "Pipenv's input"),
        ("Pipfile.lock", "Pipenv's lockfile"),
    ]
    assert facts["app"]["text"] == "an application: depends on flask and gunicorn"
    assert [(e["file"], e["line"]) for e in facts["app"]["evidence"]] == [
        ("requirements.in", 1),
        ("requirements.in", 2),
    ]


def test_reasons_say_each_thing_once(tmp_path: Path, run_parity: Callable) -> None:
    project = make_project(tmp_path, {"requirements.in": "requests\n", ".python-version": "3.11\n"})
    reason = _reason(_recommend(run_parity, project), "pip-tools", "reproducibility")
    assert reason.count("each machine's") == 1  # the course says the OS is; not again
    assert reason.endswith("; requirements*.txt pins every package, on Python 3.11")


def test_one_direct_requirement_is_one(tmp_path: Path, run_parity: Callable) -> None:
    data = _recommend(run_parity, make_project(tmp_path, {"requirements.in": "requests\n"}))
    facts = {f["topic"]: f for f in data["facts"]}
    assert facts["native"]["text"] == "native stacks: none among 1 direct requirement"
    assert _reason(data, "pip-tools", "non-python") == (
        "nothing outside Python to provide: the one direct requirement needs no native stack, "
        "and no service is configured"
    )
    assert "1 direct requirement, not locked yet" in _reason(data, "pip-tools", "speed")


def test_cuda_in_the_code_is_said_once(tmp_path: Path, run_parity: Callable) -> None:
    project = make_project(
        tmp_path, {"requirements.in": "numpy\n", "train.py": "model.to('cuda')\n"}
    )
    facts = {f["topic"]: f for f in _recommend(run_parity, project)["facts"]}
    assert facts["gpu"]["text"] == "runs on a GPU: the code uses CUDA"


def test_a_native_package_poetry_locks_only_for_an_extra_is_optional(
    tmp_path: Path, run_parity: Callable
) -> None:
    # torch pulled in by ultralytics, an optional dependency of the extra gpu:
    # poetry.lock marks both optional = true.
    files = {
        "pyproject.toml": """
            [tool.poetry]
            name = "detect"
            version = "1.0.0"
            description = "Detect."
            authors = ["A <a@example.com>"]

            [tool.poetry.dependencies]
            python = ">=3.11,<3.14"
            numpy = "^2.0"
            ultralytics = { version = "^8.3", optional = true }

            [tool.poetry.extras]
            gpu = ["ultralytics"]

            [build-system]
            requires = ["poetry-core"]
            build-backend = "poetry.core.masonry.api"
            """,
        "poetry.lock": """
            [[package]]
            name = "numpy"
            version = "2.1.0"
            optional = false

            [[package]]
            name = "torch"
            version = "2.5.1"
            optional = true

            [package.dependencies]
            numpy = "*"

            [[package]]
            name = "ultralytics"
            version = "8.3.0"
            optional = true

            [package.dependencies]
            numpy = ">=1.23"
            torch = ">=1.8"

            [extras]
            gpu = ["ultralytics"]

            [metadata]
            lock-version = "2.0"
            python-versions = ">=3.11,<3.14"
            content-hash = "0"
            """,
    }
    data = _recommend(run_parity, make_project(tmp_path, files))
    native = next(f for f in data["facts"] if f["topic"] == "native")
    assert native["text"] == (
        "native stacks: torch (cuda, cudnn, blas, openmp, locked through another package), "
        "only in extra gpu"
    )
    assert native["packages"][0]["evidence"]["file"] == "poetry.lock"
    # Not optional in the lock: every install brings it.
    files["poetry.lock"] = files["poetry.lock"].replace(
        'name = "torch"\n            version = "2.5.1"\n            optional = true',
        'name = "torch"\n            version = "2.5.1"\n            optional = false',
    )
    data = _recommend(run_parity, make_project(tmp_path, files, name="core"))
    native = next(f for f in data["facts"] if f["topic"] == "native")
    assert native["packages"][0]["extras"] == []


# -- PyTorch's CPU-only builds --------------------------------------------------------

CPU_TORCH = (
    "--extra-index-url https://download.pytorch.org/whl/cpu\ntorch==2.5.1+cpu\ntorchvision\n"
)


def test_torch_from_pytorchs_cpu_index_needs_no_cuda(tmp_path: Path, run_parity: Callable) -> None:
    # The CPU build of torch (and torchvision) was said to need CUDA and cuDNN, and
    # pip's reasons spoke of the GPU driver every machine installs by hand.
    data = _recommend(run_parity, make_project(tmp_path, {"requirements.in": CPU_TORCH}))
    native = next(f for f in data["facts"] if f["topic"] == "native")
    assert native["text"] == "native stacks: torch (blas, openmp)"
    assert [p["package"] for p in native["packages"]] == ["torch"]
    reasons = " ".join(s["reason"] for s in _row(data, "pip-tools")["scores"].values())
    assert "GPU driver" not in reasons and "CUDA" not in reasons


def test_a_cuda_build_anywhere_keeps_torchs_cuda_needs(
    tmp_path: Path, run_parity: Callable
) -> None:
    files = {
        "requirements.in": CPU_TORCH,
        "requirements-gpu.in": "--extra-index-url https://download.pytorch.org/whl/cu121\n"
        "torch==2.5.1+cu121\n",
    }
    data = _recommend(run_parity, make_project(tmp_path, files))
    native = next(f for f in data["facts"] if f["topic"] == "native")
    assert native["text"].startswith("native stacks: torch (cuda, cudnn, blas, openmp)")


def test_torch_pinned_to_a_cpu_index_source_needs_no_cuda(
    tmp_path: Path, run_parity: Callable
) -> None:
    pyproject = """
        [project]
        name = "cpuapp"
        version = "0.1"
        requires-python = ">=3.11"
        dependencies = ["torch>=2.4", "torchaudio"]

        [tool.uv.sources]
        torch = { index = "pytorch-cpu" }
        torchaudio = { index = "pytorch-cpu" }

        [[tool.uv.index]]
        name = "pytorch-cpu"
        url = "https://download.pytorch.org/whl/cpu"
        explicit = true
        """
    data = _recommend(run_parity, make_project(tmp_path, {"pyproject.toml": pyproject}))
    native = next(f for f in data["facts"] if f["topic"] == "native")
    assert native["text"] == "native stacks: torch (blas, openmp)"
    # Without the source torch comes from the default index, in its CUDA build.
    unsourced = pyproject.replace('torch = { index = "pytorch-cpu" }', "")
    data = _recommend(run_parity, make_project(tmp_path, {"pyproject.toml": unsourced}, name="b"))
    native = next(f for f in data["facts"] if f["topic"] == "native")
    assert native["text"] == "native stacks: torch (cuda, cudnn, blas, openmp)"

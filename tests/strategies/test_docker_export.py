"""Docker files: the dev container (with the services used), the production Dockerfile.

Every file is checked by its real consumer: hadolint reads the Dockerfiles,
check-jsonschema's vendored compose-spec schema the compose file, and the
published dev container schema (a copy in tests/schemas/) devcontainer.json.
No Docker engine is reachable here: nothing is built or run.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from strategy_helpers import DIGEST, lock_for, pip_tools_spec

from parity.errors import UsageError
from parity.spec.load import load_project
from parity.spec.services import services_from
from parity.strategies import devcontainer, docker, dockerfile
from parity.strategies.apply import final_text
from parity.strategies.base import DictWorkspace, FileOutput, Request
from parity.strategies.run import current_lock

TESTS = Path(__file__).parents[1]
BIN = Path(shutil.which("hadolint") or TESTS.parent / ".venv" / "bin" / "hadolint").parent
DEVCONTAINER_SCHEMA = TESTS / "schemas" / "devContainer.base.schema.json"
CV = TESTS / "fixtures" / "projects" / "cv-service"
BANKCHURN = TESTS.parent / "examples" / "bankchurn"

SERVICES = services_from(
    {
        "sqlalchemy": ("requirements.in", 1),
        "psycopg2-binary": ("requirements.in", 2),
        "mlflow": ("requirements.in", 3),
        "redis": ("requirements.in", 4),
        "uvicorn": ("requirements.in", 5),
    },
    {
        ".env.example": "DATABASE_URL=postgresql://app@localhost/app\n",
        "settings.py": 'MLFLOW_TRACKING_URI = "http://localhost:5000"\n',
    },
    notebooks=["explore.ipynb"],
)


def rendered(module: object, request: Request) -> dict[str, str]:
    out = module.render(request)  # type: ignore[attr-defined]
    return {
        path: final_text(
            path,
            output,
            artifact=module.NAME,  # type: ignore[attr-defined]
            lock_digest=DIGEST,
            command=f"parity export --to {module.NAME}",  # type: ignore[attr-defined]
        )
        for path, output in out.files.items()
    }


def tool(name: str) -> str:
    path = shutil.which(name) or str(BIN / name)
    if not Path(path).exists():
        pytest.skip(f"{name} is not installed")
    return path


def hadolint(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name.replace("/", "_")
    path.write_text(text)
    proc = subprocess.run([tool("hadolint"), str(path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def check_jsonschema(tmp_path: Path, name: str, text: str, *schema: str) -> None:
    path = tmp_path / name
    path.write_text(text)
    proc = subprocess.run(
        [tool("check-jsonschema"), *schema, str(path)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def jsonc(text: str) -> str:
    """devcontainer.json is JSONC: its comment lines dropped, it is JSON."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


@pytest.fixture
def services_files() -> dict[str, str]:
    spec = pip_tools_spec()
    request = Request(spec, lock_for(spec), DictWorkspace({}), {"detected": SERVICES})
    return rendered(devcontainer, request)


# -- the dev container ----------------------------------------------------------------


def test_devcontainer_files_match_golden(
    services_files: dict[str, str], golden: Callable[[str, str], None]
) -> None:
    for path in (
        ".devcontainer/devcontainer.json",
        ".devcontainer/docker-compose.yml",
        ".devcontainer/Dockerfile",
        ".devcontainer/.env.example",
    ):
        golden(f"docker/services{path.removeprefix('.devcontainer')}", services_files[path])


def test_compose_runs_only_the_services_found(services_files: dict[str, str]) -> None:
    from ruamel.yaml import YAML

    compose = YAML(typ="safe").load(services_files[".devcontainer/docker-compose.yml"])
    assert sorted(compose["services"]) == ["app", "db", "mlflow", "redis"]
    for name in ("db", "mlflow", "redis"):
        service = compose["services"][name]
        assert "healthcheck" in service
        image = service.get("image")
        if image:
            assert re.fullmatch(r"[a-z]+:\d+(\.\d+)+-\w+", image), image  # a full version tag
    assert compose["services"]["db"]["env_file"] == [".env"]
    app = compose["services"]["app"]
    assert set(app["depends_on"]) == {"db", "mlflow", "redis"}
    assert "${POSTGRES_PASSWORD:?" in app["environment"]["DATABASE_URL"]
    assert app["environment"]["MLFLOW_TRACKING_URI"] == "http://mlflow:5000"
    # MLflow's server runs from the app's image: the locked mlflow, on PostgreSQL here.
    assert compose["services"]["mlflow"]["build"]["dockerfile"] == ".devcontainer/Dockerfile"
    assert any("postgresql://" in part for part in compose["services"]["mlflow"]["command"])


def test_no_services_no_secrets() -> None:
    spec = pip_tools_spec()
    files = rendered(
        devcontainer,
        Request(spec, lock_for(spec), DictWorkspace({}), {"detected": services_from({}, {})}),
    )
    assert sorted(files) == [
        ".devcontainer/Dockerfile",
        ".devcontainer/devcontainer.json",
        ".devcontainer/docker-compose.yml",
    ]
    assert "db:" not in files[".devcontainer/docker-compose.yml"]


def test_the_env_file_is_created_once_and_git_ignored() -> None:
    spec = pip_tools_spec()
    lock = lock_for(spec)
    out = devcontainer.render(Request(spec, lock, DictWorkspace({}), {"detected": SERVICES}))
    env = out.files[".devcontainer/.env"]
    assert not env.owned and re.search(r"^POSTGRES_PASSWORD=[0-9a-f]{32}$", env.text, re.M)
    assert out.files[".gitignore"].text.endswith(".devcontainer/.env\n")
    again = devcontainer.render(
        Request(
            spec,
            lock,
            DictWorkspace(
                {".devcontainer/.env": env.text, ".gitignore": "x\n.devcontainer/.env\n"}
            ),
            {"detected": SERVICES},
        )
    )
    assert ".devcontainer/.env" not in again.files and ".gitignore" not in again.files


def test_devcontainer_json_validates_against_the_published_schema(
    services_files: dict[str, str], tmp_path: Path
) -> None:
    text = services_files[".devcontainer/devcontainer.json"]
    check_jsonschema(
        tmp_path, "devcontainer.json", jsonc(text), "--schemafile", str(DEVCONTAINER_SCHEMA)
    )
    data = json.loads(jsonc(text))
    assert data["remoteUser"] == "dev"
    assert data["forwardPorts"] == [8000, "db:5432", "mlflow:5000", "redis:6379"]
    assert "ms-toolsai.jupyter" in data["customizations"]["vscode"]["extensions"]
    assert data["postCreateCommand"] == (
        "pip install --no-deps --require-hashes -r requirements-dev.txt"
    )


def test_compose_file_validates_against_the_compose_spec(
    services_files: dict[str, str], tmp_path: Path
) -> None:
    check_jsonschema(
        tmp_path,
        "docker-compose.yml",
        services_files[".devcontainer/docker-compose.yml"],
        "--builtin-schema",
        "vendor.compose-spec",
    )


def test_dev_dockerfile_passes_hadolint(services_files: dict[str, str], tmp_path: Path) -> None:
    hadolint(tmp_path, "Dockerfile.dev", services_files[".devcontainer/Dockerfile"])


# -- the production Dockerfile ----------------------------------------------------------


@pytest.mark.parametrize("project", [BANKCHURN, CV], ids=["bankchurn", "cv-service"])
def test_production_dockerfile_matches_golden_and_hadolint(
    project: Path, tmp_path: Path, golden: Callable[[str, str], None]
) -> None:
    spec = load_project(project)
    files = rendered(dockerfile, Request(spec, current_lock(spec), _disk(project), {}))
    golden(f"docker/{project.name}.Dockerfile", files["Dockerfile"])
    hadolint(tmp_path, "Dockerfile", files["Dockerfile"])
    assert ".git" in files[".dockerignore"].splitlines()


def test_production_image_is_slim_non_root_and_pinned() -> None:
    spec = load_project(CV)
    text = rendered(dockerfile, Request(spec, current_lock(spec), _disk(CV), {}))["Dockerfile"]
    stages = [line.split()[1] for line in text.splitlines() if line.startswith("FROM ")]
    assert stages == ["python:3.11.13-bookworm", "python:3.11.13-slim-bookworm"]
    final = text.split("\nFROM ")[-1]
    assert "USER 10001:10001" in final
    assert "gcc" not in final and "build-essential" not in final
    assert 'CMD ["python", "-m", "cv_service"]' in final


def _disk(root: Path) -> object:
    from parity.strategies.base import DiskWorkspace

    return DiskWorkspace(root)


# -- installs exactly the lockfile parity wrote -------------------------------------------


def installed_lockfiles(text: str) -> list[tuple[str, bool]]:
    """(lockfile, hash-checked) for every `pip install -r` of a Dockerfile, read back from COPY."""
    copies: dict[str, str] = {}
    out: list[tuple[str, bool]] = []
    joined = re.sub(r"\\\n\s*", " ", text)
    for line in joined.splitlines():
        parts = line.split()
        if not parts:
            continue
        if parts[0] == "COPY" and len(parts) >= 3 and not parts[1].startswith("--from"):
            args = [p for p in parts[1:] if not p.startswith("--")]
            copies[args[-1]] = args[0]
        if parts[0] == "RUN" and "install" in parts and "-r" in parts:
            target = parts[parts.index("-r") + 1]
            out.append((copies.get(target, target), "--require-hashes" in parts))
    return out


@pytest.mark.parametrize("project", [BANKCHURN, CV], ids=["bankchurn", "cv-service"])
def test_each_dockerfile_installs_exactly_the_lockfile_parity_wrote(project: Path) -> None:
    spec = load_project(project)
    lock = current_lock(spec)
    prod = rendered(dockerfile, Request(spec, lock, _disk(project), {}))["Dockerfile"]
    dev = rendered(
        devcontainer, Request(spec, lock, _disk(project), {"detected": services_from({}, {})})
    )[".devcontainer/Dockerfile"]
    assert installed_lockfiles(prod) == [(spec.group("prod").output, True)]
    assert installed_lockfiles(dev) == [(spec.group("dev").output, True)]
    for name in (spec.group("prod").output, spec.group("dev").output):
        assert (project / name).read_text().startswith("#\n# This file is autogenerated by parity")


def test_a_conda_project_is_refused(tmp_path: Path) -> None:
    from fixtures import make_project

    root = make_project(tmp_path, {"environment.yml": "dependencies:\n  - numpy\n"})
    spec = load_project(root)
    with pytest.raises(UsageError, match="conda project"):
        docker.convert(Request(spec, None, DictWorkspace({}), {}))
    with pytest.raises(UsageError, match="conda project"):
        dockerfile.render(Request(spec, None, DictWorkspace({}), {}))


def test_an_unpinned_python_is_refused() -> None:
    spec = pip_tools_spec(python=None)
    lock = lock_for(spec)
    from dataclasses import replace

    lock = replace(lock, meta=replace(lock.meta, python=None))
    # The sentence is whole (it once ended at "the image's").
    with pytest.raises(UsageError, match=r"cannot choose the images' Python version$"):
        dockerfile.render(Request(spec, lock, DictWorkspace({}), {}))


def test_a_range_of_one_python_minor_chooses_the_image() -> None:
    """djangoproject.com: requires-python = "==3.12.*", no .python-version (its FROM python:3.12)."""
    from dataclasses import replace

    from parity.spec.model import PythonTarget
    from parity.strategies.docker_common import only_minor, python_version

    assert only_minor("==3.12.*") == "3.12"
    assert only_minor(">=3.12,<3.13") == "3.12"
    assert only_minor(">=3.11") is None
    spec = replace(pip_tools_spec(python=None), python=PythonTarget(requires_python="==3.12.*"))
    lock = lock_for(spec)
    lock = replace(lock, meta=replace(lock.meta, python=None))
    assert python_version(spec, lock).startswith("3.12.")
    text = rendered(dockerfile, Request(spec, lock, DictWorkspace({}), {}))["Dockerfile"]
    assert "python:3.12." in text
    narrow = replace(spec, python=PythonTarget(requires_python=">=3.12.30,<3.13"))
    with pytest.raises(UsageError, match="outside requires-python"):
        python_version(narrow, lock)


def test_owned_outputs_carry_headers_after_the_syntax_line() -> None:
    assert isinstance(FileOutput("x"), FileOutput)
    spec = load_project(CV)
    text = rendered(dockerfile, Request(spec, current_lock(spec), _disk(CV), {}))["Dockerfile"]
    assert text.splitlines()[0] == "# syntax=docker/dockerfile:1"
    assert text.splitlines()[2].startswith("# parity:generated dockerfile lock=")

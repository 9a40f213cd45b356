"""Service detection: what the project depends on and configures, with evidence; never invented."""

from __future__ import annotations

from pathlib import Path

from parity.spec.load import load_project
from parity.spec.services import (
    MLFLOW,
    POSTGRES,
    REDIS,
    detect_services,
    direct_requirements,
    services_from,
)

REQS = {
    "SQLAlchemy": ("requirements.in", 1),
    "psycopg2-binary": ("requirements.in", 2),
    "mlflow": ("requirements.in", 3),
    "redis": ("requirements.in", 4),
    "uvicorn": ("requirements.in", 5),
}
TEXTS = {
    ".env.example": "DATABASE_URL=postgresql://app:secret@localhost:5432/app\n",
    "app/settings.py": 'import os\nTRACKING = os.environ.get("MLFLOW_TRACKING_URI", "http://localhost:5000")\n'
    'DB = os.environ["DATABASE_URL"]\n',
    "app/main.py": "uvicorn.run(app, port=8080)\n",
}


def test_every_service_with_its_evidence() -> None:
    found = services_from(REQS, TEXTS)
    assert [s.kind for s in found.services] == [POSTGRES, MLFLOW, REDIS]
    postgres = found.service(POSTGRES)
    assert postgres is not None and postgres.env == "DATABASE_URL"
    assert [str(e) for e in postgres.evidence] == [
        "requirements.in:2 (depends on psycopg2-binary)",
        "requirements.in:1 (depends on sqlalchemy)",
        ".env.example:1 (a PostgreSQL URL)",
    ]
    mlflow = found.service(MLFLOW)
    assert mlflow is not None and mlflow.details["backend"] == "postgres"
    assert found.app_port is not None and found.app_port.port == 8080


def test_a_client_without_configuration_is_no_service() -> None:
    texts = {"config.yaml": "database: sqlite:///local.db\ntracking_uri: ./mlruns\n"}
    found = services_from({k: v for k, v in REQS.items() if k != "redis"}, texts)
    assert found.services == ()


def test_configuration_without_a_client_is_no_service() -> None:
    assert services_from({"fastapi": ("r.in", 1)}, TEXTS).services == ()


def test_mlflow_server_on_sqlite_without_a_postgres_driver() -> None:
    texts = {"train.py": 'mlflow.set_tracking_uri("http://mlflow:5000")\n'}
    found = services_from({"mlflow": ("r.in", 1)}, texts)
    (service,) = found.services
    assert service.kind == MLFLOW and service.details["backend"] == "sqlite"


def test_bankchurn_uses_no_service_and_serves_on_8000() -> None:
    root = Path(__file__).parents[2] / "examples" / "bankchurn"
    spec = load_project(root)
    found = detect_services(root, direct_requirements(spec, "dev"))
    # mlflow logs to a local mlruns store: no tracking server to run.
    assert found.services == ()
    assert found.app_port is not None and found.app_port.port == 8000
    assert found.notebooks == ()


def test_notebooks_are_found(tmp_path: Path) -> None:
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "a.ipynb").write_text("{}")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "b.ipynb").write_text("{}")
    assert detect_services(tmp_path, {}).notebooks == ("nb/a.ipynb",)

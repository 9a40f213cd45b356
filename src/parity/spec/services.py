"""The services a project uses (a database, an MLflow tracking server, Redis), from evidence.

A service is detected only when the project both depends on its client and
configures it, and each detection names its evidence (file:line), so the dev
container runs exactly what the project uses and invents nothing:

- PostgreSQL: SQLAlchemy or a PostgreSQL driver (psycopg, psycopg2, asyncpg),
  and a ``postgresql://`` (or ``postgres://``, ``postgresql+driver://``) URL
  in the project's configuration or code;
- an MLflow tracking server: mlflow, and a tracking URI that is a server
  (``MLFLOW_TRACKING_URI``/``tracking_uri``/``set_tracking_uri`` with
  ``http(s)://``); a local ``mlruns`` store needs no server;
- Redis: the redis client (or celery/rq/dramatiq with redis), which talks to
  nothing else.

The app's own port comes from the web server it depends on (uvicorn, gunicorn,
flask, streamlit, jupyter) and the port its code names.  :func:`services_from`
is pure (texts in, services out); :func:`detect_services` reads the files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from packaging.utils import canonicalize_name

from parity.frozen import dataclass, field

POSTGRES = "postgres"
MLFLOW = "mlflow"
REDIS = "redis"

SQL_CLIENTS = frozenset({"sqlalchemy", "psycopg", "psycopg2", "psycopg2-binary", "asyncpg"})
REDIS_CLIENTS = frozenset({"redis", "rq", "celery", "dramatiq", "redis-om"})
WEB_SERVERS: dict[str, int] = {
    "uvicorn": 8000,
    "gunicorn": 8000,
    "fastapi": 8000,
    "flask": 5000,
    "streamlit": 8501,
    "gradio": 7860,
    "jupyterlab": 8888,
    "notebook": 8888,
}
_SUFFIXES = frozenset(
    {".py", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".json", ".env", ".conf", ".example"}
)
_SKIP = frozenset(
    {
        ".git",
        ".venv",
        "venv",
        ".conda",
        "node_modules",
        "__pycache__",
        "build",
        "dist",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "site-packages",
        ".devcontainer",
        "mlruns",
    }
)
_MAX_FILES = 2000
_MAX_BYTES = 512 * 1024

_PG_URL = re.compile(r"\bpostgres(?:ql)?(?:\+[a-z0-9_]+)?://")
_DB_ENV = re.compile(r"\b([A-Z][A-Z0-9_]*(?:DATABASE|DB)_?(?:URL|URI|DSN))\b")
_MLFLOW_SERVER = re.compile(
    r"(?:MLFLOW_TRACKING_URI|tracking_uri|set_tracking_uri)\W{0,6}\s*[\"']?(https?://[^\s\"',)]+)",
    re.IGNORECASE,
)
_MLFLOW_ENV = re.compile(r"\bMLFLOW_TRACKING_URI\b")
_REDIS_URL = re.compile(r"\bredis(?:s)?://")
_PORT = re.compile(
    r"(?:--port[ =]|\bport\b[\"']?\s*[:=]\s*|\bport\"?,\s*type=int,\s*default=)(\d{4,5})\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, order=True)
class Evidence:
    """Why parity believes something: a project-relative file, a line, what it says."""

    path: str
    line: int | None
    what: str

    def __str__(self) -> str:
        if not self.path:
            return self.what
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where} ({self.what})"


@dataclass(frozen=True)
class Service:
    """A service the project uses; ``env`` is the variable its code reads the address from.

    ``clients`` are the direct requirements it was detected through (any one of
    them, with the configuration, is enough).
    """

    kind: str
    evidence: tuple[Evidence, ...]
    env: str | None = None
    details: Mapping[str, str] = field(default_factory=dict)
    clients: tuple[str, ...] = ()


@dataclass(frozen=True)
class AppPort:
    port: int
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Detected:
    services: tuple[Service, ...]
    app_port: AppPort | None
    notebooks: tuple[str, ...] = ()

    def service(self, kind: str) -> Service | None:
        return next((s for s in self.services if s.kind == kind), None)


def _grep(
    texts: Mapping[str, str], pattern: re.Pattern[str]
) -> list[tuple[str, int, re.Match[str]]]:
    found: list[tuple[str, int, re.Match[str]]] = []
    for path in sorted(texts):
        for number, line in enumerate(texts[path].splitlines(), start=1):
            for match in pattern.finditer(line):
                found.append((path, number, match))
    return found


def services_from(
    requirements: Mapping[str, tuple[str, int | None]],
    texts: Mapping[str, str],
    notebooks: Iterable[str] = (),
) -> Detected:
    """Services from the project's direct requirements (name -> where) and file texts."""
    names: dict[str, tuple[str, int | None]] = {
        canonicalize_name(n): where for n, where in requirements.items()
    }
    services: list[Service] = []

    def dependency(found: Iterable[str]) -> list[Evidence]:
        return [
            Evidence(names[n][0], names[n][1], f"depends on {n}")
            for n in sorted(found)
            if n in names
        ]

    def clients(found: Iterable[str]) -> tuple[str, ...]:
        return tuple(n for n in sorted(found) if n in names)

    sql = dependency(SQL_CLIENTS)
    pg_urls = _grep(texts, _PG_URL)
    if sql and pg_urls:
        path, line, _ = pg_urls[0]
        env_names = sorted({m.group(1) for _, _, m in _grep(texts, _DB_ENV)})
        services.append(
            Service(
                POSTGRES,
                (*sql, Evidence(path, line, "a PostgreSQL URL")),
                env=env_names[0] if env_names else "DATABASE_URL",
                clients=clients(SQL_CLIENTS),
            )
        )
    tracking = _grep(texts, _MLFLOW_SERVER)
    mlflow = dependency({"mlflow", "mlflow-skinny"})
    if mlflow and tracking:
        path, line, _ = tracking[0]
        driver = _postgres_driver(names) if any(s.kind == POSTGRES for s in services) else None
        services.append(
            Service(
                MLFLOW,
                (*mlflow, Evidence(path, line, "an MLflow tracking server URI")),
                env="MLFLOW_TRACKING_URI",
                details={"backend": "postgres" if driver else "sqlite", "driver": driver or ""},
                clients=clients({"mlflow", "mlflow-skinny"}),
            )
        )
    redis = dependency(REDIS_CLIENTS)
    urls = _grep(texts, _REDIS_URL)
    if "redis" in names or (redis and urls):
        evidence = dependency({"redis"}) or redis
        # The redis client alone says Redis; the others (celery, rq) only with a URL.
        through = clients(REDIS_CLIENTS) if urls else ("redis",)
        if urls:
            path, line, _ = urls[0]
            evidence = [*evidence, Evidence(path, line, "a Redis URL")]
        services.append(Service(REDIS, tuple(evidence), env="REDIS_URL", clients=through))
    return Detected(tuple(services), _app_port(names, texts), tuple(sorted(notebooks)))


def _postgres_driver(names: Mapping[str, tuple[str, int | None]]) -> str | None:
    """The SQLAlchemy URL scheme MLflow can use with the drivers the project locks."""
    if "psycopg2" in names or "psycopg2-binary" in names:
        return "postgresql"
    if "psycopg" in names:
        return "postgresql+psycopg"
    return None


def _app_port(
    names: Mapping[str, tuple[str, int | None]], texts: Mapping[str, str]
) -> AppPort | None:
    servers = [n for n in WEB_SERVERS if n in names]
    if not servers:
        return None
    server = servers[0]
    evidence = [Evidence(names[server][0], names[server][1], f"depends on {server}")]
    ports = [
        (path, line, int(m.group(1)))
        for path, line, m in _grep({p: t for p, t in texts.items() if p.endswith(".py")}, _PORT)
        if 1024 <= int(m.group(1)) <= 65535
    ]
    if ports:
        path, line, port = ports[0]
        return AppPort(port, (*evidence, Evidence(path, line, f"port {port}")))
    return AppPort(WEB_SERVERS[server], (*evidence, Evidence("", None, f"{server}'s default port")))


# -- the edge: reading the project ---------------------------------------------------


def project_texts(root: Path) -> tuple[dict[str, str], list[str]]:
    """Text of the files services may be configured in, and the notebooks, by relative path."""
    texts: dict[str, str] = {}
    notebooks: list[str] = []
    count = 0
    stack = [root]
    while stack and count < _MAX_FILES:
        directory = stack.pop()
        try:
            entries = sorted(directory.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.name in _SKIP or entry.is_symlink():
                continue
            if entry.is_dir():
                stack.append(entry)
                continue
            rel = entry.relative_to(root).as_posix()
            if entry.suffix == ".ipynb":
                notebooks.append(rel)
                continue
            if entry.suffix not in _SUFFIXES and not entry.name.startswith(".env"):
                continue
            count += 1
            try:
                if entry.stat().st_size > _MAX_BYTES:
                    continue
                texts[rel] = entry.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
    return texts, notebooks


def detect_services(root: Path, requirements: Mapping[str, tuple[str, int | None]]) -> Detected:
    texts, notebooks = project_texts(root)
    return services_from(requirements, texts, notebooks)


def direct_requirements(spec: object, group: str) -> dict[str, tuple[str, int | None]]:
    """A group's direct requirement names with where each is written."""
    from parity.spec.model import ProjectSpec

    assert isinstance(spec, ProjectSpec)
    out: dict[str, tuple[str, int | None]] = {}
    for req in spec.requirements_of(group):
        out.setdefault(req.name, (req.source.path, req.source.line))
    for req in spec.requirements_of(group):
        if req.path not in (None, "."):
            # A workspace member's own dependencies (the app's psycopg) are the group's too.
            for name, where in _package_requirements(spec.root, str(req.path)).items():
                out.setdefault(name, where)
    return out


def _package_requirements(root: Path, path: str) -> dict[str, tuple[str, int | None]]:
    """The ``[project] dependencies`` of a source-tree package, with their lines."""
    from packaging.requirements import InvalidRequirement, Requirement

    from parity import toml
    from parity.spec.pyproject import TomlLines

    shown = f"{path.removeprefix('./')}/pyproject.toml"
    try:
        text = (root / shown).read_text(encoding="utf-8")
        data = toml.loads(text)
    except (OSError, UnicodeDecodeError, toml.TOMLDecodeError):
        return {}
    project = data.get("project")
    items = project.get("dependencies") if isinstance(project, dict) else None
    lines = TomlLines(text)
    start = lines.key(("project",), "dependencies")
    out: dict[str, tuple[str, int | None]] = {}
    for item in items if isinstance(items, list) else []:
        try:
            name = canonicalize_name(Requirement(str(item)).name)
        except InvalidRequirement:
            continue
        out.setdefault(name, (shown, lines.string(str(item), start)))
    return out

"""``parity export --to devcontainer``: a dev container with the services the project uses.

Writes, under ``.devcontainer/``:

- ``devcontainer.json``: the compose service to open, the workspace folder, a
  non-root ``remoteUser``, VS Code's Python and Ruff extensions (Jupyter when
  the project has notebooks), the forwarded ports of the app and its services,
  and a ``postCreateCommand`` that installs the lock again (hash-checked) so
  a lock changed since the image was built is what the container runs;
- ``docker-compose.yml``: the app (built from the dev Dockerfile, the project
  mounted) and only the services :mod:`parity.spec.services` found evidence
  for, images pinned by full tag, each with a healthcheck; secrets come from
  ``.devcontainer/.env``, which is git-ignored (``.env.example`` documents it,
  and parity creates ``.env`` once with a random password);
- ``Dockerfile``: the project's Python, a non-root user, the dev group's
  lockfile installed with ``--require-hashes``.

``docker compose -f .devcontainer/docker-compose.yml up`` (or "Reopen in
Container") is then the one command a developer runs.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping

from parity.lock.model import LockedGroup
from parity.spec.model import ProjectSpec
from parity.spec.services import (
    MLFLOW,
    POSTGRES,
    REDIS,
    Detected,
    detect_services,
    direct_requirements,
)
from parity.strategies.base import FileOutput, Rendered, Request
from parity.strategies.common import default_group, uses_pytest
from parity.strategies.docker_common import (
    hash_checked,
    images,
    local_sources,
    locked_group,
    pip_install,
    project_slug,
    python_image,
    python_version,
    require_pip_lock,
)

NAME = "devcontainer"
NEEDS_LOCK = True
OPTIONS = ("group",)
FOLDER = ".devcontainer"
USER = "dev"
# A numeric user id: the host (and hadolint) can resolve it without the image's passwd.
UID = 1000
ENV_FILE = f"{FOLDER}/.env"
PORTS = {POSTGRES: 5432, MLFLOW: 5000, REDIS: 6379}
HOSTS = {POSTGRES: "db", MLFLOW: "mlflow", REDIS: "redis"}


def render(request: Request) -> Rendered:
    spec = request.spec
    assert spec is not None
    require_pip_lock(spec, request.lock, "the dev container")
    assert request.lock is not None
    group = default_group(spec, request.option("group"))
    locked = locked_group(spec, request.lock, group)
    version = python_version(spec, request.lock)
    found = request.option("detected") or detect_services(
        spec.root, direct_requirements(spec, group)
    )
    slug = project_slug(spec)
    hashes = hash_checked(locked)
    notes = [f"service {s.kind}: " + "; ".join(str(e) for e in s.evidence) for s in found.services]
    if found.app_port:
        notes.append(
            f"app port {found.app_port.port}: " + "; ".join(str(e) for e in found.app_port.evidence)
        )
    if not hashes:
        notes.append(f"{locked.output} has pins without hashes: installed without --require-hashes")
    files = {
        f"{FOLDER}/Dockerfile": FileOutput(
            dockerfile_text(
                version,
                locked.output,
                hashes,
                mlflow=found.service(MLFLOW) is not None,
                locked=locked,
            ),
            header_after=r"^# syntax=",
        ),
        f"{FOLDER}/docker-compose.yml": FileOutput(compose_text(slug, found)),
        f"{FOLDER}/devcontainer.json": FileOutput(
            devcontainer_text(spec, slug, found, locked, hashes, group), comment="//"
        ),
    }
    if found.service(POSTGRES) is not None:
        files[f"{FOLDER}/.env.example"] = FileOutput(env_text("change-me"))
        existing = request.workspace.read(ENV_FILE)
        if existing is None:
            files[ENV_FILE] = FileOutput(env_text(secrets.token_hex(16)), owned=False)
            notes.append(f"created {ENV_FILE} with a random database password (git-ignored)")
        gitignore = request.workspace.read(".gitignore")
        merged = ignore_line(gitignore, ENV_FILE)
        if merged != gitignore:
            files[".gitignore"] = FileOutput(merged, owned=False)
    notes.append(
        "start it with `docker compose -f .devcontainer/docker-compose.yml up -d`, "
        "or open the folder in VS Code and choose Reopen in Container"
    )
    return Rendered(files, tuple(notes), artifact=NAME)


def ignore_line(text: str | None, line: str) -> str:
    """``text`` (a .gitignore) with ``line`` in it, added at the end when absent."""
    current = text or ""
    if line in {entry.strip() for entry in current.splitlines()}:
        return current
    prefix = current if not current or current.endswith("\n") else current + "\n"
    return prefix + f"# The dev container's secrets (parity).\n{line}\n"


def env_text(password: str) -> str:
    return (
        "# Secrets of the dev container's services; .devcontainer/.env is git-ignored.\n"
        "# Copy .env.example to .env and set your own values.\n"
        f"POSTGRES_PASSWORD={password}\n"
    )


# -- Dockerfile ------------------------------------------------------------------------


def dockerfile_text(
    version: str, lockfile: str, hashes: bool, *, mlflow: bool, locked: LockedGroup | None = None
) -> str:
    require = " --require-hashes" if hashes else ""
    name = lockfile.rsplit("/", 1)[-1]
    checked = "with every hash checked" if hashes else "(pins without hashes: not hash-checked)"
    local = local_sources(locked) if locked is not None else []
    lines = [
        "# syntax=docker/dockerfile:1",
        f"# The development image: Python {version}, a non-root user, and {lockfile}",
        f"# installed into /opt/venv {checked}.",
        f"FROM {python_image(version, build=True)}",
        "ENV PYTHONDONTWRITEBYTECODE=1 \\",
        "    PYTHONUNBUFFERED=1 \\",
        "    PIP_DISABLE_PIP_VERSION_CHECK=1 \\",
        "    PIP_NO_CACHE_DIR=1 \\",
        "    VIRTUAL_ENV=/opt/venv \\",
        '    PATH="/opt/venv/bin:$PATH"',
        f"RUN groupadd --gid {UID} {USER} \\",
        f"    && useradd --uid {UID} --gid {UID} --create-home --shell /bin/bash {USER} \\",
        "    && python -m venv /opt/venv \\",
        f"    && chown -R {UID}:{UID} /opt/venv"
        + (f" \\\n    && install -d -o {UID} -g {UID} /home/{USER}/mlflow" if mlflow else ""),
        f"USER {UID}:{UID}",
        f"COPY --chown={UID}:{UID} {lockfile} /tmp/{name}",
    ]
    if locked is None or not local:
        lines.append(f"RUN pip install --no-deps{require} -r /tmp/{name}")
    else:
        # The source tree's own packages install from the mounted workspace (postCreateCommand).
        lines.append(
            "RUN " + " \\\n    && ".join(pip_install("pip", f"/tmp/{name}", locked, require))
        )
    return "\n".join(lines) + "\n"


# -- docker-compose.yml ----------------------------------------------------------------


def compose_text(slug: str, found: Detected) -> str:
    workspace = f"/workspaces/{slug}"
    postgres = found.service(POSTGRES)
    mlflow = found.service(MLFLOW)
    redis = found.service(REDIS)
    lines = [
        f"# The dev container of {slug} and the services it uses; secrets in .env (git-ignored).",
        f"name: {slug}-dev",
        "services:",
        "  app:",
        "    build:",
        "      context: ..",
        "      dockerfile: .devcontainer/Dockerfile",
        "    command: sleep infinity",
        "    volumes:",
        f"      - ..:{workspace}:cached",
    ]
    environment: list[str] = []
    depends: list[str] = []
    if postgres is not None:
        environment.append(
            f"      {postgres.env}: "
            '"postgresql://app:${POSTGRES_PASSWORD:?set it in .devcontainer/.env}@db:5432/app"'
        )
        depends.append("db")
    if mlflow is not None:
        environment.append("      MLFLOW_TRACKING_URI: http://mlflow:5000")
        depends.append("mlflow")
    if redis is not None:
        environment.append(f"      {redis.env}: redis://redis:6379/0")
        depends.append("redis")
    if environment:
        lines += ["    environment:", *environment]
    if depends:
        lines.append("    depends_on:")
        for name in depends:
            lines += [f"      {name}:", "        condition: service_healthy"]
    volumes: list[str] = []
    if postgres is not None:
        lines += [
            "  db:",
            f"    image: {images().postgres}",
            "    restart: unless-stopped",
            "    env_file:",
            "      - .env",
            "    environment:",
            "      POSTGRES_USER: app",
            "      POSTGRES_DB: app",
            "    volumes:",
            "      - postgres-data:/var/lib/postgresql/data",
            "    healthcheck:",
            '      test: ["CMD-SHELL", "pg_isready -U app -d app"]',
            "      interval: 5s",
            "      timeout: 5s",
            "      retries: 10",
        ]
        volumes.append("postgres-data")
    if mlflow is not None:
        lines += mlflow_service(mlflow.details.get("backend") == "postgres", mlflow.details)
        volumes.append("mlflow-data")
    if redis is not None:
        lines += [
            "  redis:",
            f"    image: {images().redis}",
            "    restart: unless-stopped",
            "    healthcheck:",
            '      test: ["CMD", "redis-cli", "ping"]',
            "      interval: 5s",
            "      timeout: 5s",
            "      retries: 10",
        ]
    if volumes:
        lines.append("volumes:")
        lines += [f"  {v}: {{}}" for v in volumes]
    return "\n".join(lines) + "\n"


def mlflow_service(postgres: bool, details: Mapping[str, str]) -> list[str]:
    """MLflow's server from the app's own image: the same mlflow version as the lock."""
    store = f"/home/{USER}/mlflow"
    if postgres:
        driver = details.get("driver") or "postgresql"
        backend = (
            f'"--backend-store-uri={driver}://app:'
            '${POSTGRES_PASSWORD:?set it in .devcontainer/.env}@db:5432/app"'
        )
    else:
        backend = f"--backend-store-uri=sqlite:///{store}/mlflow.db"
    lines = [
        "  mlflow:",
        "    build:",
        "      context: ..",
        "      dockerfile: .devcontainer/Dockerfile",
        "    restart: unless-stopped",
        "    command:",
        "      - mlflow",
        "      - server",
        "      - --host=0.0.0.0",
        "      - --port=5000",
        f"      - {backend}",
        f"      - --artifacts-destination={store}/artifacts",
        "    volumes:",
        f"      - mlflow-data:{store}",
        "    healthcheck:",
        "      test:",
        "        - CMD",
        "        - python",
        "        - -c",
        "        - import urllib.request; urllib.request.urlopen('http://localhost:5000/health', timeout=3)",
        "      interval: 10s",
        "      timeout: 5s",
        "      retries: 12",
    ]
    if postgres:
        lines += ["    depends_on:", "      db:", "        condition: service_healthy"]
    return lines


# -- devcontainer.json -------------------------------------------------------------------


def devcontainer_text(
    spec: ProjectSpec, slug: str, found: Detected, locked: LockedGroup, hashes: bool, group: str
) -> str:
    lockfile = locked.output
    extensions = ["ms-python.python", "charliermarsh.ruff"]
    if found.notebooks:
        extensions.append("ms-toolsai.jupyter")
    ports: list[int | str] = []
    attributes: dict[str, dict[str, str]] = {}
    if found.app_port is not None:
        ports.append(found.app_port.port)
        attributes[str(found.app_port.port)] = {"label": "app", "onAutoForward": "notify"}
    for service in found.services:
        host, port = HOSTS[service.kind], PORTS[service.kind]
        ports.append(f"{host}:{port}")
        attributes[f"{host}:{port}"] = {"label": service.kind, "onAutoForward": "silent"}
    require = " --require-hashes" if hashes else ""
    post_create = " && ".join(pip_install("pip", lockfile, locked, require))
    local = local_sources(locked)
    if spec.installable and "." not in local:
        local.insert(0, ".")
    for path in local:
        post_create += f" && pip install --no-deps -e {path}"
    settings: dict[str, object] = {
        "python.defaultInterpreterPath": "/opt/venv/bin/python",
        "[python]": {"editor.defaultFormatter": "charliermarsh.ruff"},
    }
    if uses_pytest(spec, group):
        settings["python.testing.pytestEnabled"] = True
    data: dict[str, object] = {
        "name": slug,
        "dockerComposeFile": ["docker-compose.yml"],
        "service": "app",
        "runServices": ["app", *(HOSTS[s.kind] for s in found.services)],
        "workspaceFolder": f"/workspaces/{slug}",
        "shutdownAction": "stopCompose",
        "remoteUser": USER,
        "forwardPorts": ports,
        "portsAttributes": attributes,
        "postCreateCommand": post_create,
        "customizations": {"vscode": {"extensions": extensions, "settings": settings}},
    }
    if found.service(POSTGRES) is not None:
        data["initializeCommand"] = (
            "test -f .devcontainer/.env || cp .devcontainer/.env.example .devcontainer/.env"
        )
    return json.dumps(data, indent=2) + "\n"

"""``parity export --to dockerfile``: a production Dockerfile and a .dockerignore.

Two stages.  The build stage (the full python image: a compiler for any
sdist) creates a venv and installs the ``prod`` lockfile with
``--require-hashes``; the final stage is the slim image of the same Python
(``.python-version``'s, pinned by full tag), holds no compiler, copies the venv
and the code, and runs as a non-root user.
"""

from __future__ import annotations

import fnmatch

from parity.lock.model import LockedGroup
from parity.spec.model import DEFAULT_GROUP, ProjectSpec
from parity.strategies.base import FileOutput, Rendered, Request, check_relative
from parity.strategies.docker_common import (
    hash_checked,
    local_sources,
    locked_group,
    pip_install,
    project_slug,
    python_image,
    python_version,
    require_pip_lock,
)
from parity.strategies.header import read_header

NAME = "dockerfile"
NEEDS_LOCK = True
OPTIONS = ("output", "group")
DEFAULT_OUTPUT = "Dockerfile"
SYNTAX = r"^# syntax="
# The app user's numeric id (resolvable without the image's passwd file).
UID = 10001

DOCKERIGNORE_PATH = ".dockerignore"
DOCKERIGNORE = """\
# Kept out of the image build context (written by parity with the Dockerfile).
.git
.gitignore
.venv
.conda
.devcontainer/.env
.env
**/__pycache__
**/*.pyc
.mypy_cache
.pytest_cache
.ruff_cache
.coverage
htmlcov
mlruns
dist
build
"""


def render(request: Request) -> Rendered:
    spec = request.spec
    assert spec is not None
    require_pip_lock(spec, request.lock, "the Dockerfile")
    assert request.lock is not None
    output = check_relative(request.option("output") or DEFAULT_OUTPUT)
    group = request.option("group") or (
        DEFAULT_GROUP if spec.has_group(DEFAULT_GROUP) else spec.group_names[0]
    )
    locked = locked_group(spec, request.lock, group)
    version = python_version(spec, request.lock)
    notes: list[str] = []
    hashes = hash_checked(locked)
    if not hashes:
        notes.append(
            f"{locked.output} has pins without hashes (a URL or a local path): "
            "the image installs it without --require-hashes"
        )
    command = run_command(spec, request)
    if command is None:
        notes.append("no entry point found: the image runs `python`; set CMD to start your app")
    src_layout = request.workspace.exists("src") and not spec.installable
    text = dockerfile_text(
        spec, version, locked.output, hashes, command, src_layout=src_layout, locked=locked
    )
    files = {output: FileOutput(text, header_after=SYNTAX)}
    existing = request.workspace.read(DOCKERIGNORE_PATH)
    if existing is None or read_header(existing) is not None:
        files[DOCKERIGNORE_PATH] = FileOutput(DOCKERIGNORE)
    else:
        # The project's own .dockerignore is its business: kept, and read for what COPY . takes.
        notes.append(f"{DOCKERIGNORE_PATH} is the project's own: kept as it is")
        notes += dockerignore_gaps(existing, request)
    return Rendered(files, tuple(notes), artifact=NAME)


# Files `COPY . /app` must not put into an image (secrets, environments), when present.
MUST_IGNORE = (".env", ".venv", ".devcontainer/.env")


def dockerignore_gaps(text: str, request: Request) -> list[str]:
    """Notes for the secrets and environments a user's .dockerignore lets into the image."""
    patterns = {
        line.strip().strip("/")
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith(("#", "!"))
    }
    missing = [
        name
        for name in MUST_IGNORE
        if request.workspace.exists(name)
        and not any(
            fnmatch.fnmatch(name, p) or fnmatch.fnmatch(name, p.removeprefix("**/"))
            for p in patterns
        )
    ]
    if not missing:
        return []
    them = "them" if len(missing) > 1 else "it"
    return [
        f"{DOCKERIGNORE_PATH} does not exclude {', '.join(missing)}: the image's `COPY . /app` "
        f"would put {them} into the image; add {' and '.join(missing)} to {DOCKERIGNORE_PATH}"
    ]


def run_command(spec: ProjectSpec, request: Request) -> list[str] | None:
    """How the app starts: ``python -m <package>`` for the project's package with a ``__main__``."""
    names = [n for n in (spec.name, spec.root.name) if n]
    for name in dict.fromkeys(n.lower().replace("-", "_").replace(".", "_") for n in names):
        for base in ("src/", ""):
            if request.workspace.exists(f"{base}{name}/__main__.py"):
                return ["python", "-m", name]
    return None


def dockerfile_text(
    spec: ProjectSpec,
    version: str,
    lockfile: str,
    hashes: bool,
    command: list[str] | None,
    *,
    src_layout: bool,
    locked: LockedGroup | None = None,
) -> str:
    slug = project_slug(spec)
    require = " --require-hashes" if hashes else ""
    local = local_sources(locked) if locked is not None else []
    target = f"/tmp/{_basename(lockfile)}"
    lines = [
        "# syntax=docker/dockerfile:1",
        f"# Production image of {slug}: the '{lockfile}' lock on Python {version}.",
        "# Build: docker build -t " + slug + " .",
        "",
        "# Build stage: the full image (it has a compiler for any sdist) installs the",
        "# lock into a venv, every hash checked.",
        f"FROM {python_image(version, build=True)} AS build",
        "ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \\",
        "    PIP_NO_CACHE_DIR=1",
        "RUN python -m venv /opt/venv",
        f"COPY {lockfile} {target}",
    ]
    if locked is None or not local:
        lines.append(f"RUN /opt/venv/bin/pip install --no-deps{require} -r {target}")
    else:
        steps = pip_install("/opt/venv/bin/pip", target, locked, require)
        lines.append("RUN " + " \\\n    && ".join(steps))
    # The source tree's packages (the project itself, workspace members) from the source.
    sources = (["."] if spec.installable else []) + [p for p in local if p != "."]
    if sources:
        lines.append("COPY . /src")
        for source in sources:
            folder = "/src" if source == "." else "/src/" + source.removeprefix("./")
            lines.append(f"RUN /opt/venv/bin/pip install --no-deps {folder}")
    lines += [
        "",
        "# Final stage: the slim image of the same Python, no compiler, a non-root user.",
        f"FROM {python_image(version)}",
        "ENV PYTHONDONTWRITEBYTECODE=1 \\",
        "    PYTHONUNBUFFERED=1 \\",
        '    PATH="/opt/venv/bin:$PATH"' + (" \\" if src_layout else ""),
    ]
    if src_layout:
        lines.append("    PYTHONPATH=/app/src")
    lines += [
        f"RUN groupadd --system --gid {UID} app \\",
        f"    && useradd --system --uid {UID} --gid {UID} --home-dir /app --shell /usr/sbin/nologin app",
        "COPY --from=build /opt/venv /opt/venv",
        "WORKDIR /app",
        f"COPY --chown={UID}:{UID} . /app",
        f"USER {UID}:{UID}",
        "CMD " + _exec_form(command or ["python"]),
    ]
    return "\n".join(lines) + "\n"


def _basename(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _exec_form(command: list[str]) -> str:
    return "[" + ", ".join(f'"{part}"' for part in command) + "]"

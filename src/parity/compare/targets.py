"""The strategies ``parity compare`` can measure, and the commands each one runs.

A target is one strategy run by one set of tools: the pip-tools strategy as
parity runs it (uv) and as pip-tools itself runs it (pip-compile, pip-sync),
Poetry (``poetry lock``, ``poetry sync``), conda (parity with py-rattler) and
Docker.  Each says whether its tools are here (:meth:`Target.unavailable`),
how to turn a copy of the project into its format (:meth:`Target.prepare`,
through ``parity init --no-lock``, never timed), and the commands of each
measured step.  Commands are whole processes, run by ``measure.py``.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from parity.frozen import dataclass, field
from parity.spec.model import ProjectSpec

# The order targets are listed and measured in (rotated every run).
TARGET_NAMES = ("pip-tools", "pip-tools/pip-compile", "poetry", "conda", "docker")
STRATEGY_OF = {
    "pip-tools": "pip-tools",
    "pip-tools/pip-compile": "pip-tools",
    "poetry": "poetry",
    "conda": "conda",
    "docker": "docker",
}
# Other words for one target: parity's own pip-tools strategy alone (`pip-tools`
# names the strategy, both of its targets).
TARGET_ALIASES = {"pip-tools/parity": "pip-tools"}
COMMAND_TIMEOUT = 1800.0


@dataclass(frozen=True)
class Command:
    """One process: its arguments, relative to the scratch project (``{env}``, ``{python}``
    stand for the environment folder and the interpreter), and extra environment."""

    args: tuple[str, ...]
    env: Mapping[str, str] = field(default_factory=dict)

    def shown(self) -> str:
        """The command as a person would type it: no machine path (a temporary cache
        is ``<cache>``, a program its name)."""
        words = []
        for arg in self.args:
            option, sep, value = arg.partition("=")
            if arg in (sys.executable, "{python}"):
                words.append("python")
            elif sep and option.startswith("-") and os.path.isabs(value):
                words.append(f"{option}=<cache>")
            elif os.path.isabs(arg):
                words.append(Path(arg).name)
            else:
                words.append(arg)
        return " ".join(words)


@dataclass(frozen=True)
class Caches:
    """The tool caches of one step: ``lock`` for resolving, ``env`` for installing."""

    lock: Path
    env: Path


def _exe_beside(name: str) -> str | None:
    """A console script on PATH, else next to the running interpreter (parity's venv)."""
    found = shutil.which(name)
    if found:
        return found
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() and os.access(beside, os.X_OK) else None


def _version_of(args: Sequence[str]) -> str | None:
    try:
        proc = subprocess.run(list(args), capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (proc.stdout or proc.stderr).strip().splitlines()
    return text[0].strip() if proc.returncode == 0 and text else None


def parity_command(*args: str) -> tuple[str, ...]:
    return (sys.executable, "-m", "parity", *args)


class Target:
    """Base: a strategy and the tools that run it."""

    name = ""
    strategy = ""
    env_dir = ".venv"

    def unavailable(self, spec: ProjectSpec) -> str | None:
        """Why this target cannot be measured here (None: it can)."""
        return None

    def tools(self) -> str:
        return ""

    def prepare(self, root: Path, spec: ProjectSpec) -> ProjectSpec:
        """Put the scratch copy in this strategy's format (not timed); its spec."""
        return spec

    def lockfiles(self, spec: ProjectSpec) -> tuple[str, ...]:
        raise NotImplementedError

    def key_files(self, spec: ProjectSpec) -> tuple[str, ...]:
        """What the strategy's CI template keys its cache on."""
        raise NotImplementedError

    def lock(self, spec: ProjectSpec, caches: Caches) -> list[Command]:
        raise NotImplementedError

    def create_env(self, spec: ProjectSpec, caches: Caches, python: str) -> list[Command]:
        raise NotImplementedError

    def resync(self, spec: ProjectSpec, caches: Caches, python: str) -> list[Command]:
        raise NotImplementedError

    def pins(self, root: Path, spec: ProjectSpec) -> int:
        raise NotImplementedError


def group_of(spec: ProjectSpec) -> str:
    """The group environments are built for: dev when the project has one, else prod."""
    return "dev" if spec.has_group("dev") else spec.groups[0].name


def _uv_caches(caches: Caches, which: str) -> dict[str, str]:
    return {"UV_CACHE_DIR": str(getattr(caches, which) / "uv")}


def _convert(root: Path, strategy: str) -> ProjectSpec:
    from parity.spec.load import load_project
    from parity.strategies.run import init

    init(root, strategy, lock=False, force=True)
    return load_project(root)


class ParityPipTools(Target):
    """The pip-tools strategy as parity runs it: ``parity lock`` and ``parity sync`` (uv)."""

    name = "pip-tools"
    strategy = "pip-tools"

    def unavailable(self, spec: ProjectSpec) -> str | None:
        if spec.format == "conda":
            return "a conda project (environment.yml): its pip side is part of the conda target"
        return None

    def tools(self) -> str:
        from parity.version import __version__

        uv = _version_of([_uv(), "--version"]) or "uv"
        return f"parity {__version__} ({uv})"

    def prepare(self, root: Path, spec: ProjectSpec) -> ProjectSpec:
        if spec.format != "requirements-in":
            return _convert(root, "pip-tools")
        return spec

    def lockfiles(self, spec: ProjectSpec) -> tuple[str, ...]:
        return tuple(dict.fromkeys(g.output for g in spec.groups))

    def key_files(self, spec: ProjectSpec) -> tuple[str, ...]:
        return (spec.group(group_of(spec)).output, ".python-version")

    def lock(self, spec: ProjectSpec, caches: Caches) -> list[Command]:
        return [Command(parity_command("lock", "--no-pylock", "-q"), _uv_caches(caches, "lock"))]

    def create_env(self, spec: ProjectSpec, caches: Caches, python: str) -> list[Command]:
        return [
            Command(
                parity_command("sync", "--group", group_of(spec), "-q"), _uv_caches(caches, "env")
            )
        ]

    def resync(self, spec: ProjectSpec, caches: Caches, python: str) -> list[Command]:
        return self.create_env(spec, caches, python)

    def pins(self, root: Path, spec: ProjectSpec) -> int:
        from parity.lock.formats import requirements_txt

        return len(requirements_txt.read(root / spec.group(group_of(spec)).output).pins)


def _uv() -> str:
    from parity.uv import find_uv

    return find_uv()


class PipCompile(ParityPipTools):
    """The pip-tools strategy as the course runs it: pip-compile per file, then pip-sync."""

    name = "pip-tools/pip-compile"

    def unavailable(self, spec: ProjectSpec) -> str | None:
        for tool in ("pip-compile", "pip-sync"):
            if _exe_beside(tool) is None:
                return f"{tool} is not installed (pip install pip-tools)"
        return super().unavailable(spec)

    def tools(self) -> str:
        exe = _exe_beside("pip-compile") or "pip-compile"
        version = _version_of([exe, "--version"]) or "pip-compile"
        return version.replace("pip-compile, version", "pip-tools")

    def key_files(self, spec: ProjectSpec) -> tuple[str, ...]:
        # setup-python's pip cache (the course's workflow) hashes every requirements file.
        return self.lockfiles(spec)

    def lock(self, spec: ProjectSpec, caches: Caches) -> list[Command]:
        exe = _exe_beside("pip-compile") or "pip-compile"
        env = {"PIP_CACHE_DIR": str(caches.lock / "pip")}
        out = []
        for group in spec.groups:
            source = group.source.path if group.source else None
            if source is None or not source.endswith(".in"):
                continue
            out.append(
                Command(
                    (
                        exe,
                        "--quiet",
                        "--generate-hashes",
                        "--strip-extras",
                        f"--cache-dir={caches.lock / 'pip-tools'}",
                        "-o",
                        group.output,
                        source,
                    ),
                    env,
                )
            )
        return out

    def create_env(self, spec: ProjectSpec, caches: Caches, python: str) -> list[Command]:
        env = {"PIP_CACHE_DIR": str(caches.env / "pip")}
        return [
            Command((python, "-m", "venv", self.env_dir), env),
            *self.resync(spec, caches, python),
        ]

    def resync(self, spec: ProjectSpec, caches: Caches, python: str) -> list[Command]:
        exe = _exe_beside("pip-sync") or "pip-sync"
        env = {"PIP_CACHE_DIR": str(caches.env / "pip")}
        lockfile = spec.group(group_of(spec)).output
        return [
            Command(
                (exe, "--quiet", "--python-executable", f"{self.env_dir}/bin/python", lockfile),
                env,
            )
        ]


class Poetry(Target):
    name = "poetry"
    strategy = "poetry"

    def unavailable(self, spec: ProjectSpec) -> str | None:
        from parity.lock.engines.poetry import find_poetry

        if find_poetry() is None:
            return "Poetry is not installed (pipx install poetry)"
        if spec.format == "conda":
            return "a conda project (environment.yml): Poetry installs from PyPI only"
        return None

    def tools(self) -> str:
        from parity.lock.engines.poetry import find_poetry, poetry_version

        exe = find_poetry()
        return f"Poetry {poetry_version(exe)}" if exe else "Poetry"

    def prepare(self, root: Path, spec: ProjectSpec) -> ProjectSpec:
        if spec.format != "poetry":
            return _convert(root, "poetry")
        return spec

    def lockfiles(self, spec: ProjectSpec) -> tuple[str, ...]:
        return ("poetry.lock",)

    def key_files(self, spec: ProjectSpec) -> tuple[str, ...]:
        return ("poetry.lock", ".python-version")

    def _env(self, cache: Path) -> dict[str, str]:
        return {
            "POETRY_CACHE_DIR": str(cache / "poetry"),
            "POETRY_VIRTUALENVS_IN_PROJECT": "true",
            "POETRY_NO_INTERACTION": "1",
        }

    def _exe(self) -> str:
        from parity.lock.engines.poetry import find_poetry

        return find_poetry() or "poetry"

    def lock(self, spec: ProjectSpec, caches: Caches) -> list[Command]:
        env = self._env(caches.lock)
        if _runs_on_a_fitting_python(self._exe(), spec):
            # Locking needs no environment of the project's own: none is made.
            env["POETRY_VIRTUALENVS_CREATE"] = "false"
            return [Command((self._exe(), "lock", "--no-ansi"), env)]
        # Poetry refuses to lock for a Python its own interpreter does not fit:
        # it locks from an environment on the project's Python, kept with the
        # lock caches (outside the project, so the environment steps start bare).
        env["POETRY_VIRTUALENVS_IN_PROJECT"] = "false"
        env["POETRY_VIRTUALENVS_PATH"] = str(caches.lock / "venvs")
        return [
            Command((self._exe(), "env", "use", "--no-ansi", "{python}"), env),
            Command((self._exe(), "lock", "--no-ansi"), env),
        ]

    def create_env(self, spec: ProjectSpec, caches: Caches, python: str) -> list[Command]:
        env = self._env(caches.env)
        return [
            Command((self._exe(), "env", "use", "--no-ansi", python), env),
            *self.resync(spec, caches, python),
        ]

    def resync(self, spec: ProjectSpec, caches: Caches, python: str) -> list[Command]:
        group = group_of(spec)
        only = "main" if group == "prod" else f"main,{group}"
        return [Command((self._exe(), "sync", "--no-ansi", "--only", only), self._env(caches.env))]

    def pins(self, root: Path, spec: ProjectSpec) -> int:
        from parity import toml

        data = toml.loads((root / "poetry.lock").read_text(encoding="utf-8"))
        return len(data.get("package", []))


def _runs_on_a_fitting_python(poetry: str, spec: ProjectSpec) -> bool:
    """Whether the interpreter Poetry runs on (its script's ``#!`` line) fits the
    project: inside ``requires-python`` and, when the project pins a version,
    that version."""
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        with open(poetry, "rb") as script:
            first = script.readline(4096)
    except OSError:
        return False
    if not first.startswith(b"#!"):
        return False
    found = _interpreter_version(first[2:].decode("utf-8", "replace").strip().split(" ")[0])
    if not found:
        return False
    pinned = spec.python.pinned
    if pinned and not (found == pinned or found.startswith(pinned + ".")):
        return False
    try:
        return SpecifierSet(spec.python.requires_python or "").contains(found, prereleases=True)
    except InvalidSpecifier:
        return False


@functools.cache
def _interpreter_version(interpreter: str) -> str | None:
    """``3.11.7`` for an interpreter (once per run: each lock step asks again)."""
    return _version_of((interpreter, "-c", "import platform; print(platform.python_version())"))


class Conda(Target):
    """The conda strategy: environment.yml solved and installed by parity with py-rattler."""

    name = "conda"
    strategy = "conda"
    env_dir = ".conda"

    def unavailable(self, spec: ProjectSpec) -> str | None:
        try:
            import rattler  # noqa: F401
        except ImportError:
            return "py-rattler is not installed (pip install 'parity[conda]')"
        return None

    def tools(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        from parity.version import __version__

        try:
            return f"parity {__version__} (py-rattler {version('py-rattler')})"
        except PackageNotFoundError:
            return f"parity {__version__} (py-rattler)"

    def prepare(self, root: Path, spec: ProjectSpec) -> ProjectSpec:
        if spec.format == "conda":
            return spec
        from parity.spec.load import load_project
        from parity.strategies.run import init

        init(root, "conda", lock=False, force=True)
        # environment.yml is now the project's input: the pip-style inputs go.
        for group in spec.groups:
            for path in group.files:
                (root / path).unlink(missing_ok=True)
        pyproject = root / "pyproject.toml"
        if pyproject.exists() and spec.format in ("pep621", "poetry"):
            pyproject.unlink()
        return load_project(root)

    def lockfiles(self, spec: ProjectSpec) -> tuple[str, ...]:
        return ("conda.lock",)

    def key_files(self, spec: ProjectSpec) -> tuple[str, ...]:
        environment = spec.conda[0].file if spec.conda else "environment.yml"
        return ("conda.lock", environment)

    def lock(self, spec: ProjectSpec, caches: Caches) -> list[Command]:
        env = {"PARITY_CONDA_CACHE_DIR": str(caches.lock / "conda"), **_uv_caches(caches, "lock")}
        return [Command(parity_command("lock", "-q"), env)]

    def create_env(self, spec: ProjectSpec, caches: Caches, python: str) -> list[Command]:
        env = {"PARITY_CONDA_CACHE_DIR": str(caches.env / "conda"), **_uv_caches(caches, "env")}
        return [Command(parity_command("sync", "-q"), env)]

    def resync(self, spec: ProjectSpec, caches: Caches, python: str) -> list[Command]:
        return self.create_env(spec, caches, python)

    def pins(self, root: Path, spec: ProjectSpec) -> int:
        from parity.lock.formats.conda_lock import read_conda_lock

        lock = read_conda_lock(root / "conda.lock")
        return max(
            (
                sum(len(records) for records in env.conda.values()) // max(1, len(env.conda))
                + sum(len(records) for records in env.pypi.values()) // max(1, len(env.pypi))
                for env in lock.environments.values()
            ),
            default=0,
        )


class Docker(Target):
    name = "docker"
    strategy = "docker"

    def unavailable(self, spec: ProjectSpec) -> str | None:
        exe = shutil.which("docker")
        if exe is None:
            return "Docker is not installed"
        try:
            proc = subprocess.run(
                [exe, "info", "--format", "{{.ServerVersion}}"],
                capture_output=True,
                text=True,
                timeout=30,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return "no Docker engine answers (`docker info` did not finish)"
        if proc.returncode != 0 or not proc.stdout.strip():
            said = (proc.stderr or proc.stdout).strip().splitlines()
            first = said[-1] if said else "no answer"
            # The socket's path is this machine's: keep the words, not the path.
            first = first.split(" at ", 1)[0].split(" unix://", 1)[0].rstrip(".")
            return f"no Docker engine answers here (`docker info`: {first})"
        return (
            "a Docker engine is here, but parity compare does not build images: "
            "the image installs the pip-tools target's lock, measured above"
        )

    def tools(self) -> str:
        exe = shutil.which("docker")
        return (_version_of([exe, "--version"]) or "docker") if exe else "docker (absent)"


def all_targets() -> dict[str, Target]:
    return {t.name: t for t in (ParityPipTools(), PipCompile(), Poetry(), Conda(), Docker())}


def select_targets(names: Sequence[str]) -> tuple[str, ...]:
    """Targets from ``--strategies`` words: a strategy selects each of its targets."""
    from parity.errors import UsageError

    if not names:
        return TARGET_NAMES
    chosen: list[str] = []
    for raw in names:
        for word in (w.strip() for w in raw.split(",")):
            if not word:
                continue
            if word in TARGET_ALIASES:
                matches = [TARGET_ALIASES[word]]
            else:
                matches = [t for t in TARGET_NAMES if t == word or STRATEGY_OF[t] == word]
            if not matches:
                raise UsageError(
                    f"--strategies: unknown strategy {word!r}",
                    hint="Strategies: pip-tools, poetry, conda, docker; pip-tools/parity or "
                    "pip-tools/pip-compile for one of pip-tools' two ways alone.",
                )
            chosen += [m for m in matches if m not in chosen]
    if not chosen:
        raise UsageError(
            "--strategies: no strategy named",
            hint="Name some of: pip-tools, poetry, conda, docker.",
        )
    return tuple(t for t in TARGET_NAMES if t in chosen)

"""py-rattler: solve conda environments, write their lock, install them into a prefix.

No conda, mamba or micromamba program is involved: py-rattler (the optional
``parity[conda]`` extra) reads the channels' repodata, solves, writes the
lock file pixi uses, and links packages into a prefix.  It is imported only
when a conda project is locked or synced; without it the error says how to
install it.

Solves are reproducible across machines: the virtual packages (``__glibc``,
``__osx``, ``__cuda``) come from a fixed table per platform, never from the
machine that happens to run ``parity lock``.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from parity.errors import EngineError, ResolutionError
from parity.frozen import dataclass
from parity.tempdirs import work_dir

INSTALL_HINT = "Install parity's conda extra: pip install 'parity[conda]' (py-rattler)."

# What a machine of each platform is assumed to provide (as pixi assumes by default).
_VIRTUAL: dict[str, tuple[tuple[str, str, str], ...]] = {
    "linux": (("__unix", "0", "0"), ("__linux", "4.18", "0"), ("__glibc", "2.28", "0")),
    "osx": (("__unix", "0", "0"), ("__osx", "13.0", "0")),
    "win": (("__win", "0", "0"),),
}


def run_async(coroutine: Any) -> Any:
    """Run one py-rattler coroutine to completion.

    py-rattler 0.28's worker thread still drops Python references for a moment
    after it delivers a result; an interpreter that exits in that moment
    crashes (measured here: about one exit in five).  Releasing the GIL
    briefly lets the worker finish first (no crash in 100 runs).
    """
    try:
        return asyncio.run(coroutine)
    finally:
        time.sleep(0.02)


def require_rattler() -> ModuleType:
    try:
        import rattler
    except ImportError:
        raise EngineError(
            "conda environments need py-rattler, which is not installed", hint=INSTALL_HINT
        ) from None
    return rattler


def cache_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where repodata and packages are cached (``PARITY_CONDA_CACHE_DIR`` overrides)."""
    env = os.environ if environ is None else environ
    if env.get("PARITY_CONDA_CACHE_DIR"):
        return Path(env["PARITY_CONDA_CACHE_DIR"])
    base = env.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "parity" / "conda"


def virtual_packages(platform: str, cuda: str | None = None) -> tuple[tuple[str, str, str], ...]:
    """The virtual packages a solve for ``platform`` assumes (name, version, build)."""
    family = platform.split("-", 1)[0]
    found = _VIRTUAL.get(family, ())
    if cuda:
        found = (*found, ("__cuda", cuda, "0"))
    return found


def channel_location(channel: str, root: Path) -> str:
    """A channel as py-rattler takes it: names and URLs as written, local paths as file URLs."""
    if channel.startswith(("./", "../", "/", "~/")):
        path = Path(channel).expanduser()
        return (path if path.is_absolute() else (root / path)).resolve().as_uri()
    return channel


@dataclass(frozen=True)
class SolveRequest:
    channels: tuple[str, ...]
    specs: tuple[str, ...]
    platforms: tuple[str, ...]
    cache: Path
    cuda: str | None = None
    # Records of the previous lock, per platform: kept when they still satisfy the specs.
    locked: Mapping[str, Sequence[Any]] | None = None


def solve(request: SolveRequest) -> dict[str, list[Any]]:
    """Solve ``specs`` for every platform; the records per platform (RepoDataRecord)."""
    rattler = require_rattler()
    from rattler.exceptions import SolverError

    async def run() -> dict[str, list[Any]]:
        gateway = rattler.Gateway(cache_dir=request.cache / "repodata")
        out: dict[str, list[Any]] = {}
        for platform in request.platforms:
            out[platform] = await rattler.solve(
                sources=list(request.channels),
                # Read as conda reads an environment file: the solver's own reading is
                # strict and refuses `numpy=1.26.4=py311_0` (what `conda env export`
                # writes), `numpy=1.26.*` and `numpy 1.26.4`.
                specs=[rattler.MatchSpec(spec, strict=False) for spec in request.specs],
                gateway=gateway,
                platforms=[platform, "noarch"],
                virtual_packages=[
                    rattler.GenericVirtualPackage(
                        rattler.PackageName(name),
                        rattler.Version(version),
                        rattler.BuildString(build),
                    )
                    for name, version, build in virtual_packages(platform, request.cuda)
                ],
                locked_packages=list((request.locked or {}).get(platform, ())),
            )
        return out

    try:
        result: dict[str, list[Any]] = run_async(run())
        return result
    except SolverError as exc:
        raise ResolutionError(
            "the conda solver found no set of packages that satisfies the environment:\n  "
            + "\n  ".join(str(exc).strip().splitlines()),
            hint="Relax a version in environment.yml, or add the channel that has the package.",
        ) from None
    except Exception as exc:  # rattler's fetch and channel errors have no common base
        unreachable = channel_unreachable(str(exc), request.channels)
        if unreachable is not None:
            raise unreachable from None
        raise EngineError(
            f"conda solve failed: {_first_line(exc)}",
            hint="Check the channel names and URLs, and that they can be reached.",
        ) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


CHANNEL_UNREACHABLE_HINT = (
    "Check this machine's network and proxy settings (HTTPS_PROXY, HTTP_PROXY) and the "
    "channel URL (a typo, a missing token); packages already in parity's conda cache "
    "(from an earlier run online) are taken from it."
)
# py-rattler's words for a request that never got an answer (its causes chain below).
_NETWORK_WORDS = ("error sending request", "connect", "dns", "timed out", "tls")


def channel_unreachable(text: str, channels: Sequence[str]) -> EngineError | None:
    """A channel py-rattler could not fetch from, worded as an unreachable package index is.

    The one reader of a failed fetch (:func:`parity.lock.index.unreachable_index`)
    names the channel as configured, credentials masked, with the last cause.
    None when ``text`` is not a network failure.
    """
    lowered = text.lower()
    if not any(word in lowered for word in _NETWORK_WORDS):
        return None
    from parity.lock.index import IndexArgs, unreachable_index

    urls = tuple(c for c in channels if "://" in c and not c.startswith("file:"))
    shown, cause = unreachable_index(text, IndexArgs(extra_index_urls=urls))
    # A channel named, not written as a URL (conda-forge): its name is in the URL's path.
    named = [c for c in channels if "://" not in c and f"/{c.strip('/')}/" in shown]
    if named and shown not in urls:
        shown = named[0]
    first = text.strip().splitlines()[0] if text.strip() else "no answer"
    return EngineError(
        f"cannot reach the conda channel {shown}: {cause or first}",
        hint=CHANNEL_UNREACHABLE_HINT,
    )


@dataclass(frozen=True)
class LockEnvironment:
    name: str
    channels: tuple[str, ...]
    records: Mapping[str, Sequence[Any]]


def render_lock(environments: Sequence[LockEnvironment]) -> str:
    """The lock file text py-rattler writes for these environments."""
    rattler = require_rattler()
    platforms = sorted({p for env in environments for p in env.records})
    lock = rattler.LockFile([rattler.LockPlatform(p) for p in platforms])
    lock_platforms = {p: rattler.LockPlatform(p) for p in platforms}
    for env in environments:
        lock.set_channels(env.name, [rattler.LockChannel(c) for c in env.channels])
        for platform, records in sorted(env.records.items()):
            for record in records:
                lock.add_conda_package(env.name, lock_platforms[platform], record)
    with work_dir("conda-lock") as tmp:
        path = Path(tmp) / "conda.lock"
        lock.to_path(path)
        return path.read_text(encoding="utf-8")


def lock_records(text: str, environment: str, platform: str) -> list[Any] | None:
    """The records of one environment and platform of a lock (absolute locations)."""
    rattler = require_rattler()
    with work_dir("conda-lock") as tmp:
        path = Path(tmp) / "conda.lock"
        path.write_text(text, encoding="utf-8")
        try:
            lock = rattler.LockFile.from_path(path)
        except Exception as exc:
            raise EngineError(f"py-rattler cannot read the lock: {_first_line(exc)}") from None
    env = lock.environment(environment)
    if env is None:
        return None
    by_platform: dict[str, list[Any]] = env.conda_repodata_records()
    return by_platform.get(platform)


def install(
    records: Sequence[Any], prefix: Path, cache: Path, channels: Sequence[str] = ()
) -> None:
    """Link exactly ``records`` into ``prefix`` (removing what is not among them).

    ``channels``: the channels as the project names them, to name the one
    that cannot be reached.
    """
    rattler = require_rattler()

    async def run() -> None:
        await rattler.install(
            list(records),
            target_prefix=prefix,
            cache_dir=cache / "pkgs",
            show_progress=False,
            execute_link_scripts=False,
        )

    try:
        run_async(run())
    except Exception as exc:
        unreachable = channel_unreachable(str(exc), channels)
        if unreachable is not None:
            raise unreachable from None
        raise EngineError(
            f"could not install the conda environment into {prefix.name}: {_first_line(exc)}",
            hint="If a package's checksum does not match, the channel changed a file; "
            "run `parity lock` and try again.",
        ) from None

"""Which package indexes uv resolves against.

Order of precedence: what the project writes (``-i`` lines in requirements
files, ``[tool.uv]`` / Poetry sources), then uv's own configuration (uv reads
it itself), then the user's pip configuration, translated to uv options so a
team's private index works the same with parity as with pip.  Values here are
expanded for uv and never written to a lockfile; what is written comes from
the spec, as the user wrote it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from parity.frozen import dataclass
from parity.pipconf import is_true, read_effective_options
from parity.spec.model import IndexConfig, ProjectSpec

TYPE_CHECKING = False
if TYPE_CHECKING:
    from parity.lock.outcome import LockOptions

_UV_INDEX_VARS = ("UV_INDEX_URL", "UV_DEFAULT_INDEX", "UV_INDEX", "UV_EXTRA_INDEX_URL")


@dataclass(frozen=True)
class IndexArgs:
    """Index options for uv, with ``${VAR}`` already expanded (never written to disk)."""

    index_url: str | None = None
    extra_index_urls: tuple[str, ...] = ()
    find_links: tuple[str, ...] = ()
    no_index: bool = False
    index_strategy: str | None = None

    def as_args(self) -> list[str]:
        args: list[str] = []
        if self.no_index:
            args.append("--no-index")
        if self.index_url:
            args += ["--default-index", self.index_url]
        for url in self.extra_index_urls:
            args += ["--index", url]
        for link in self.find_links:
            args += ["--find-links", link]
        if self.index_strategy:
            args += ["--index-strategy", self.index_strategy]
        return args


_FETCHED = re.compile(
    r"(?:Failed to fetch:|error sending request for url) ?[`(]?(\w[\w+.-]*://[^`()\s]+)"
)
_CAUSE = re.compile(r"(?m)^\s*(?:cause|Caused by): (.*)$")


UNREACHABLE_HINT = (
    "Check this machine's network and proxy settings (HTTPS_PROXY, HTTP_PROXY) and the "
    "index URL (a typo, a missing token); or, when uv's cache already holds what is "
    "needed (from an earlier run online), work from it with `{command}`."
)


def unreachable_index(uv_output: str, args: IndexArgs) -> tuple[str, str]:
    """The index uv could not reach, as a person reads it, and the last reason uv gave.

    uv names the URL it failed to fetch (a page of an index: ``.../simple/six/``);
    the index it belongs to is the configured one it starts with, shown as
    configured.  Credentials are masked, never shown.
    """
    from parity.redact import redact_credentials, redact_text

    found = _FETCHED.search(uv_output)
    causes = [c.strip() for c in _CAUSE.findall(uv_output) if c.strip()]
    reason = redact_text(causes[-1]) if causes else ""
    configured = [u for u in (args.index_url, *args.extra_index_urls, *args.find_links) if u]
    if found is None:
        if configured:
            return ", ".join(redact_credentials(u) for u in configured), reason
        return "uv's default index (no index is configured)", reason
    url = found.group(1)
    bare = _without_userinfo(url)
    for candidate in configured:
        if bare.startswith(_without_userinfo(candidate).rstrip("/")):
            return redact_credentials(candidate), reason
    # Not one parity chose (uv's own configuration, or its default): the index of the page.
    base = url.rstrip("/").rsplit("/", 1)[0] if "/simple/" in url else url
    return redact_credentials(base), reason


def _without_userinfo(url: str) -> str:
    return re.sub(r"^([\w+.-]+://)[^/@]*@", r"\1", url)


def expand_env(text: str, environ: Mapping[str, str] | None = None) -> str:
    """Expand ``${VAR}`` the way pip does in requirements files (only that form)."""
    env = os.environ if environ is None else environ
    return re.sub(
        r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: env.get(m.group(1), m.group(0)), text
    )


def read_pip_index_config(environ: Mapping[str, str]) -> IndexConfig:
    """index-url / extra-index-url / find-links / no-index as ``pip install`` would use them.

    The site configuration is that of the environment the caller activated
    (``VIRTUAL_ENV``), as for a ``pip`` run from it.
    """
    values = read_effective_options(environ, prefix=environ.get("VIRTUAL_ENV") or None)
    return IndexConfig(
        index_url=values.get("index-url", "").strip() or None,
        extra_index_urls=tuple(values.get("extra-index-url", "").split()),
        find_links=tuple(values.get("find-links", "").split()),
        no_index=is_true(values.get("no-index")),
    )


def choose_index(
    spec_index: IndexConfig,
    environ: Mapping[str, str],
    *,
    pip_config: IndexConfig | None = None,
    root: Path | None = None,
    strategy: str | None = None,
) -> IndexArgs:
    """Decide the index options to hand uv (expanded, never written anywhere).

    ``strategy``: the project's own ``[tool.uv] index-strategy``
    (:func:`project_index_strategy`).  With pip's indexes parity would ask for
    pip's way of choosing among them; the project's setting wins over that.
    """
    if not spec_index.is_default:
        chosen = spec_index
        strategy = None
    elif any(environ.get(name) for name in _UV_INDEX_VARS):
        return IndexArgs()  # uv reads its own variables
    else:
        chosen = remote_only(
            pip_config if pip_config is not None else read_pip_index_config(environ)
        )
        # pip considers every index together and takes the best version;
        # uv's default (first index wins) would silently change results.
        if strategy is None and (chosen.extra_index_urls or chosen.find_links):
            strategy = "unsafe-best-match"
    return IndexArgs(
        index_url=expand_env(chosen.index_url, environ) if chosen.index_url else None,
        extra_index_urls=tuple(expand_env(u, environ) for u in chosen.extra_index_urls),
        find_links=tuple(_anchor(expand_env(u, environ), root) for u in chosen.find_links),
        no_index=chosen.no_index,
        index_strategy=strategy,
    )


def project_index_strategy(spec: ProjectSpec) -> str | None:
    """The project's ``[tool.uv] index-strategy``, when it sets one."""
    for key, value in spec.resolver_settings:
        if key == "index-strategy" and isinstance(value, str):
            return value
    return None


def _anchor(location: str, root: Path | None) -> str:
    """A relative find-links directory is relative to the project, wherever uv runs."""
    if root is None or "://" in location or Path(location).is_absolute():
        return location
    return str((root / location).resolve())


def is_local(location: str) -> bool:
    return location.startswith(("file:", "/", "~")) or Path(location).is_absolute()


def remote_only(config: IndexConfig) -> IndexConfig:
    """Drop the local directories of a machine's pip configuration.

    A lock resolved from files that exist only on one machine cannot be
    rebuilt anywhere else, so parity does not use them unless the project
    itself names them (``-f ./wheels`` in a requirements file).
    """
    index_url = config.index_url if config.index_url and not is_local(config.index_url) else None
    return IndexConfig(
        index_url=index_url,
        extra_index_urls=tuple(u for u in config.extra_index_urls if not is_local(u)),
        find_links=tuple(u for u in config.find_links if not is_local(u)),
        no_index=config.no_index,
    )


# The index option lines a lockfile may start with (what :func:`index_lines` writes).
INDEX_OPTION_PREFIXES = (
    "--index-url",
    "--extra-index-url",
    "--find-links",
    "--no-index",
    "--trusted-host",
)


def index_lines(spec_index: IndexConfig) -> tuple[str, ...]:
    """The option lines a lockfile carries: the project's own, as written.

    ``${VAR}`` references stay (pip expands them at install time); a literal
    password is removed, and an absolute local path is never written.
    """
    from parity.redact import redact_url

    lines: list[str] = []
    if spec_index.no_index:
        lines.append("--no-index")
    if spec_index.index_url:
        lines.append(f"--index-url {redact_url(spec_index.index_url)}")
    lines += [f"--extra-index-url {redact_url(u)}" for u in spec_index.extra_index_urls]
    lines += [f"--find-links {redact_url(u)}" for u in spec_index.find_links if not is_local(u)]
    lines += [f"--trusted-host {host}" for host in spec_index.trusted_hosts]
    return tuple(lines)


def lockfile_index(spec_index: IndexConfig) -> IndexConfig:
    """The index options a lockfile records: the project's own, nothing secret or local."""
    return parse_index_lines(index_lines(spec_index))


def parse_index_lines(lines: Iterable[str]) -> IndexConfig:
    """Index option lines of a requirements file (``--index-url X``, ``-f X``, ...)."""
    index_url: str | None = None
    extra: list[str] = []
    links: list[str] = []
    trusted: list[str] = []
    no_index = False
    for line in lines:
        option, _, value = line.strip().partition(" ")
        if "=" in option:  # --index-url=URL
            option, _, value = line.strip().partition("=")
        value = value.strip()
        if option in ("--index-url", "-i") and value:
            index_url = value
        elif option == "--extra-index-url" and value:
            extra.append(value)
        elif option in ("--find-links", "-f") and value:
            links.append(value)
        elif option == "--trusted-host" and value:
            trusted.append(value)
        elif option == "--no-index":
            no_index = True
    return IndexConfig(
        index_url=index_url,
        extra_index_urls=tuple(extra),
        find_links=tuple(links),
        no_index=no_index,
        trusted_hosts=tuple(trusted),
    )


# The key of pylock.toml's [tool.parity] table that holds :func:`index_digest`.
INDEXES_KEY = "indexes"


def index_digest(args: IndexArgs, root: Path) -> str:
    """A digest of the indexes uv resolved against, as parity chose them.

    Written into pylock.toml, which names the index of every package anyway,
    so that ``parity lock`` can tell, without resolving, that the indexes are
    the ones the lock was made from.  URLs are hashed without credentials,
    and a find-links folder inside the project by its relative path, so the
    digest is the same on every clone.
    """
    from parity.fsutil import sha256_text
    from parity.redact import redact_url

    where = str(root.resolve())
    parts: list[str] = []
    for arg in args.as_args():
        if arg.startswith("-"):
            parts.append(arg)
        elif arg == where or arg.startswith(where + os.sep):
            parts.append(os.path.relpath(arg, where))
        else:
            parts.append(redact_url(arg))
    return sha256_text("\n".join(parts))


def pinned_indexes(spec: ProjectSpec) -> tuple[str, ...]:
    """The indexes some requirement is pinned to, as written (for the lockfiles)."""
    urls = [r.index for g in spec.groups for r in g.requirements if r.index is not None]
    return tuple(dict.fromkeys(urls))


def with_index(spec_index: IndexConfig, extra: Sequence[str]) -> IndexConfig:
    """``spec_index`` with more extra indexes (a pinned index, the command line's)."""
    if not extra:
        return spec_index
    return IndexConfig(
        index_url=spec_index.index_url,
        extra_index_urls=tuple(dict.fromkeys([*spec_index.extra_index_urls, *extra])),
        find_links=spec_index.find_links,
        no_index=spec_index.no_index,
        trusted_hosts=spec_index.trusted_hosts,
    )


def cli_index(spec: ProjectSpec, options: LockOptions) -> IndexConfig:
    """The project's index options with the command line's on top."""
    if options.index_url is None and not options.extra_index_urls:
        return spec.index
    return IndexConfig(
        index_url=options.index_url or spec.index.index_url,
        extra_index_urls=tuple(
            dict.fromkeys([*spec.index.extra_index_urls, *options.extra_index_urls])
        ),
        find_links=spec.index.find_links,
        no_index=spec.index.no_index,
        trusted_hosts=spec.index.trusted_hosts,
    )


def lockfile_index_of(index: IndexConfig, spec: ProjectSpec) -> IndexConfig:
    """What a lockfile says about indexes: the project's, and every index a package is pinned to."""
    return lockfile_index(with_index(index, pinned_indexes(spec)))

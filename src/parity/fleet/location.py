"""Which store a URL names, and how to print it without its secrets.

- a path, or ``sqlite:PATH`` / ``sqlite:///ABSOLUTE/PATH``: an SQLite file;
- ``postgresql://`` or ``postgres://``: a PostgreSQL database (any libpq URL:
  ``postgresql://user:secret@host:5432/db``, ``postgresql:///db?host=/run/pg``).

Without ``--store`` the ``PARITY_STORE`` variable decides, and without it
``.parity/fleet.db`` in the working directory.  A password is never part of
what parity prints: :attr:`StoreLocation.shown` drops it, and every message
about a store uses that.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit

from parity.fleet.errors import StoreError
from parity.frozen import dataclass

DEFAULT_PATH = ".parity/fleet.db"
STORE_VARIABLE = "PARITY_STORE"
SQLITE = "sqlite"
POSTGRES = "postgres"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_SECRET_KEYS = frozenset({"password", "passfile", "sslpassword", "sslkey"})
_HINT = (
    "Give a file path (sqlite:PATH also works) or a PostgreSQL URL such as "
    "postgresql://db.example:5432/fleet (user and password from PGUSER and PGPASSWORD "
    "or ~/.pgpass)."
)


@dataclass(frozen=True)
class StoreLocation:
    """A parsed store URL.  ``target`` may hold a password: never print it; print ``shown``."""

    kind: str
    target: str
    shown: str

    def __repr__(self) -> str:  # keep secrets out of tracebacks and logs
        return f"StoreLocation(kind={self.kind!r}, shown={self.shown!r})"


def store_location(url: str | None, environ: Mapping[str, str]) -> StoreLocation:
    """The store ``url`` names; without one, ``PARITY_STORE``, then ``.parity/fleet.db``."""
    if url is None:
        url = environ.get(STORE_VARIABLE) or None
    if url is None:
        return StoreLocation(SQLITE, DEFAULT_PATH, DEFAULT_PATH)
    return parse_location(url)


def parse_location(url: str) -> StoreLocation:
    text = url.strip()
    if not text:
        raise StoreError("the store URL is empty", hint=_HINT)
    match = _SCHEME.match(text)
    # A one-letter "scheme" is a Windows drive (C:\fleet.db): a path.
    if match is None or len(match.group(1)) == 1:
        return StoreLocation(SQLITE, text, text)
    scheme = match.group(1).lower()
    if scheme == "sqlite":
        return _sqlite(text)
    if scheme in ("postgresql", "postgres"):
        return _postgres(text)
    raise StoreError(
        f"unknown store URL scheme {scheme!r} in {hide_secrets(text)}",
        hint=_HINT,
    )


def _sqlite(text: str) -> StoreLocation:
    rest = text[len("sqlite:") :]
    if rest.startswith("//"):
        parts = urlsplit(text)
        if parts.netloc not in ("", "localhost"):
            raise StoreError(
                f"an SQLite store is a local file, not on host {parts.netloc!r}: {text}",
                hint="Write sqlite:///absolute/path.db or sqlite:relative/path.db.",
            )
        path = parts.path
    else:
        path = rest
    if not path or path.endswith("/"):
        raise StoreError(f"no database file in {text}", hint=_HINT)
    return StoreLocation(SQLITE, path, text)


def _postgres(text: str) -> StoreLocation:
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (raises ValueError for a port that is not a number)
    except ValueError as exc:
        raise StoreError(
            f"not a valid PostgreSQL URL ({exc}): {hide_secrets(text)}", hint=_HINT
        ) from None
    return StoreLocation(POSTGRES, text, hide_secrets(text))


def hide_secrets(url: str) -> str:
    """The URL without its password (user-info or a password= parameter)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<store URL>"
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}@{host}" if user else host
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if k.lower() not in _SECRET_KEYS]
        if len(kept) != len(pairs):
            query = urlencode(kept, safe="/")
    if netloc == parts.netloc and query == parts.query:
        return url
    # Written out by hand: urlunsplit drops the "//" of an empty host (postgresql:///db).
    return (
        f"{parts.scheme}://{netloc}{parts.path}"
        + (f"?{query}" if query else "")
        + (f"#{parts.fragment}" if parts.fragment else "")
    )


def scrub(text: str, location: StoreLocation) -> str:
    """A driver's message with the store's password (if any) removed."""
    secrets = _passwords(location.target)
    for secret in secrets:
        text = text.replace(secret, "***")
    return text.replace(location.target, location.shown)


def _passwords(url: str) -> list[str]:
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    found = [parts.password] if parts.password else []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key.lower() == "password" and value:
            found.append(value)
    return found

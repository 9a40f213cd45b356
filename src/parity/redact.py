"""Keep secrets and machine paths out of everything parity writes."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

LOCAL = "local"  # a distribution installed from a local path
LOCAL_LOCATION = "<local>"  # an index or find-links location on the local disk
REDACTED = "***"
_ENV_REF = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")
_SECRET_QUERY_KEY = re.compile(r"token|key|secret|password|passwd|sig|auth", re.I)
_WINDOWS_ABSOLUTE = re.compile(r"^[A-Za-z]:[\\/]|^\\\\")


def redact_url(url: str) -> str:
    """Drop literal credentials from a URL; keep ``${VAR}`` references as written.

    ``https://user:secret@host/simple`` -> ``https://host/simple``;
    ``https://${USER}:${TOKEN}@host/simple`` is left alone, since it names
    variables, not secrets.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if "@" not in parts.netloc:
        return url
    userinfo, host = parts.netloc.rsplit("@", 1)
    if _ENV_REF.sub("", userinfo).replace(":", "") == "":
        return url
    return parts._replace(netloc=host).geturl()


def redact_credentials(url: str) -> str:
    """``https://user:pass@host/x`` -> ``https://***@host/x``; secret query values too.

    ``${VAR}`` references are kept: they name a variable, not a secret.
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return REDACTED
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        if _ENV_REF.sub("", userinfo).replace(":", ""):
            netloc = f"{REDACTED}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(_SECRET_QUERY_KEY.search(k) for k, _ in pairs):
            query = urlencode(
                [(k, REDACTED if _SECRET_QUERY_KEY.search(k) else v) for k, v in pairs],
                safe="*",
            )
    if netloc == parts.netloc and query == parts.query:
        return url
    return parts._replace(netloc=netloc, query=query).geturl()


def redact_location(value: str) -> str:
    """An index or find-links location as a snapshot may hold it.

    Remote URLs lose their credentials; anything on the local disk (a
    ``file://`` URL, a path) becomes ``<local>``, so no machine path is stored.
    """
    text = value.strip()
    scheme, sep, _ = text.partition("://")
    if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
        return LOCAL_LOCATION
    if scheme.lower() == "file":
        return LOCAL_LOCATION
    return redact_credentials(text)


def hide_path(value: str, *, home: str | None) -> str:
    """A path as a snapshot may hold it: under home -> ``~/...``; else absolute -> ``<local>``."""
    if not value:
        return value
    if home:
        home_clean = home.rstrip("/\\")
        if home_clean and value == home_clean:
            return "~"
        for sep in ("/", "\\"):
            if home_clean and value.startswith(home_clean + sep):
                return "~/" + value[len(home_clean) + 1 :].replace("\\", "/")
    if value.startswith("/") or _WINDOWS_ABSOLUTE.match(value):
        return LOCAL_LOCATION
    return value

"""Keep secrets and machine paths out of everything parity writes."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_ENV_REF = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}")


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

"""The one redaction policy: what is a secret, and how each output channel hides it.

What counts as a secret, everywhere:

- the user-info of a URL (``user:pass@``, a bare token such as
  ``ghp_...@``), except an SSH user name (``git@``), which an SSH URL needs
  and which is no secret;
- query parameters whose name says token, key, secret, password,
  signature, credential, session or policy (``?private_token=``,
  ``X-Amz-Signature``, Azure's ``sig``, CloudFront's ``Policy``);
- well-known token shapes anywhere in text (GitHub, GitLab, PyPI, AWS,
  Slack).

Variable references (``${VAR}``, ``$VAR``, ``%VAR%``) are never secrets: they
name a variable.

Two renderings of the same decision:

- :func:`redact_url` *removes* secrets.  It is for files people commit and
  tools read back (lockfiles): pip then finds the credentials where they
  belong (keyring, netrc) instead of a placeholder.
- :func:`redact_credentials` / :func:`redact_text` *mask* them with ``***``.
  They are for what people read: the terminal, JSON, markdown, error
  messages, snapshots.  The CLI passes everything it prints through
  :func:`redact_text` (``cli/main.py``), and the multi-file writer passes
  every file through :func:`redact_file_text`, so no channel is forgotten.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads

if TYPE_CHECKING:
    from urllib.parse import SplitResult

LOCAL = "local"  # a distribution installed from a local path
LOCAL_LOCATION = "<local>"  # an index or find-links location on the local disk
REDACTED = "***"
# The patterns are compiled on first use (``re`` keeps them): every command prints
# through redact_text, and most text holds no URL and no token, so ``re`` (with
# enum and functools) is not even imported for it.
# ``${VAR}`` (pip), ``$VAR`` (shells, Dockerfiles) and ``%VAR%`` (Windows) name variables.
_ENV_REF = r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%"
_SECRET_QUERY_KEY = r"(?i)token|key|secret|passw|pwd|sig|auth|credential|session|jwt|policy"
_SSH_SCHEMES = frozenset({"ssh", "git+ssh", "hg+ssh", "svn+ssh", "bzr+ssh", "sftp"})
_URL_IN_TEXT = r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>`]+"
# Token shapes that are secrets wherever they appear, inside a URL or not.
_TOKENS = (
    r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}"
    r"|pypi-[A-Za-z0-9_-]{40,}|AKIA[0-9A-Z]{16}|xox[baprs]-[A-Za-z0-9-]{10,})"
)
# Every match of _TOKENS starts with one of these marks: looking for them first is a
# plain substring search, where the pattern costs 30 ms over a 500 KB pylock.toml.
# A mark is (prefix, the characters one of which follows it, then this suffix): each
# occurrence of the prefix is looked at, so a text is read once per mark ("gh" is in
# the name of a package or two of a big lock; a search for each of ghp_, gho_, ...
# would read it five more times).
_TOKEN_MARKS = (
    ("gh", "pousr", "_"),
    ("github_pat_", "", ""),
    ("glpat-", "", ""),
    ("pypi-", "", ""),
    ("AKIA", "", ""),
    ("xox", "baprs", "-"),
)
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_SCHEME_CHARS = _ASCII_LETTERS | frozenset("0123456789+.-")


def _without_tokens(text: str, replacement: str) -> str:
    """Every token shape in ``text`` replaced (``re`` only when a token may be there)."""
    if not _has_mark(text):
        return text
    import re

    return re.sub(_TOKENS, replacement, text)


def _has_mark(text: str) -> bool:
    for prefix, after, suffix in _TOKEN_MARKS:
        at = text.find(prefix)
        if at < 0:
            continue
        if not after:
            return True
        size = len(prefix)
        while at >= 0:
            following = text[at + size : at + size + 2]
            if len(following) == 2 and following[0] in after and following[1] == suffix:
                return True
            at = text.find(prefix, at + 1)
    return False


def _has_token(text: str) -> bool:
    if not _has_mark(text):
        return False
    import re

    return re.search(_TOKENS, text) is not None


def has_token(text: str) -> bool:
    """Whether ``text`` holds a well-known token shape anywhere (a GitHub, PyPI, ... token).

    False means that no part of ``text`` holds one either.
    """
    return _has_token(text)


# -- the decision


def _literal(text: str) -> bool:
    """Whether user-info holds anything besides ``${VAR}`` references."""
    import re

    return bool(re.sub(_ENV_REF, "", text).replace(":", ""))


def _split(url: str) -> SplitResult | None:
    from urllib.parse import urlsplit  # only when there is a URL to take apart

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return None
    return parts


def _userinfo(scheme: str, userinfo: str, *, mask: bool) -> str | None:
    """The user-info to keep (without the ``@``), or None to drop it."""
    if not _literal(userinfo):
        return userinfo
    if scheme.lower() in _SSH_SCHEMES:
        user = userinfo.split(":", 1)[0]
        return user if ":" not in userinfo else (f"{user}:{REDACTED}" if mask else user)
    return REDACTED if mask else None


def _query(query: str, *, mask: bool) -> str:
    import re
    from urllib.parse import parse_qsl, urlencode

    pairs = parse_qsl(query, keep_blank_values=True)
    if not any(re.search(_SECRET_QUERY_KEY, k) and not re.fullmatch(_ENV_REF, v) for k, v in pairs):
        return query
    kept: list[tuple[str, str]] = []
    for key, value in pairs:
        if re.search(_SECRET_QUERY_KEY, key) and not re.fullmatch(_ENV_REF, value):
            if mask:
                kept.append((key, REDACTED))
            continue
        kept.append((key, value))
    return urlencode(kept, safe="*${}")


def _redact(url: str, *, mask: bool) -> str:
    parts = _split(url)
    if parts is None:
        # Not a URL urllib can take apart: drop whatever could be user-info.
        import re

        stripped = re.sub(r"^([^:/]*://)[^/?#]*@", r"\1", url)
        return REDACTED if mask else _without_tokens(stripped, "")
    netloc, query = parts.netloc, parts.query
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        kept = _userinfo(parts.scheme, userinfo, mask=mask)
        netloc = host if kept is None else f"{kept}@{host}"
    if query:
        query = _query(query, mask=mask)
    url_out = url
    if netloc != parts.netloc or query != parts.query:
        url_out = parts._replace(netloc=netloc, query=query).geturl()
    return _without_tokens(url_out, REDACTED if mask else "")


# -- the renderings


def redact_url(url: str) -> str:
    """A URL for a file that is committed and read back: secrets removed.

    ``https://user:secret@host/simple`` -> ``https://host/simple``;
    ``https://host/x.whl?token=abc&v=1`` -> ``https://host/x.whl?v=1``;
    ``https://${USER}:${TOKEN}@host/simple`` and ``git+ssh://git@host/r`` stay.
    """
    if "@" not in url and "?" not in url:
        # No user-info and no query: nothing for urlsplit to take apart (a
        # pylock.toml holds thousands of such URLs).  What is left is what
        # _redact does too, down to a URL urlsplit would refuse.
        return _without_tokens(url, "")
    return _redact(url, mask=False)


def redact_credentials(url: str) -> str:
    """A URL for people to read: ``https://***@host/x``, ``?token=***``."""
    return _redact(url, mask=True)


def redact_text(text: str) -> str:
    """Free text (a message, uv's output, a table cell) with every secret masked."""
    if "://" not in text and not _has_token(text):
        return text
    import re

    masked = re.sub(_URL_IN_TEXT, lambda m: _redact_trailing(m.group(0)), text)
    return _without_tokens(masked, REDACTED)


def _redact_trailing(found: str) -> str:
    # Prose puts punctuation after a URL; it is not part of it.
    core = found.rstrip(".,;:)]}")
    return redact_credentials(core) + found[len(core) :]


def redact_file_text(text: str) -> str:
    """A whole file about to be written: every URL in it with its secrets removed."""
    if is_known_clean(text):
        return text
    cleaned = _redact_file_text(text)
    if cleaned != text:
        return cleaned
    note_clean(text)
    return text


def _redact_file_text(text: str) -> str:
    if "://" not in text and not _has_token(text):
        return text
    if "@" not in text and "?" not in text and not _has_token(text):
        # No user-info, no query, no token anywhere: every URL stays as it is
        # (a pylock.toml holds thousands of URLs; each one costs urlsplit).
        return text
    import re

    cleaned = re.sub(_URL_IN_TEXT, lambda m: _strip_trailing(m.group(0)), text)
    return _without_tokens(cleaned, "")


# The last few file texts known to hold nothing redact_file_text removes, by identity
# (a str never changes, so the same object is the same text): a lock's files pass
# through it before they are sealed and again as they are written, and looking for
# tokens in a 500 KB pylock.toml takes a millisecond or two.
_CLEAN: list[str] = []
_CLEAN_KEPT = 16


def is_known_clean(text: str) -> bool:
    return any(text is kept for kept in _CLEAN)


def note_clean(text: str) -> None:
    """Remember that ``text`` holds nothing :func:`redact_file_text` would remove.

    Only for a text that is: one it returned unchanged, or one made from such a
    text by adding what holds no URL and no token (the seal's digest lines).
    """
    if not is_known_clean(text):
        _CLEAN.append(text)
        del _CLEAN[:-_CLEAN_KEPT]


def _strip_trailing(found: str) -> str:
    core = found.rstrip(".,;:)]}\\")
    return redact_url(core) + found[len(core) :]


def redact_location(value: str) -> str:
    """An index or find-links location as a snapshot may hold it.

    Remote URLs lose their credentials; anything on the local disk (a
    ``file://`` URL, a path) becomes ``<local>``, so no machine path is stored.
    """
    text = value.strip()
    scheme, sep, _ = text.partition("://")
    # ``[A-Za-z][A-Za-z0-9+.-]*``, without re.
    if (
        not sep
        or not scheme
        or scheme[0] not in _ASCII_LETTERS
        or not _SCHEME_CHARS.issuperset(scheme)
    ):
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
    if value.startswith(("/", "\\\\")) or (
        # ``[A-Za-z]:[\\/]``: a Windows drive, without re.
        len(value) >= 3 and value[0] in _ASCII_LETTERS and value[1] == ":" and value[2] in "\\/"
    ):
        return LOCAL_LOCATION
    return value

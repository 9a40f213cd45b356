"""How uv's failures are worded for the user: what went wrong, and what to do."""

from __future__ import annotations

from parity.errors import ResolutionError
from parity.lock.engines.uv import _lock_error

# uv 0.9 on a Poetry project whose supplemental source does not resolve: the build
# requirement (poetry-core) is fetched from it first, and uv says "No solution found".
UNREACHABLE_BUILD_INDEX = """\
error: Failed to build `deepeval @ file:///somewhere/deepeval`
  cause: Failed to resolve requirements from `build-system.requires`
  cause: No solution found when resolving: `poetry-core`
  cause: Request failed after 3 retries in 7.6s
  cause: Failed to fetch: https://user:secret@private.example/simple/poetry-core/
  cause: error sending request for url (https://private.example/simple/poetry-core/)
  cause: client error (Connect)
  cause: dns error
  cause: failed to lookup address information: Name or service not known
"""


def test_an_unreachable_index_is_not_called_a_conflict() -> None:
    text = UNREACHABLE_BUILD_INDEX.replace("  cause:", "  cause:")
    error = _lock_error(text, offline=False)
    assert not isinstance(error, ResolutionError)
    message = str(getattr(error, "message", error))
    # Worded as every unreachable index is (the index as configured, uv's last reason).
    assert message.startswith("cannot reach the package index https://")
    assert "private.example/simple" in message and "secret" not in message
    assert "Name or service not known" in message
    hint = getattr(error, "hint", "") or ""
    assert "Relax" not in hint and "proxy" in hint and "--offline" in hint


def test_the_unreachable_index_is_named_as_configured() -> None:
    from parity.lock.index import IndexArgs

    configured = IndexArgs(index_url="https://user:secret@private.example/simple")
    error = _lock_error(UNREACHABLE_BUILD_INDEX, offline=False, index=configured)
    message = str(getattr(error, "message", error))
    assert message.startswith("cannot reach the package index https://")
    assert "private.example/simple:" in message and "secret" not in message

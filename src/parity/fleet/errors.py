"""What can go wrong with a fleet store."""

from __future__ import annotations

from parity.errors import ParityError


class StoreError(ParityError):
    """A store cannot be opened, read or written: a bad URL, an unreachable server,
    a store made by a newer parity, a file that is not a store."""

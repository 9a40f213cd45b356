"""``parity fleet prune --older-than 90d``: how old is too old."""

from __future__ import annotations

import datetime as dt
import re

from parity.errors import UsageError
from parity.fleet.model import PRUNE_SCHEMA

_AGE = re.compile(r"^\s*(\d+)\s*([hdw])\s*$", re.I)
_UNITS = {"h": dt.timedelta(hours=1), "d": dt.timedelta(days=1), "w": dt.timedelta(weeks=1)}


def parse_age(text: str) -> dt.timedelta:
    """``90d``, ``12w``, ``36h``: an age, at least one hour."""
    match = _AGE.match(text)
    if match is None:
        raise UsageError(
            f"not an age: {text!r}",
            hint="Write a number and a unit: 90d (days), 12w (weeks) or 36h (hours).",
        )
    age = int(match.group(1)) * _UNITS[match.group(2).lower()]
    if age <= dt.timedelta(0):
        raise UsageError(f"the age must be more than zero: {text!r}", hint="For example 90d.")
    return age


def cutoff(now: dt.datetime, age: dt.timedelta) -> dt.datetime:
    return now - age


__all__ = ["PRUNE_SCHEMA", "cutoff", "parse_age"]

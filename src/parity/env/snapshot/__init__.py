"""Fingerprint a Python environment into a :class:`Snapshot`.

Any environment, not only parity's own: a venv, a conda prefix or a system
interpreter, back to Python 3.8.  The facts are collected by ``probe.py``,
run once with the target interpreter (in-process when the target is the
running interpreter); everything else decides, from those raw facts, what a
snapshot holds:

- ``capture``: find the interpreter, run the probe (the only I/O);
- ``decode``: distributions, Python and platform from the probe's facts;
- ``native``: native libraries, recognised with the tables in
  ``parity/data/native_libraries.toml``;
- ``settings``: behaviour-changing variables and the index configuration.

A snapshot never holds an absolute machine path: it is meant to be
committed, attached to a bug report or compared across machines.
"""

from parity.env.snapshot.capture import capture_snapshot
from parity.env.snapshot.decode import snapshot_from_probe

__all__ = ["capture_snapshot", "snapshot_from_probe"]

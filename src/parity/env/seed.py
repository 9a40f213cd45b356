"""The packages that seed an environment: installers' own tools.

``python -m venv``, ``virtualenv`` and ``uv venv --seed`` put them in most
environments; they are never in a lock and are not the project's, so check,
verify and diff do not report them as extra.  The one list parity keeps.
"""

from __future__ import annotations

SEED_PACKAGES = frozenset({"pip", "setuptools", "wheel", "distribute"})

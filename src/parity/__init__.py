"""parity: pinned, reproducible Python environments.

The package is a library first; ``parity.cli`` is a thin layer over it.
Data flows one way: spec -> lock -> env -> snapshot -> diagnose -> report.
"""

__version__ = "0.1.0"

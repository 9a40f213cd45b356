"""The table of ``parity``'s subcommands, read by the fast help and by click.

Kept apart from both so that neither imports the other: ``cli/main.py``
answers ``--help`` without click, ``cli/app.py`` builds the click group.
"""

from __future__ import annotations

# name -> (module, one-line help); modules are imported on first use.
COMMANDS: dict[str, tuple[str, str]] = {
    "lock": ("parity.cli.lock_cmd", "Resolve every group in one go and write the lockfiles."),
    "sync": ("parity.cli.sync_cmd", "Make an environment exactly match a group's lock."),
    "check": ("parity.cli.check_cmd", "CI gate: is the lock fresh and the environment in sync?"),
    "snapshot": ("parity.cli.snapshot_cmd", "Fingerprint an environment into a JSON file."),
    "diff": ("parity.cli.diff_cmd", "Explain how environments or locks differ, riskiest first."),
    "why": (
        "parity.cli.why_cmd",
        "Show why a package is installed: direct, or through which chain.",
    ),
    "verify": (
        "parity.cli.verify_cmd",
        "Rebuild from scratch and prove the result equals the lock.",
    ),
    "recommend": (
        "parity.cli.recommend_cmd",
        "Rank pip-tools, Poetry, Conda and Docker for this project.",
    ),
    "compare": (
        "parity.cli.compare_cmd",
        "Measure each strategy on this project: lock, build, size.",
    ),
    "report": (
        "parity.cli.report_cmd",
        "Write one HTML page: decision matrix, measurements, diffs.",
    ),
    "init": ("parity.cli.init_cmd", "Set up a strategy: pip-tools, poetry, conda or docker."),
    "export": (
        "parity.cli.export_cmd",
        "Write one artifact (CI, Makefile, ...) from spec and lock.",
    ),
    "fleet": (
        "parity.cli.fleet_cmd",
        "Every machine's snapshots in one store, and the drift across them.",
    ),
}

DESCRIPTION = """\
parity: pinned, reproducible Python environments.

Lock every group of a project in one resolution, sync environments to the
lock with hash checks, and gate CI on a fresh lock and an environment that
matches it."""

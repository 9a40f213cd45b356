"""Item 3: the lockfile is committed to git and unmodified."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from parity.diagnose.verify.checklist import FAIL, PASS, Item, item


def git_item(root: Path, output: str) -> Item:
    try:
        tracked = _git(root, "ls-files", "--error-unmatch", "--", output)
    except FileNotFoundError:
        return item(
            "committed", FAIL, ("git is not installed",), "Install git and commit the lockfile."
        )
    if tracked.returncode != 0 and "not a git repository" in tracked.stderr:
        return item(
            "committed",
            FAIL,
            ("the project is not in a git repository, so the lockfile cannot be committed",),
            f"git init && git add {output} && git commit",
        )
    if tracked.returncode not in (0, 1):
        return item(
            "committed",
            FAIL,
            (f"git failed: {_first_line(tracked.stderr)}",),
            "Fix the git error above, then verify again.",
        )
    if tracked.returncode == 1:
        ignored = _git(root, "check-ignore", "-v", "--", output)
        if ignored.returncode == 0 and ignored.stdout.strip():
            rule, _, _ = ignored.stdout.strip().partition("\t")
            source, line, pattern = [*rule.split(":", 2), "", ""][:3]
            return item(
                "committed",
                FAIL,
                (f"{output} is not tracked: {source}:{line} ignores it ({pattern})",),
                f"Remove that rule, then `git add {output}` and commit.",
            )
        return item(
            "committed",
            FAIL,
            (f"{output} is not tracked by git",),
            f"git add {output} && git commit",
        )
    status = _git(root, "status", "--porcelain=v1", "--", output).stdout
    if status.strip():
        code = status[:2]
        state = (
            "is staged but was never committed"
            if code.startswith("A")
            else "is deleted in the working tree"
            if "D" in code
            else "has changes that are not committed"
        )
        return item(
            "committed",
            FAIL,
            (f"{output} {state} (git status: {code.strip()})",),
            f"Review `git diff -- {output}` and commit it (or `parity lock` again).",
        )
    head = _git(root, "log", "-1", "--format=%h %cs %s", "--", output).stdout.strip()
    head = head if len(head) <= 60 else head[:57].rstrip() + "..."
    when = f"last commit {head}" if head else "staged in a repository without commits"
    return item("committed", PASS, (f"{output} is committed with no local changes ({when})",))


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=_git_env()
    )


def _git_env() -> dict[str, str]:
    # Messages are parsed; keep them in English.
    return {**os.environ, "LC_ALL": "C", "LANGUAGE": "C"}


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else "no message"

"""conda's name for the platform parity runs on (``linux-64``, ``osx-arm64``, ...)."""

from __future__ import annotations

import platform as _platform
import sys

_MACHINES = {
    "x86_64": "64",
    "amd64": "64",
    "aarch64": "aarch64",
    "arm64": "arm64",
    "ppc64le": "ppc64le",
}


def this_platform(system: str | None = None, machine: str | None = None) -> str:
    system = system or sys.platform
    machine = (machine or _platform.machine()).lower()
    if system.startswith("linux"):
        return f"linux-{_MACHINES.get(machine, machine)}"
    if system == "darwin":
        return "osx-arm64" if machine in ("arm64", "aarch64") else "osx-64"
    if system in ("win32", "cygwin"):
        return "win-arm64" if machine in ("arm64", "aarch64") else "win-64"
    return f"{system}-{machine}"

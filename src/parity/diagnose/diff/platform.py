"""Comparing the platforms of two sides: operating system, machine, C library."""

from __future__ import annotations

from parity.diagnose.diff.model import Difference
from parity.diagnose.diff.scoring import Pair
from parity.diagnose.diff.text import libc_text
from parity.diagnose.risk import compare_versions
from parity.env.snapshot_model import PlatformInfo

_MACHINE_ALIASES = {
    "amd64": "x86_64",
    "x64": "x86_64",
    "arm64": "aarch64",
    "i686": "x86",
    "i386": "x86",
}


def compare_platform(p: Pair) -> list[Difference]:
    fa, fb = p.a.platform, p.b.platform
    if fa is None or fb is None:
        return []
    out: list[Difference] = []
    same_os = fa.system.lower() == fb.system.lower()
    if not same_os:
        out.append(
            p.make(
                "platform",
                "platform.os",
                (fa.system, fb.system),
                change="os",
                base=p.rules.score("platform.os"),
                reason=f"{fa.system} vs {fb.system}: other wheels, paths and platform markers; "
                "some packages install only on one of them",
                fix=f"Test on {fb.system} too (CI or a container), and lock for it with "
                "`parity lock --python-platform`",
            )
        )
    if _machine(fa.machine) != _machine(fb.machine):
        out.append(
            p.make(
                "platform",
                "platform.machine",
                (fa.machine, fb.machine),
                change="machine",
                base=p.rules.score("platform.machine"),
                reason=f"{fa.machine} vs {fb.machine}: compiled wheels differ per architecture, "
                "and a package without a wheel for one of them builds from source or fails",
                fix=f"Build and test on {fb.machine} too (CI runner or emulated container)",
            )
        )
    if same_os and fa.libc and fb.libc:
        out += _libc(p, fa, fb)
    return out


def _libc(p: Pair, fa: PlatformInfo, fb: PlatformInfo) -> list[Difference]:
    assert fa.libc is not None and fb.libc is not None
    values = (libc_text(fa), libc_text(fb))
    if fa.libc.lower() != fb.libc.lower():
        return [
            p.make(
                "platform",
                "platform.libc",
                values,
                change="libc",
                base=p.rules.score("platform.libc"),
                reason=f"{fa.libc} vs {fb.libc}: manylinux wheels do not install on musl (and "
                "the other way round), so packages build from source or are missing",
                fix=f"Use a {fa.libc}-based image everywhere, or lock and test on {fb.libc}",
            )
        ]
    if fa.libc_version and fb.libc_version and fa.libc_version != fb.libc_version:
        older = compare_versions(fb.libc_version, fa.libc_version) < 0
        return [
            p.make(
                "platform",
                "platform.libc",
                values,
                change="libc-version",
                base=p.rules.score("platform.libc-version"),
                reason=f"{values[0]} vs {values[1]}: wheels need a minimum {fa.libc}"
                + ("; the older one may get no wheel and build from source" if older else ""),
                fix=f"Use base images with the same {fa.libc} version",
            )
        ]
    return []


def _machine(text: str) -> str:
    low = text.lower()
    return _MACHINE_ALIASES.get(low, low)

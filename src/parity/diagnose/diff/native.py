"""Comparing the native libraries (BLAS, CUDA, OpenMP, ...) of two environments."""

from __future__ import annotations

from collections.abc import Sequence

from parity.diagnose.diff.model import DECLARED_KINDS, Difference
from parity.diagnose.diff.scoring import Pair
from parity.diagnose.diff.text import native_by_kind, native_text
from parity.env.snapshot_model import NativeLibrary


def compare_native(p: Pair) -> list[Difference]:
    if p.a.kind in DECLARED_KINDS or p.b.kind in DECLARED_KINDS:
        return []
    by_a, by_b = native_by_kind(p.a.native), native_by_kind(p.b.native)
    out: list[Difference] = []
    for kind in sorted(set(by_a) | set(by_b)):
        la, lb = by_a.get(kind, ()), by_b.get(kind, ())
        ta, tb = native_text(la), native_text(lb)
        if ta == tb:
            continue
        rule = p.rules.native_rule(kind)
        if not la or not lb:
            change, base = "missing", rule.score
        elif {n.name.lower() for n in la} != {n.name.lower() for n in lb}:
            change, base = "vendor", rule.score
        else:
            change = "version"
            base = (
                rule.score
                if _native_major_changed(la, lb)
                else rule.score - p.rules.adjustment("native_version_discount")
            )
        out.append(
            p.make(
                "native",
                f"native.{kind}",
                (ta, tb),
                change=change,
                base=base,
                reason=f"{kind}: {ta or 'none'} vs {tb or 'none'}: {rule.reason}",
                fix=rule.fix,
            )
        )
    return out


def _native_major_changed(la: Sequence[NativeLibrary], lb: Sequence[NativeLibrary]) -> bool:
    versions_b = {n.name.lower(): n.version for n in lb}
    for lib in la:
        other = versions_b.get(lib.name.lower())
        if lib.version and other and lib.version.split(".")[0] != other.split(".")[0]:
            return True
    return False

"""Proof, on this interpreter, that tracking sees what pathlib, glob and os.path do."""

from __future__ import annotations

import os

from parity.fswatch.recorder import Recorder


def tracking_works(folder: str) -> bool:
    """Whether, on this interpreter, the usual path APIs reach the wrapped functions.

    ``folder`` is an empty scratch folder; the probe writes one file and one folder in it.
    """
    import glob
    from pathlib import Path

    base = Path(folder)
    probe = base / "probe.txt"
    with open(probe, "w", encoding="utf-8") as handle:
        handle.write("x")
    globbed = base / "globbed"
    os.mkdir(globbed)
    recorder = Recorder()
    with recorder:
        probe.is_file()
        (base / "absent").exists()
        os.path.isdir(base / "absent-dir")
        list(base.glob("*.txt"))
        list(globbed.glob("*.in"))  # pathlib's glob alone, on a folder nothing else lists
        list(base.iterdir())
        glob.glob(os.path.join(folder, "*.none"))
        probe.read_text(encoding="utf-8")
        probe.resolve()
    seen = {fact[:2] for fact in recorder.facts}
    full = os.path.abspath(folder)
    wanted = {
        ("stat", os.path.join(full, "probe.txt")),
        ("stat", os.path.join(full, "absent")),
        ("stat", os.path.join(full, "absent-dir")),
        ("list", full),
        ("list", os.path.join(full, "globbed")),
        ("read", os.path.join(full, "probe.txt")),
    }
    return wanted <= seen and not recorder.unsafe

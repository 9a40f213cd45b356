"""Regenerate src/parity/data/conda/pypi_conda_names.json from conda-pypi's mapping.

Usage (the wheel comes from the package index with `pip download conda-pypi --no-deps`):

    python scripts/trim_conda_names.py conda_pypi-<version>-py3-none-any.whl

conda-pypi (MIT) ships grayskull's PyPI -> conda-forge name table
(``conda_pypi/grayskull_pypi_mapping.json``, about 12,000 entries).  parity keeps
only what it uses: the names that are the same on both sides, and the renames.
Entries whose PyPI name is a content hash (no real project) are dropped.
"""

from __future__ import annotations

import json
import re
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/parity/data/conda/pypi_conda_names.json"


def main(wheel: str) -> None:
    version = re.search(r"conda_pypi-([^-]+)-", Path(wheel).name)
    with zipfile.ZipFile(wheel) as archive:
        table = json.loads(archive.read("conda_pypi/grayskull_pypi_mapping.json"))
    same: list[str] = []
    renamed: dict[str, str] = {}
    for pypi, entry in sorted(table.items()):
        if re.fullmatch(r"[0-9a-f]{30,}", pypi):
            continue
        conda = entry["conda_name"]
        if conda == pypi:
            same.append(pypi)
        else:
            renamed[pypi] = conda
    data = {
        "schema": "parity/conda-names@1",
        "source": f"conda-pypi {version.group(1) if version else '?'}, "
        "conda_pypi/grayskull_pypi_mapping.json (MIT; see LICENSE-conda-pypi.txt)",
        "renamed": renamed,
        "same": same,
    }
    OUT.write_text(json.dumps(data, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.name}: {len(renamed)} renamed, {len(same)} same")


if __name__ == "__main__":
    main(sys.argv[1])

"""uv's warnings about extras a package lacks, turned into notes that name who asks."""

from __future__ import annotations

from pathlib import Path

from fixtures import make_project
from parity.lock.missing_extras import missing_extra_notes
from parity.spec.load import load_project


def test_a_transitive_request_is_said_and_a_local_package_is_never_named(
    tmp_path: Path,
) -> None:
    spec = load_project(
        make_project(
            tmp_path,
            {
                "pyproject.toml": """
                    [project]
                    name = "demo"
                    version = "1"
                    dependencies = ["Optimum[ONNXRuntim]>=1"]
                """
            },
        )
    )
    notes = missing_extra_notes(
        spec,
        [
            "The package `optimum==2.1.0` does not have an extra named `onnxruntim`",
            "The package `optimum==2.0.0` does not have an extra named `onnxruntim`",
            "The package `torch==2.5.0` does not have an extra named `gpu`",
            "The package `mylib @ file:///home/someone/mylib` does not have an extra named `x`",
            "Something else uv warns about",
        ],
    )
    assert notes == [
        "optimum 2.1.0, 2.0.0 have no extra 'onnxruntim', which pyproject.toml:4 (group prod) "
        "asks for: the lock holds optimum without it, as uv resolves it. Check the extra's name",
        "torch 2.5.0 has no extra 'gpu', which a dependency asks for: the lock holds torch "
        "without it, as uv resolves it",
    ]

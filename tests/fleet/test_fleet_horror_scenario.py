"""The course's horror story, as a fleet: three real environments pushed to a store.

Developer A works on Python 3.11 with scikit-learn 1.3, pandas 2 and NumPy
1.24 (the team's lock); developer B on Python 3.9 with scikit-learn 1.0.2,
pandas 1.4 and NumPy 1.21; production on Python 3.8 with "whatever pip
installed".  The packages are the wheel factory's tiny stand-ins, named and
versioned like the real ones (with the real Requires-Python where it decides
what production gets).  Each environment pushes its own snapshot, as each
machine would; one ``fleet status`` must put Python and the scikit-learn,
pandas and NumPy differences first, on both stores.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures import LocalIndex, Pkg, find_python, make_venv, uv_bin

PYTHONS = {"dev-a": "3.11", "dev-b": "3.9", "prod-api": "3.8"}
PACKAGES = (
    Pkg("numpy", "1.21.0", requires_python=">=3.7"),
    Pkg("numpy", "1.24.3", requires_python=">=3.8"),
    Pkg("numpy", "1.24.4", requires_python=">=3.8"),
    Pkg("numpy", "2.0.2", requires_python=">=3.9"),
    Pkg("pandas", "1.4.0", requires=["numpy>=1.18.5"], requires_python=">=3.8"),
    Pkg("pandas", "2.0.3", requires=["numpy>=1.20.3"], requires_python=">=3.8"),
    Pkg("joblib", "1.3.2", requires_python=">=3.7"),
    Pkg("scikit-learn", "1.0.2", requires=["numpy>=1.14.6", "joblib>=0.11"], import_name="sklearn"),
    Pkg(
        "scikit-learn", "1.3.0", requires=["numpy>=1.17.3", "joblib>=1.1.1"], import_name="sklearn"
    ),
    Pkg(
        "scikit-learn", "1.3.2", requires=["numpy>=1.17.3", "joblib>=1.1.1"], import_name="sklearn"
    ),
)
LOCK = "scikit-learn==1.3.0\npandas==2.0.3\nnumpy==1.24.3\njoblib==1.3.2\n"
INSTALLS = {
    "dev-a": ["scikit-learn==1.3.0", "pandas==2.0.3", "numpy==1.24.3", "joblib==1.3.2"],
    "dev-b": ["scikit-learn==1.0.2", "pandas==1.4.0", "numpy==1.21.0", "joblib==1.3.2"],
    "prod-api": ["scikit-learn", "pandas", "numpy"],  # "whatever pip installed"
}
TOP = {"python", "scikit-learn", "pandas", "numpy"}


@pytest.fixture(scope="module")
def environments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = [v for v in PYTHONS.values() if find_python(v) is None]
    if missing:
        pytest.skip(f"Python {', '.join(missing)} not installed")
    root = tmp_path_factory.mktemp("horror")
    index = LocalIndex(root / "index", PACKAGES)
    for name, version in PYTHONS.items():
        python = make_venv(root / name, version)
        subprocess.run(
            [
                uv_bin(),
                "pip",
                "install",
                "--quiet",
                "--python",
                python,
                "--index-url",
                index.file_url,
                *INSTALLS[name],
            ],
            check=True,
            capture_output=True,
        )
    (root / "requirements.txt").write_text(LOCK)
    return root


@pytest.mark.slow
def test_fleet_status_puts_python_and_the_ml_stack_first(
    environments: Path,
    store_url: str,
    run_parity: Callable,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(environments)
    roles = {"dev-a": "dev", "dev-b": "dev", "prod-api": "prod"}
    for name, role in roles.items():
        pushed = run_parity(
            "snapshot",
            "--env",
            name,
            "--push",
            "--store",
            store_url,
            "--label",
            name,
            "--role",
            role,
        )
        assert pushed.code == 0, pushed.err

    against = run_parity(
        "fleet", "status", "--store", store_url, "--against", "requirements.txt", "--json"
    )
    assert against.code == 1, against.err
    data = against.json()
    first = [a["subject"] for a in data["aspects"][:4]]
    assert set(first) == TOP, first
    by = {a["subject"]: a for a in data["aspects"]}

    def cells(subject: str) -> dict[str, dict]:
        return {m: g for g in by[subject]["values"] for m in g["machines"]}

    python_values = {m: g["value"] for m, g in cells("python").items()}
    assert python_values["dev-b"].startswith("3.9.")
    assert python_values["prod-api"].startswith("3.8.")
    assert cells("pandas")["dev-b"]["value"] == "1.4.0"
    assert "pandas-2.0" in cells("pandas")["dev-b"]["rules"]
    sklearn = cells("scikit-learn")
    assert sklearn["dev-b"]["value"] == "1.0.2"
    assert sklearn["prod-api"]["value"] == "1.3.2"  # unpinned: the newest that installs on 3.8
    numpy = {m: g["value"] for m, g in cells("numpy").items()}
    assert numpy == {"dev-b": "1.21.0", "prod-api": "1.24.4"}  # NumPy 2 needs Python 3.9
    # dev-b drifts in Python and in all three packages; production in Python and two patches.
    assert [m["label"] for m in data["machines"]] == ["dev-b", "prod-api", "dev-a"]
    assert data["machines"][-1]["risk"]["score"] == 0

    majority = run_parity("fleet", "status", "--store", store_url, "--json").json()
    assert set(a["subject"] for a in majority["aspects"][:4]) == TOP

    table = run_parity("fleet", "status", "--store", store_url, "--against", "requirements.txt")
    assert "Fleet: 3 machines (2 dev, 1 prod)" in table.out
    assert str(environments) not in table.out

"""-r and -c stay inside the project unless the user allows a folder; no machine path is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from fixtures import make_project
from parity.errors import SpecError
from parity.spec.load import load_project


def project(tmp_path: Path, text: str) -> Path:
    return make_project(tmp_path, {"requirements.in": text, ".python-version": "3.11\n"})


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    folder = tmp_path / "shared"
    folder.mkdir()
    (folder / "common.in").write_text("alpha\n")
    (folder / "limits.txt").write_text("alpha<3\n")
    return folder


@pytest.mark.parametrize(
    "line", ["-r {shared}/common.in", "-c {shared}/limits.txt", "-r ../shared/common.in"]
)
def test_an_include_outside_the_project_is_refused(tmp_path: Path, shared: Path, line: str) -> None:
    root = project(tmp_path, line.format(shared=shared) + "\nbeta\n")
    with pytest.raises(SpecError, match="outside the project") as caught:
        load_project(root)
    assert caught.value.location == "requirements.in:1"
    assert "PARITY_ALLOW_INCLUDE" in (caught.value.hint or "")


def test_a_link_inside_the_project_to_a_file_outside_is_refused(
    tmp_path: Path, shared: Path
) -> None:
    root = project(tmp_path, "-r inner.in\n")
    (root / "inner.in").symlink_to(shared / "common.in")
    with pytest.raises(SpecError, match="outside the project"):
        load_project(root)


def test_an_allowed_folder_is_read_and_named_relative_to_the_project(
    tmp_path: Path, shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARITY_ALLOW_INCLUDE", str(shared))
    root = project(tmp_path, f"-r {shared}/common.in\n-c {shared}/limits.txt\nbeta\n")
    spec = load_project(root)
    paths = {r.source.path for r in spec.group("prod").requirements}
    assert paths == {"requirements.in", "../shared/common.in"}
    assert all(not i.path.startswith("/") for i in spec.inputs)
    assert str(tmp_path) not in repr(spec.inputs)

"""Snapshot files: schema parity/snapshot@1, byte-stable, validated on reading."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from parity.env.snapshot_json import (
    SCHEMA,
    dumps_document,
    dumps_snapshot,
    read_snapshot,
    snapshot_from_json,
    snapshot_to_json,
    write_snapshot,
)
from parity.env.snapshot_model import (
    SNAPSHOT_SCHEMA,
    Distribution,
    NativeLibrary,
    PlatformInfo,
    PythonInfo,
    Snapshot,
)
from parity.errors import SpecError


def example() -> Snapshot:
    return Snapshot(
        label="machine-a",
        kind="venv",
        python=PythonInfo(
            "CPython", "3.11.7", "main, Dec 19 2023", "GCC 12.2.0", "cpython-311-x86_64-linux-gnu"
        ),
        platform=PlatformInfo("Linux", "x86_64", "6.1.0", "glibc", "2.36"),
        distributions=(
            Distribution("numpy", "1.26.4", installer="pip", requested=True),
            Distribution(
                "mylib", "0.1", installer="uv", source="local", editable=True, requested=True
            ),
        ),
        native=(
            NativeLibrary("openmp", "libgomp", None, "scikit-learn"),
            NativeLibrary("blas", "openblas", "0.3.21", "numpy"),
        ),
        env_vars={"OMP_NUM_THREADS": "4", "LANG": "C.UTF-8"},
        index={"index-url": ["https://index.example/simple"]},
        taken_at="2026-01-02T03:04:05Z",
    )


def test_the_document_names_its_schema_and_orders_its_lists() -> None:
    data = snapshot_to_json(example())
    assert data["schema"] == SNAPSHOT_SCHEMA
    assert [d["name"] for d in data["distributions"]] == ["mylib", "numpy"]
    assert [n["kind"] for n in data["native"]] == ["blas", "openmp"]
    assert list(data["env_vars"]) == ["LANG", "OMP_NUM_THREADS"]


def test_writing_is_byte_stable_and_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    write_snapshot(example(), path)
    first = path.read_bytes()
    again = read_snapshot(path)
    write_snapshot(again, path)
    assert path.read_bytes() == first
    assert first.endswith(b"}\n")
    expected = example()
    assert again == dataclasses.replace(
        expected,
        distributions=tuple(sorted(expected.distributions, key=lambda d: d.name)),
        native=tuple(sorted(expected.native, key=lambda n: n.kind)),
    )
    assert (again.env_vars, again.index, again.taken_at) == (
        expected.env_vars,
        expected.index,
        expected.taken_at,
    )


def test_a_snapshot_without_python_or_platform_round_trips() -> None:
    bare = Snapshot(label="lock", kind="lock", python=None, platform=None, distributions=())
    assert snapshot_from_json(json.loads(dumps_snapshot(bare)), source="x.json") == bare


def test_a_foreign_schema_is_refused_with_the_file_and_a_hint() -> None:
    with pytest.raises(SpecError) as info:
        snapshot_from_json({"schema": "other/thing@1"}, source="snap.json")
    assert info.value.path == "snap.json"
    assert "not a parity snapshot" in info.value.message
    assert info.value.hint and "parity snapshot" in info.value.hint


def test_a_newer_snapshot_schema_says_so() -> None:
    with pytest.raises(SpecError, match="parity/snapshot@2 is not supported"):
        snapshot_from_json({"schema": "parity/snapshot@2"}, source="snap.json")


@pytest.mark.parametrize("data", [[], "text", None, {"label": "x"}])
def test_json_that_is_no_snapshot_is_refused(data: object) -> None:
    with pytest.raises(SpecError):
        snapshot_from_json(data, source="snap.json")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"label": 3}, "label"),
        ({"distributions": {}}, "distributions"),
        ({"distributions": [{"version": "1"}]}, "name"),
        ({"distributions": [{"name": "a", "editable": "yes"}]}, "editable"),
        ({"python": {"implementation": "CPython"}}, "python.version"),
        ({"env_vars": {"A": 1}}, "env_vars"),
        ({"index": {"index-url": "https://index.example/simple"}}, "index.index-url"),
    ],
)
def test_a_wrong_field_type_names_the_field(change: dict[str, object], field: str) -> None:
    data = {**snapshot_to_json(example()), **change}
    with pytest.raises(SpecError, match=field.replace(".", r"\.")):
        snapshot_from_json(data, source="snap.json")


def test_invalid_json_reports_its_line(tmp_path: Path) -> None:
    path = tmp_path / "snap.json"
    path.write_text('{\n  "schema": "parity/snapshot@1",\n  oops\n}\n', encoding="utf-8")
    with pytest.raises(SpecError) as info:
        read_snapshot(path, source="snap.json")
    assert (info.value.path, info.value.line) == ("snap.json", 3)


def test_a_missing_file_is_a_spec_error(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no such snapshot file"):
        read_snapshot(tmp_path / "absent.json")


def test_the_schema_is_named_alike_with_and_without_the_model() -> None:
    assert SCHEMA == SNAPSHOT_SCHEMA


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"a": [], "b": {}, "c": [[]], "d": [{}]},
        {"z": None, "y": True, "x": False, "w": 0, "v": -12, "u": 2.5, "t": 10**30},
        {"floats": [float("nan"), float("inf"), -float("inf"), -0.0, 1e300]},
        {"text": 'é \u2028 \x00 \x1f "quoted" back\\slash \U0001f600', "é": ["ü", ("a", 1)]},
        {"b": [{"k": [1, {"n": None}]}], "a": {"x": {"y": {}}}},
    ],
)
def test_documents_are_written_as_json_dumps_writes_them(document: dict[str, object]) -> None:
    expected = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert dumps_document(document) == expected


def test_a_snapshot_is_written_as_json_dumps_writes_it() -> None:
    expected = json.dumps(snapshot_to_json(example()), indent=2, sort_keys=True, ensure_ascii=False)
    assert dumps_snapshot(example()) == expected + "\n"

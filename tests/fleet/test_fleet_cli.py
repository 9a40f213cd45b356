"""``parity fleet`` and ``parity snapshot --push`` as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from fixtures.fleet import make_snapshot
from parity.env.snapshot_json import dumps_snapshot, write_snapshot


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _files(folder: Path, **snapshots: object) -> list[str]:
    names = []
    for name, snapshot in snapshots.items():
        write_snapshot(snapshot, folder / f"{name}.json")  # type: ignore[arg-type]
        names.append(f"{name}.json")
    return names


def _records(run_parity: Callable, store: str) -> int:
    result = run_parity("fleet", "status", "--store", store, "--json")
    if result.code == 2:
        return 0
    return int(result.json()["summary"]["machines"])


def test_push_then_status_on_both_stores(
    store_url: str, in_tmp: Path, run_parity: Callable
) -> None:
    files = _files(
        in_tmp,
        a=make_snapshot("dev-a", dists={"numpy": "1.26.4", "pandas": "2.1.4"}),
        b=make_snapshot("dev-b", python="3.9.18", dists={"numpy": "1.21.0", "pandas": "2.1.4"}),
        c=make_snapshot("ci", dists={"numpy": "1.26.4", "pandas": "2.1.4"}),
    )
    pushed = run_parity("fleet", "push", *files, "--store", store_url)
    assert pushed.code == 0, pushed.err
    assert pushed.out.startswith("Pushed 3 snapshots to ")
    status = run_parity("fleet", "status", "--store", store_url, "--json")
    assert status.code == 1, status.err
    data = status.json()
    assert data["schema"] == "parity/fleet-status@1"
    assert data["machines"][0]["label"] == "dev-b"
    assert [(a["subject"], a["machines"]) for a in data["aspects"]] == [("python", 1), ("numpy", 1)]
    numpy = data["aspects"][1]
    assert numpy["reference"] == "1.26.4"
    (group,) = numpy["values"]
    assert (group["value"], group["machines"]) == ("1.21.0", ["dev-b"])
    assert "numpy-1.24-aliases" in group["rules"]


def test_status_without_drift_exits_zero(in_tmp: Path, run_parity: Callable) -> None:
    files = _files(in_tmp, a=make_snapshot("a"), b=make_snapshot("b"))
    assert run_parity("fleet", "push", *files).code == 0
    result = run_parity("fleet", "status")
    assert result.code == 0, result.err
    assert "No drift" in result.out


def test_status_formats(in_tmp: Path, run_parity: Callable) -> None:
    files = _files(
        in_tmp,
        a=make_snapshot("a"),
        b=make_snapshot("b"),
        c=make_snapshot("c", dists={"numpy": "2.0.0", "pandas": "2.1.4", "pip": "24.0"}),
    )
    run_parity("fleet", "push", *files)
    table = run_parity("fleet", "status")
    assert table.code == 1
    assert (
        "Fleet: 3 machines (3 dev) in .parity/fleet.db, compared with most machines." in table.out
    )
    assert "numpy-2" in table.out or "NumPy 2.0" in table.out
    markdown = run_parity("fleet", "status", "--format", "markdown")
    assert markdown.out.startswith("## parity fleet status")
    assert "| **critical** 97 | `numpy` | 1.26.4 | 2.0.0 |" in markdown.out
    gentle = run_parity("fleet", "status", "--fail-on", "critical", "--role", "ci")
    assert gentle.code == 2  # no ci machine at all is bad input, not "no drift"
    assert "no snapshots" in gentle.err


def test_status_html_writes_one_self_contained_page(in_tmp: Path, run_parity: Callable) -> None:
    files = _files(
        in_tmp,
        a=make_snapshot("a"),
        b=make_snapshot("b", dists={"numpy": "1.21.0", "pandas": "2.1.4", "pip": "24.0"}),
    )
    run_parity("fleet", "push", *files)
    result = run_parity("fleet", "status", "--html", "report/fleet.html", "--format", "markdown")
    assert result.code == 1
    assert "Wrote report/fleet.html" in result.err
    assert result.out.startswith("## parity fleet status")
    page = (in_tmp / "report" / "fleet.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page and ">b<title>b</title></text>" in page
    assert str(in_tmp) not in page


def test_status_against_a_lock(in_tmp: Path, run_parity: Callable) -> None:
    (in_tmp / "requirements.txt").write_text("numpy==1.26.4\npandas==2.1.4\n")
    files = _files(
        in_tmp,
        a=make_snapshot("a", dists={"numpy": "1.26.4", "pandas": "2.1.4"}),
        b=make_snapshot("b", dists={"numpy": "1.26.4", "pandas": "1.5.3"}),
        c=make_snapshot("c", dists={"numpy": "1.26.4", "pandas": "1.5.3"}),
    )
    run_parity("fleet", "push", *files)
    majority = run_parity("fleet", "status", "--json").json()
    assert majority["aspects"][0]["reference"] == "1.5.3"  # most machines have the old pandas
    locked = run_parity("fleet", "status", "--against", "requirements.txt", "--json").json()
    assert locked["reference"]["label"] == "requirements.txt"
    assert locked["reference"]["digest"].startswith("sha256:")
    (pandas,) = locked["aspects"]
    assert (pandas["reference"], pandas["machines"]) == ("2.1.4", 2)
    (group,) = pandas["values"]
    assert sorted(group["machines"]) == ["b", "c"]
    assert "pandas-2.0" in group["rules"]


def test_query_history_and_prune(in_tmp: Path, run_parity: Callable) -> None:
    old = make_snapshot("a", dists={"numpy": "1.26.4"}, taken_at="2026-01-05T08:00:00Z")
    new = make_snapshot("a", dists={"numpy": "2.0.0"}, taken_at="2026-03-01T08:00:00Z")
    other = make_snapshot(
        "b", python="3.8.18", dists={"numpy": "1.24.4"}, taken_at="2026-03-02T08:00:00Z"
    )
    write_snapshot(old, in_tmp / "old.json")
    write_snapshot(new, in_tmp / "new.json")
    write_snapshot(other, in_tmp / "other.json")
    assert run_parity("fleet", "push", "old.json").code == 0
    assert run_parity("fleet", "push", "new.json").code == 0
    assert run_parity("fleet", "push", "other.json", "--role", "prod").code == 0

    below_two = run_parity("fleet", "query", "numpy<2", "--json")
    assert below_two.code == 0
    data = below_two.json()
    assert [(h["label"], h["value"], h["since"][:10]) for h in data["matching"]] == [
        ("b", "1.24.4", "2026-03-02")
    ]
    assert [(f["label"], f["value"], f["until"][:10]) for f in data["former"]] == [
        ("a", "1.26.4", "2026-03-01")
    ]
    python = run_parity("fleet", "query", "python<3.9")
    assert python.code == 0
    assert "Python <3.9: 1 of 2 machines has it now" in python.out
    nobody = run_parity("fleet", "query", "numpy>=3")
    assert nobody.code == 1
    assert "0 of 2 machines have it now" in nobody.out

    history = run_parity("fleet", "history", "a")
    assert history.code == 0, history.err
    assert "a: 2 snapshots" in history.out
    assert "numpy: 1.26.4 -> 2.0.0" in history.out
    body = history.out.split("\n\n", 1)[1]
    assert body.index("2026-03-01") < body.index("2026-01-05")  # newest first

    dry = run_parity("fleet", "prune", "--older-than", "30000d", "--dry-run")
    assert dry.code == 0
    assert dry.out.startswith("Would remove 0 snapshots")
    pruned = run_parity("fleet", "prune", "--older-than", "1d", "--keep-latest", "--json")
    assert pruned.json()["removed"]["records"] == 1  # a's older snapshot
    assert pruned.json()["remaining"] == 2


def test_native_libraries_can_be_asked_for(in_tmp: Path, run_parity: Callable) -> None:
    files = _files(
        in_tmp,
        a=make_snapshot("a", native=[("blas", "openblas", "0.3.23")]),
        b=make_snapshot("b", native=[("blas", "mkl", "2024.0")]),
    )
    run_parity("fleet", "push", *files)
    explicit = run_parity("fleet", "query", "native:openblas>=0.3.20", "--json").json()
    assert [h["label"] for h in explicit["matching"]] == ["a"]
    implicit = run_parity("fleet", "query", "mkl", "--json").json()
    assert [h["label"] for h in implicit["matching"]] == ["b"]
    assert "native library" in implicit["notes"][0]
    by_kind = run_parity("fleet", "query", "native:blas", "--json").json()
    assert len(by_kind["matching"]) == 2


# ----------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("store", "message"),
    [
        ("mysql://db.example/fleet", "unknown store URL scheme 'mysql'"),
        ("postgresql://ana:s3cr3t@db.example:notaport/fleet", "not a valid PostgreSQL URL"),
        ("postgresql://ana:s3cr3t@db.example:99999/fleet", "Port out of range"),
        ("sqlite://otherhost/fleet.db", "an SQLite store is a local file"),
        ("   ", "the store URL is empty"),
    ],
)
def test_a_bad_store_url_is_a_clear_error(
    store: str, message: str, in_tmp: Path, run_parity: Callable
) -> None:
    (in_tmp / "a.json").write_text(dumps_snapshot(make_snapshot("a")))
    result = run_parity("fleet", "push", "a.json", "--store", store)
    assert result.code == 2
    assert message in result.err
    assert "s3cr3t" not in result.err + result.out
    assert "Traceback" not in result.err


def test_an_unreachable_server_is_a_clear_error_without_the_password(
    in_tmp: Path, run_parity: Callable
) -> None:
    (in_tmp / "a.json").write_text(dumps_snapshot(make_snapshot("a")))
    store = "postgresql://ana:s3cr3t@127.0.0.1:1/fleet?connect_timeout=3"
    result = run_parity("fleet", "push", "a.json", "--store", store)
    assert result.code == 2
    assert result.err.startswith(
        "error: cannot connect to the PostgreSQL store postgresql://***@127.0.0.1:1/fleet"
    )
    assert "s3cr3t" not in result.err
    status = run_parity("fleet", "status", "--store", store.replace("s3cr3t", "pass=word"))
    assert status.code == 2
    assert "pass=word" not in status.err


def test_a_snapshot_from_a_future_schema_stores_nothing(in_tmp: Path, run_parity: Callable) -> None:
    (in_tmp / "good.json").write_text(dumps_snapshot(make_snapshot("good")))
    future = json.loads(dumps_snapshot(make_snapshot("future")))
    future["schema"] = "parity/snapshot@2"
    (in_tmp / "future.json").write_text(json.dumps(future))
    result = run_parity("fleet", "push", "good.json", "future.json")
    assert result.code == 2
    assert "error: future.json: snapshot schema parity/snapshot@2 is not supported" in result.err
    assert not (in_tmp / ".parity").exists()


def test_a_half_written_snapshot_stores_nothing(in_tmp: Path, run_parity: Callable) -> None:
    assert run_parity("fleet", "push", *_files(in_tmp, first=make_snapshot("first"))).code == 0
    text = dumps_snapshot(make_snapshot("cut"))
    (in_tmp / "good.json").write_text(dumps_snapshot(make_snapshot("good")))
    (in_tmp / "cut.json").write_text(text[: len(text) // 2])
    result = run_parity("fleet", "push", "good.json", "cut.json")
    assert result.code == 2
    assert result.err.startswith("error: cut.json:")
    assert "not valid JSON" in result.err
    assert _records(run_parity, ".parity/fleet.db") == 1


def test_a_file_that_is_not_a_store_is_left_alone(in_tmp: Path, run_parity: Callable) -> None:
    (in_tmp / "notes.txt").write_text("my notes\n" * 100)
    before = (in_tmp / "notes.txt").read_bytes()
    (in_tmp / "a.json").write_text(dumps_snapshot(make_snapshot("a")))
    result = run_parity("fleet", "push", "a.json", "--store", "notes.txt")
    assert result.code == 2
    assert "notes.txt is not a parity fleet store" in result.err
    assert (in_tmp / "notes.txt").read_bytes() == before
    assert sorted(p.name for p in in_tmp.iterdir()) == ["a.json", "notes.txt"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("fleet", "push", "a.json", "b.json", "--label", "x"), "--label names one machine"),
        (("fleet", "push", "a.json", "--label", "two\nlines"), "not a usable machine label"),
        (("fleet", "push", "missing.json"), "no such snapshot file"),
        (("fleet", "status"), "no fleet store at .parity/fleet.db"),
        (("fleet", "query", "numpy<<2"), "is not a requirement"),
        (("fleet", "query", "pandas[excel]>=2"), "do not record which extras"),
        (("fleet", "prune", "--older-than", "90"), "not an age"),
        (("snapshot", "--role", "ci"), "--store and --role describe a push"),
        (("snapshot", "--push", "--role", "prod"), "a production snapshot needs --label"),
    ],
)
def test_bad_arguments_are_clear_errors(
    args: tuple[str, ...], message: str, in_tmp: Path, run_parity: Callable
) -> None:
    _files(in_tmp, a=make_snapshot("a"), b=make_snapshot("b"))
    result = run_parity(*args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_history_of_an_unknown_label_suggests_close_ones(
    in_tmp: Path, run_parity: Callable
) -> None:
    run_parity("fleet", "push", *_files(in_tmp, a=make_snapshot("laptop-ana")))
    result = run_parity("fleet", "history", "ana")
    assert result.code == 2
    assert "no machine labelled 'ana'" in result.err
    assert "Did you mean laptop-ana?" in result.err


def test_a_postgres_store_without_the_driver_names_the_extra(
    in_tmp: Path, run_parity: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    (in_tmp / "a.json").write_text(dumps_snapshot(make_snapshot("a")))
    result = run_parity("fleet", "push", "a.json", "--store", "postgresql://db.example/fleet")
    assert result.code == 2
    assert "needs the psycopg driver" in result.err
    assert "parity[postgres]" in result.err


# ----------------------------------------------------------------- the push fast path


def test_the_fast_push_path_matches_click(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_parity: Callable
) -> None:
    from click.testing import CliRunner

    from parity.cli.app import cli

    outputs = []
    for name in ("fast", "click"):
        folder = tmp_path / name
        folder.mkdir()
        _files(folder, a=make_snapshot("a"), b=make_snapshot("b", python="3.10.4"))
        monkeypatch.chdir(folder)
        args = ["fleet", "push", "a.json", "b.json", "--role", "ci", "--commit", "c" * 40]
        if name == "fast":
            result = run_parity(*args)
            outputs.append((result.code, result.out))
        else:
            clicked = CliRunner().invoke(cli, args, prog_name="parity")
            outputs.append((clicked.exit_code, clicked.output))
        status = run_parity("fleet", "status", "--json").json()
        outputs.append([(m["label"], m["role"], m["git_commit"]) for m in status["machines"]])
    assert outputs[0] == outputs[2]
    assert outputs[1] == outputs[3] == [("b", "ci", "c" * 40), ("a", "ci", "c" * 40)]


def test_fast_push_falls_back_to_click_for_anything_unusual(
    in_tmp: Path, run_parity: Callable
) -> None:
    _files(in_tmp, a=make_snapshot("a"))
    help_text = run_parity("fleet", "push", "--help")
    assert help_text.code == 0
    assert "Record snapshot files made elsewhere" in help_text.out
    bad_role = run_parity("fleet", "push", "a.json", "--role", "staging")
    assert bad_role.code == 2
    assert "Invalid value for '--role'" in bad_role.err


def test_push_imports_neither_click_nor_rich(tmp_path: Path) -> None:
    write_snapshot(make_snapshot("a"), tmp_path / "a.json")
    code = (
        "import sys; from parity.cli.main import main\n"
        "try:\n    main(['fleet', 'push', 'a.json'])\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('click', 'rich', 'packaging', 'psycopg', 'tomlkit') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "[]"


# ----------------------------------------------------------------- snapshot --push


def test_snapshot_push_records_this_environment(
    in_tmp: Path, run_parity: Callable, fresh_venv: Path
) -> None:
    (in_tmp / ".git").mkdir()
    (in_tmp / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (in_tmp / ".git" / "refs" / "heads").mkdir(parents=True)
    (in_tmp / ".git" / "refs" / "heads" / "main").write_text("d" * 40 + "\n")
    result = run_parity("snapshot", "--env", "venv", "--push", "--label", "laptop-ana")
    assert result.code == 0, result.err
    assert "laptop-ana (dev)" in result.out
    data = run_parity("fleet", "status", "--json").json()
    (machine,) = data["machines"]
    assert (machine["label"], machine["role"], machine["git_commit"]) == (
        "laptop-ana",
        "dev",
        "d" * 40,
    )
    assert machine["python"].startswith("3.11.")
    assert machine["host"]


def test_snapshot_push_in_ci_labels_the_matrix_cell(
    in_tmp: Path, run_parity: Callable, fresh_venv: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_JOB", "tests")
    monkeypatch.setenv("GITHUB_SHA", "e" * 40)
    result = run_parity("snapshot", "--env", "venv", "--push", "-o", "snap.json")
    assert result.code == 0, result.err
    assert (in_tmp / "snap.json").is_file()
    data = run_parity("fleet", "status", "--json").json()
    (machine,) = data["machines"]
    assert machine["label"] == "ci/tests/linux-py3.11"
    assert (machine["role"], machine["git_commit"]) == ("ci", "e" * 40)


def test_the_lock_digest_is_recorded_while_the_environment_still_holds_the_lock(
    tmp_path: Path,
    local_index,
    run_parity: Callable,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import hashlib

    from fixtures import make_project, uv_bin

    project = make_project(
        tmp_path,
        {"requirements.in": f"-i {local_index.url}\nbeta\n", ".python-version": "3.11\n"},
    )
    monkeypatch.chdir(project)
    assert run_parity("lock").code == 0
    assert run_parity("sync").code == 0
    digest = "sha256:" + hashlib.sha256((project / "requirements.txt").read_bytes()).hexdigest()
    assert run_parity("snapshot", "--env", ".venv", "--push", "--label", "synced").code == 0
    subprocess.run(
        [
            uv_bin(),
            "pip",
            "install",
            "--quiet",
            "--python",
            ".venv/bin/python",
            "--index-url",
            local_index.url,
            "zeta",
        ],
        check=True,
        capture_output=True,
    )
    assert run_parity("snapshot", "--env", ".venv", "--push", "--label", "changed").code == 0
    data = run_parity("fleet", "status", "--against", "requirements.txt", "--json").json()
    machines = {m["label"]: m for m in data["machines"]}
    assert machines["synced"]["lock_digest"] == digest
    assert machines["synced"]["synced_to_reference"] is True
    assert machines["changed"]["lock_digest"] is None  # zeta was added by hand since the sync
    (zeta,) = [a for a in data["aspects"] if a["subject"] == "zeta"]
    assert zeta["values"][0]["machines"] == ["changed"]

"""Small pure pieces: store URLs, redaction, questions, ages, origins, content digests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fixtures.fleet import make_snapshot
from parity.errors import UsageError
from parity.fleet.content import rebuild, split
from parity.fleet.errors import StoreError
from parity.fleet.location import hide_secrets, parse_location, scrub, store_location
from parity.fleet.origin import ci_label, default_role, head_commit, machine_origin
from parity.fleet.query import DISTRIBUTION, NATIVE, PYTHON, parse_question
from parity.fleet.redaction import redact_snapshot
from parity.fleet.retention import parse_age


@pytest.mark.parametrize(
    ("url", "kind", "target", "shown"),
    [
        ("fleet.db", "sqlite", "fleet.db", "fleet.db"),
        ("sqlite:team/fleet.db", "sqlite", "team/fleet.db", "sqlite:team/fleet.db"),
        ("sqlite:///srv/fleet.db", "sqlite", "/srv/fleet.db", "sqlite:///srv/fleet.db"),
        (r"C:\fleet\fleet.db", "sqlite", r"C:\fleet\fleet.db", r"C:\fleet\fleet.db"),
        (
            "postgresql://ana:s3cr3t@db.example:5432/fleet",
            "postgres",
            "postgresql://ana:s3cr3t@db.example:5432/fleet",
            "postgresql://ana@db.example:5432/fleet",
        ),
        (
            "postgres://db.example/fleet?password=s3cr3t&sslmode=require",
            "postgres",
            "postgres://db.example/fleet?password=s3cr3t&sslmode=require",
            "postgres://db.example/fleet?sslmode=require",
        ),
    ],
)
def test_store_urls(url: str, kind: str, target: str, shown: str) -> None:
    location = parse_location(url)
    assert (location.kind, location.target, location.shown) == (kind, target, shown)
    assert "s3cr3t" not in repr(location)


def test_the_default_store_and_the_variable() -> None:
    assert store_location(None, {}).target == ".parity/fleet.db"
    assert store_location(None, {"PARITY_STORE": "postgresql:///fleet"}).kind == "postgres"
    assert store_location("x.db", {"PARITY_STORE": "postgresql:///fleet"}).target == "x.db"


def test_driver_messages_lose_the_password() -> None:
    location = parse_location("postgresql://ana:s3cr3t@db.example/fleet")
    text = scrub('password authentication failed for "ana" (s3cr3t)', location)
    assert "s3cr3t" not in text
    assert hide_secrets("postgresql://:only@db.example/x") == "postgresql://db.example/x"
    assert hide_secrets("postgresql:///fleet") == "postgresql:///fleet"
    assert hide_secrets("postgresql:///fleet?password=x&host=/run/pg") == (
        "postgresql:///fleet?host=/run/pg"
    )


@pytest.mark.parametrize("url", ["ftp://x/y", "", "sqlite:", "sqlite:///dir/"])
def test_bad_urls(url: str) -> None:
    with pytest.raises(StoreError):
        parse_location(url)


def test_redaction_before_storing() -> None:
    snapshot = make_snapshot(
        "/home/ana/projects/.venv",
        dists={"private": "1.0", "local-pkg": "0.1", "numpy": "1.26.4"},
        sources={
            "private": "git+https://ana:ghp_TOKEN@git.example/private.git@abc123",
            "local-pkg": "/home/ana/src/local-pkg",
        },
        env_vars={
            "PYTHONPATH": "/home/ana/lib:src",
            "HF_TOKEN": "hf_secret",
            "LANG": "C.UTF-8",
            "NOTES": "pushed with ghp_abcdefghijklmnopqrstuvwxyz0123",
        },
        index={"index-url": ["https://user:pw@index.example/simple?token=abc", "/srv/wheels"]},
    )
    clean = redact_snapshot(snapshot)
    text = repr(clean) + repr(clean.env_vars) + repr(clean.index)
    for secret in (
        "ghp_TOKEN",
        "ghp_abcdefghij",
        "hf_secret",
        "/home/ana",
        "pw@",
        "token=abc",
        "/srv/wheels",
    ):
        assert secret not in text
    assert clean.label == ".venv"
    assert clean.distribution("local-pkg").source == "local"  # type: ignore[union-attr]
    assert clean.env_vars["LANG"] == "C.UTF-8"
    assert clean.env_vars["HF_TOKEN"] == "***"


@pytest.mark.parametrize(
    ("text", "kind", "name", "spec"),
    [
        ("numpy<2", DISTRIBUTION, "numpy", "<2"),
        ("Scikit_Learn>=1.2,<1.4", DISTRIBUTION, "scikit-learn", "<1.4,>=1.2"),
        ("python-dateutil>=2", DISTRIBUTION, "python-dateutil", ">=2"),
        ("python<3.10", PYTHON, "python", "<3.10"),
        ("python 3.8", PYTHON, "python", "==3.8.*"),
        ("python3.8", PYTHON, "python", "==3.8.*"),
        ("python==3.11.7", PYTHON, "python", "==3.11.7"),
        ("python", PYTHON, "python", ""),
        ("native:cuda>=12", NATIVE, "cuda", ">=12"),
        ("native: OpenBLAS", NATIVE, "openblas", ""),
    ],
)
def test_questions(text: str, kind: str, name: str, spec: str) -> None:
    question = parse_question(text)
    assert (question.kind, question.name, str(question.specifier)) == (kind, name, spec)


def test_a_question_with_a_marker_keeps_it() -> None:
    question = parse_question('torch>=2; sys_platform == "linux"')
    assert question.marker is not None


@pytest.mark.parametrize("text", ["", "numpy<<2", "python<<3", "pandas[excel]"])
def test_bad_questions(text: str) -> None:
    with pytest.raises(UsageError):
        parse_question(text)


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("90d", dt.timedelta(days=90)),
        ("12w", dt.timedelta(weeks=12)),
        ("36H", dt.timedelta(hours=36)),
    ],
)
def test_ages(text: str, age: dt.timedelta) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize("text", ["90", "0d", "-3d", "3 months", "d"])
def test_bad_ages(text: str) -> None:
    with pytest.raises(UsageError):
        parse_age(text)


def test_roles_and_ci_labels() -> None:
    assert default_role({}) == "dev"
    assert default_role({"CI": "true"}) == "ci"
    assert default_role({"CI": "false"}) == "dev"
    snapshot = make_snapshot(python="3.12.1", system="Darwin")
    assert ci_label(snapshot, {"GITHUB_JOB": "unit tests"}) == "ci/unit-tests/macos-py3.12"
    assert ci_label(snapshot, {}) == "ci/macos-py3.12"


def test_a_laptop_label_is_its_host_and_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("parity.fleet.origin.host_name", lambda: "ana-laptop")
    origin = machine_origin(
        make_snapshot(".venv-old"),
        label=None,
        role=None,
        environ={},
        cwd=tmp_path,
        default_env=False,
    )
    assert (origin.label, origin.role, origin.host) == ("ana-laptop:.venv-old", "dev", "ana-laptop")


def test_head_commit_reads_loose_and_packed_refs(tmp_path: Path) -> None:
    git = tmp_path / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "packed-refs").write_text("# pack-refs\n" + "b" * 40 + " refs/heads/main\n")
    assert head_commit(tmp_path / "sub" / "dir") == "b" * 40
    (git / "refs" / "heads" / "main").write_text("c" * 40 + "\n")
    assert head_commit(tmp_path) == "c" * 40
    (git / "HEAD").write_text("a" * 40 + "\n")  # detached
    assert head_commit(tmp_path) == "a" * 40
    assert head_commit(Path("/")) is None or len(head_commit(Path("/")) or "") == 40


def test_content_digests_depend_on_content_only() -> None:
    one = make_snapshot("a", taken_at="2026-01-01T00:00:00Z")
    two = make_snapshot("b", taken_at="2026-02-01T00:00:00Z")
    assert split(one).set_digest == split(two).set_digest
    assert split(one).context_digest == split(two).context_digest
    moved = make_snapshot("a", dists={"numpy": "2.0.0"})
    assert split(moved).set_digest != split(one).set_digest
    parts = split(one)
    from parity.fleet.content import parse_context

    back = rebuild(
        parse_context(parts.context_body, source="t"),
        [d.distribution() for d in parts.dists],
        label="a",
        taken_at=one.taken_at,
    )
    assert back == one

"""Fleet fixtures: one store per test, on SQLite and on PostgreSQL.

``store_url`` is parametrised: every test that takes it runs against both
stores.  See ``fixtures/postgres.py`` for where the PostgreSQL server comes
from (CI starts it; locally the tests start their own when initdb exists).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from fixtures.postgres import (
    REQUIRED_VARIABLE,
    URL_VARIABLE,
    drop_schema,
    new_schema,
    reachable,
    start_server,
    with_schema,
)

_CI_VARIABLES = (
    "PARITY_STORE",
    "CI",
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "BUILDKITE",
    "CIRCLECI",
    "JENKINS_URL",
    "TF_BUILD",
    "GITHUB_SHA",
    "GITHUB_JOB",
    "CI_COMMIT_SHA",
    "CI_JOB_NAME",
    "BUILDKITE_COMMIT",
    "CIRCLE_SHA1",
    "GIT_COMMIT",
    "BUILD_SOURCEVERSION",
    "PARITY_GIT_COMMIT",
)


@pytest.fixture(autouse=True)
def _no_ci_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Roles, labels and commits must not depend on where the tests run."""
    for name in _CI_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """The URL of a PostgreSQL server for this session (see fixtures/postgres.py)."""
    required = os.environ.get(REQUIRED_VARIABLE) == "1"
    given = os.environ.get(URL_VARIABLE)
    if given:
        problem = reachable(given)
        if problem:
            pytest.fail(f"{URL_VARIABLE} is set but the server does not answer: {problem}")
        yield given
        return
    if required:
        pytest.fail(
            f"{REQUIRED_VARIABLE}=1 but {URL_VARIABLE} is not set: CI must start PostgreSQL"
        )
    try:
        server = start_server()
    except FileNotFoundError as exc:
        pytest.skip(f"no PostgreSQL server for the store tests: {exc}")
    except RuntimeError as exc:
        pytest.fail(f"could not start a throw-away PostgreSQL server: {exc}")
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def postgres_store(postgres_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL store (its own schema) for one test."""
    schema = new_schema(postgres_url)
    try:
        yield with_schema(postgres_url, schema)
    finally:
        drop_schema(postgres_url, schema)


@pytest.fixture(params=["sqlite", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """An empty store of each kind: the one suite both stores must pass."""
    if request.param == "sqlite":
        return str(tmp_path / "store" / "fleet.db")
    url: str = request.getfixturevalue("postgres_store")
    return url

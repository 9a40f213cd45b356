"""Fixtures every test may use; the machinery lives in ``tests/fixtures/``.

- Every test runs in a hermetic environment (autouse ``uv_env``): no pip or uv
  configuration of this machine is seen, uv never downloads a Python, caches live in
  the session's temp dir.
- ``local_index``: a fresh copy of the package universe documented in
  ``fixtures/__init__.py``, served on 127.0.0.1; ``local_index.url`` is its simple URL.
- ``uv_project_config``: uv reads ``[tool.uv]`` of the project, and no user or system
  uv.toml (what the hermetic environment gives every test; the name says what a test
  relies on).
- ``fresh_venv``: an empty Python 3.11 venv made by ``uv venv``; returns its interpreter.
- ``golden(name, text)``: compares generated text with ``golden/<name>`` next to the
  test module, byte for byte; ``PARITY_UPDATE_GOLDEN=1`` rewrites the files instead
  (review the change with ``git diff``).
- Tests marked ``network`` are skipped when the real registry cannot be reached (or when
  ``PARITY_TEST_NETWORK=0``); ``PARITY_TEST_REGISTRY_URL`` overrides the probed URL.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fixtures import LocalIndex, hermetic_env_plan, make_venv, network_skip_reason, universe_index
from parity.cli.main import main


def _apply(monkeypatch: pytest.MonkeyPatch, plan: Mapping[str, str | None]) -> None:
    for name, value in plan.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


@pytest.fixture(scope="session")
def hermetic_env_settings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | None]:
    return hermetic_env_plan(os.environ, tmp_path_factory.mktemp("caches"))


@pytest.fixture(scope="session", autouse=True)
def _hermetic_session_env(hermetic_env_settings: dict[str, str | None]) -> Iterator[None]:
    # Session-wide too, so session-scoped fixtures that run tools are hermetic as well.
    with pytest.MonkeyPatch.context() as monkeypatch:
        _apply(monkeypatch, hermetic_env_settings)
        yield


@pytest.fixture(autouse=True)
def uv_env(
    hermetic_env_settings: dict[str, str | None],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, str]:
    """The hermetic environment, applied to ``os.environ``; returns a copy for ``env=``."""
    _apply(monkeypatch, hermetic_env_settings)
    # pip-compile caches dependencies by name and version; tests publish different
    # packages under the same name and version, so that cache must not outlive a test.
    monkeypatch.setenv("PIP_TOOLS_CACHE_DIR", str(tmp_path_factory.mktemp("pip-tools-cache")))
    return dict(os.environ)


@pytest.fixture
def uv_project_config(
    uv_env: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Let uv read the project's own ``[tool.uv]`` settings in this test.

    ``UV_NO_CONFIG`` would hide them along with the user's and the system's uv.toml;
    this makes sure it is not set and points the XDG config directories at an empty
    one, so the user's configuration stays hidden.
    """
    empty = tmp_path_factory.mktemp("xdg-config")
    monkeypatch.delenv("UV_NO_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(empty))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(empty))


@pytest.fixture(scope="session")
def _universe_template(tmp_path_factory: pytest.TempPathFactory) -> LocalIndex:
    return universe_index(tmp_path_factory.mktemp("universe") / "index")


@pytest.fixture
def local_index(_universe_template: LocalIndex, tmp_path: Path) -> Iterator[LocalIndex]:
    """A private copy of the universe, served over HTTP on 127.0.0.1 for this test."""
    index = _universe_template.clone(tmp_path / "index")
    with index.serve():
        yield index


@pytest.fixture
def fresh_venv(tmp_path: Path) -> Path:
    """An empty Python 3.11 venv (no pip) at ``tmp_path/venv``; returns its interpreter."""
    return make_venv(tmp_path / "venv", "3.11")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    network = [item for item in items if item.get_closest_marker("network")]
    if not network:
        return
    reason = network_skip_reason()  # probed once per session, only when needed
    if reason is not None:
        for item in network:
            item.add_marker(pytest.mark.skip(reason=reason))


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def run_parity(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run the real CLI entry point in-process; return exit code and output."""

    def run(*args: str | Path) -> Result:
        code = 0
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare generated text with its golden file (``PARITY_UPDATE_GOLDEN=1`` rewrites it)."""
    folder = Path(request.path).parent / "golden"

    def check(name: str, text: str) -> None:
        path = folder / name
        if os.environ.get("PARITY_UPDATE_GOLDEN") == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
            return
        assert path.exists(), f"no golden file {name}: run with PARITY_UPDATE_GOLDEN=1"
        expected = path.read_bytes().decode("utf-8")
        assert text == expected, f"{name} differs from its golden file (PARITY_UPDATE_GOLDEN=1)"

    return check

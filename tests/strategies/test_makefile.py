"""The Makefile export: parity's targets, or pip-tools' when asked."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from strategy_helpers import DIGEST, lock_for, pip_tools_spec

from parity.errors import UsageError
from parity.strategies import makefile
from parity.strategies.apply import final_text
from parity.strategies.base import DictWorkspace, Request


def render(engine: str | None = None, **options: str) -> str:
    spec = pip_tools_spec()
    opts = {"engine": engine, **options} if engine else dict(options)
    out = makefile.render(Request(spec, lock_for(spec), DictWorkspace({}), opts))
    [(path, output)] = out.files.items()
    return final_text(
        path, output, artifact="makefile", lock_digest=DIGEST, command="parity export --to makefile"
    )


@pytest.mark.parametrize("engine", ["parity", "pip-tools"])
def test_makefile_matches_golden(engine: str, golden: Callable[[str, str], None]) -> None:
    golden(f"Makefile.{engine}", render(engine))


@pytest.mark.parametrize("engine", ["parity", "pip-tools"])
def test_makefile_has_every_target_and_make_reads_it(engine: str, tmp_path: Path) -> None:
    text = render(engine)
    for target in ("venv", "lock", "sync", "check", "test", "clean"):
        assert f"\n{target}:" in text or f"\n{target}: " in text
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    (tmp_path / "Makefile").write_text(text)
    proc = subprocess.run(
        ["make", "-n", "-C", str(tmp_path), "lock", "sync", "check", "test", "clean"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr


def test_pip_tools_engine_compiles_each_in_file() -> None:
    text = render("pip-tools")
    assert (
        "pip-compile --quiet --generate-hashes --strip-extras -o requirements.txt requirements.in"
        in text
    )
    assert "-o requirements-dev.txt requirements-dev.in" in text
    assert "pip-sync --python-executable $(VENV)/bin/python requirements-dev.txt" in text
    assert "PIP_TOOLS ?= pip-tools==" in text


def test_unknown_group_is_an_error() -> None:
    with pytest.raises(UsageError, match="unknown group 'docs'"):
        render(group="docs")


def test_output_elsewhere_is_noted() -> None:
    spec = pip_tools_spec()
    out = makefile.render(Request(spec, lock_for(spec), DictWorkspace({}), {"output": "parity.mk"}))
    assert list(out.files) == ["parity.mk"]
    assert any("include parity.mk" in n for n in out.notes)


def test_a_conda_project_syncs_and_checks_its_conda_prefix() -> None:
    # `make sync` built the prefix in .venv while `parity check`, `parity sync`
    # and the CI parity writes use .conda: `make sync` then `parity check` failed.
    from parity.frozen import replace

    spec = replace(pip_tools_spec(), format="conda")
    out = makefile.render(Request(spec, lock_for(spec), DictWorkspace({}), {}))
    (text,) = (o.text for o in out.files.values())
    assert "VENV   ?= .conda\n" in text
    assert "# `make sync` builds .conda from the lock;" in text
    assert "sync --group dev --venv $(VENV)" in text

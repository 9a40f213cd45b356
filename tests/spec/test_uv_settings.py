"""parity reads each ``[tool.uv]`` resolver setting as uv does: what uv refuses stops at its line.

A value uv refuses either fails ``uv lock`` or makes uv warn and then read
none of the file's settings, so the lock silently drops every one of them.
parity validated some of these settings by shape only: ``minimum-libc-version
= "2.28"`` (uv reads a table, ``{ glibc = "2.28" }``, and fails on a string),
``exclude-newer = "bogus"`` or ``"1 month"``, a package list naming
``"foo>=1"``, an unknown key in ``dependency-metadata``.  And it refused
``exclude-newer = false``, which uv reads.

Each case below is uv 0.13.9's verdict; ``test_uv_agrees`` asks uv itself
(offline, a project without dependencies), so a uv that reads a setting
differently shows here first.
"""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from fixtures import make_project, uv_bin
from parity.errors import SpecError
from parity.lock.engines.uv import settings_refused
from parity.spec.load import load_project

# (setting as written under [tool.uv], whether uv 0.13.9 reads it)
CASES: list[tuple[str, bool]] = [
    ('minimum-libc-version = { glibc = "2.17" }', True),
    ('minimum-libc-version = { musl = "1.2" }', True),
    ('minimum-libc-version = { glibc = "2.28", musl = "1.2" }', True),
    ("minimum-libc-version = {}", True),
    ('minimum-libc-version = "2.28"', False),
    ('minimum-libc-version = { glibc = "2.28.1" }', False),
    ('minimum-libc-version = { glibc = "manylinux_2_28" }', False),
    ("minimum-libc-version = { glibc = 2.28 }", False),
    ('minimum-libc-version = { glibc = "2.28", bogus = "1" }', False),
    ('exclude-newer = "2024-06-01T00:00:00Z"', True),
    ('exclude-newer = "2024-06-01"', True),
    ('exclude-newer = "2024-06-01T00:00:00+02:00"', True),
    ('exclude-newer = "2024-06-01 00:00:00Z"', True),
    ('exclude-newer = "1 week"', True),
    ('exclude-newer = "2 weeks ago"', True),
    ('exclude-newer = "1 week, 2 days"', True),
    ('exclude-newer = "1w2d"', True),
    ('exclude-newer = "1.5h"', True),
    ('exclude-newer = "P7D"', True),
    ('exclude-newer = "PT24H"', True),
    ("exclude-newer = false", True),
    ('exclude-newer = "bogus"', False),
    ('exclude-newer = "1 month"', False),
    ('exclude-newer = "1 year"', False),
    ('exclude-newer = "P1M"', False),
    ('exclude-newer = "1.5 weeks"', False),
    ('exclude-newer = "1 WEEK"', False),
    ('exclude-newer = "1 day 1 day"', False),
    ('exclude-newer = "2024-02-30"', False),
    ('exclude-newer = "2024-06-01T25:00:00Z"', False),
    ('exclude-newer = ""', False),
    ("exclude-newer = true", False),
    ("exclude-newer = 2024-06-01", False),
    ('exclude-newer = { timestamp = "2024-06-01T00:00:00Z" }', True),
    ('exclude-newer = { timestamp = "2024-06-01T00:00:00Z", span = "P7D" }', True),
    ('exclude-newer = { timestamp = "2024-06-01" }', False),
    ('exclude-newer = { span = "P7D" }', False),
    ('exclude-newer-package = { alpha = "2024-06-01" }', True),
    ('exclude-newer-package = { alpha = { timestamp = "2024-06-01T00:00:00Z" } }', True),
    ("exclude-newer-package = { alpha = false }", True),
    ("exclude-newer-package = { alpha = true }", False),
    ('exclude-newer-package = { alpha = "bogus" }', False),
    ('exclude-newer-package = { "not a name!" = "2024-06-01" }', False),
    ('prerelease-package = { alpha = "allow" }', True),
    ('prerelease-package = { alpha = "bogus" }', False),
    ('prerelease-package = ["alpha"]', False),
    ('no-build-package = ["alpha"]', True),
    ('no-build-package = ["Not A Name!"]', False),
    ('no-binary-package = ["alpha>=1"]', False),
    ('no-build-isolation-package = ["bad name"]', False),
    ('exclude-dependencies = ["alpha"]', True),
    ('exclude-dependencies = ["alpha>=1"]', False),
    ('config-settings = { a = "b" }', True),
    ('config-settings = { a = ["b", "c"] }', True),
    ("config-settings = { a = 1 }", False),
    ('config-settings-package = { alpha = { a = "b" } }', True),
    ('config-settings-package = { alpha = "b" }', False),
    ('extra-build-dependencies = { alpha = ["beta"] }', True),
    (
        'extra-build-dependencies = { alpha = [{ requirement = "beta", match-runtime = true }] }',
        True,
    ),
    ('extra-build-dependencies = { alpha = "beta" }', False),
    ('extra-build-dependencies = { alpha = ["not a req ==="] }', False),
    ('extra-build-variables = { alpha = { A = "1" } }', True),
    ("extra-build-variables = { alpha = { A = 1 } }", False),
    ('build-constraint-dependencies = ["setuptools<70"]', True),
    ('build-constraint-dependencies = ["not a req ==="]', False),
    ('dependency-metadata = [{ name = "alpha", version = "1.0", requires-dist = ["beta"] }]', True),
    ('dependency-metadata = [{ name = "alpha" }]', True),
    ('dependency-metadata = [{ version = "1.0" }]', False),
    ('dependency-metadata = [{ name = "alpha", zzz = 1 }]', False),
    ('dependency-metadata = [{ name = "alpha", requires-dist = ["not a req ==="] }]', False),
    ("required-environments = [\"sys_platform == 'linux'\"]", True),
    ("required-environments = \"sys_platform == 'linux'\"", True),
    ('required-environments = ["not a marker"]', False),
    ("environments = [\"sys_platform == 'linux'\"]", True),
    ('environments = ["not a marker"]', False),
    ('no-build = "yes"', False),
    # Keys parity does not carry: a value uv refuses still makes it drop every setting.
    ('link-mode = "copy"', True),
    ('link-mode = "bogus"', False),
    ("compile-bytecode = 1", False),
    ("concurrent-builds = 4", True),
    ("concurrent-builds = 0", False),
    ('reinstall-package = ["bad name!"]', False),
    ('python-preference = "managed"', True),
    ('python-preference = "sometimes"', False),
    ("preview-features = true", True),
    ('default-groups = "all"', True),
    ("default-groups = 1", False),
    ('index-url = ["x"]', False),
    ('index-strategy = "first-match"', False),
]
IDS = [setting for setting, _ in CASES]
HEAD = "[project]\nname = 'app'\nversion = '1'\nrequires-python = '>=3.9'\ndependencies = []\n"


def _project(tmp_path: Path, setting: str) -> Path:
    return make_project(tmp_path, {"pyproject.toml": f"{HEAD}\n[tool.uv]\n{setting}\n"})


@pytest.mark.parametrize(("setting", "uv_reads"), CASES, ids=IDS)
def test_parity_reads_what_uv_reads_and_stops_at_what_it_refuses(
    tmp_path: Path, setting: str, uv_reads: bool
) -> None:
    project = _project(tmp_path, setting)
    if uv_reads:
        load_project(project)
        return
    with pytest.raises(SpecError) as info:
        load_project(project)
    key = setting.split(" =", 1)[0]
    assert info.value.message.startswith(f"[tool.uv] {key} ")
    assert (info.value.path, info.value.line) == ("pyproject.toml", 8)


def test_uv_agrees(tmp_path: Path, uv_env: dict[str, str]) -> None:
    """uv itself, on each case: it fails, or warns that it read none of the settings."""
    env = {k: v for k, v in uv_env.items() if k != "UV_NO_CONFIG"}
    empty = tmp_path / "xdg"
    empty.mkdir()
    env.update(XDG_CONFIG_HOME=str(empty), XDG_CONFIG_DIRS=str(empty))

    def reads(n: int) -> bool:
        done = subprocess.run(
            [uv_bin(), "lock", "--offline", "--no-progress", "--color", "never"],
            cwd=_project(tmp_path / str(n), CASES[n][0]),
            env=env,
            capture_output=True,
            text=True,
        )
        return done.returncode == 0 and settings_refused(done.stderr) is None

    # uv spends most of each run waiting on the file system: several at a time.
    with ThreadPoolExecutor(max_workers=8) as pool:
        verdicts = list(pool.map(reads, range(len(CASES))))
    wrong = [s for (s, listed), got in zip(CASES, verdicts, strict=True) if got != listed]
    assert wrong == [], "uv reads these otherwise than listed"


def test_uv_refusing_the_settings_parity_carried_is_an_error_not_a_warning() -> None:
    stderr = (
        "warning: Failed to parse `pyproject.toml` during settings discovery:\n"
        "  TOML parse error at line 12, column 17\n"
        "     |\n"
        '  12 | exclude-newer = "someday"\n'
        "     |                 ^^^^^^^^^\n"
        "  `someday` could not be parsed as a valid exclude-newer value\n"
    )
    error = settings_refused(stderr)
    assert error is not None
    assert error.message == (
        'uv cannot read a [tool.uv] setting of this project (exclude-newer = "someday"): '
        "`someday` could not be parsed as a valid exclude-newer value"
    )
    assert error.path == "pyproject.toml"
    assert settings_refused("warning: something else\n") is None


def test_exclude_newer_false_is_carried(tmp_path: Path) -> None:
    spec = load_project(_project(tmp_path, "exclude-newer = false"))
    assert dict(spec.resolver_settings) == {"exclude-newer": False}


def test_minimum_libc_version_is_carried_as_the_table_uv_reads(tmp_path: Path) -> None:
    from parity.lock.engines.uv import ResolveRequest, render_pyproject
    from parity.toml import loads

    spec = load_project(_project(tmp_path, 'minimum-libc-version = { glibc = "2.28" }'))
    assert dict(spec.resolver_settings) == {"minimum-libc-version": {"glibc": "2.28"}}
    request = ResolveRequest(groups=(), requires_python=">=3.9", settings=spec.resolver_settings)
    assert loads(render_pyproject(request))["tool"]["uv"]["minimum-libc-version"] == {
        "glibc": "2.28"
    }

"""How uv's failures are worded for the user: what went wrong, and what to do."""

from __future__ import annotations

from parity.errors import ResolutionError
from parity.lock.engines.uv import _lock_error

# uv 0.9 on a Poetry project whose supplemental source does not resolve: the build
# requirement (poetry-core) is fetched from it first, and uv says "No solution found".
UNREACHABLE_BUILD_INDEX = """\
error: Failed to build `deepeval @ file:///somewhere/deepeval`
  cause: Failed to resolve requirements from `build-system.requires`
  cause: No solution found when resolving: `poetry-core`
  cause: Request failed after 3 retries in 7.6s
  cause: Failed to fetch: https://user:secret@private.example/simple/poetry-core/
  cause: error sending request for url (https://private.example/simple/poetry-core/)
  cause: client error (Connect)
  cause: dns error
  cause: failed to lookup address information: Name or service not known
"""


def test_an_unreachable_index_is_not_called_a_conflict() -> None:
    text = UNREACHABLE_BUILD_INDEX.replace("  cause:", "  cause:")
    error = _lock_error(text, offline=False)
    assert not isinstance(error, ResolutionError)
    message = str(getattr(error, "message", error))
    # Worded as every unreachable index is (the index as configured, uv's last reason).
    assert message.startswith("cannot reach the package index https://")
    assert "private.example/simple" in message and "secret" not in message
    assert "Name or service not known" in message
    hint = getattr(error, "hint", "") or ""
    assert "Relax" not in hint and "proxy" in hint and "--offline" in hint


def test_the_unreachable_index_is_named_as_configured() -> None:
    from parity.lock.index import IndexArgs

    configured = IndexArgs(index_url="https://user:secret@private.example/simple")
    error = _lock_error(UNREACHABLE_BUILD_INDEX, offline=False, index=configured)
    message = str(getattr(error, "message", error))
    assert message.startswith("cannot reach the package index https://")
    assert "private.example/simple:" in message and "secret" not in message


# uv 0.13 on a Poetry 1 project that poetry-core refuses: uv builds the project to read
# its metadata, and prints the build backend's traceback.
BACKEND_TRACEBACK = """\
error: Failed to build `gpt-engineer @ file:///home/ana/work/gpt-engineer`
  Caused by: The build backend returned an error
  Caused by: Call to `poetry.core.masonry.api.prepare_metadata_for_build_editable` failed (exit status: 1)

[stderr]
Traceback (most recent call last):
  File "<string>", line 14, in <module>
  File "/home/ana/.cache/uv/builds-v0/.tmpE72AuJ/lib/python3.11/site-packages/poetry/core/masonry/api.py", line 42, in prepare_metadata_for_build_wheel
    poetry = Factory().create_poetry(Path.cwd(), with_groups=False)
             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/home/ana/.cache/uv/builds-v0/.tmpE72AuJ/lib/python3.11/site-packages/poetry/core/factory.py", line 58, in create_poetry
    raise RuntimeError("The Poetry configuration is invalid:\\n" + message)
RuntimeError: The Poetry configuration is invalid:
  - Reading /home/ana/work/gpt-engineer/README.md failed

hint: This usually indicates a problem with the package or the build environment.
"""


def test_a_build_backend_failure_shows_the_exception_not_the_traceback_and_no_paths() -> None:
    from parity.lock.engines.uv import backend_output

    error = _lock_error(BACKEND_TRACEBACK, offline=False)
    message = str(getattr(error, "message", error))
    assert message.startswith("cannot read the metadata of gpt-engineer from the source tree")
    assert "RuntimeError: The Poetry configuration is invalid:" in message
    assert "Traceback" not in message and 'File "' not in message and "^^^" not in message
    assert "create_poetry(Path.cwd()" not in message
    assert backend_output(BACKEND_TRACEBACK).count("\n") == BACKEND_TRACEBACK.count("\n") - 8


def test_machine_paths_in_an_engine_error_are_hidden_but_system_ones_kept() -> None:
    from parity.lock.locker import hide_machine_paths

    text = (
        "  - Reading /home/ana/work/app/README.md failed\n"
        "  cannot open /tmp/build-x1/setup.py, nor /work/cache/uv/a.whl;\n"
        "  fatal error: /usr/include/python3.11/Python.h: No such file\n"
        "  from https://index.example/simple/pkg/ and ./libs/pkg and requirements/dev.in"
    )
    shown = hide_machine_paths(text, home="/home/ana")
    assert shown == (
        "  - Reading ~/work/app/README.md failed\n"
        "  cannot open <local>, nor <local>;\n"
        "  fatal error: /usr/include/python3.11/Python.h: No such file\n"
        "  from https://index.example/simple/pkg/ and ./libs/pkg and requirements/dev.in"
    )

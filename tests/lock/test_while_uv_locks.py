"""What ``parity lock`` does while uv resolves, so that it is not left for after."""

from __future__ import annotations

import subprocess
import sys


def test_the_toml_parser_is_loaded_while_uv_resolves() -> None:
    # pylock.toml's added lines are each proven valid TOML: loaded at that first use,
    # the parser cost 6 ms after uv, when nothing else runs.
    code = (
        "import sys\n"
        "from parity.lock.locker import _load_post_processing\n"
        "assert 'tomllib' not in sys.modules and 'tomli' not in sys.modules\n"
        "_load_post_processing()\n"
        "print('tomllib' in sys.modules or 'tomli' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "True"

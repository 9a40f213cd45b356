"""``[tool.parity.conda]``: a project's say over conda names and placement.

```toml
[tool.parity.conda]
channels = ["conda-forge"]            # for environment.yml files parity writes
platforms = ["linux-64", "osx-arm64"] # what `parity lock` solves a conda project for
names = { mypkg = "mypkg-conda" }     # PyPI name = conda-forge name
from-conda = ["numpy"]                # install these from conda too
from-pip = ["torch"]                  # keep these with pip even if native-heavy
cuda = "12.4"                         # solve for machines with this CUDA driver (__cuda)
```
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from parity.errors import SpecError
from parity.names import canonical_name
from parity.patterns import lazy_pattern
from parity.spec.model import CondaSettings, SourceRef

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from typing import Any


_platform = lazy_pattern(r"(noarch|(linux|osx|win|emscripten|wasi|zos)-[a-z0-9]+)")


KEYS = ("channels", "platforms", "names", "from-conda", "from-pip", "cuda")


def read_conda_settings(table: Any, *, path: str, line: int | None) -> CondaSettings:
    """Validate the table; every error names the file and the table's line."""
    # Only a project with a [tool.parity.conda] table pays for the conda grammar.
    from parity.conda.matchspec import PACKAGE_NAME, is_channel

    where = "[tool.parity.conda]"
    ref = SourceRef(path, line)

    def fail(message: str, hint: str) -> SpecError:
        return SpecError(f"{where} {message}", path=path, line=line, hint=hint)

    if not isinstance(table, Mapping):
        raise fail("must be a table", f"Write {where} with keys {', '.join(KEYS)}.")
    for key in table:
        if key not in KEYS:
            raise fail(f"has an unknown key {key!r}", f"Its keys are {', '.join(KEYS)}.")
    channels = _strings(table, "channels", fail)
    for channel in channels:
        if not is_channel(channel):
            raise fail(f"channels: {channel!r} is not a channel", "Write a name or a URL.")
    platforms = _strings(table, "platforms", fail)
    for platform in platforms:
        if not _platform().fullmatch(platform):
            raise fail(
                f"platforms: {platform!r} is not a conda platform",
                "Use conda subdirs: linux-64, linux-aarch64, osx-64, osx-arm64, win-64.",
            )
    names_node = table.get("names", {})
    if not isinstance(names_node, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and PACKAGE_NAME.fullmatch(v)
        for k, v in names_node.items()
    ):
        raise fail(
            "names must map PyPI names to conda package names",
            'Write names = { "opencv-python-headless" = "opencv" }.',
        )
    cuda = table.get("cuda")
    if cuda is not None and (not isinstance(cuda, str) or not re.fullmatch(r"\d+(\.\d+)*", cuda)):
        raise fail(
            f'cuda must be a version string such as "12.4", not {cuda!r}', 'Write cuda = "12.4".'
        )
    return CondaSettings(
        cuda=cuda,
        names=tuple(sorted((canonical_name(k), v.lower()) for k, v in names_node.items())),
        from_conda=tuple(canonical_name(n) for n in _strings(table, "from-conda", fail)),
        from_pip=tuple(canonical_name(n) for n in _strings(table, "from-pip", fail)),
        channels=tuple(channels),
        platforms=tuple(platforms),
        source=ref,
    )


def _strings(table: Mapping[str, Any], key: str, fail: Any) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise fail(f"{key} must be a list of strings", f'Write {key} = ["..."].')
    return [v.strip() for v in value]


def settings_data(settings: CondaSettings) -> dict[str, Any]:
    """What goes into the digest of the file that holds the table."""
    return {
        "channels": list(settings.channels),
        "platforms": list(settings.platforms),
        "names": dict(settings.names),
        "from-conda": list(settings.from_conda),
        "from-pip": list(settings.from_pip),
        "cuda": settings.cuda,
    }

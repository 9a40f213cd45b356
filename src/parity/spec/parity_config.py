"""``[tool.parity]`` settings, from pyproject.toml and then parity.toml (whose keys win).

Each setting keeps where it was written, so an error about it names the
file and line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from parity.errors import SpecError
from parity.frozen import dataclass, field
from parity.spec.detect import (
    FORMATS,
)
from parity.spec.model import (
    CondaSettings,
    SourceRef,
)
from parity.spec.pyproject import (
    PYPROJECT,
    TomlLines,
    parse_toml,
)
from parity.textfile import is_present, read_text_file

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


PARITY_TOML = "parity.toml"


@dataclass
class ParityConfig:
    """``[tool.parity]`` settings parity's spec uses, with where each was written."""

    outputs: dict[str, str] = field(default_factory=dict)
    output_refs: dict[str, SourceRef] = field(default_factory=dict)
    python: str | None = None
    python_ref: SourceRef | None = None
    format: str | None = None
    format_ref: SourceRef | None = None
    conda: CondaSettings = field(default_factory=CondaSettings)
    # What each file said, for that file's digest.
    by_file: dict[str, dict[str, Any]] = field(default_factory=dict)


def read_parity_config(root: Path, pyproject: Mapping[str, Any], text: str) -> ParityConfig:
    """``[tool.parity]`` of pyproject.toml, then parity.toml (whose keys win)."""
    config = ParityConfig()
    tool = pyproject.get("tool", {})
    found = tool.get("parity") if isinstance(tool, Mapping) else None
    if found is not None:
        _merge_config(config, found, PYPROJECT, TomlLines(text), ("tool", "parity"))
    if is_present(root / PARITY_TOML):
        own_text = read_text_file(root / PARITY_TOML, shown=PARITY_TOML)
        own = parse_toml(own_text, PARITY_TOML)
        nested = own.get("tool", {}).get("parity") if isinstance(own.get("tool"), Mapping) else None
        if nested is not None:
            _merge_config(config, nested, PARITY_TOML, TomlLines(own_text), ("tool", "parity"))
        else:
            _merge_config(config, own, PARITY_TOML, TomlLines(own_text), ())
    return config


def _merge_config(
    config: ParityConfig, found: Any, path: str, lines: TomlLines, at: tuple[str, ...]
) -> None:
    where = "[tool.parity]" if at else path
    if not isinstance(found, Mapping):
        raise SpecError(f"{where} must be a table", path=path)
    used: dict[str, Any] = {}
    if "outputs" in found:
        line = lines.key(at, "outputs")
        outputs = found["outputs"]
        if not isinstance(outputs, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in outputs.items()
        ):
            raise SpecError(
                f"{where} outputs must map group names to file names",
                path=path,
                line=line,
                hint='Write outputs = { dev = "requirements/dev.txt" }.',
            )
        for group, output in outputs.items():
            config.outputs[group] = output
            config.output_refs[group] = SourceRef(path, line)
        used["outputs"] = dict(outputs)
    if "python" in found:
        line = lines.key(at, "python")
        value = found["python"]
        if not isinstance(value, str) or not re.fullmatch(r"\d+\.\d+(\.\d+)?", value.strip()):
            raise SpecError(
                f'{where} python must be a Python version such as "3.11", not {value!r}',
                path=path,
                line=line,
                hint='Write python = "3.11" (or "3.11.7").',
            )
        config.python, config.python_ref = value.strip(), SourceRef(path, line)
        used["python"] = value.strip()
    if "conda" in found:
        line = lines.key(at, "conda")
        from parity.spec.conda_settings import read_conda_settings, settings_data

        config.conda = read_conda_settings(found["conda"], path=path, line=line)
        used["conda"] = settings_data(config.conda)
    if "format" in found:
        line = lines.key(at, "format")
        value = found["format"]
        if value not in FORMATS:
            raise SpecError(
                f"{where} format must be one of {', '.join(FORMATS)}, not {value!r}",
                path=path,
                line=line,
                hint='Write format = "requirements-in" (or "pep621", "poetry", "conda").',
            )
        config.format, config.format_ref = str(value), SourceRef(path, line)
        used["format"] = value
    if used:
        config.by_file[path] = used

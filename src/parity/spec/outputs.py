"""Where each group is locked: output file names checked before anything is written.

An output must belong to a group of the project, stay inside it as a
regular ``.txt`` file reached through no link, and never be an input or
another group's lockfile.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

from parity.errors import SpecError, UsageError
from parity.frozen import replace
from parity.fsutil import is_link_loop
from parity.spec.model import (
    Group,
)
from parity.spec.parity_config import PARITY_TOML, ParityConfig
from parity.spec.pyproject import (
    PYPROJECT,
)
from parity.spec.python_target import PYTHON_VERSION

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from pathlib import Path
    from typing import NoReturn


def check_output_names(
    names: Iterable[str],
    outputs: Mapping[str, str],
    config: ParityConfig,
    from_cli: Mapping[str, str] | None,
) -> None:
    """Every output named must be for a group of the project, and stay inside it."""
    known = list(names)
    for group, output in outputs.items():
        if group not in known:
            _output_error(
                f"an output file is named for unknown group {group!r}",
                group,
                config,
                from_cli,
                hint=f"This project's groups are: {', '.join(known)}.",
            )
        path = PurePosixPath(output.replace("\\", "/"))
        if not output.strip() or path.is_absolute() or ".." in path.parts or ":" in output:
            _output_error(
                f"the output file for {group!r} must be a relative path inside the project, "
                f"not {output!r}",
                group,
                config,
                from_cli,
                hint="Write it relative to the project root, e.g. requirements/dev.txt.",
            )


def apply_outputs(
    groups: list[Group],
    outputs: Mapping[str, str],
    config: ParityConfig,
    from_cli: Mapping[str, str] | None,
) -> list[Group]:
    """The groups with the output files the project or the command line names for them."""
    check_output_names([g.name for g in groups], outputs, config, from_cli)
    return [replace(g, output=outputs.get(g.name, g.output)) for g in groups]


def check_outputs_are_not_inputs(
    outputs: Iterable[tuple[str, str]],
    inputs: Iterable[str],
    config: ParityConfig,
    from_cli: Mapping[str, str] | None,
) -> None:
    """Two groups cannot share a lockfile, and no lockfile may overwrite an input."""
    read = {
        i.split(" ", 1)[0].casefold() for i in (*inputs, PYPROJECT, PARITY_TOML, PYTHON_VERSION)
    }
    seen: dict[str, str] = {}
    for group, output_text in outputs:
        output = PurePosixPath(output_text.replace("\\", "/")).as_posix()
        # Case-folded: on macOS and Windows REQUIREMENTS.IN is requirements.in.
        key = output.casefold()
        if key in read or key.endswith(".in"):
            _output_error(
                f"group {group!r} would be locked into {output}, which is an input file",
                group,
                config,
                from_cli,
                hint="Name a .txt file for it in [tool.parity] outputs; parity would "
                "overwrite the input.",
            )
        if key in seen:
            _output_error(
                f"groups {seen[key]!r} and {group!r} would both be locked into {output}",
                group,
                config,
                from_cli,
                hint="Give each group its own output file.",
            )
        seen[key] = group
        if not key.endswith(".txt"):
            _output_error(
                f"the output file for {group!r} must be a .txt file, not {output!r}",
                group,
                config,
                from_cli,
                hint="Lockfiles are requirements files: name it e.g. requirements/dev.txt.",
            )


def check_output_locations(
    root: Path,
    outputs: Iterable[tuple[str, str]],
    config: ParityConfig,
    from_cli: Mapping[str, str] | None,
) -> None:
    """Each lockfile lands inside the project, as a regular file, through no link."""
    resolved_root = root.resolve()
    for group, output in outputs:
        path = root / output
        try:
            inside = path.resolve().is_relative_to(resolved_root)
            loop = is_link_loop(path)
        except (OSError, RuntimeError):  # Python < 3.13 raises on a loop
            loop = True
        if loop:
            _output_error(
                f"the output file for {group!r} ({output}) is a symbolic link loop",
                group,
                config,
                from_cli,
                hint="Remove the link or name another file.",
            )
        if not inside:
            _output_error(
                f"the output file for {group!r} ({output}) leads outside the project "
                "through a symbolic link",
                group,
                config,
                from_cli,
                hint="Name a file inside the project; parity writes nothing outside it.",
            )
        if path.is_symlink():
            _output_error(
                f"the output file for {group!r} ({output}) is a symbolic link",
                group,
                config,
                from_cli,
                hint="parity writes lockfiles as regular files; remove the link or name "
                "another file.",
            )
        if path.is_dir():
            _output_error(
                f"the output file for {group!r} ({output}) is a directory",
                group,
                config,
                from_cli,
                hint="Name a file, e.g. requirements/dev.txt.",
            )


def _output_error(
    message: str,
    group: str,
    config: ParityConfig,
    from_cli: Mapping[str, str] | None,
    *,
    hint: str,
) -> NoReturn:
    if from_cli and group in from_cli:
        raise UsageError(message, hint=hint)
    ref = config.output_refs.get(group)
    raise SpecError(
        message, path=ref.path if ref else None, line=ref.line if ref else None, hint=hint
    )

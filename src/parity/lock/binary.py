"""pip's ``--no-binary`` / ``--only-binary`` for uv and for lockfiles.

For the resolution they become ``uv lock``'s own options: ``--only-binary
:all:`` is ``--no-build`` (a version with only a source distribution cannot
be chosen), ``--only-binary a,b`` is ``--no-build-package`` for each, and
``--no-binary`` likewise ``--no-binary`` / ``--no-binary-package`` (a version
with only wheels cannot be chosen); ``[tool.uv]`` calls them ``no-build``,
``no-build-package``, ``no-binary``, ``no-binary-package``.  They are
options, not settings in the throw-away project, because ``UV_NO_CONFIG``
makes uv skip a project's ``[tool.uv]`` settings.  uv gives a named package
precedence over ``:all:`` of the other kind, as pip does.

In a lockfile they are written as pip-compile writes them (its default
``--emit-options``), after the index options, so that ``pip install -r`` and
``uv pip sync`` (which ``parity sync`` runs) install as the inputs asked.
All functions here are pure.
"""

from __future__ import annotations

from collections.abc import Iterable

from parity.spec.model import FormatControl

ALL = ":all:"
OPTIONS = ("--no-binary", "--only-binary")


def uv_args(control: FormatControl) -> tuple[str, ...]:
    """The ``uv lock`` options that say the same."""
    out: list[str] = []
    for names, everything in (
        (control.only_binary, "--no-build"),
        (control.no_binary, "--no-binary"),
    ):
        if ALL in names:
            out.append(everything)
        for name in names:
            if name != ALL:
                out += [f"{everything}-package", name]
    return tuple(out)


def option_lines(control: FormatControl) -> tuple[str, ...]:
    """The lines a lockfile carries, in pip-compile's order (``:all:`` first)."""
    lines: list[str] = []
    if ALL in control.no_binary:
        lines.append("--no-binary :all:")
    if ALL in control.only_binary:
        lines.append("--only-binary :all:")
    lines += [f"--no-binary {n}" for n in control.no_binary if n != ALL]
    lines += [f"--only-binary {n}" for n in control.only_binary if n != ALL]
    return tuple(lines)


def is_option_line(line: str) -> bool:
    return line.startswith(OPTIONS)


def parse_option_lines(lines: Iterable[str]) -> FormatControl:
    """What :func:`option_lines` wrote, read back (``--opt VALUE`` or ``--opt=VALUE``)."""
    no_binary: set[str] = set()
    only_binary: set[str] = set()
    for line in lines:
        option, _, value = line.strip().replace("=", " ", 1).partition(" ")
        names = {v.strip() for v in value.split(",") if v.strip()}
        if option == "--no-binary":
            no_binary |= names
        elif option == "--only-binary":
            only_binary |= names
    return FormatControl(no_binary=tuple(sorted(no_binary)), only_binary=tuple(sorted(only_binary)))

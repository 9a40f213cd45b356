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
``[tool.uv]``'s four settings are written there too (:func:`lock_format_control`):
``uv sync`` reads them when it installs, and ``uv pip sync`` reads only the
file.  All functions here are pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from parity.spec.model import FormatControl

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from typing import Any

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


def uv_format_control(settings: Sequence[tuple[str, Any]]) -> FormatControl:
    """``[tool.uv]`` ``no-binary(-package)`` / ``no-build(-package)`` as pip's two options.

    As uv reads them: ``no-binary = true`` is every package and ``false`` none,
    whatever ``no-binary-package`` lists (likewise ``no-build``); a package
    named in one overrides ``true`` of the other (``no-build`` is
    ``--only-binary``).  A name in both (or both ``true``) is kept in both, as
    uv keeps it: such a package cannot be installed at all.
    """
    values: Mapping[str, Any] = dict(settings)

    def names(everything: str, package: str) -> tuple[str, ...]:
        switch = values.get(everything)
        if switch is True:
            return (ALL,)
        if switch is False:
            return ()
        from parity.names import canonical_name

        return tuple(sorted({canonical_name(n) for n in values.get(package) or ()}))

    return FormatControl(
        no_binary=names("no-binary", "no-binary-package"),
        only_binary=names("no-build", "no-build-package"),
    )


def lock_format_control(
    control: FormatControl, settings: Sequence[tuple[str, Any]]
) -> FormatControl:
    """What a lockfile says about wheels and sdists: the requirements inputs' options
    (``control``) and ``[tool.uv]``'s (``settings``), both of which the resolution obeyed."""
    uv = uv_format_control(settings)
    if uv.is_default:
        return control
    return FormatControl(
        no_binary=tuple(sorted({*control.no_binary, *uv.no_binary})),
        only_binary=tuple(sorted({*control.only_binary, *uv.only_binary})),
    )


def missing_options(expected: FormatControl, locked: FormatControl) -> tuple[str, ...]:
    """The option lines ``expected`` holds that a lockfile (``locked``) lacks."""
    have = set(option_lines(locked))
    return tuple(line for line in option_lines(expected) if line not in have)


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

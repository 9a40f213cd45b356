"""Pipenv's ``Pipfile`` carried into the ``.in`` files parity reads.

parity does not read a Pipfile as an input: ``parity init --strategy
pip-tools`` converts it once, the way it carries a hand-written
requirements.txt.  ``[packages]`` become ``requirements.in``,
``[dev-packages]`` ``requirements-dev.in`` (``-r requirements.in`` first, as
``pipenv install --dev`` installs both) and each other category its own
group; ``[[source]]`` entries become ``--index-url`` / ``--extra-index-url``
lines, and ``[requires] python_version`` the ``.python-version``.  The
Pipfile itself is left as it is.  Pipfile.lock's versions are kept by the
first ``parity lock`` (lock/preferences.py).

What a requirements file cannot say (an unknown key of a package table) is
refused with the Pipfile's line, before anything is written.  The Pipfile is
read by spec/pipfile.py, which ``parity recommend`` reads it with too.
"""

from __future__ import annotations

from packaging.utils import canonicalize_name

from parity.frozen import dataclass
from parity.spec.pipfile import PIPFILE, read_pipfile

__all__ = ["PIPFILE", "ConvertedPipfile", "convert_pipfile"]


@dataclass(frozen=True)
class ConvertedPipfile:
    """The .in files (path: text), the Python it names, and what the user should know."""

    files: tuple[tuple[str, str], ...]
    python: str | None
    notes: tuple[str, ...]


def convert_pipfile(text: str) -> ConvertedPipfile:
    """A Pipfile's categories as requirements .in files (pure: text in, texts out)."""
    pipfile = read_pipfile(text)
    index_lines = list(pipfile.index_lines)
    files: list[tuple[str, str]] = []
    if pipfile.category("packages") is None:
        files.append(("requirements.in", _head("packages", index_lines, [])))
    for category in pipfile.categories:
        body = [entry.requirement for entry in category.entries]
        if category.name == "packages":
            files.insert(0, ("requirements.in", _head(category.name, index_lines, body)))
        else:
            name = category.name
            group = "dev" if name == "dev-packages" else str(canonicalize_name(name))
            files.append(
                (f"requirements-{group}.in", _head(name, [], ["-r requirements.in", *body]))
            )
    return ConvertedPipfile(tuple(files), pipfile.python, pipfile.notes)


def _head(category: str, index_lines: list[str], body: list[str]) -> str:
    head = [f"# carried from Pipfile [{category}] by `parity init --strategy pip-tools`."]
    return "\n".join([*head, *index_lines, *body]) + "\n"

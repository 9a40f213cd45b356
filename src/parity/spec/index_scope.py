"""What is said when a package tied to one index meets a requirements file, which cannot tie it.

pip reads every ``--index-url`` / ``--extra-index-url`` of a requirements file for
every package: a Pipfile's ``index = "name"``, a Poetry ``source = "name"`` on an
explicit source, a uv ``[tool.uv.sources]`` index all lose their scope there.
The Pipfile conversion and the lock say it in the same words.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: an everyday command imports this module
if TYPE_CHECKING:
    from collections.abc import Sequence


def one_index_note(names: Sequence[str], declared_in: str, index: str, consequence: str) -> str:
    """``names`` come, as ``declared_in`` says, from ``index`` only; ``consequence`` is
    what a requirements file does instead."""
    them = "them" if len(names) > 1 else "it"
    return (
        f"{', '.join(names)}: {declared_in} takes {them} from the {index} only; a requirements "
        f"file cannot tie a package to one index, so {consequence}"
    )

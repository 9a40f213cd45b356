"""Small frozen value classes, as ``@dataclass(frozen=True)`` makes them, without its cost.

A dataclass compiles its methods from source text when its module is imported:
a third of a millisecond each on a fast machine, and ``check`` (every commit,
every CI job) would define a dozen of them for the facts it compares.  A class
here names its fields once (``_fields``), writes its typed ``__init__`` and
shares the rest: equality and hash over the fields (same class only), the
dataclass's ``repr``, and :class:`dataclasses.FrozenInstanceError` on
assignment.  tests/diagnose/test_check_cheap_paths.py compares them with
dataclasses.
"""

from __future__ import annotations


class Frozen:
    """The shared methods; a subclass sets ``_fields`` and assigns them in ``__init__``."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _values(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__ or not isinstance(other, Frozen):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{self.__class__.__qualname__}({shown})"

    def __setattr__(self, name: str, value: object) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")

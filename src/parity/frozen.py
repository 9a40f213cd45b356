"""Dataclasses as :mod:`dataclasses` makes them, without its cost at import.

``dataclasses.dataclass`` compiles six methods from source text, with
``inspect`` and a regular expression per annotation, when its module is
imported: about a millisecond per class on a slow machine, and parity defines
some fifty on the way to starting uv.  :func:`dataclass` here makes the same
classes (the same ``__init__`` signature, equality, hash, ``repr``,
ordering, frozenness, ``__post_init__`` and ``__match_args__``, for the
options it takes) for almost nothing at import: the shared methods are plain
functions, and ``__init__`` is compiled the first time a class is
instantiated, so a class a command never builds costs nothing.  Type
checkers see a dataclass (``dataclass_transform``).

:func:`field`, :func:`replace` and :func:`asdict` are the ``dataclasses``
functions for these classes, without importing ``dataclasses``; the
``dataclasses`` functions work on them too (``fields``, ``replace``,
``asdict``, ``is_dataclass``: the public API promises dataclasses), through
``__dataclass_fields__``, built the first time it is asked for.  :class:`Frozen` is the hand-written form (a subclass writes
its own typed ``__init__``) for the few classes built in hot loops.
tests/test_frozen.py holds both to what ``dataclasses`` does.
"""

from __future__ import annotations

from collections.abc import Callable

# Not typing's: every command imports this module, and typing costs more than it does.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar, overload

    from typing_extensions import dataclass_transform

    _T = TypeVar("_T")
    _C = TypeVar("_C", bound=type)
else:
    # At run time an overload is only a declaration (typing's keeps a registry of them,
    # which parity never reads).  ruff then takes each overload
    # below for a redefinition: hence their ``noqa: F811``.
    def overload(function):
        return function

    def dataclass_transform(**_options):
        return lambda decorator: decorator


__all__ = ["Frozen", "asdict", "dataclass", "field", "replace"]


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


_MISSING: Any = _Missing()
# The default of an ``__init__`` parameter whose field has a default factory:
# the factory runs only when the caller passed nothing.
_FACTORY: Any = _Missing()


class _Field:
    """What :func:`field` says about one attribute."""

    __slots__ = ("compare", "default", "default_factory", "hash", "init", "kw_only", "name", "repr")

    def __init__(
        self,
        default: Any,
        default_factory: Any,
        init: bool,
        repr: bool,
        compare: bool,
        hash: bool | None,
        kw_only: bool | None,
    ) -> None:
        if default is not _MISSING and default_factory is not _MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare
        self.hash = hash
        self.kw_only = kw_only

    def hashed(self) -> bool:
        return self.compare if self.hash is None else self.hash

    def has_default(self) -> bool:
        return self.default is not _MISSING or self.default_factory is not _MISSING


@overload
def field(
    *,
    default: _T,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
    hash: bool | None = None,
    kw_only: bool | None = None,
) -> _T: ...
@overload
def field(  # noqa: F811 - the overloads above
    *,
    default_factory: Callable[[], _T],
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
    hash: bool | None = None,
    kw_only: bool | None = None,
) -> _T: ...
@overload
def field(  # noqa: F811 - the overloads above
    *,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
    hash: bool | None = None,
    kw_only: bool | None = None,
) -> Any: ...
def field(  # noqa: F811 - the overloads above
    *,
    default: Any = _MISSING,
    default_factory: Any = _MISSING,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
    hash: bool | None = None,
    kw_only: bool | None = None,
) -> Any:
    """An attribute with options, as :func:`dataclasses.field`."""
    return _Field(default, default_factory, init, repr, compare, hash, kw_only)


def _is_class_var(annotation: object) -> bool:
    if isinstance(annotation, str):
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    from typing import ClassVar

    return annotation is ClassVar or getattr(annotation, "__origin__", None) is ClassVar


def _own_annotations(cls: type) -> dict[str, Any]:
    # The class's own, not inherited ones (``cls.__annotations__`` would fall
    # back to a base's on Python 3.10 when the class declares none).
    annotations: dict[str, Any] = cls.__dict__.get("__annotations__", {})  # noqa: RUF063
    return annotations


def _collect(cls: type, kw_only: bool) -> tuple[_Field, ...]:
    """The fields of ``cls``: its bases' first (in MRO order), then its own, in order."""
    found: dict[str, _Field] = {}
    for base in reversed(cls.__mro__[1:]):
        for inherited in base.__dict__.get("__parity_fields__", ()):
            found[inherited.name] = inherited
    for name, annotation in _own_annotations(cls).items():
        if _is_class_var(annotation):
            continue
        given = cls.__dict__.get(name, _MISSING)
        if isinstance(given, _Field):
            spec = given
            if spec.default is _MISSING:
                delattr(cls, name)
            else:
                setattr(cls, name, spec.default)
        else:
            if isinstance(given, (list, dict, set)):
                raise ValueError(
                    f"mutable default {type(given)} for field {name} is not allowed: "
                    "use default_factory"
                )
            spec = _Field(given, _MISSING, True, True, True, None, None)
        if spec.kw_only is None:
            spec.kw_only = kw_only
        spec.name = name
        found[name] = spec
    fields = tuple(found.values())
    seen_default = False
    for spec in fields:
        if not spec.init or spec.kw_only:
            continue
        if spec.has_default():
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {spec.name!r} follows default argument")
    return fields


def _init_source(cls: type, frozen: bool) -> tuple[str, dict[str, Any]]:
    """The text of ``cls.__init__`` and the names it refers to."""
    fields: tuple[_Field, ...] = cls.__dict__["__parity_fields__"]
    names: dict[str, Any] = {"_FACTORY": _FACTORY, "_set": object.__setattr__}
    positional: list[str] = []
    keyword: list[str] = []
    body: list[str] = []
    for index, spec in enumerate(fields):
        name = spec.name
        param = ""
        if spec.default_factory is not _MISSING:
            names[f"_factory{index}"] = spec.default_factory
            made = f"_factory{index}()"
            if spec.init:
                param = f"{name}=_FACTORY"
                given = f"{made} if {name} is _FACTORY else {name}"
            else:
                given = made
        elif spec.init:
            if spec.default is _MISSING:
                param = name
            else:
                names[f"_default{index}"] = spec.default
                param = f"{name}=_default{index}"
            given = name
        elif spec.default is not _MISSING:
            names[f"_default{index}"] = spec.default
            given = f"_default{index}"
        else:
            continue
        if param:
            (keyword if spec.kw_only else positional).append(param)
        if frozen:
            body.append(f"    _set(self, {name!r}, {given})")
        else:
            body.append(f"    self.{name} = {given}")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    params = ["self", *positional]
    if keyword:
        params += ["*", *keyword]
    source = f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or "    pass") + "\n"
    return source, names


def _lazy_init(cls: type, frozen: bool) -> Callable[..., None]:
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        # Compiled on first use and put in place of this stub, on the class
        # decorated (a subclass decorated in turn has its own).
        source, names = _init_source(cls, frozen)
        exec(source, names)
        made = names["__init__"]
        made.__qualname__ = f"{cls.__qualname__}.__init__"
        made.__module__ = cls.__module__
        type.__setattr__(cls, "__init__", made)
        made(self, *args, **kwargs)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _values(self: Any, fields: tuple[_Field, ...]) -> tuple[Any, ...]:
    return tuple(getattr(self, spec.name) for spec in fields)


def _compared(self: Any) -> tuple[Any, ...]:
    return _values(self, self.__class__.__parity_compare__)


def _repr(self: Any) -> str:
    shown = ", ".join(
        f"{spec.name}={getattr(self, spec.name)!r}"
        for spec in self.__class__.__parity_fields__
        if spec.repr
    )
    return f"{self.__class__.__qualname__}({shown})"


def _eq(self: Any, other: object) -> Any:
    # Any: NotImplemented, or what the tuples' comparison says.
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _compared(self) == _compared(other)


def _hash(self: Any) -> int:
    return hash(_values(self, self.__class__.__parity_hashed__))


def _order(compare: Callable[[tuple[Any, ...], tuple[Any, ...]], bool]) -> Callable[..., Any]:
    def method(self: Any, other: object) -> Any:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return compare(_compared(self), _compared(other))

    return method


def _frozen_setattr(self: Any, name: str, value: object) -> None:
    from dataclasses import FrozenInstanceError

    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    from dataclasses import FrozenInstanceError

    raise FrozenInstanceError(f"cannot delete field {name!r}")


class _DataclassFields:
    """``cls.__dataclass_fields__``, made when first asked for (by the ``dataclasses`` module)."""

    def __get__(self, instance: object, owner: type) -> dict[str, Any]:
        import dataclasses
        import typing  # dataclasses imported it already

        made: dict[str, Any] = {}
        annotations = _own_annotations(owner)
        for spec in owner.__dict__["__parity_fields__"]:
            options: dict[str, Any] = {
                "init": spec.init,
                "repr": spec.repr,
                "compare": spec.compare,
                "hash": spec.hash,
            }
            if spec.default is not _MISSING:
                options["default"] = spec.default
            if spec.default_factory is not _MISSING:
                options["default_factory"] = spec.default_factory
            if spec.kw_only:
                options["kw_only"] = True
            made_field = dataclasses.field(**options)
            made_field.name = spec.name
            made_field.type = annotations.get(spec.name, typing.Any)
            made_field._field_type = dataclasses._FIELD  # type: ignore[attr-defined]
            made[spec.name] = made_field
        type.__setattr__(owner, "__dataclass_fields__", made)
        return made


def _set_new(cls: type, name: str, method: Any) -> None:
    if name not in cls.__dict__:
        setattr(cls, name, method)


def _process(cls: _C, frozen: bool, kw_only: bool, order: bool) -> _C:
    fields = _collect(cls, kw_only)
    cls.__parity_fields__ = fields  # type: ignore[attr-defined]
    cls.__parity_compare__ = tuple(spec for spec in fields if spec.compare)  # type: ignore[attr-defined]
    cls.__parity_hashed__ = tuple(spec for spec in fields if spec.hashed())  # type: ignore[attr-defined]
    cls.__dataclass_fields__ = _DataclassFields()  # type: ignore[attr-defined]
    _set_new(cls, "__init__", _lazy_init(cls, frozen))
    _set_new(cls, "__repr__", _repr)
    _set_new(cls, "__eq__", _eq)
    if order:
        for name, compare in (
            ("__lt__", tuple.__lt__),
            ("__le__", tuple.__le__),
            ("__gt__", tuple.__gt__),
            ("__ge__", tuple.__ge__),
        ):
            if name in cls.__dict__:
                raise TypeError(f"cannot overwrite attribute {name} in class {cls.__name__}")
            setattr(cls, name, _order(compare))
    # As dataclasses decides: a frozen class is hashed by its fields, a
    # mutable one (equal by its fields) is unhashable, unless the class
    # defines __hash__ itself.
    if cls.__dict__.get("__hash__") is None:
        cls.__hash__ = _hash if frozen else None  # type: ignore[assignment]
    if frozen:
        for name, method in (("__setattr__", _frozen_setattr), ("__delattr__", _frozen_delattr)):
            if name in cls.__dict__:
                raise TypeError(f"cannot overwrite attribute {name} in class {cls.__name__}")
            setattr(cls, name, method)
    _set_new(
        cls,
        "__match_args__",
        tuple(spec.name for spec in fields if spec.init and not spec.kw_only),
    )
    return cls


@overload
def dataclass(cls: _C, /) -> _C: ...
@overload
def dataclass(  # noqa: F811 - the overloads above
    *, frozen: bool = False, kw_only: bool = False, order: bool = False
) -> Callable[[_C], _C]: ...
@dataclass_transform(field_specifiers=(field,))
def dataclass(  # noqa: F811 - the overloads above
    cls: _C | None = None, /, *, frozen: bool = False, kw_only: bool = False, order: bool = False
) -> _C | Callable[[_C], _C]:
    """:func:`dataclasses.dataclass` (with these options) at the cost of a plain class."""

    def wrap(target: _C) -> _C:
        return _process(target, frozen, kw_only, order)

    return wrap if cls is None else wrap(cls)


def replace(obj: _T, /, **changes: Any) -> _T:
    """A copy of ``obj`` with ``changes``, as :func:`dataclasses.replace`."""
    for spec in obj.__class__.__parity_fields__:  # type: ignore[attr-defined]
        if not spec.init:
            if spec.name in changes:
                raise ValueError(
                    f"field {spec.name} is declared with init=False, "
                    "it cannot be specified with replace()"
                )
            continue
        if spec.name not in changes:
            changes[spec.name] = getattr(obj, spec.name)
    return obj.__class__(**changes)


def asdict(obj: object) -> dict[str, Any]:
    """The fields of ``obj`` as a dict, nested ones too, as :func:`dataclasses.asdict`."""
    if not hasattr(obj.__class__, "__parity_fields__"):
        raise TypeError("asdict() should be called on dataclass instances")
    result: dict[str, Any] = _asdict_inner(obj)
    return result


def _asdict_inner(obj: Any) -> Any:
    fields = getattr(obj.__class__, "__parity_fields__", None)
    if fields is not None:
        return {spec.name: _asdict_inner(getattr(obj, spec.name)) for spec in fields}
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):
        return obj.__class__(*[_asdict_inner(item) for item in obj])
    if isinstance(obj, (list, tuple)):
        return obj.__class__(_asdict_inner(item) for item in obj)
    if isinstance(obj, dict):
        return obj.__class__((_asdict_inner(k), _asdict_inner(v)) for k, v in obj.items())
    import copy

    return copy.deepcopy(obj)


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

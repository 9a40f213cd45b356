"""parity.frozen.dataclass against dataclasses: the same classes, built more cheaply."""

from __future__ import annotations

import dataclasses
import pickle
from typing import ClassVar

import pytest

from parity.frozen import asdict, field, replace
from parity.frozen import dataclass as value_class


@dataclasses.dataclass(frozen=True)
class DPoint:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    notes: list[str] = dataclasses.field(default_factory=list, compare=False)
    LIMIT: ClassVar[int] = 3


@value_class(frozen=True)
class VPoint:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list, compare=False)
    LIMIT: ClassVar[int] = 3


def test_same_constructor_equality_hash_and_repr() -> None:
    for args, kwargs in [((1,), {}), ((1, 2), {}), ((), {"x": 1, "tags": ("a",)})]:
        d, v = DPoint(*args, **kwargs), VPoint(*args, **kwargs)
        assert repr(d).replace("DPoint", "VPoint") == repr(v)
        assert (d.x, d.y, d.tags, d.notes) == (v.x, v.y, v.tags, v.notes)
    assert VPoint(1, 2) == VPoint(1, 2)
    assert VPoint(1, 2) != VPoint(1, 3)
    assert VPoint(1, notes=["a"]) == VPoint(1, notes=["b"])  # compare=False
    assert hash(VPoint(1, 2, ("a",))) == hash(VPoint(1, 2, ("a",)))
    assert VPoint(1) != DPoint(1)
    assert VPoint(1).__eq__(DPoint(1)) is NotImplemented
    assert VPoint.__match_args__ == DPoint.__match_args__
    assert VPoint.LIMIT == 3
    assert VPoint.y == 0


def test_defaults_are_not_shared() -> None:
    a, b = VPoint(1), VPoint(2)
    assert a.notes is not b.notes


def test_frozen_and_errors_as_dataclasses() -> None:
    v = VPoint(1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.x = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del v.x  # type: ignore[misc]
    with pytest.raises(TypeError):
        VPoint()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        VPoint(1, 2, (), [], 5)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        VPoint(1, z=3)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="mutable default"):

        @value_class(frozen=True)
        class Bad:
            items: list[int] = []  # noqa: RUF012

    with pytest.raises(TypeError, match="non-default argument"):

        @value_class(frozen=True)
        class Order:
            a: int = 1
            b: int  # type: ignore[misc]


def test_kw_only_order_post_init_and_init_false() -> None:
    @value_class(frozen=True, kw_only=True, order=True)
    class K:
        b: int
        a: int = 0

    assert K(b=2) < K(b=3)
    assert sorted([K(b=2, a=1), K(b=1)]) == [K(b=1), K(b=2, a=1)]
    assert K.__match_args__ == ()
    with pytest.raises(TypeError):
        K(1)  # type: ignore[misc]

    @value_class
    class Reader:
        text: str
        lines: list[str] = field(init=False)
        count: int = field(init=False, default=0)

        def __post_init__(self) -> None:
            self.lines = self.text.splitlines()

    r = Reader("a\nb")
    assert r.lines == ["a", "b"] and r.count == 0
    r.count = 2
    assert r.count == 2
    assert Reader.__hash__ is None  # mutable with field equality: unhashable, as dataclasses
    assert (
        repr(Reader("x"))
        == "test_kw_only_order_post_init_and_init_false.<locals>.Reader(text='x', lines=['x'], count=0)"
    )


def test_frozen_post_init_and_inheritance() -> None:
    @value_class(frozen=True)
    class Base:
        a: int
        b: str = "b"

        def __post_init__(self) -> None:
            object.__setattr__(self, "b", self.b.upper())

    @value_class(frozen=True)
    class Child(Base):
        c: int = 3

    child = Child(1)
    assert (child.a, child.b, child.c) == (1, "B", 3)
    assert Child.__match_args__ == ("a", "b", "c")
    assert Base(1) != Child(1)
    assert Base(1) == Base(1, "B")


def test_explicit_methods_are_kept() -> None:
    @value_class(frozen=True)
    class Named:
        name: str

        def __repr__(self) -> str:
            return self.name

        def __hash__(self) -> int:
            return 7

    assert repr(Named("x")) == "x"
    assert hash(Named("x")) == 7


def test_replace_and_asdict() -> None:
    v = VPoint(1, 2, ("a",), ["n"])
    assert replace(v, y=5) == VPoint(1, 5, ("a",))
    assert replace(v, y=5).notes == ["n"]

    @value_class(frozen=True)
    class Outer:
        inner: VPoint
        items: tuple[VPoint, ...]
        table: dict[str, VPoint]

    outer = Outer(v, (v,), {"k": v})
    expected = dataclasses.asdict(DPoint(1, 2, ("a",), ["n"]))
    assert asdict(outer) == {"inner": expected, "items": (expected,), "table": {"k": expected}}
    with pytest.raises(TypeError):
        asdict(object())


def test_pickle_round_trip() -> None:
    v = VPoint(1, 2)
    assert pickle.loads(pickle.dumps(v)) == v


def test_a_class_never_built_costs_no_compile() -> None:
    @value_class(frozen=True)
    class Unused:
        a: int

    # The stub is in place until the first instance; then the compiled __init__.
    stub = Unused.__init__
    Unused(1)
    assert Unused.__init__ is not stub
    assert Unused(2).a == 2


def test_the_dataclasses_module_sees_dataclasses() -> None:
    # The public API promises dataclasses: a user's dataclasses.replace,
    # asdict, fields and is_dataclass keep working.
    v = VPoint(1, 2, ("a",), ["n"])
    assert dataclasses.is_dataclass(v) and dataclasses.is_dataclass(VPoint)
    assert [f.name for f in dataclasses.fields(v)] == [f.name for f in dataclasses.fields(DPoint)]
    assert dataclasses.replace(v, y=5) == VPoint(1, 5, ("a",), ["n"])
    assert dataclasses.asdict(v) == dataclasses.asdict(DPoint(1, 2, ("a",), ["n"]))
    assert dataclasses.astuple(v) == dataclasses.astuple(DPoint(1, 2, ("a",), ["n"]))
    notes = next(f for f in dataclasses.fields(VPoint) if f.name == "notes")
    assert notes.compare is False and notes.default_factory is list


def test_the_public_models_are_dataclasses() -> None:
    import parity

    for model in (parity.ProjectSpec, parity.Lock, parity.Snapshot, parity.Finding):
        assert dataclasses.is_dataclass(model), model
        assert dataclasses.fields(model)

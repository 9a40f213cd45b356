"""Snapshots as JSON files (schema ``parity/snapshot@1``).

The file is byte-stable: keys sorted, distributions sorted by name, native
libraries by kind and name, so two snapshots of the same environment differ
only in ``taken_at``.  Every field of the model is written, None included,
so a reader never has to guess a default.  Reading validates the schema and
the type of every field: a file from another tool, or a newer parity,
raises :class:`SpecError` with the file and what to do.
"""

from __future__ import annotations

from parity.errors import SpecError

TYPE_CHECKING = False  # not typing's: importing it costs more than a snapshot reads
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from pathlib import Path
    from typing import Any

    from parity.env.snapshot_model import (
        Distribution,
        NativeLibrary,
        PlatformInfo,
        PythonInfo,
        Snapshot,
    )

# ``parity.env.snapshot_model.SNAPSHOT_SCHEMA``, without the model's dataclasses
# (``parity snapshot`` writes the document from plain values; a test checks both agree).
SCHEMA = "parity/snapshot@1"
_HINT = "Create snapshot files with `parity snapshot`."


def snapshot_to_json(snapshot: Snapshot) -> dict[str, Any]:
    """The snapshot as a JSON-ready dict (``json.dumps(..., sort_keys=True)`` it)."""
    python = snapshot.python
    platform = snapshot.platform
    return snapshot_json_document(
        label=snapshot.label,
        kind=snapshot.kind,
        taken_at=snapshot.taken_at,
        python=None
        if python is None
        else {
            "implementation": python.implementation,
            "version": python.version,
            "build": python.build,
            "compiler": python.compiler,
            "abi": python.abi,
        },
        platform=None
        if platform is None
        else {
            "system": platform.system,
            "machine": platform.machine,
            "release": platform.release,
            "libc": platform.libc,
            "libc_version": platform.libc_version,
        },
        distributions=[
            {
                "name": d.name,
                "version": d.version,
                "installer": d.installer,
                "source": d.source,
                "editable": d.editable,
                "requested": d.requested,
            }
            for d in snapshot.distributions
        ],
        native=[(n.kind, n.name, n.version, n.provider) for n in snapshot.native],
        env_vars=snapshot.env_vars,
        index=snapshot.index,
        problems=snapshot.problems,
    )


def snapshot_json_document(
    *,
    label: str,
    kind: str,
    taken_at: str | None,
    python: Mapping[str, str | None] | None,
    platform: Mapping[str, str | None] | None,
    distributions: Iterable[Mapping[str, Any]],
    native: Iterable[tuple[str, str, str | None, str | None]],
    env_vars: Mapping[str, str],
    index: Mapping[str, Sequence[str]],
    problems: Sequence[str],
) -> dict[str, Any]:
    """The JSON document of a snapshot given as plain values (the fields of its model classes).

    The one place that shapes the document: :func:`snapshot_to_json` passes a
    Snapshot's fields, ``parity snapshot`` the values decided from the probe.
    """
    return {
        "schema": SCHEMA,
        "label": label,
        "kind": kind,
        "taken_at": taken_at,
        "python": None if python is None else dict(python),
        "platform": None if platform is None else dict(platform),
        "distributions": [
            dict(d) for d in sorted(distributions, key=lambda d: (d["name"], d["version"] or ""))
        ],
        "native": [
            {"kind": n[0], "name": n[1], "version": n[2], "provider": n[3]}
            for n in sorted(native, key=_native_value_key)
        ],
        "env_vars": dict(sorted(env_vars.items())),
        "index": {key: list(values) for key, values in sorted(index.items())},
    } | ({"problems": list(problems)} if problems else {})


def _native_value_key(n: tuple[str, str, str | None, str | None]) -> tuple[str, str, str, str]:
    return (n[0], n[1], n[2] or "", n[3] or "")


def dumps_snapshot(snapshot: Snapshot) -> str:
    """The text of a snapshot file: indented, keys sorted, one trailing newline."""
    return dumps_document(snapshot_to_json(snapshot))


def dumps_document(document: Mapping[str, Any]) -> str:
    """A snapshot document's file text: ``json.dumps(document, indent=2, sort_keys=True,
    ensure_ascii=False)`` and one trailing newline, byte for byte.

    Written here because the json package imports ``re`` and encodes an
    indented document in Python anyway; strings go through the same C
    function json uses.
    """
    try:
        from _json import encode_basestring as quote
    except ImportError:  # an interpreter without the C accelerator
        from json.encoder import py_encode_basestring as quote
    out: list[str] = []
    _encode(document, "\n", out, quote)
    out.append("\n")
    return "".join(out)


_LITERALS = {None: "null", True: "true", False: "false"}


def _encode(value: object, newline: str, out: list[str], quote: Any) -> None:
    """Append ``value`` as json.dumps(indent=2, sort_keys=True) writes it at this depth."""
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        head = "{" + inner
        for key, item in sorted(value.items()):
            if key.__class__ is not str:
                raise TypeError(f"keys must be str in a snapshot document, not {key!r}")
            head += quote(key) + ": "
            # Strings, None and booleans inline: a 1,000-package snapshot holds 7,000 of them.
            if item.__class__ is str:
                out.append(head + quote(item))
            elif item is None or item is True or item is False:
                out.append(head + _LITERALS[item])
            else:
                out.append(head)
                _encode(item, inner, out, quote)
            head = "," + inner
        out.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        head = "[" + inner
        for item in value:
            if item.__class__ is str:
                out.append(head + quote(item))
            elif item is None or item is True or item is False:
                out.append(head + _LITERALS[item])
            else:
                out.append(head)
                _encode(item, inner, out, quote)
            head = "," + inner
        out.append(newline + "]")
    elif isinstance(value, str):
        out.append(quote(value))
    elif value is None or value is True or value is False:
        out.append(_LITERALS[value])
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        out.append(_float(value))
    else:
        raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return float.__repr__(value)


def write_snapshot(snapshot: Snapshot, path: Path) -> None:
    """Write a snapshot file atomically (a reader never sees half of it)."""
    write_document(snapshot_to_json(snapshot), path)


def write_document(document: Mapping[str, Any], path: Path | str) -> None:
    """Write a snapshot document's file atomically (a reader never sees half of it)."""
    from parity.fsutil import atomic_write_text  # tempfile & co: only when writing

    # ``-o`` names a file; a folder that does not exist is a typo, not a request.
    atomic_write_text(path, dumps_document(document), make_parents=False)


def read_snapshot(path: Path, *, source: str | None = None) -> Snapshot:
    """Read a snapshot file; ``source`` is how errors name it (default: the path as given)."""
    import json

    from parity.textfile import parse_json, read_text_file

    shown = source or str(path)
    try:
        text = read_text_file(path, shown=shown)
    except FileNotFoundError:
        raise SpecError("no such snapshot file", path=shown, hint=_HINT) from None
    try:
        data = parse_json(text)
    except json.JSONDecodeError as exc:
        raise SpecError(
            f"not valid JSON: {exc.msg}", path=shown, line=exc.lineno, hint=_HINT
        ) from None
    return snapshot_from_json(data, source=shown)


def snapshot_from_json(data: object, *, source: str) -> Snapshot:
    """A Snapshot from parsed JSON; raises SpecError naming ``source`` when it is not one."""
    from parity.env.snapshot_model import SNAPSHOT_SCHEMA, Snapshot

    reader = _Reader(source)
    top = reader.mapping(data, "the document")
    schema = top.get("schema")
    if schema != SNAPSHOT_SCHEMA:
        if isinstance(schema, str) and schema.startswith("parity/snapshot@"):
            raise SpecError(
                f"snapshot schema {schema} is not supported (this parity reads {SNAPSHOT_SCHEMA})",
                path=source,
                hint="Read it with the parity release that wrote it, or capture the snapshot again.",
            )
        found = f"schema {schema!r}" if schema is not None else "no schema field"
        raise SpecError(
            f"not a parity snapshot ({found}; expected {SNAPSHOT_SCHEMA!r})",
            path=source,
            hint=_HINT,
        )
    python = top.get("python")
    platform = top.get("platform")
    return Snapshot(
        label=reader.text(top, "label"),
        kind=reader.text(top, "kind"),
        python=None if python is None else reader.python(python),
        platform=None if platform is None else reader.platform(platform),
        distributions=tuple(
            sorted(
                (reader.distribution(d) for d in reader.items(top, "distributions")),
                key=lambda d: (d.name, d.version or ""),
            )
        ),
        native=tuple(
            sorted((reader.native(n) for n in reader.items(top, "native")), key=_native_key)
        ),
        env_vars=reader.strings(top, "env_vars"),
        index=reader.lists(top, "index"),
        taken_at=reader.optional_text(top, "taken_at"),
        problems=tuple(reader.optional_strings(top, "problems")),
    )


def _native_key(n: NativeLibrary) -> tuple[str, str, str, str]:
    return (n.kind, n.name, n.version or "", n.provider or "")


class _Reader:
    """Typed access to the parsed document; every mistake names the field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, what: str) -> SpecError:
        return SpecError(
            f"not a valid parity snapshot: {what}",
            path=self.source,
            hint="The file was changed by hand or written by another tool; capture the "
            "environment again with `parity snapshot`.",
        )

    def mapping(self, value: object, where: str) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(f"{where} must be an object")
        return value

    def text(self, obj: Mapping[str, Any], key: str, where: str = "") -> str:
        value = obj.get(key)
        if not isinstance(value, str):
            raise self.fail(f"{where}{key} must be a string")
        return value

    def optional_text(self, obj: Mapping[str, Any], key: str, where: str = "") -> str | None:
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(f"{where}{key} must be a string or null")
        return value

    def optional_bool(self, obj: Mapping[str, Any], key: str, where: str) -> bool | None:
        value = obj.get(key)
        if value is not None and not isinstance(value, bool):
            raise self.fail(f"{where}{key} must be true, false or null")
        return value

    def items(self, obj: Mapping[str, Any], key: str) -> list[Any]:
        value = obj.get(key, [])
        if not isinstance(value, list):
            raise self.fail(f"{key} must be a list")
        return value

    def optional_strings(self, obj: Mapping[str, Any], key: str) -> list[str]:
        value = self.items(obj, key)
        if not all(isinstance(v, str) for v in value):
            raise self.fail(f"every entry of {key} must be a string")
        return list(value)

    def strings(self, obj: Mapping[str, Any], key: str) -> dict[str, str]:
        value = self.mapping(obj.get(key, {}), key)
        if not all(isinstance(v, str) for v in value.values()):
            raise self.fail(f"every value of {key} must be a string")
        return dict(value)

    def lists(self, obj: Mapping[str, Any], key: str) -> dict[str, list[str]]:
        value = self.mapping(obj.get(key, {}), key)
        out: dict[str, list[str]] = {}
        for name, entries in value.items():
            if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
                raise self.fail(f"{key}.{name} must be a list of strings")
            out[name] = list(entries)
        return out

    def python(self, value: object) -> PythonInfo:
        obj = self.mapping(value, "python")
        from parity.env.snapshot_model import PythonInfo

        return PythonInfo(
            implementation=self.text(obj, "implementation", "python."),
            version=self.text(obj, "version", "python."),
            build=self.optional_text(obj, "build", "python."),
            compiler=self.optional_text(obj, "compiler", "python."),
            abi=self.optional_text(obj, "abi", "python."),
        )

    def platform(self, value: object) -> PlatformInfo:
        obj = self.mapping(value, "platform")
        from parity.env.snapshot_model import PlatformInfo

        return PlatformInfo(
            system=self.text(obj, "system", "platform."),
            machine=self.text(obj, "machine", "platform."),
            release=self.optional_text(obj, "release", "platform."),
            libc=self.optional_text(obj, "libc", "platform."),
            libc_version=self.optional_text(obj, "libc_version", "platform."),
        )

    def distribution(self, value: object) -> Distribution:
        obj = self.mapping(value, "every distribution")
        name = self.text(obj, "name", "distribution ")
        where = f"distribution {name}: "
        editable = obj.get("editable", False)
        if not isinstance(editable, bool):
            raise self.fail(f"{where}editable must be true or false")
        from parity.env.snapshot_model import Distribution

        return Distribution(
            name=name,
            version=self.optional_text(obj, "version", where),
            installer=self.optional_text(obj, "installer", where),
            source=self.optional_text(obj, "source", where),
            editable=editable,
            requested=self.optional_bool(obj, "requested", where),
        )

    def native(self, value: object) -> NativeLibrary:
        obj = self.mapping(value, "every native library")
        from parity.env.snapshot_model import NativeLibrary

        return NativeLibrary(
            kind=self.text(obj, "kind", "native "),
            name=self.text(obj, "name", "native "),
            version=self.optional_text(obj, "version", "native "),
            provider=self.optional_text(obj, "provider", "native "),
        )

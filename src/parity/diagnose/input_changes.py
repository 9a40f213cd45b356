"""What changed in a stale lock's inputs, as precisely as the lock's digests tell.

A lock records one digest per input and, since parity recorded them, a short
digest of each part of an input (its requirements, each resolver option, each
``[tool.uv]`` key).  The parts whose digests differ name the change:
"requirements.in changed (resolver options: --only-binary)" rather than
"requirements.in changed".  A lock written before parts were recorded still
gets the names of the inputs that changed.  All functions here are pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from parity.frozen import dataclass

TYPE_CHECKING = False  # not typing's: ``check --lock-only`` imports this module
if TYPE_CHECKING:
    from parity.lock.model import InputDigest, LockMeta

# Parts that are options of the resolution rather than requirements, as the user writes them.
_OPTIONS = {
    "format_control.only_binary": "--only-binary",
    "format_control.no_binary": "--no-binary",
    "index.index_url": "--index-url",
    "index.extra_index_urls": "--extra-index-url",
    "index.find_links": "--find-links",
    "index.no_index": "--no-index",
    "pre": "--pre",
    "prerelease": "pre-releases",
}
_EDITED = {"requirements": "requirements", "conda": "conda dependencies", "pip": "pip requirements"}
_REQUIREMENTS = frozenset(_EDITED)
_LABELS = {
    "includes": "included files",
    "constraints": "constraints",
    "conda": "conda dependencies",
    "pip": "pip requirements",
    "channels": "channels",
    "platforms": "platforms",
    "python": "python",
    "requires-python": "requires-python",
}
# ``[tool.uv]`` settings under the names its digest gives them.
_UV_LABELS = {
    "local": "sources or workspace members",
    "constraints": "constraint-dependencies",
    "overrides": "override-dependencies",
    "prerelease": "prerelease",
}
_RESOLVER_LABELS = {"format": "lockfile format", "platforms": "platforms", "index": "index"}
_SOLVER_LABELS = {"python": "Python", "cuda": "CUDA"}


@dataclass(frozen=True)
class InputChanges:
    """A stale lock's changes, for people (``message``) and for ``--json`` (``parts``)."""

    message: str
    # Per changed input whose parts the lock records: the labels of the parts that changed.
    parts: dict[str, list[str]]


def changed_parts(stored: InputDigest | None, current: InputDigest | None) -> list[str] | None:
    """The keys of the parts that differ, or None when either side records no parts."""
    if stored is None or current is None or stored.parts is None or current.parts is None:
        return None
    before, after = dict(stored.parts), dict(current.parts)
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def part_label(input_name: str, key: str) -> str:
    """How a part is named to a person: an option as written, a group, a ``[tool.uv]`` key."""
    if input_name == "resolver":
        return _RESOLVER_LABELS.get(key, key)
    if input_name == "solver":
        return _SOLVER_LABELS.get(key.split(".", 1)[0], key.split(".", 1)[0])
    if input_name.endswith("[tool.uv]"):
        return _UV_LABELS.get(key, key)
    if key.startswith("groups."):
        return f"group {key.removeprefix('groups.')}"
    if key.startswith("sources."):
        return f"[tool.uv.sources] {key.removeprefix('sources.')}"
    if key.startswith("parity."):
        return f"[tool.parity] {key.removeprefix('parity.')}"
    if key.startswith("index.") and not input_name.endswith((".in", ".txt")):
        return "index"
    return _OPTIONS.get(key) or _LABELS.get(key, key)


def describe_input(
    name: str,
    stored: InputDigest | None,
    current: InputDigest | None,
    detail: str | None = None,
) -> tuple[str, list[str] | None]:
    """One changed input in words, and the labels of its changed parts (None: unknown)."""
    if stored is None:
        labels = _labels(name, [k for k, _ in current.parts or ()]) if current else None
        return f"{name} is new" + (f" ({', '.join(labels)})" if labels else ""), labels
    if current is None:
        return f"{name} is no longer an input", None
    keys = changed_parts(stored, current)
    if keys is None:
        return f"{name} changed" + (f" ({detail})" if detail else ""), None
    labels = _labels(name, keys)
    options = _labels(name, [k for k in keys if k in _OPTIONS])
    others = [
        label
        for label in _labels(
            name, [k for k in keys if k not in _OPTIONS and k not in _REQUIREMENTS]
        )
        if label not in options
    ]
    words: list[str] = []
    if detail:
        words.append(detail)
    else:
        words += [f"{_EDITED[k]} edited" for k in keys if k in _REQUIREMENTS]
    if options:
        words.append("resolver options: " + ", ".join(options))
    if others:
        words.append(", ".join(_merge_groups(others)))
    return f"{name} changed" + (f" ({'; '.join(words)})" if words else ""), labels


def _merge_groups(labels: Sequence[str]) -> list[str]:
    """``group dev, group test`` -> ``groups dev, test``."""
    groups = [label.removeprefix("group ") for label in labels if label.startswith("group ")]
    rest = [label for label in labels if not label.startswith("group ")]
    if len(groups) > 1:
        return ["groups " + ", ".join(groups), *rest]
    return [f"group {g}" for g in groups] + rest


def _labels(name: str, keys: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(part_label(name, k) for k in sorted(keys)))


def describe_changes(
    changed: Sequence[str],
    stored: LockMeta,
    current: LockMeta,
    details: Mapping[str, str] | None = None,
) -> InputChanges:
    """The changed inputs of a lock in one sentence, and each one's changed parts."""
    details = details or {}
    stored_inputs = {i.name: i for i in stored.inputs}
    current_inputs = {i.name: i for i in current.inputs}
    words: list[str] = []
    parts: dict[str, list[str]] = {}
    for key in changed:
        before, after = stored_inputs.get(key), current_inputs.get(key)
        if key == "python" and before is not None and after is not None:
            words.append("the Python target changed" + _python_change(stored, current))
            labels = changed_parts(before, after)
        elif key in ("resolver", "solver") and before is not None and after is not None:
            labels = _labels(key, changed_parts(before, after) or [])
            what = "resolver options" if key == "resolver" else "conda solver's settings"
            words.append(
                f"the {what} changed (" + ", ".join(labels) + ")"
                if labels
                else "the resolver options or index changed"
                if key == "resolver"
                else "solver changed"
            )
        else:
            text, labels = describe_input(key, before, after, details.get(key))
            words.append(text)
        if labels is not None:
            parts[key] = labels
    return InputChanges(", ".join(words) + " since the lock was written", parts)


def _python_change(stored: LockMeta, current: LockMeta) -> str:
    """``(3.11 -> 3.12)``: the lock's header records the target it was made for."""
    if stored.python != current.python and stored.python and current.python:
        return f" ({stored.python} -> {current.python})"
    if stored.requires_python != current.requires_python:
        before = stored.requires_python or "any"
        after = current.requires_python or "any"
        return f" (requires-python {before} -> {after})"
    return ""

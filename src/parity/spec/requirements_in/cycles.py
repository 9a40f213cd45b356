"""Cycles in a directed graph (``-r`` includes, pyproject group includes), with how each is reached."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def find_cycle(edges: Mapping[str, Sequence[str]]) -> list[str] | None:
    """The first cycle of a directed graph as ``[a, b, a]``, or None (depth first, in order)."""
    found = find_cycle_path(edges)
    return found[1] if found else None


def find_cycle_path(
    edges: Mapping[str, Sequence[str]], starts: Sequence[str] = ()
) -> tuple[list[str], list[str]] | None:
    """The first cycle found from ``starts`` (then every node): (path to it, the cycle).

    The path runs from the start node to the cycle's first node, so a report
    can show how the cycle is reached (``requirements.in -> b.in -> c.in -> b.in``).
    """
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> tuple[list[str], list[str]] | None:
        if node in path:
            return [*path, node], [*path[path.index(node) :], node]
        if node in done:
            return None
        for child in edges.get(node, ()):
            found = visit(child, [*path, node])
            if found:
                return found
        done.add(node)
        return None

    for start in [*starts, *edges]:
        found = visit(start, [])
        if found:
            return found
    return None

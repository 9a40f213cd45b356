"""Ties the measurement together: the cache, the scratch copies, the result."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from parity.compare.model import CompareResult
from parity.spec.model import ProjectSpec

MAX_RUNS = 25


def compare_project(
    spec: ProjectSpec,
    *,
    strategies: Sequence[str] = (),
    runs: int = 3,
    fresh: bool = False,
    progress: Callable[[str], None] | None = None,
) -> CompareResult:
    """Measure the strategies on ``spec``'s project, or answer from the cache."""
    from parity.compare.cache import cache_path, load_cached, store
    from parity.compare.measure import cache_key, inputs_digest, machine_text, measure, now_text
    from parity.compare.targets import all_targets, group_of, select_targets
    from parity.errors import UsageError
    from parity.tempdirs import work_dir

    if not 1 <= runs <= MAX_RUNS:
        raise UsageError(
            f"--runs must be from 1 to {MAX_RUNS}, not {runs}",
            hint="3 runs give a median; more steady it.",
        )
    names = select_targets(strategies)
    say = progress or (lambda _text: None)
    digest = inputs_digest(spec)
    targets = all_targets()
    tools = {n: targets[n].tools() for n in names}
    key = cache_key(digest, names, runs, tools)
    path = cache_path(spec.root, key)
    if not fresh:
        cached = load_cached(path)
        if cached is not None:
            return CompareResult(**{**cached.__dict__, "cached": True})
    with work_dir("compare") as work:
        results, notes = measure(spec, names, runs=runs, work=work, progress=say)
    result = CompareResult(
        project=spec.name or spec.root.name,
        digest=digest,
        runs=runs,
        measured_at=now_text(),
        machine=machine_text(),
        targets=tuple(results),
        group=group_of(spec),
        notes=tuple(notes),
    )
    written = store(spec.root, key, result)
    if written is not None:
        rel = written.relative_to(spec.root).as_posix()
        result = CompareResult(**{**result.__dict__, "cache_file": rel})
        store(spec.root, key, result)
    return result

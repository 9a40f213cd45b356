"""The decision matrix applied to one project: a score, a reason and evidence per cell.

Pure: :func:`score_matrix` takes the project's facts and the course's matrix
and returns every cell.  Each criterion has one function below; it starts
from the course's score and moves it only on evidence from the project, and
its reason says what moved it (or quotes the course when nothing did).
Scores stay within 0-5.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from parity.frozen import dataclass, field
from parity.recommend.facts import Measured, ProjectFacts, count, extras_words, join_names
from parity.recommend.matrix import Matrix
from parity.recommend.model import CRITERIA, MAX_SCORE, STRATEGIES, Score
from parity.spec.services import Evidence

PIP_WORLD = ("pip-tools", "poetry")


@dataclass
class Cell:
    """A score being worked out: the course's value, then the project's adjustments."""

    value: int
    course: str
    reasons: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    basis: str = "course"

    def move(self, delta: int, reason: str, *evidence: Evidence) -> None:
        self.value += delta
        self.note(reason, *evidence)

    def set(self, value: int, reason: str, *evidence: Evidence, basis: str = "project") -> None:
        self.value = value
        self.reasons = [reason]
        self.evidence = list(evidence)
        self.basis = basis

    def note(self, reason: str, *evidence: Evidence) -> None:
        self.reasons.append(reason)
        self.evidence.extend(evidence)
        if self.basis == "course":
            self.basis = "project"

    def score(self) -> Score:
        reason = "; ".join(self.reasons) if self.reasons else f"course: {self.course}"
        value = max(0, min(MAX_SCORE, self.value))
        return Score(value, reason, tuple(dict.fromkeys(self.evidence)), self.basis)


Cells = dict[str, Cell]


def score_matrix(facts: ProjectFacts, matrix: Matrix) -> dict[str, dict[str, Score]]:
    """strategy -> criterion -> Score, for every strategy and criterion."""
    out: dict[str, dict[str, Score]] = {s: {} for s in STRATEGIES}
    for criterion in CRITERIA:
        cells = {
            s: Cell(matrix.cell(criterion, s).score, matrix.cell(criterion, s).course)
            for s in STRATEGIES
        }
        RULES[criterion](facts, cells)
        for strategy, cell in cells.items():
            if not cell.reasons or not cell.evidence:
                context(criterion, strategy, facts, cell)
            out[strategy][criterion] = cell.score()
    return out


def _first(evidence: tuple[Evidence, ...], n: int = 2) -> tuple[Evidence, ...]:
    return evidence[:n]


def _native_kinds(facts: ProjectFacts) -> tuple[str, ...]:
    """The native library kinds the scores rest on, each once."""
    return tuple(dict.fromkeys(n for need in facts.scored_native for n in need.needs))


def _native_phrase(facts: ProjectFacts) -> str:
    """``CUDA and cuDNN (torch, opencv-python)``: what is needed, and by what; ``(torch,
    only with extra gpu)`` when only optional extras need it."""
    native = facts.scored_native
    needs = [_NEED_NAMES.get(n, n) for n in _native_kinds(facts)[:4]]
    packages = [n.package for n in native[:3]]
    more = "" if len(native) <= 3 else f" and {len(native) - 3} more"
    scope = f", only with {_extras_words(facts)}" if facts.native_optional_only else ""
    return f"{join_names(needs)} ({', '.join(packages)}{more}{scope})"


def _extras_words(facts: ProjectFacts) -> str:
    """``extra gpu``, ``extras gpu and vision``: the extras that alone need a native stack."""
    return extras_words([e for n in facts.scored_native for e in n.extras])


# A native stack or a service only optional extras need counts half against the
# strategies that cannot provide it: the package and its main dependencies install
# without it, and only those who ask for the extra need it.  What a strategy that
# provides it scores stays.
HALF_WEIGHT = "an optional extra's need counts half"


def _halved(optional: bool, delta: int) -> int:
    """A move on a score: whole for a core need; a penalty halved (towards 0) for one
    only optional extras have."""
    return int(delta / 2) if optional and delta < 0 else delta


def _said_half(optional: bool, reason: str) -> str:
    return f"{reason} ({HALF_WEIGHT})" if optional else reason


def _weight(facts: ProjectFacts, delta: int) -> int:
    """A native stack's move on a score (halved when only optional extras need it)."""
    return _halved(facts.native_optional_only, delta)


def _half(facts: ProjectFacts, reason: str) -> str:
    return _said_half(facts.native_optional_only, reason)


def _service_weight(facts: ProjectFacts, delta: int) -> int:
    """A service's move on a score (halved when only optional extras use it)."""
    return _halved(facts.services_optional_only, delta)


def _service_half(facts: ProjectFacts, reason: str) -> str:
    return _said_half(facts.services_optional_only, reason)


def _service_phrase(facts: ProjectFacts) -> str:
    """``PostgreSQL and Redis``; ``Redis (only with extra redis)`` when only optional
    extras use the services."""
    if not facts.services_optional_only:
        return facts.service_names
    extras = extras_words([e for s in facts.scored_services for e in s.extras])
    return f"{facts.service_names} (only with {extras})"


def _by_hand(facts: ProjectFacts, plural: str, singular: str) -> str:
    """What pip leaves to each machine, with its verb: wheels (torch's bring the CUDA
    runtime and cuDNN as nvidia-* wheels) carry their own copies of native libraries,
    never the GPU driver."""
    if "cuda" in _native_kinds(facts):
        return f"the GPU driver and whatever the wheels do not bundle {plural}"
    return f"whatever the wheels do not bundle {singular}"


_NEED_NAMES = {
    "cuda": "CUDA",
    "cudnn": "cuDNN",
    "blas": "BLAS",
    "mkl": "MKL",
    "openmp": "OpenMP",
    "opencv": "OpenCV's system libraries",
    "gdal": "GDAL",
    "geos": "GEOS",
    "proj": "PROJ",
    "hdf5": "HDF5",
    "netcdf": "netCDF",
    "graphviz": "Graphviz",
    "postgresql": "libpq",
}


def _native_evidence(facts: ProjectFacts) -> tuple[Evidence, ...]:
    return tuple(n.evidence for n in facts.scored_native[:2]) + _first(facts.gpu, 1)


def _service_evidence(facts: ProjectFacts) -> tuple[Evidence, ...]:
    return tuple(e for s in facts.scored_services for e in s.evidence[-1:])[:3]


def _in_use(facts: ProjectFacts, strategy: str) -> tuple[Evidence, ...]:
    return facts.in_use.get(strategy, ())


# -- one function per criterion -----------------------------------------------------


def simplicity(facts: ProjectFacts, cells: Cells) -> None:
    for strategy, cell in cells.items():
        used = _in_use(facts, strategy)
        if used and strategy == facts.current:
            cell.move(1, "already set up here: nothing to migrate", *_first(used))
        elif used:
            cell.note("some of its files are already here", *_first(used))
    if facts.native:
        what = _native_phrase(facts)
        machines = "the machines that use them" if facts.native_optional_only else "every machine"
        for strategy in PIP_WORLD:
            cells[strategy].move(
                _weight(facts, -2),
                _half(
                    facts, f"{what}: {_by_hand(facts, 'are', 'is')} installed by hand on {machines}"
                ),
                *_native_evidence(facts),
            )
        cells["conda"].note(f"conda installs {what} as packages", *_native_evidence(facts))
        if facts.gpu:
            cells["docker"].move(
                _weight(facts, -1),
                _half(facts, "GPU containers need the NVIDIA container toolkit on every host"),
                *_first(facts.gpu, 1),
            )
    if facts.format == "conda":
        cells["docker"].move(
            -1,
            "parity's Docker files install a pip lock: a conda project's image is hand-written",
            *_first(_in_use(facts, "conda"), 1),
        )
    if facts.services:
        names = _service_phrase(facts)
        cells["docker"].move(
            2, f"one `docker compose up` starts {names}", *_service_evidence(facts)
        )
        for strategy in ("pip-tools", "poetry", "conda"):
            cells[strategy].move(
                _service_weight(facts, -1),
                _service_half(facts, f"every developer installs and runs {names} by hand"),
                *_service_evidence(facts),
            )
    if facts.is_library:
        lib = _first(facts.library)
        cells["poetry"].move(
            1,
            'course: "Quieres publicar en PyPI": Poetry builds and publishes the library '
            "as well (poetry build, publish)",
            *lib,
        )
        cells["conda"].move(
            -1, "the library's users install it with pip: conda is a second world", *lib
        )
        cells["docker"].move(
            -1, "a container does nothing for a library its users pip install", *lib
        )


def reproducibility(facts: ProjectFacts, cells: Cells) -> None:
    if facts.hashed_lock is not None:
        cells["pip-tools"].move(1, "a hash-checked lock is already here", facts.hashed_lock)
    if "poetry.lock" in {e.path for e in _in_use(facts, "poetry")}:
        cells["poetry"].note(
            "poetry.lock is already here", Evidence("poetry.lock", None, "poetry.lock")
        )
    if facts.python.pinned is None:
        for strategy in PIP_WORLD:
            cells[strategy].move(-1, "no pinned Python: each machine's interpreter decides")
    elif facts.python.pinned_at is not None and len(facts.python.minors) > 1:
        minors = ", ".join(facts.python.minors)
        evidence = tuple(e for _, e in facts.python.pins[:3])
        cells["docker"].note(
            f"the project's files build with Python {minors}: one image ends that", *evidence
        )
    if facts.native:
        what = _native_phrase(facts)
        for strategy in PIP_WORLD:
            cells[strategy].move(
                _weight(facts, -2),
                _half(
                    facts, f"{what}: {_by_hand(facts, 'come', 'comes')} from each machine, unpinned"
                ),
                *_native_evidence(facts),
            )
        kinds = join_names([_NEED_NAMES.get(n, n) for n in _native_kinds(facts)[:3]])
        cells["conda"].move(1, f"conda pins {kinds} with the packages", *_native_evidence(facts))
    if facts.services:
        names = _service_phrase(facts)
        for strategy in ("pip-tools", "poetry", "conda"):
            cells[strategy].move(
                _service_weight(facts, -1),
                _service_half(facts, f"{names}: versions differ from machine to machine"),
                *_service_evidence(facts),
            )
        cells["docker"].note(f"{names}: versions pinned by image tags", *_service_evidence(facts))


def _no_native(direct: int) -> str:
    if direct == 0:
        return "no direct requirements"
    if direct == 1:
        return "the one direct requirement needs no native stack"
    return f"none of the {direct} direct requirements needs a native stack"


def _conda_source(facts: ProjectFacts) -> str:
    """conda-forge (what ``parity init --strategy conda`` uses) unless the project's files name other channels."""
    if not facts.conda_channels or "conda-forge" in facts.conda_channels:
        return "conda-forge"
    return "conda"


def _conda_ships(facts: ProjectFacts, what: str) -> str:
    """Who ships the native stack: said of the channels the project's environment files name."""
    source = _conda_source(facts)
    if source == "conda-forge":
        return f"conda-forge ships {what} as packages"
    files = join_names(list(facts.conda_files)) or "the environment file"
    return (
        f"conda ships {what} as packages (channels in {files}: {', '.join(facts.conda_channels)})"
    )


def non_python(facts: ProjectFacts, cells: Cells) -> None:
    if not facts.native and not facts.services:
        evidence = tuple(Evidence(f, None, "requirements") for f in facts.requirement_files[:2])
        reason = f"nothing outside Python to provide: {_no_native(facts.direct)}, and no service is configured"
        for cell in cells.values():
            cell.set(MAX_SCORE, reason, *evidence)
        return
    values: dict[str, list[tuple[int, str, tuple[Evidence, ...]]]] = {s: [] for s in STRATEGIES}
    if facts.native:
        what = _native_phrase(facts)
        ev = _native_evidence(facts)

        # pip's 1, at half weight: halfway from "nothing to provide" (5).
        pip = MAX_SCORE + _weight(facts, 1 - MAX_SCORE)
        for strategy in PIP_WORLD:
            values[strategy].append((pip, _half(facts, _pip_native(facts, what)), ev))
        values["conda"].append((5, _conda_ships(facts, what), ev))
        if facts.gpu:
            values["docker"].append(
                (4, f"the image carries {what}; the GPU driver stays the host's", ev)
            )
        else:
            values["docker"].append(
                (4, f"the image's OS packages carry {what}, at the OS's versions", ev)
            )
    if facts.services:
        names = _service_phrase(facts)
        ev = _service_evidence(facts)
        # pip's 0 and conda's 2, at half weight: halfway from "nothing to provide" (5).
        pip = MAX_SCORE + _service_weight(facts, 0 - MAX_SCORE)
        conda = MAX_SCORE + _service_weight(facts, 2 - MAX_SCORE)
        for strategy in PIP_WORLD:
            values[strategy].append((pip, _service_half(facts, f"cannot provide {names}"), ev))
        values["conda"].append(
            (
                conda,
                _service_half(
                    facts,
                    f"{_conda_source(facts)} packages some servers, but nothing runs {names}",
                ),
                ev,
            )
        )
        values["docker"].append((5, f"compose runs {names} beside the app", ev))
    for strategy, found in values.items():
        value = min(v for v, _, _ in found)
        reasons = "; ".join(r for _, r, _ in found)
        evidence = tuple(e for _, _, ev in found for e in ev)
        cells[strategy].set(value, reasons, *evidence)


def _pip_native(facts: ProjectFacts, what: str) -> str:
    """What pip does for a native stack, said as it is: each wheel brings its own copy
    (torch's wheels bring the CUDA runtime and cuDNN as nvidia-* wheels), never the GPU
    driver, nor one system build of BLAS or OpenMP that other packages share."""
    if "cuda" in _native_kinds(facts):
        return (
            f"pip gets {what} only as far as each package's wheels bundle them: "
            "never the GPU driver, nor one system build other packages share"
        )
    return (
        f"pip gets {what} only as far as each package's wheels bundle them: "
        "never one system build other packages share, nothing without a wheel"
    )


def native_lockfile(facts: ProjectFacts, cells: Cells) -> None:
    if facts.hashed_lock is not None:
        cells["pip-tools"].note(f"{facts.hashed_lock.path} is one, with hashes", facts.hashed_lock)
    poetry_lock = [e for e in _in_use(facts, "poetry") if e.path == "poetry.lock"]
    if poetry_lock:
        cells["poetry"].note("poetry.lock is already here", *poetry_lock)
    conda_lock = [e for e in _in_use(facts, "conda") if e.what == "conda lock"]
    if conda_lock:
        cells["conda"].move(1, f"a conda lock is already here ({conda_lock[0].path})", *conda_lock)


def _relative(ratio: float, best: str) -> str:
    if ratio <= 1.0:
        return f", the {best}"
    if ratio < 1.05:
        return f", within 5 % of the {best}"
    return f", {ratio:.1f}x the {best}"


def _ratio_score(ratio: float, steps: tuple[float, ...]) -> int:
    for score, limit in zip((5, 4, 3, 2), steps, strict=True):
        if ratio < limit:
            return score
    return 1


def speed(facts: ProjectFacts, cells: Cells) -> None:
    timed = {s: m for s, m in facts.measured.items() if m.seconds is not None and s in cells}
    if len(timed) < 2:
        return
    fastest = min(m.seconds for m in timed.values() if m.seconds is not None)
    for strategy, m in timed.items():
        assert m.seconds is not None
        ratio = m.seconds / fastest if fastest > 0 else 1.0
        cells[strategy].set(
            _ratio_score(ratio, (1.5, 3, 6, 12)),
            f"measured: lock and environment in {m.seconds:.1f} s"
            + _relative(ratio, "fastest")
            + f" (median of {m.runs})",
            m.evidence,
            basis="measured",
        )


def ci(facts: ProjectFacts, cells: Cells) -> None:
    for strategy, evidence in facts.ci_uses.items():
        if strategy in cells:
            cells[strategy].note("the project's CI already installs this way", *evidence[:1])
    if facts.is_library and len(facts.python.matrix) > 1:
        n = len({v for v, _ in facts.python.matrix})
        cells["docker"].move(
            -1,
            f"one image is one Python; the CI matrix tests {n}",
            *(e for _, e in facts.python.matrix[:1]),
        )
    if facts.services:
        cells["docker"].move(
            1,
            f"CI starts {facts.service_names} from the same compose file",
            *_service_evidence(facts),
        )
    if facts.gpu:
        for cell in cells.values():
            cell.note(
                "CI runners usually have no GPU: tests run on the CPU build", *_first(facts.gpu, 1)
            )


def disk(facts: ProjectFacts, cells: Cells) -> None:
    sized = {s: m for s, m in facts.measured.items() if m.disk_bytes and s in cells}
    if len(sized) >= 2:
        smallest = min(m.disk_bytes or 0 for m in sized.values())
        for strategy, m in sized.items():
            assert m.disk_bytes is not None
            ratio = m.disk_bytes / smallest if smallest else 1.0
            cells[strategy].set(
                _ratio_score(ratio, (1.3, 2, 3, 5)),
                f"measured: the environment takes {human_bytes(m.disk_bytes)}"
                + _relative(ratio, "smallest"),
                m.evidence,
                basis="measured",
            )
        return
    if facts.gpu and facts.native:
        for cell in cells.values():
            if cell.value > 3:
                cell.move(
                    _weight(facts, 3 - cell.value),
                    _half(facts, "CUDA builds weigh gigabytes whatever installs them"),
                    *_first(facts.gpu, 1),
                )
            else:
                cell.note(
                    "CUDA builds weigh gigabytes whatever installs them", *_first(facts.gpu, 1)
                )


def learning_curve(facts: ProjectFacts, cells: Cells) -> None:
    current = facts.current
    for strategy, cell in cells.items():
        used = _in_use(facts, strategy)
        if used and strategy == current:
            cell.set(MAX_SCORE, "already in use here: the team knows it", *_first(used))
        elif used:
            cell.note("the project already has its files", *_first(used, 1))
        elif current is not None:
            cell.move(
                -1,
                f"new commands to learn instead of {current}'s",
                *_first(_in_use(facts, current), 1),
            )
    if facts.editor:
        cells["docker"].move(
            1, "the team opens the project in VS Code Dev Containers", *facts.editor[:1]
        )


def context(criterion: str, strategy: str, facts: ProjectFacts, cell: Cell) -> None:
    """The project's side of a cell: a reason for a course score nothing moved, and the
    files a cell rests on when its rule named none."""
    lock = facts.locked
    pinned = facts.python.pinned_at
    current = facts.current
    inputs = (
        (Evidence(facts.requirement_files[0], None, count(facts.direct, "direct requirement")),)
        if facts.requirement_files
        else ()
    )
    # What gets installed: the lock when there is one, else the requirements it comes from.
    installed = (lock[1],) if lock is not None else inputs
    size = (
        f"{lock[0]} packages to install ({lock[1].path})"
        if lock is not None
        else f"{count(facts.direct, 'direct requirement')}, not locked yet"
    )
    ev: tuple[Evidence, ...] = ()
    extra = ""
    if criterion == "simplicity":
        if current is not None and current != strategy:
            extra = f"moving from {current} is one `parity init --strategy {strategy}`"
            ev = _first(_in_use(facts, current), 1)
        else:
            ev = inputs
    elif criterion == "reproducibility":
        if pinned is not None:
            extra = {
                "pip-tools": f"requirements*.txt pins every package, on Python {facts.python.pinned}",
                "poetry": f"poetry.lock pins every package, on Python {facts.python.pinned}",
                "conda": f"pins Python {facts.python.pinned} and every package, native ones too",
                "docker": f"the same OS, Python {facts.python.pinned} and packages on every machine",
            }[strategy]
            ev = (pinned,)
        else:
            ev = facts.python.ranges[:1] or inputs
    elif criterion == "native-lockfile":
        ev = installed
        if strategy == "docker" and lock is not None and lock[1].path.endswith(".txt"):
            extra = f"the image installs {lock[1].path}"
        elif strategy == "conda":
            extra = "parity writes conda.lock for it (rattler's lock format)"
        elif strategy == "poetry" and facts.current != "poetry":
            extra = "`parity init --strategy poetry` writes poetry.lock"
    elif criterion in ("speed", "disk"):
        extra = size
        if facts.measured and strategy not in facts.measured:
            extra += "; `parity compare` could not measure it here"
        elif criterion == "speed" and not facts.measured:
            extra += "; `parity compare` measures it on this project"
        ev = installed
    elif criterion == "ci":
        if facts.ci:
            extra = f"CI: {facts.ci[0].path}"
            ev = (facts.ci[0],)
        else:
            extra = "no CI here yet (`parity export --to github-actions` writes one)"
            ev = installed
    elif criterion == "learning-curve":
        ev = _first(_in_use(facts, current), 1) if current else inputs
    if not cell.reasons:
        course = f"course: {cell.course}"
        cell.reasons = [f"{course}; {extra}" if extra else course]
    if not cell.evidence:
        cell.evidence = list(ev)


RULES: Mapping[str, Callable[[ProjectFacts, Cells], None]] = {
    "simplicity": simplicity,
    "reproducibility": reproducibility,
    "non-python": non_python,
    "native-lockfile": native_lockfile,
    "speed": speed,
    "ci": ci,
    "disk": disk,
    "learning-curve": learning_curve,
}


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit in ("B", "KiB") else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GiB"


def measured_of(facts: ProjectFacts) -> Mapping[str, Measured]:
    return facts.measured

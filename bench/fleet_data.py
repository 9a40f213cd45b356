"""Realistic synthetic fleets for ``bench/fleet_bench.py``.

A team's fleet over four months: laptops (macOS and Linux, mostly the team's
Python, some behind), a CI matrix (OS x Python x job) that pushes at every
run, and production images that move slowly and include a legacy service on
an old Python.  Every environment holds about 300 distributions with real
names; the team's lock moves every two weeks (a few packages each time),
laptops and images follow with a delay, and laptops carry a few tools of
their own.  Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from parity.env.snapshot_model import (
    Distribution,
    NativeLibrary,
    PlatformInfo,
    PythonInfo,
    Snapshot,
)
from parity.fleet.model import Origin

# About 300 names a data/ML web service really installs (direct and transitive).
NAMES = [
    "#",
    "noqa:",
    "SIM905",
    "(a",
    "word",
    "list",
    "reads",
    "better",
    "as",
    "text)",
    "absl-py",
    "aiohttp",
    "aiosignal",
    "alembic",
    "altair",
    "amqp",
    "aniso8601",
    "annotated-types",
    "anyio",
    "appdirs",
    "argon2-cffi",
    "argon2-cffi-bindings",
    "arrow",
    "asgiref",
    "asttokens",
    "astunparse",
    "async-timeout",
    "attrs",
    "babel",
    "backcall",
    "bcrypt",
    "beautifulsoup4",
    "billiard",
    "black",
    "bleach",
    "blinker",
    "boto3",
    "botocore",
    "cachetools",
    "celery",
    "certifi",
    "cffi",
    "cfgv",
    "charset-normalizer",
    "click",
    "click-didyoumean",
    "click-plugins",
    "click-repl",
    "cloudpickle",
    "colorama",
    "comm",
    "contourpy",
    "coverage",
    "cryptography",
    "cycler",
    "cython",
    "databricks-sdk",
    "dataclasses-json",
    "datasets",
    "debugpy",
    "decorator",
    "defusedxml",
    "deprecated",
    "dill",
    "distlib",
    "distro",
    "dnspython",
    "docker",
    "docutils",
    "email-validator",
    "entrypoints",
    "et-xmlfile",
    "exceptiongroup",
    "executing",
    "fastapi",
    "fastjsonschema",
    "filelock",
    "flake8",
    "flask",
    "flatbuffers",
    "fonttools",
    "fqdn",
    "frozenlist",
    "fsspec",
    "gast",
    "gitdb",
    "gitpython",
    "google-api-core",
    "google-auth",
    "google-auth-oauthlib",
    "google-cloud-core",
    "google-cloud-storage",
    "google-crc32c",
    "google-pasta",
    "google-resumable-media",
    "googleapis-common-protos",
    "graphene",
    "graphql-core",
    "graphql-relay",
    "greenlet",
    "grpcio",
    "gunicorn",
    "h11",
    "h5py",
    "httpcore",
    "httptools",
    "httpx",
    "huggingface-hub",
    "hypothesis",
    "identify",
    "idna",
    "imageio",
    "importlib-metadata",
    "importlib-resources",
    "iniconfig",
    "ipykernel",
    "ipython",
    "ipywidgets",
    "isoduration",
    "isort",
    "itsdangerous",
    "jedi",
    "jinja2",
    "jmespath",
    "joblib",
    "json5",
    "jsonpointer",
    "jsonschema",
    "jsonschema-specifications",
    "jupyter-client",
    "jupyter-core",
    "jupyter-events",
    "jupyter-lsp",
    "jupyter-server",
    "jupyter-server-terminals",
    "jupyterlab",
    "jupyterlab-pygments",
    "jupyterlab-server",
    "jupyterlab-widgets",
    "keras",
    "kiwisolver",
    "kombu",
    "lazy-loader",
    "libclang",
    "lightgbm",
    "llvmlite",
    "lxml",
    "mako",
    "markdown",
    "markdown-it-py",
    "markupsafe",
    "marshmallow",
    "matplotlib",
    "matplotlib-inline",
    "mccabe",
    "mdurl",
    "mistune",
    "ml-dtypes",
    "mlflow",
    "mlflow-skinny",
    "more-itertools",
    "mpmath",
    "msgpack",
    "multidict",
    "multiprocess",
    "mypy",
    "mypy-extensions",
    "nbclient",
    "nbconvert",
    "nbformat",
    "nest-asyncio",
    "networkx",
    "nodeenv",
    "notebook",
    "notebook-shim",
    "numba",
    "numexpr",
    "numpy",
    "oauthlib",
    "openpyxl",
    "opentelemetry-api",
    "opentelemetry-sdk",
    "opentelemetry-semantic-conventions",
    "opt-einsum",
    "optuna",
    "orjson",
    "overrides",
    "packaging",
    "pandas",
    "pandas-stubs",
    "pandocfilters",
    "paramiko",
    "parso",
    "partd",
    "pathspec",
    "patsy",
    "pexpect",
    "pickleshare",
    "pillow",
    "pip",
    "platformdirs",
    "plotly",
    "pluggy",
    "polars",
    "portalocker",
    "pre-commit",
    "prometheus-client",
    "prompt-toolkit",
    "proto-plus",
    "protobuf",
    "psutil",
    "psycopg2-binary",
    "ptyprocess",
    "pure-eval",
    "py4j",
    "pyarrow",
    "pyasn1",
    "pyasn1-modules",
    "pycodestyle",
    "pycparser",
    "pydantic",
    "pydantic-core",
    "pydantic-settings",
    "pyflakes",
    "pygments",
    "pyjwt",
    "pylint",
    "pymysql",
    "pynacl",
    "pyopenssl",
    "pyparsing",
    "pytest",
    "pytest-cov",
    "pytest-mock",
    "pytest-xdist",
    "python-dateutil",
    "python-dotenv",
    "python-json-logger",
    "python-multipart",
    "pytz",
    "pywavelets",
    "pyyaml",
    "pyzmq",
    "querystring-parser",
    "redis",
    "referencing",
    "regex",
    "requests",
    "requests-oauthlib",
    "rfc3339-validator",
    "rfc3986-validator",
    "rich",
    "rpds-py",
    "rsa",
    "ruff",
    "s3transfer",
    "safetensors",
    "scikit-image",
    "scikit-learn",
    "scipy",
    "seaborn",
    "send2trash",
    "sentencepiece",
    "sentry-sdk",
    "setuptools",
    "shap",
    "shellingham",
    "six",
    "slicer",
    "smart-open",
    "smmap",
    "sniffio",
    "snowballstemmer",
    "sortedcontainers",
    "soupsieve",
    "sqlalchemy",
    "sqlparse",
    "stack-data",
    "starlette",
    "statsmodels",
    "sympy",
    "tabulate",
    "tenacity",
    "tensorboard",
    "tensorboard-data-server",
    "tensorflow",
    "tensorflow-estimator",
    "tensorflow-io-gcs-filesystem",
    "termcolor",
    "terminado",
    "threadpoolctl",
    "tifffile",
    "tinycss2",
    "tokenizers",
    "tomli",
    "tomlkit",
    "toolz",
    "torch",
    "torchvision",
    "tornado",
    "tqdm",
    "traitlets",
    "transformers",
    "typer",
    "types-python-dateutil",
    "types-pytz",
    "types-pyyaml",
    "types-requests",
    "typing-extensions",
    "typing-inspect",
    "tzdata",
    "tzlocal",
    "uri-template",
    "urllib3",
    "uvicorn",
    "uvloop",
    "vine",
    "virtualenv",
    "waitress",
    "watchfiles",
    "wcwidth",
    "webcolors",
    "webencodings",
    "websocket-client",
    "websockets",
    "werkzeug",
    "wheel",
    "widgetsnbextension",
    "wrapt",
    "xgboost",
    "xxhash",
    "yarl",
    "zipp",
    "nvidia-cublas-cu12",
    "nvidia-cuda-runtime-cu12",
    "nvidia-cudnn-cu12",
    "triton",
    "onnx",
    "onnxruntime",
    "category-encoders",
    "imbalanced-learn",
    "feature-engine",
    "evidently",
    "great-expectations",
    "dvc",
    "hydra-core",
    "omegaconf",
    "antlr4-python3-runtime",
]
DEV_TOOLS = ["ipdb", "pudb", "snakeviz", "line-profiler", "memory-profiler", "pyinstrument"]
BIG = {"numpy", "pandas", "scikit-learn", "scipy", "torch", "pydantic", "sqlalchemy", "fastapi"}


@dataclass(frozen=True)
class Machine:
    label: str
    role: str
    python: str
    system: str
    machine: str
    lag_days: int  # how far behind the team's lock it usually is
    pushes: float  # relative push frequency


def _ladder(rng: random.Random, name: str) -> list[str]:
    """Eight increasing releases of a package."""
    major = rng.randint(0, 3)
    minor, patch = rng.randint(0, 20), rng.randint(0, 5)
    out = []
    for _ in range(8):
        step = rng.random()
        if step < 0.1:
            major, minor, patch = major + 1, 0, 0
        elif step < 0.6:
            minor, patch = minor + 1, 0
        else:
            patch += 1
        out.append(f"{major}.{minor}.{patch}")
    return out


def team(rng: random.Random) -> list[Machine]:
    machines = []
    for i in range(150):
        mac = rng.random() < 0.55
        python = rng.choices(["3.11.9", "3.12.4", "3.10.14", "3.9.19"], [70, 15, 10, 5])[0]
        machines.append(
            Machine(
                f"laptop-{i:03d}",
                "dev",
                python,
                "Darwin" if mac else "Linux",
                "arm64" if mac else "x86_64",
                rng.choice([0, 0, 7, 14, 30, 60]),
                0.4,
            )
        )
    for job in ("tests", "lint", "integration", "notebooks"):
        for os_name, system in (("ubuntu", "Linux"), ("macos", "Darwin"), ("windows", "Windows")):
            for python in ("3.10.14", "3.11.9", "3.12.4", "3.13.0"):
                arch = (
                    "arm64"
                    if system == "Darwin"
                    else ("AMD64" if system == "Windows" else "x86_64")
                )
                machines.append(
                    Machine(
                        f"ci/{job}/{os_name}-py{python[:4].rstrip('.')}",
                        "ci",
                        python,
                        system,
                        arch,
                        0,
                        3.0,
                    )
                )
    for i in range(30):
        legacy = i < 3
        machines.append(
            Machine(
                f"prod/{['api', 'worker', 'batch', 'scoring', 'etl'][i % 5]}-{i:02d}",
                "prod",
                "3.8.18" if legacy else rng.choice(["3.11.9", "3.11.9", "3.10.14"]),
                "Linux",
                "x86_64",
                120 if legacy else rng.choice([7, 14, 30]),
                0.6,
            )
        )
    return machines


def snapshots(
    count: int = 10_000, *, seed: int = 13, days: int = 120
) -> Iterator[tuple[Snapshot, Origin]]:
    """``count`` (snapshot, origin) pairs in time order."""
    rng = random.Random(seed)
    ladders = {name: _ladder(rng, name) for name in NAMES}
    start = dt.datetime(2026, 8, 1, tzinfo=dt.timezone.utc)
    # The lock's position on each ladder, moved every two weeks.
    locks: list[dict[str, int]] = [{name: rng.randint(1, 3) for name in NAMES}]
    for _ in range(days // 14 + 1):
        moved = dict(locks[-1])
        for name in rng.sample(NAMES, 12):
            moved[name] = min(7, moved[name] + 1)
        locks.append(moved)
    machines = team(rng)
    extras = {
        m.label: rng.sample(DEV_TOOLS, rng.randint(0, 3)) for m in machines if m.role == "dev"
    }
    quirks = {
        m.label: {n: rng.randint(-1, 1) for n in rng.sample(NAMES, rng.randint(0, 4))}
        for m in machines
    }
    weights = [m.pushes for m in machines]
    times = sorted(rng.random() * days for _ in range(count))
    commits = [f"{rng.getrandbits(160):040x}" for _ in range(days // 2 + 1)]
    built: dict[tuple[str, int], Snapshot] = {}
    for offset in times:
        machine = rng.choices(machines, weights)[0]
        moment = start + dt.timedelta(days=offset)
        at = max(0.0, offset - machine.lag_days)
        generation = min(len(locks) - 1, int(at // 14))
        key = (machine.label, generation)
        if key not in built:
            built[key] = _environment(machine, locks[generation], ladders, extras, quirks)
        origin = Origin(
            label=machine.label,
            role=machine.role,
            host=machine.label.replace("/", "-") if machine.role == "dev" else None,
            git_commit=commits[int(offset // 2)],
        )
        yield replace(built[key], taken_at=moment.strftime("%Y-%m-%dT%H:%M:%SZ")), origin


def _environment(
    machine: Machine,
    lock: dict[str, int],
    ladders: dict[str, list[str]],
    extras: dict[str, list[str]],
    quirks: dict[str, dict[str, int]],
) -> Snapshot:
    """What ``machine`` has installed when it follows ``lock`` (with its own quirks)."""
    dists = []
    for name in NAMES:
        if machine.python.startswith("3.8") and name in ("tensorflow", "torch", "polars"):
            continue
        if machine.system == "Windows" and name in ("uvloop", "gunicorn", "pexpect", "ptyprocess"):
            continue
        position = lock[name] + quirks[machine.label].get(name, 0)
        position = max(0, min(7, position))
        dists.append(
            Distribution(name, ladders[name][position], installer="uv", requested=name in BIG)
        )
    for tool in extras.get(machine.label, ()):
        dists.append(Distribution(tool, "1.0.0", installer="pip", requested=True))
    native = (
        (NativeLibrary("blas", "accelerate", None, "numpy"),)
        if machine.system == "Darwin"
        else (NativeLibrary("blas", "scipy-openblas", "0.3.27", "numpy"),)
    )
    return Snapshot(
        label=".venv",
        kind="venv",
        python=PythonInfo(
            "CPython", machine.python, abi=f"cp{machine.python.replace('.', '')[:3]}"
        ),
        platform=PlatformInfo(
            machine.system,
            machine.machine,
            libc="glibc" if machine.system == "Linux" else None,
            libc_version="2.36" if machine.system == "Linux" else None,
        ),
        distributions=tuple(sorted(dists, key=lambda d: d.name)),
        native=native,
        env_vars={"OMP_NUM_THREADS": "4"} if machine.role == "prod" else {},
    )

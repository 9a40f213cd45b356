"""Fixture projects with clearly different profiles, as file maps (see fixtures.make_project).

- ``GPU_VISION``: a computer-vision trainer on CUDA builds of torch, with OpenCV;
- ``PURE_LIBRARY``: a pure-Python library published to an index, tested on five Pythons;
- ``MULTI_SERVICE``: an app that talks to PostgreSQL, Redis and an MLflow tracking server;
- ``CONDA_SCIENCE``: a conda project (environment.yml) on GDAL and MKL.
"""

from __future__ import annotations

GPU_VISION = {
    "requirements.in": """
        # requirements.in - an image classifier trained on GPUs.
        --extra-index-url https://wheels.example/whl/cu121
        torch==2.3.1+cu121
        torchvision==0.18.1+cu121
        opencv-python>=4.9
        numpy>=1.26
        pillow>=10.0
        albumentations>=1.4
        """,
    "requirements-dev.in": """
        -r requirements.in
        pytest>=8.0
        jupyterlab>=4.1
        """,
    ".python-version": "3.11\n",
    "src/vision/train.py": """
        import torch

        def device() -> torch.device:
            return torch.device("cuda" if torch.cuda.is_available() else "cpu")
        """,
    "notebooks/explore.ipynb": "{}\n",
}

PURE_LIBRARY = {
    "pyproject.toml": """
        [build-system]
        requires = ["hatchling>=1.24"]
        build-backend = "hatchling.build"

        [project]
        name = "tinyparse"
        version = "1.2.0"
        description = "Parse tiny formats."
        readme = "README.md"
        requires-python = ">=3.9"
        license = "MIT"
        classifiers = [
            "Programming Language :: Python :: 3",
            "License :: OSI Approved :: MIT License",
            "Development Status :: 5 - Production/Stable",
        ]
        dependencies = [
            "attrs>=23.1",
            "typing-extensions>=4.8; python_version < '3.11'",
        ]

        [project.urls]
        Homepage = "https://code.example/tinyparse"

        [dependency-groups]
        test = ["pytest>=8.0", "hypothesis>=6.100"]
        dev = [{include-group = "test"}, "ruff>=0.5", "mypy>=1.10"]
        """,
    "README.md": "# tinyparse\n",
    "src/tinyparse/__init__.py": "__version__ = '1.2.0'\n",
    ".github/workflows/ci.yml": """
        name: ci
        on: [push, pull_request]
        jobs:
          test:
            runs-on: ubuntu-latest
            strategy:
              matrix:
                python-version: ["3.9", "3.10", "3.11", "3.12", "3.13"]
            steps:
              - uses: actions/checkout@v4
              - uses: actions/setup-python@v5
                with:
                  python-version: ${{ matrix.python-version }}
              - run: python -m pip install -e . pytest hypothesis
              - run: python -m pytest
          publish:
            needs: test
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - run: python -m pip install build && python -m build
              - uses: pypa/gh-action-pypi-publish@release/v1
        """,
}

MULTI_SERVICE = {
    "requirements.in": """
        fastapi>=0.110
        uvicorn>=0.29
        sqlalchemy>=2.0
        psycopg[binary]>=3.1
        redis>=5.0
        celery>=5.3
        mlflow>=2.12
        pandas>=2.2
        """,
    "requirements-dev.in": """
        -r requirements.in
        pytest>=8.0
        """,
    ".python-version": "3.12\n",
    "app/settings.py": """
        import os

        DATABASE_URL = os.environ.get(
            "DATABASE_URL", "postgresql+psycopg://app:app@localhost:5432/app"
        )
        REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
        MLFLOW_TRACKING_URI = os.environ.get("MLFLOW_TRACKING_URI", "http://localhost:5000")
        """,
    "app/main.py": """
        import uvicorn

        if __name__ == "__main__":
            uvicorn.run("app.api:app", port=8080)
        """,
}

CONDA_SCIENCE = {
    "environment.yml": """
        name: geo
        channels:
          - conda-forge
        dependencies:
          - python=3.11
          - gdal>=3.8
          - rasterio
          - numpy
          - mkl
          - pip
          - pip:
            - pydantic>=2
        """,
}

# Shaped like a Django shop (saleor): a build backend and a homepage URL, but an
# application; PostgreSQL and Redis in the dev container's compose file; uv.lock.
DJANGO_SHOP = {
    "pyproject.toml": """
        [build-system]
        requires = ["hatchling"]
        build-backend = "hatchling.build"

        [project]
        name = "shop"
        version = "3.1.0"
        requires-python = ">=3.12,<3.13"
        dependencies = [
            "django[bcrypt]~=5.2",
            "psycopg[binary]>=3.1",
            "redis>=5.0",
            "celery[redis]>=5.3",
            "uvicorn[standard]>=0.30",
        ]

        [project.urls]
        Homepage = "https://shop.example/"

        [dependency-groups]
        dev = ["pytest>=8.0", "pytest-django>=4.8"]
        """,
    "manage.py": """
        #!/usr/bin/env python3
        import os
        import sys

        if __name__ == "__main__":
            os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
            from django.core.management import execute_from_command_line

            execute_from_command_line(sys.argv)
        """,
    "uv.lock": "version = 1\n"
    + "".join(f'\n[[package]]\nname = "pkg{i}"\nversion = "1.0"\n' for i in range(42)),
    ".devcontainer/devcontainer.json": '{"dockerComposeFile": "docker-compose.yml"}\n',
    ".devcontainer/docker-compose.yml": """
        services:
          api:
            build: .
          db:
            image: postgres:17
          redis:
            image: redis:7.2-alpine
        """,
    ".github/workflows/tests.yml": """
        name: tests
        on: [push]
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: astral-sh/setup-uv@v6
              - run: uv sync --locked
              - run: uv run pytest
        """,
}

# Shaped like a latent-diffusion repository (CompVis/stable-diffusion): conda's
# environment.yaml with cudatoolkit and pytorch, OpenCV from pip, and `-e .` of a
# project whose only metadata is its setup.py.
CONDA_GPU = {
    "environment.yaml": """
        name: ldm
        channels:
          - pytorch
          - defaults
        dependencies:
          - python=3.8.5
          - pip=20.3
          - cudatoolkit=11.3
          - pytorch=1.11.0
          - torchvision=0.12.0
          - numpy=1.19.2
          - pip:
            - opencv-python==4.1.2.30
            - omegaconf==2.1.1
            - streamlit>=0.73.1
            - -e .
        """,
    "setup.py": """
        from setuptools import setup, find_packages

        setup(
            name='latent-diffusion',
            version='0.0.1',
            packages=find_packages(),
            install_requires=['torch', 'numpy', 'tqdm'],
        )
        """,
    "ldm/models/model.py": """
        import torch

        def to_gpu(x):
            return x.to(torch.device("cuda"))

        def pick():
            return "cuda" if torch.cuda.is_available() else "cpu"
        """,
}

# Shaped like Unstructured-IO/unstructured: a library published for others (hatchling,
# classifiers, a publish step) whose core needs no native stack; torch comes only with
# the extra huggingface, and with local-inference, which includes it; a uv.lock.
LIBRARY_TORCH_EXTRA = {
    "pyproject.toml": """
        [build-system]
        requires = ["hatchling"]
        build-backend = "hatchling.build"

        [project]
        name = "docparse"
        version = "0.18.0"
        requires-python = ">=3.11, <3.14"
        classifiers = [
            "Programming Language :: Python :: 3",
            "License :: OSI Approved :: Apache Software License",
        ]
        dependencies = [
            "charset-normalizer>=3.4",
            "lxml>=5.0",
            "requests>=2.32",
        ]

        [project.optional-dependencies]
        csv = ["pandas>=2.0"]
        huggingface = [
            "sentencepiece>=0.2",
            "torch>=2.10.0, <3.0.0; platform_system != 'Windows'",
            "transformers>=5.2",
        ]
        local-inference = ["docparse[csv,huggingface]"]

        [dependency-groups]
        test = ["pytest>=9.0", "pytest-cov>=7.0"]
        lint = ["ruff>=0.15"]
        """,
    "docparse/__init__.py": "__version__ = '0.18.0'\n",
    "uv.lock": "version = 1\n"
    + "".join(f'\n[[package]]\nname = "pkg{i}"\nversion = "1.0"\n' for i in range(60)),
    ".github/workflows/release.yml": """
        name: release
        on: [release]
        jobs:
          publish:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
              - uses: astral-sh/setup-uv@v6
              - run: uv build
              - uses: pypa/gh-action-pypi-publish@release/v1
        """,
}

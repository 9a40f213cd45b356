"""Fixture projects in each input style, as file maps (an index URL filled in)."""

from __future__ import annotations

import textwrap


def pip_tools(url: str) -> dict[str, str]:
    return {
        "requirements.in": textwrap.dedent(
            f"""\
            # requirements.in - what the app imports.
            -i {url}
            # the core
            beta>=1.0
            gamma ; sys_platform != 'win32'  # not on Windows
            epsilon[fast]
            """
        ),
        "requirements-dev.in": textwrap.dedent(
            """\
            -r requirements.in
            # tools
            tool-a~=1.0
            eta
            """
        ),
        ".python-version": "3.11\n",
    }


def pep621(url: str) -> dict[str, str]:
    return {
        "pyproject.toml": textwrap.dedent(
            f"""\
            # The demo application.
            [project]
            name = "demo-app"
            version = "0.1.0"
            requires-python = ">=3.11"
            dependencies = [
                # the core
                "beta>=1.0",
                "gamma ; sys_platform != 'win32'",  # not on Windows
            ]

            [project.optional-dependencies]
            fast = ["epsilon[fast]"]

            [dependency-groups]
            test = ["tool-a>=1.0,<2.0"]
            dev = [{{include-group = "test"}}, "eta"]

            [tool.ruff]
            line-length = 100

            [[tool.uv.index]]
            url = "{url}"
            default = true
            """
        ),
    }


def poetry(url: str) -> dict[str, str]:
    return {
        "pyproject.toml": textwrap.dedent(
            f"""\
            [tool.poetry]
            name = "poetry-demo"
            version = "0.1.0"
            description = ""
            package-mode = false

            [tool.poetry.dependencies]
            python = "^3.11"
            # the core
            beta = "^1.0"
            gamma = {{ version = "*", markers = "sys_platform != 'win32'" }}

            [tool.poetry.group.dev.dependencies]
            tool-a = "~1.0"  # the CLI
            eta = "*"

            [[tool.poetry.source]]
            name = "local"
            url = "{url}"
            priority = "primary"
            """
        ),
        ".python-version": "3.11\n",
    }


STYLES = {"pip-tools": pip_tools, "pep621": pep621, "poetry": poetry}

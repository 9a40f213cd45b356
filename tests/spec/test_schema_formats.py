"""The schema's format checks parity answers itself agree with validate-pyproject's own."""

from __future__ import annotations

import subprocess
import sys

import pytest

from parity._vendor.validate_pyproject import FORMAT_FUNCTIONS
from parity.spec.validate import _PLAIN_FORMATS, _Formats

VALUES = [
    "requests",
    "requests>=2.0",
    "requests >= 2.0, < 3",
    "requests~=2.31",
    "requests==2.*",
    "Foo_Bar.baz",
    "pandas[performance]>=2.0",
    "torch; sys_platform == 'linux'",
    'cloudpickle; platform_python_implementation == "CPython"',
    "name @ https://example.invalid/x.whl",
    "name>=1.0; python_version <",
    "name>=",
    "-name",
    "name-",
    "",
    " ",
    "na me",
    "name===weird",
    ">=3.10",
    ">=3.10,<3.13",
    "==3.11.*",
    "~=3.11",
    "3.11",
    ">=3.10; python_version",
    "1.0",
    "1.0.post1",
    "1!2.0rc1.dev3+local.7",
    "v1.0",
    "1..0",
    "0.66b2",
    "A",
    "a.b-c_d",
    "_a",
]


@pytest.mark.parametrize("name", sorted(_PLAIN_FORMATS))
@pytest.mark.parametrize("value", VALUES)
def test_each_plain_format_answers_as_validate_pyproject(name: str, value: str) -> None:
    assert _PLAIN_FORMATS[name](value) is FORMAT_FUNCTIONS[name](value)


def test_every_other_format_is_validate_pyproject_own() -> None:
    formats = _Formats()
    assert formats["trove-classifier"] is FORMAT_FUNCTIONS["trove-classifier"]
    assert formats["pep508"] is _PLAIN_FORMATS["pep508"]


def test_the_vendored_package_imports_its_formats_only_when_asked() -> None:
    code = (
        "import sys, parity._vendor.validate_pyproject as v; "
        "assert 'packaging' not in sys.modules, 'packaging'; "
        "assert v.validate({'project': {'name': 'x', 'version': '1'}}); "
        "assert 'packaging' in sys.modules and callable(v.FORMAT_FUNCTIONS['pep508'])"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr

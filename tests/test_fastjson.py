"""parity's own JSON files read without the json package: as ``json.loads`` reads them."""

from __future__ import annotations

import json

import pytest

from parity.fastjson import loads

DOCUMENTS = [
    '{"a": [1, 2.5, null, true, false, "x\\u00e9"], "b": {}}',
    " [] ",
    '"text"',
    "1e400",
    "-0.0",
    "NaN",
    "[Infinity, -Infinity]",
    '{"a": 1}\n',
    '{"a": 1, "a": 2}',
    '{"nested": [[[{"k": "v"}]]]}',
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_a_document_reads_as_json_loads_reads_it(text: str) -> None:
    assert repr(loads(text)) == repr(json.loads(text))


@pytest.mark.parametrize(
    "text", ["", "  ", "{", "[1,]", '{"a": 1} x', "{'a': 1}", "[1] [2]", '"\x01"', "01"]
)
def test_what_json_loads_refuses_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        json.loads(text)
    with pytest.raises(ValueError):
        loads(text)

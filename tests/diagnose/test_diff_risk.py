from __future__ import annotations

import datetime as dt
import re
from importlib.resources import files
from pathlib import Path

import pytest

from parity.diagnose.risk import RulesError, default_rules, load_rules, parse_rules

RULES_TEXT = (files("parity") / "data" / "risk_rules.toml").read_text(encoding="utf-8")

MINIMAL = """\
schema = "parity/risk-rules@1"
[severity]
critical = 80
high = 60
medium = 35
"""


def test_the_shipped_table_is_package_data_and_loads() -> None:
    rules = default_rules()
    assert len(rules.transitions) >= 30
    assert {(3, 8), (3, 9), (3, 12), (3, 13)} <= {r.version for r in rules.python}


def test_every_rule_is_sourced_and_has_a_unique_id() -> None:
    rules = default_rules()
    ids = [r.id for r in rules.transitions]
    assert len(ids) == len(set(ids))
    for rule in rules.transitions:
        assert rule.source.startswith("https://"), rule.id
        assert rule.reason and rule.severity in ("critical", "high", "medium", "low")
    assert all(r.source for r in rules.python)


def test_sources_are_project_documentation_sites() -> None:
    # A new site is reviewed before it joins: release notes and migration
    # guides only, never a package registry.
    hosts = set(re.findall(r"https://([^/\s\"]+)", RULES_TEXT))
    documentation = {"github.com", "keras.io", "numpy.org", "protobuf.dev", "pytorch.org"}
    suffixes = (
        ".readthedocs.io",
        ".palletsprojects.com",
        ".python.org",
        ".pypa.io",
        ".pydata.org",
        ".pydantic.dev",
        ".sqlalchemy.org",
        ".tiangolo.com",
        ".tensorflow.org",
        "scikit-learn.org",
    )
    assert {h for h in hosts if h not in documentation and not h.endswith(suffixes)} == set()


def test_python_facts_of_the_table() -> None:
    rules = default_rules()
    py312 = rules.release(3, 12)
    py313 = rules.release(3, 13)
    assert py312 is not None and py313 is not None
    assert {"distutils", "imp", "asynchat", "asyncore", "smtpd"} <= set(py312.removed)
    assert {"cgi", "telnetlib", "lib2to3", "crypt", "uu"} <= set(py313.removed)
    assert [r.text for r in rules.releases_between((3, 9), (3, 11))] == ["3.10", "3.11"]


@pytest.mark.parametrize(
    ("version", "day", "passed"),
    [
        ("3.8", dt.date(2024, 10, 7), False),
        ("3.8", dt.date(2024, 10, 8), True),
        ("3.10", dt.date(2026, 10, 31), False),  # "2026-10": the whole month is supported
        ("3.10", dt.date(2026, 11, 1), True),
    ],
)
def test_end_of_life_dates(version: str, day: dt.date, passed: bool) -> None:
    major, minor = (int(x) for x in version.split("."))
    release = default_rules().release(major, minor)
    assert release is not None
    assert release.eol_passed(day) is passed


@pytest.mark.parametrize(
    ("score", "label"),
    [(100, "critical"), (80, "critical"), (79, "high"), (60, "high"), (35, "medium"), (34, "low")],
)
def test_scores_map_to_severity_labels(score: int, label: str) -> None:
    assert default_rules().severity(score) == label


def test_generic_order_of_kinds() -> None:
    score = default_rules().score
    assert (
        score("python.minor")
        > score("platform.libc")
        > score("version.major")
        > score("unpinned")
        > score("missing")
        > score("version.minor")
        > score("source")
        > score("version.patch")
    )
    assert default_rules().native_rule("blas").score > score("version.major")


def test_rules_match_only_across_their_break() -> None:
    rules = default_rules()
    assert [r.id for r in rules.matching("Pandas", "1.5.3", "2.0.0", "major")] == ["pandas-2.0"]
    assert rules.matching("pandas", "2.0.0", "2.2.0", "minor") == ()


def test_an_unpinned_side_may_cross_only_breaks_above_the_pinned_version() -> None:
    rules = default_rules()
    assert [r.id for r in rules.could_cross("numpy", "1.26.4")] == ["numpy-2"]
    assert rules.could_cross("numpy", "2.1.0") == ()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_extra_rule_files_add_rules(tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        """
[[transition]]
id = "inhouse-3"
package = "InHouse_Lib"
from = "<3"
to = ">=3"
severity = "critical"
reason = "our 3.0 changed the wire format"
source = "https://wiki.example/inhouse-3"
""",
    )
    rules = load_rules([extra])
    assert [r.id for r in rules.matching("inhouse-lib", "2.9", "3.0", "major")] == ["inhouse-3"]
    assert len(rules.transitions) == len(default_rules().transitions) + 1


def test_an_extra_rule_replaces_a_shipped_rule_of_the_same_id(tmp_path: Path) -> None:
    extra = write(
        tmp_path,
        """
[[transition]]
id = "numpy-2"
package = "numpy"
from = "<2"
to = ">=2"
severity = "low"
reason = "we vendor our own build"
source = "https://wiki.example/numpy"
""",
    )
    rules = load_rules([extra])
    (numpy,) = [r for r in rules.transitions if r.id == "numpy-2"]
    assert numpy.severity == "low"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '[[transition]]\npackage = "a"\nseverity = "high"\nreason = "r"\nfrom = "<2"\nto = ">=2"\n',
            "lacks source",
        ),
        (
            '[[transition]]\npackage = "a"\nseverity = "fatal"\nreason = "r"\nsource = "s"\nchange = "major"\n',
            "unknown severity",
        ),
        (
            '[[transition]]\npackage = "a"\nseverity = "high"\nreason = "r"\nsource = "s"\nfrom = "<2"\n',
            "both `from` and `to`",
        ),
        (
            '[[transition]]\npackage = "a"\nseverity = "high"\nreason = "r"\nsource = "s"\nfrom = "two"\nto = ">=2"\n',
            "not a version range",
        ),
        (
            '[[transition]]\npackage = "a"\nseverity = "high"\nreason = "r"\nsource = "s"\nchange = "huge"\n',
            "unknown change level",
        ),
        ('[[python.release]]\nversion = "3.8"\neol = "soon"\n', "eol"),
        ('schema = "other@9"\n', "unknown rule schema"),
    ],
)
def test_bad_rules_are_errors_with_a_location(body: str, message: str) -> None:
    with pytest.raises(RulesError, match=re.escape(message)) as info:
        parse_rules(MINIMAL + body if "schema" not in body else body, path="rules.toml")
    assert info.value.path == "rules.toml"


def test_invalid_toml_names_the_line() -> None:
    with pytest.raises(RulesError) as info:
        parse_rules("a = 1\nb = \n", path="rules.toml")
    assert info.value.line == 2
    assert info.value.hint


def test_a_missing_rule_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read"):
        load_rules([tmp_path / "absent.toml"])

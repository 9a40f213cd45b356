from __future__ import annotations

import json

import pytest
from test_diff_scenario import DIRECT, TODAY, developer_a, developer_b, production

from parity.diagnose.diff import DIFF_SCHEMA, DiffResult, diff_snapshots
from parity.report.diff_report import diff_markdown, render_diff, summary_line, top_fixes


def two() -> DiffResult:
    return diff_snapshots([developer_a(), developer_b()], direct=DIRECT, today=TODAY)


def three() -> DiffResult:
    return diff_snapshots([developer_a(), developer_b(), production()], today=TODAY)


def same() -> DiffResult:
    return diff_snapshots([developer_a(), developer_a()], today=TODAY)


def test_json_has_a_stable_schema() -> None:
    data = two().to_json()
    assert list(data) == ["schema", "sides", "summary", "differences", "matrix", "notes"]
    assert data["schema"] == DIFF_SCHEMA == "parity/diff@1"
    assert data["sides"][0] == {
        "label": "dev-a.json",
        "kind": "venv",
        "python": "3.11.4",
        "requires_python": None,
        "platform": "Linux x86_64",
        "packages": 4,
    }
    assert data["summary"] == {
        "differences": 4,
        "critical": 4,
        "high": 0,
        "medium": 0,
        "low": 0,
        "max_severity": "critical",
    }
    first = data["differences"][0]
    assert set(first) == {
        "kind", "change", "subject", "sides", "values", "score", "severity",
        "reason", "fix", "direct", "rules", "sources",
    }  # fmt: skip
    assert (first["kind"], first["sides"], first["values"]) == (
        "python",
        [0, 1],
        ["3.11.4", "3.9.7"],
    )
    assert set(data["matrix"][0]) == {
        "family", "subject", "kinds", "change", "values", "score", "severity", "reason", "fix",
    }  # fmt: skip


def test_json_is_byte_stable() -> None:
    assert json.dumps(two().to_json()) == json.dumps(two().to_json())


def test_json_of_identical_sides_is_empty() -> None:
    data = same().to_json()
    assert data["differences"] == [] and data["matrix"] == []
    assert data["summary"]["max_severity"] is None


def test_json_for_three_sides_has_the_matrix() -> None:
    data = three().to_json()
    assert [s["label"] for s in data["sides"]] == [
        "dev-a.json",
        "dev-b.json",
        "requirements-prod.txt",
    ]
    python = data["matrix"][0]
    assert python["subject"] == "python"
    assert python["values"] == ["3.11.4", "3.9.7", "3.8.10"]
    assert data["summary"]["differences"] == len(data["matrix"])
    assert any("lists requirements only" in n for n in data["notes"])


def test_markdown_has_a_heading_a_table_and_the_top_fixes() -> None:
    text = diff_markdown(two())
    lines = text.splitlines()
    assert lines[0] == "## parity diff: `dev-a.json` vs `dev-b.json`"
    assert "**4 differences** (4 critical), most dangerous first." in lines
    header = "| Risk | Kind | Subject | `dev-a.json` | `dev-b.json` | Why |"
    assert header in lines
    rows = [line for line in lines if line.startswith("| **")]
    assert len(rows) == 4
    assert rows[0].startswith("| **critical** 91 | python minor | `python` | 3.11.4 | 3.9.7 |")
    assert "X \\| Y union types" in rows[0]  # pipes inside a cell are escaped
    assert all(row.count(" | ") == header.count(" | ") for row in rows)
    assert "### Top fixes" in lines
    assert lines[lines.index("### Top fixes") + 2].startswith(
        "1. **python**: Run every side on Python 3.11"
    )


def test_markdown_for_three_sides_is_a_matrix() -> None:
    text = diff_markdown(three())
    assert text.startswith(
        "## parity diff: `dev-a.json` vs `dev-b.json` vs `requirements-prod.txt`"
    )
    assert (
        "| Risk | Kind | Subject | `dev-a.json` | `dev-b.json` | `requirements-prod.txt` | Why |"
        in text
    )
    assert "| 1.3.0 | 1.0.2 | unpinned |" in text
    assert "> requirements-prod.txt lists requirements only" in text


def test_markdown_without_differences() -> None:
    assert (
        diff_markdown(same()) == "## parity diff: `dev-a.json` vs `dev-a.json`\n\nNo differences.\n"
    )


def test_markdown_top_limits_the_rows() -> None:
    text = diff_markdown(two(), top=1)
    assert len([line for line in text.splitlines() if line.startswith("| **")]) == 1
    assert "_3 lower-risk rows not shown._" in text


def test_top_fixes_are_unique_and_skip_low_risk() -> None:
    fixes = top_fixes(two())
    assert [subject for subject, _ in fixes] == ["python", "numpy", "scikit-learn", "pandas"]
    assert len({fix for _, fix in fixes}) == len(fixes)


def test_summary_lines() -> None:
    assert summary_line(two()).startswith(
        "4 differences between dev-a.json and dev-b.json (4 critical)"
    )
    assert summary_line(three()).startswith(
        "4 aspects differ between dev-a.json, dev-b.json and requirements-prod.txt"
    )
    assert summary_line(same()) == "No differences between dev-a.json and dev-a.json."


def test_terminal_table_lists_the_riskiest_first(capsys: pytest.CaptureFixture[str]) -> None:
    render_diff(two(), explain=True)
    out = capsys.readouterr().out
    assert out.startswith("4 differences between dev-a.json and dev-b.json")
    assert out.index("critical 91") < out.index("scikit-learn")
    assert "Fix first:" in out


def test_the_terminal_prints_one_line_per_finding_by_default(
    capsys: pytest.CaptureFixture[str],
) -> None:
    render_diff(two())
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("4 differences between dev-a.json and dev-b.json")
    rows = [line for line in lines if line.startswith(("critical ", "high ", "medium ", "low "))]
    assert len(rows) == 4
    assert rows[0].split()[:4] == ["critical", "91", "python", "minor"]
    assert "Fix first:" not in "\n".join(lines)
    assert lines[-1].startswith("--explain shows why each one matters")
    assert len(lines) == 1 + 1 + 4 + 1  # summary, header, one line per finding, the hint


def test_terminal_output_of_three_sides_has_a_column_per_side(
    capsys: pytest.CaptureFixture[str],
) -> None:
    render_diff(three())
    out = capsys.readouterr().out
    assert "unpinned" in out and "3.8.10" in out
    assert "note: requirements-prod.txt lists requirements only" in out.replace("\n", " ")


def test_json_format_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    render_diff(two(), fmt="json")
    assert json.loads(capsys.readouterr().out)["schema"] == "parity/diff@1"

"""``parity check --markdown``: the result as a Markdown summary (a CI job summary, a PR comment)."""

from __future__ import annotations

TYPE_CHECKING = False  # not typing's: check's paths stay cheap
if TYPE_CHECKING:
    from parity.diagnose.check import CheckReport


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def check_markdown(report: CheckReport, *, project: str | None = None) -> str:
    where = f" in `{project}`" if project and project != "." else ""
    checked = ", ".join(report.checked)
    if report.ok and not report.findings:
        return f"### parity check{where}: passed\n\nChecked: {checked}. Nothing to report.\n"
    status = "passed" if report.ok else "failed"
    lines = [
        f"### parity check{where}: {status} ({len(report.findings)} finding(s))",
        "",
        f"Checked: {checked}.",
        "",
        "| severity | code | finding | fix |",
        "| --- | --- | --- | --- |",
    ]
    for finding in report.findings:
        lines.append(
            f"| {finding.severity} | `{finding.code}` | {_cell(finding.message)} "
            f"| {_cell(finding.fix or '')} |"
        )
    return "\n".join(lines) + "\n"

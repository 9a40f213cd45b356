"""What ``parity check`` tells the user.

Plain output (report/style.py), not rich: check runs on every commit and CI job, and
rich's import alone would cost a tenth of its time budget.
"""

from __future__ import annotations

from parity.report.style import echo, style

TYPE_CHECKING = False  # not typing's: check's paths stay cheap
if TYPE_CHECKING:
    from parity.diagnose.check import CheckReport

_COLOUR = {"critical": "red", "high": "red", "medium": "yellow", "low": "yellow", "info": "blue"}


def render_check(report: CheckReport, *, as_json: bool) -> None:
    if as_json:
        from parity.report.console import print_json

        print_json(report.to_json())
        return
    if report.ok:
        env = ""
        if "environment" in report.checked:
            with_extras = "".join(f" with extra {e}" for e in report.extras)
            env = f"; {report.venv} matches the '{report.group}' lock{with_extras}"
        echo(style("OK:", fg="green") + f" lock is fresh{env}.")
        return
    echo(style("check failed", fg="red") + f" ({len(report.findings)} finding(s)):")
    fixes: list[str] = []
    for f in report.findings:
        risk = f.data.get("risk")
        tag = style(f" ({risk} risk)", dim=True) if risk else ""
        echo(f"  {style(f'{f.code:<16}', fg=_COLOUR[f.severity])} {f.message}{tag}")
        if f.fix and f.fix not in fixes:
            fixes.append(f.fix)
    for fix in fixes:
        echo(f"  {style('fix:', bold=True)} {fix}")

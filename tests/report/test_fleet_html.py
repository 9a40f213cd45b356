"""The fleet status page, rendered by headless Chromium.

The page must open with no console error, load nothing from anywhere, fit a
laptop screen (1366x768) without scrolling sideways, and show the heat map
and the tables.  A screenshot is written next to the page for a human to
look at (``--basetemp`` keeps it).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from fixtures.chromium import REQUIRED_VARIABLE, Browser, chromium
from fixtures.fleet import make_snapshot
from parity.fleet.drift import fleet_status
from parity.fleet.model import Member, Record
from parity.fleet.status import FleetStatus
from parity.report.fleet_report import status_html

LAPTOP = (1366, 768)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as found:
        if found is None:
            if os.environ.get(REQUIRED_VARIABLE) == "1":
                pytest.fail("Chromium is required here (CI installs Debian's chromium package)")
            pytest.skip("Chromium is not installed (apt-get install chromium)")
        yield found


def _fleet(machines: int, packages: int) -> FleetStatus:
    """A fleet where machine i drifts in i % 7 packages and every 5th runs an older Python."""
    base = {f"pkg-{j:03d}": "1.4.2" for j in range(packages)}
    base |= {"numpy": "1.26.4", "pandas": "2.1.4", "scikit-learn": "1.3.2"}
    members = []
    for i in range(machines):
        dists = dict(base)
        for j in range(i % 7):
            dists[f"pkg-{(i * 3 + j) % packages:03d}"] = ["1.4.1", "1.3.0", "2.0.0"][j % 3]
        if i % 9 == 4:
            dists["numpy"] = "2.0.1"
        python = "3.9.18" if i % 5 == 4 else "3.11.7"
        role = ("dev", "ci", "prod")[i % 3]
        snapshot = make_snapshot(f"m{i}", python=python, dists=dists)
        record = Record(
            id=i,
            label=f"{role}-machine-{i:03d}",
            role=role,
            host=None,
            git_commit="f" * 40,
            lock_digest=None,
            pushed_at="2026-11-30T09:00:00.000000Z",
            taken_at=None,
            seen_at="2026-11-30T09:00:00.000000Z",
            env_label="x",
            python=python,
            dist_set=i,
            context=1 if python == "3.11.7" else 2,
        )
        members.append(Member(record, replace(snapshot, label=record.label)))
    return fleet_status(members, today=dt.date(2026, 12, 1), store=".parity/fleet.db")


def _render(browser: Browser, status: FleetStatus, folder: Path, name: str):  # type: ignore[no-untyped-def]
    page_file = folder / f"{name}.html"
    page_file.write_text(status_html(status, generated="2026-12-01 10:00 UTC"), encoding="utf-8")
    page = browser.open(page_file.as_uri(), width=LAPTOP[0], height=LAPTOP[1])
    page.screenshot(folder / f"{name}.png")
    page.screenshot(folder / f"{name}-full.png", full_page=True)
    return page_file, page


def test_the_page_is_self_contained(tmp_path: Path) -> None:
    html = status_html(_fleet(12, 40), generated="now")
    urls = set(re.findall(r"(?:https?:)?//[^\s\"'<>)]+", html))
    assert urls == {"http://www.w3.org/2000/svg"}  # the SVG namespace, never fetched
    assert "<script" not in html
    assert "default-src 'none'" in html


def test_the_page_renders_without_errors_and_fits_a_laptop(
    browser: Browser, tmp_path: Path
) -> None:
    status = _fleet(24, 60)
    _, page = _render(browser, status, tmp_path, "fleet")
    assert page.problems == []
    assert page.evaluate("performance.getEntriesByType('resource').length") == 0
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, "the page scrolls sideways on a laptop screen"
    assert page.evaluate("document.querySelector('h1').textContent") == "parity fleet status"
    shown_aspects = min(len(status.aspects), 40)
    assert (
        page.evaluate("document.querySelectorAll('#heatmap svg rect.cell').length")
        == 24 * shown_aspects
    )
    drifting = page.evaluate("document.querySelectorAll('#heatmap svg rect.cell:not(.ok)').length")
    assert drifting == sum(1 for a in status.aspects[:40] for _ in a.cells)
    assert page.evaluate("document.querySelectorAll('#aspects tbody tr').length") == len(
        status.aspects
    )
    assert page.evaluate("document.querySelectorAll('#machines tbody tr').length") == 24
    first_row = page.evaluate(
        "document.querySelector('#heatmap svg text.row').firstChild.textContent"
    )
    assert first_row == status.machines[0].label
    # The heat map starts above the fold: a reader sees it without scrolling.
    top = page.evaluate("document.querySelector('#heatmap').getBoundingClientRect().top")
    assert top < LAPTOP[1]
    tooltip = page.evaluate(
        "document.querySelector('#heatmap svg rect.sev-critical title').textContent"
    )
    assert "expected" in tooltip


def test_a_large_fleet_stays_usable(browser: Browser, tmp_path: Path) -> None:
    status = _fleet(260, 300)
    page_file, page = _render(browser, status, tmp_path, "large")
    assert page.problems == []
    assert page_file.stat().st_size < 3_000_000
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner
    assert page.evaluate("document.querySelectorAll('#heatmap svg text.row').length") == 200
    note = page.evaluate("document.querySelector('#heatmap p.note').textContent")
    assert "the tables below list every aspect" in note


def test_the_checker_would_see_a_blocked_request(browser: Browser, tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    html = status_html(_fleet(3, 5), generated="now").replace(
        "</main>", '<img src="https://index.example/pixel.png"></main>'
    )
    bad.write_text(html, encoding="utf-8")
    page = browser.open(bad.as_uri(), width=LAPTOP[0], height=LAPTOP[1])
    assert page.problems, "a request blocked by the page's policy must show up as a problem"

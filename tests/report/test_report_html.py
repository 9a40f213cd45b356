"""The recommend, compare, diff and project report pages, rendered by headless Chromium.

Each page must open with no console error, load nothing from anywhere, fit a
laptop screen (1366x768) without scrolling sideways, and show its key
elements.  Screenshots are written next to the pages (``--basetemp`` keeps
them); the report's first screen is the screenshot in docs/compare.md
(``PARITY_UPDATE_GOLDEN=1`` rewrites it).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from scenario import write_scenario

from fixtures.chromium import REQUIRED_VARIABLE, Browser, chromium
from parity.compare.model import METRICS, CompareResult
from parity.report.compare_html import compare_html
from parity.report.diff_html import diff_html
from parity.report.recommend_html import recommendation_html

LAPTOP = (1366, 768)
REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "bankchurn"
# Real measurements of examples/bankchurn (`parity compare`, 3 runs, see docs/compare.md).
MEASURED = Path(__file__).parent / "data" / "bankchurn-compare.json"
SCREENSHOT = REPO / "docs" / "img" / "parity-report.png"
MEASURED_SHOT = REPO / "docs" / "img" / "parity-report-measured.png"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as found:
        if found is None:
            if os.environ.get(REQUIRED_VARIABLE) == "1":
                pytest.fail("Chromium is required here (CI installs Debian's chromium package)")
            pytest.skip("Chromium is not installed (apt-get install chromium)")
        yield found


def _open(browser: Browser, page_file: Path):  # type: ignore[no-untyped-def]
    page = browser.open(page_file.as_uri(), width=LAPTOP[0], height=LAPTOP[1])
    page.screenshot(page_file.with_suffix(".png"))
    page.screenshot(page_file.with_name(page_file.stem + "-full.png"), full_page=True)
    return page


def _sound(page) -> None:  # type: ignore[no-untyped-def]
    assert page.problems == []
    assert page.evaluate("performance.getEntriesByType('resource').length") == 0
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, "the page scrolls sideways on a laptop screen"


def _self_contained(text: str) -> None:
    """No script, nothing to fetch: links stay on the page (rule sources are plain text)."""
    targets = re.findall(r"""(?:src|href|xlink:href)\s*=\s*["']([^"']*)""", text)
    assert all(t.startswith("#") for t in targets), targets
    assert "url(" not in text and "@import" not in text
    assert "<script" not in text
    assert "default-src 'none'" in text


def _measured() -> CompareResult:
    return CompareResult.from_json(json.loads(MEASURED.read_text()))


def test_the_recommend_page_shows_the_matrix_with_evidence(
    browser: Browser, tmp_path: Path
) -> None:
    from parity.api import recommend

    result = recommend(EXAMPLE)
    text = recommendation_html(result, generated="2026-12-02 10:00 UTC")
    _self_contained(text)
    page_file = tmp_path / "recommend.html"
    page_file.write_text(text)
    page = _open(browser, page_file)
    _sound(page)
    assert page.evaluate("document.querySelector('h1').textContent") == (
        "parity recommend: bankchurn"
    )
    headers = page.evaluate(
        "[...document.querySelectorAll('table.matrix thead th')].map(t => t.textContent)"
    )
    assert headers[1].startswith("1. pip-tools") and headers[2].startswith("2. poetry")
    assert page.evaluate("document.querySelectorAll('table.matrix tbody tr').length") == 9
    assert page.evaluate("document.querySelectorAll('table.matrix .chip').length") == 32
    evidence = page.evaluate(
        'document.querySelector(\'td[data-strategy="pip-tools"][data-criterion="reproducibility"] .ev\').textContent'
    )
    assert evidence.startswith("requirements-dev.txt:")
    top = page.evaluate("document.querySelector('#matrix').getBoundingClientRect().top")
    assert top < LAPTOP[1], "the matrix starts on the first screen"


def test_the_compare_page_draws_a_chart_per_figure(browser: Browser, tmp_path: Path) -> None:
    result = _measured()
    text = compare_html(result)
    _self_contained(text)
    page_file = tmp_path / "compare.html"
    page_file.write_text(text)
    page = _open(browser, page_file)
    _sound(page)
    panels = page.evaluate("document.querySelectorAll('#bars .panel').length")
    assert panels == len(METRICS)
    targets = len(result.targets)
    bars = page.evaluate("document.querySelectorAll('#bars svg rect.bar').length")
    assert bars == panels * targets
    not_measured = [t for t in result.targets if not t.measured]
    assert page.evaluate("document.querySelectorAll('#skipped li').length") == len(not_measured)
    assert page.evaluate("document.querySelectorAll('#bars svg rect.none').length") == (
        panels * len(not_measured)
    )
    assert "/tmp/" not in text


def test_the_diff_page_has_the_findings_and_a_drift_matrix_for_three_sides(
    browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parity.api import diff

    monkeypatch.chdir(tmp_path)
    write_scenario(tmp_path)
    two = diff("dev-a/requirements.txt", "dev-b/requirements.txt")
    three = diff("dev-a/requirements.txt", "dev-b/requirements.txt", "prod/requirements.txt")
    for name, result in (("two", two), ("three", three)):
        text = diff_html(result, generated="now")
        _self_contained(text)
        page_file = tmp_path / f"diff-{name}.html"
        page_file.write_text(text)
        page = _open(browser, page_file)
        _sound(page)
        rows = page.evaluate("document.querySelectorAll('table.findings tbody tr').length")
        assert rows == len(result.findings)
        first = page.evaluate("document.querySelector('table.findings tbody tr').textContent")
        assert "python" in first and "critical" in first
        has_map = page.evaluate("document.querySelector('#heatmap svg') !== null")
        assert has_map is (name == "three")
    cells = page.evaluate("document.querySelectorAll('#heatmap svg rect.cell').length")
    assert cells == 3 * len(three.matrix)


def test_the_project_report_puts_it_all_on_one_page(
    browser: Browser, tmp_path: Path, run_parity: Callable
) -> None:
    project = tmp_path / "bankchurn"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns(".venv", "mlruns", ".parity"))
    measured = _measured()
    cache = project / ".parity" / "compare"
    cache.mkdir(parents=True)
    (cache / "measured.json").write_text(MEASURED.read_text())
    sides = write_scenario(tmp_path / "sides")
    page_file = tmp_path / "report.html"
    result = run_parity(
        "report",
        "-p",
        project,
        "-o",
        page_file,
        *(a for side in sides for a in ("--diff", str(side))),
    )
    assert result.code == 0, result.err
    assert result.out.startswith(f"Wrote {page_file}: bankchurn's report (best: ")
    text = page_file.read_text()
    _self_contained(text)
    page = _open(browser, page_file)
    _sound(page)
    sections = page.evaluate("[...document.querySelectorAll('section.part')].map(s => s.id)")
    assert sections == ["recommend", "measured", "diff"]
    assert page.evaluate("document.querySelectorAll('#bars .panel').length") == len(METRICS)
    assert page.evaluate("document.querySelector('#diff #heatmap svg') !== null")
    # The speed and disk scores come from the measurements.
    assert "measured" in page.evaluate(
        "document.querySelector('td[data-criterion=\"speed\"]').textContent"
    )
    assert measured.digest  # the copy's inputs are the example's: the cache applies
    # The first screen, and the screen of the measurements: the docs' screenshots.
    shots = {SCREENSHOT: page_file.with_suffix(".png")}
    page.evaluate("document.querySelector('#measured').scrollIntoView()")
    shots[MEASURED_SHOT] = page.screenshot(page_file.with_name("report-measured.png"))
    for docs_file, shot in shots.items():
        if os.environ.get("PARITY_UPDATE_GOLDEN") == "1":
            docs_file.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, docs_file)
        assert docs_file.is_file(), "no docs screenshot: run with PARITY_UPDATE_GOLDEN=1"
        assert docs_file.stat().st_size < 400_000
        assert docs_file.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_hand_written_requirements_project_gets_its_report_saying_what_was_found(
    browser: Browser, tmp_path: Path, run_parity: Callable
) -> None:
    """No requirements.in, no pyproject dependencies: recommend's evidence, and no measurements."""
    project = tmp_path / "plain"
    project.mkdir()
    (project / "requirements.txt").write_text("numpy==1.26.4\npandas>=2\n-r requirements-dev.txt\n")
    (project / "requirements-dev.txt").write_text("pytest\n")
    page_file = tmp_path / "report.html"
    result = run_parity("report", "-p", project, "-o", page_file)
    assert result.code == 0, result.err
    assert "requirements.txt and requirements-dev.txt, written by hand (not a lock)" in result.out
    text = page_file.read_text()
    _self_contained(text)
    page = _open(browser, page_file)
    _sound(page)
    sections = page.evaluate("[...document.querySelectorAll('section.part')].map(s => s.id)")
    assert sections == ["recommend", "measured"]
    sub = page.evaluate("document.querySelector('header p.sub').textContent")
    assert sub.startswith("Read from requirements.txt and requirements-dev.txt, written by hand")
    assert "not a lock" in sub
    note = page.evaluate("document.querySelector('#not-measurable').textContent")
    assert "parity init --strategy pip-tools" in note
    assert page.evaluate("document.querySelectorAll('table.matrix tbody tr').length") == 9
    # Nothing to measure: --measure says why and writes nothing.
    page_file.unlink()
    measured = run_parity("report", "-p", project, "-o", page_file, "--measure")
    assert measured.code == 2
    assert "written by hand" in measured.err and "parity init --strategy pip-tools" in measured.err
    assert not page_file.exists()


def test_a_page_over_a_file_parity_did_not_write_is_refused(
    tmp_path: Path, run_parity: Callable
) -> None:
    mine = tmp_path / "index.html"
    mine.write_text("<h1>mine</h1>\n")
    result = run_parity("report", "-p", EXAMPLE, "-o", mine)
    assert result.code == 2
    assert "exists and is not a page parity wrote" in result.err
    assert mine.read_text() == "<h1>mine</h1>\n"
    forced = run_parity("report", "-p", EXAMPLE, "-o", mine, "--force")
    assert forced.code == 0, forced.err
    again = run_parity("report", "-p", EXAMPLE, "-o", mine)
    assert again.code == 0, again.err  # now it is parity's page

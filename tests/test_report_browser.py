"""The brief and the profile pages in a real browser (Debian's Chromium through Playwright).

Every page is opened offline: each request other than ``file:`` is refused
and recorded, as are console errors and dialogs. The print check lays the
report out for A4 paper, asserts that no table or chart is wider than the
page, and prints it with ``page.pdf()``. Screenshots and the PDF go to
``test-output/`` (ignored by git) for a person to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from graph.view.profiles import write_profiles
from graph.view.screenshot import chromium_path

from .test_view_browser import browser  # noqa: F401  (the module's one Chromium)
from .view_fixtures import hostile_graph

if os.environ.get("CI") and chromium_path() is None:
    raise RuntimeError("no Chromium on the CI machine: .ci/run should have installed it (apt-get install -y chromium)")
sync_api = pytest.importorskip("playwright.sync_api", reason="install the test extras: pip install -e '.[test]'")
pytestmark = pytest.mark.skipif(chromium_path() is None, reason="no Chromium: apt-get install -y chromium")

OUTPUT = Path(__file__).resolve().parent.parent / "test-output"
#: A4 at 96 px per inch, less 1.5 cm margins each side.
A4_CONTENT_PX = round((21.0 - 3.0) / 2.54 * 96)


@pytest.fixture()
def offline(browser):
    """offline(path, width) -> (page, problems): the page loaded with every non-file request refused."""
    contexts = []

    def opener(path: Path, width: int = 1400):
        context = browser.new_context(viewport={"width": width, "height": 1000})
        contexts.append(context)
        problems: list[str] = []
        refuse = lambda request: (problems.append(f"request {request.request.url}"), request.abort())  # noqa: E731
        context.route(re.compile(r"^(?!file:)"), refuse)
        context.on("console", lambda m: problems.append(f"console {m.text}") if m.type == "error" else None)
        context.on("dialog", lambda d: (problems.append(f"dialog {d.message}"), d.dismiss()))
        page = context.new_page()
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_load_state("load")
        return page, problems

    yield opener
    for context in contexts:
        context.close()


@pytest.mark.parametrize("name", ["report.html", "entities/al-nujaba.html", "entities/akram-al-kaabi.html",
                                  "sources/jttm-2024-01-08.html"])
def test_the_pages_make_no_request_and_raise_no_error(offline, out_dir, name):
    page, problems = offline(out_dir / name)
    assert problems == []
    assert page.title()
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / f"brief-{name.replace('/', '-')}.png")


def test_markup_in_the_data_never_runs_on_a_profile_page(offline, tmp_path):
    graph, texts, _ = hostile_graph()
    (path,) = write_profiles(tmp_path / "entities", graph, texts)
    page, problems = offline(path)
    assert problems == []
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img").count() == 0 and page.locator("main script").count() == 0
    assert "<img src=x" in page.inner_text("h1")  # shown as text


def test_the_first_screen_is_the_title_and_the_findings(offline, out_dir):
    page, _ = offline(out_dir / "report.html")
    assert page.locator("h1").bounding_box()["y"] < 100
    assert page.locator("#findings").bounding_box()["y"] < 1000  # on the first screen, before any table
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=OUTPUT / "brief-first-screen.png")


def test_chart_text_is_at_least_11_px_at_1400_px(offline, out_dir):
    page, _ = offline(out_dir / "report.html")
    sizes = page.evaluate("""Array.from(document.querySelectorAll('figure svg text')).map(t => {
        const r = t.getBoundingClientRect(); const s = parseFloat(getComputedStyle(t).fontSize);
        const svg = t.ownerSVGElement; const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return s * scale; })""")
    assert sizes and min(sizes) >= 11, sorted(sizes)[:5]


def test_print_to_pdf_cuts_no_table_or_chart(offline, out_dir):
    page, _ = offline(out_dir / "report.html", width=A4_CONTENT_PX)
    page.emulate_media(media="print")
    too_wide = page.evaluate("""(limit) => Array.from(document.querySelectorAll('table, figure')).filter(e =>
        e.getBoundingClientRect().right > limit + 1 || e.scrollWidth > e.clientWidth + 1).map(e =>
        (e.id || e.tagName) + ' ' + Math.round(e.getBoundingClientRect().right))""", A4_CONTENT_PX)
    assert too_wide == []
    breaks = page.evaluate("""Array.from(document.querySelectorAll('h2')).map(h => getComputedStyle(h).breakBefore)""")
    assert breaks.count("page") >= len(breaks) - 2  # every section but the contents and the findings
    pdf = page.pdf(format="A4", margin={"top": "1.5cm", "bottom": "1.5cm", "left": "1.5cm", "right": "1.5cm"})
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= len(breaks) - 1
    OUTPUT.mkdir(exist_ok=True)
    (OUTPUT / "report.pdf").write_bytes(pdf)

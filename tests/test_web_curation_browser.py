"""Curation in a real headless Chromium: each edit kind made with the page's own controls.

A store of the bundled corpus (examples/raa) plus two flood reports (a second story, for merge
and move) is built once; each test edits a fresh copy served ``--writable`` by uvicorn on a
free loopback port. Most tests run with JavaScript off: every control is a plain form, so a
person can curate without it. The last test makes the README's screenshot of a story page with
edits and the coverage chart (written to docs/images/curation.png when
STORYLINE_SCREENSHOTS=1, else to a temporary folder).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from storyline.corpus import Corpus
from test_web_browser import CHROMIUM, CHROMIUM_ARGS, _browser_or_skip, _free_port
from test_web_curation import EXAMPLES, FLOODS

REPO = Path(__file__).resolve().parents[1]
SCREENSHOT = REPO / "docs" / "images" / "curation.png"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not EXAMPLES.is_dir():
        pytest.skip("examples/raa is not there to build a store from")
    tmp = tmp_path_factory.mktemp("curation-browser")
    floods = tmp / "floods"
    floods.mkdir()
    for name, text in FLOODS.items():
        (floods / name).write_text(text, encoding="utf-8")
    db = tmp / "built.db"
    with Corpus(db) as corpus:
        corpus.ingest([str(EXAMPLES), str(floods)])
    return db


@contextmanager
def _serve(db: Path) -> Iterator[str]:
    """uvicorn serving ``db`` writable on a free loopback port, in a thread."""
    import uvicorn

    from storyline.web import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(db, writable=True), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start within 30 s")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def db(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "store.db"
    shutil.copy(built, copy)
    return copy


@pytest.fixture
def server(db: Path) -> Iterator[str]:
    with _serve(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page with JavaScript off: the controls are forms and must work without it."""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1100, "height": 900}
    )
    yield context.new_page()
    context.close()


def _open_big_story(page: Any, server: str) -> str:
    page.goto(server + "/")
    page.locator("table.stories td a").first.click()
    page.wait_for_selector("ol.timeline li.entry")
    return str(page.url.split("/stories/", 1)[1].split("#")[0].split("?")[0])


def _labels(page: Any) -> list[str]:
    return [str(t) for t in page.locator("ol.timeline li.entry time").all_inner_texts()]


def _entry(page: Any, label: str) -> Any:
    return page.locator(f'li.entry[id="d{label}"]')


def _log(page: Any) -> list[str]:
    return [str(t) for t in page.locator("ol.edit-log li code").all_inner_texts()]


def test_pin_then_undo_from_the_log(page: Any, server: str) -> None:
    _open_big_story(page, server)
    label = _labels(page)[0]
    _entry(page, label).locator("form.pin button").click()
    page.wait_for_selector(f'li.entry[id="d{label}"] .badge.person')
    assert _entry(page, label).locator(".badge.person").inner_text() == "pinned"
    assert _log(page)[0].startswith("entry.pin") and label in _log(page)[0]

    page.locator("ol.edit-log li.active form.undo button").first.click()
    page.wait_for_selector("ol.edit-log li.inactive")
    assert _entry(page, label).locator(".badge.person").count() == 0
    assert _log(page)[0].startswith("undo")


def test_drop_removes_the_date(page: Any, server: str) -> None:
    _open_big_story(page, server)
    before = _labels(page)
    _entry(page, before[1]).locator("form.drop button").click()
    page.wait_for_load_state()
    assert _labels(page) == before[:1] + before[2:]


def test_swap_from_the_list_of_candidate_sentences(page: Any, server: str) -> None:
    _open_big_story(page, server)
    label = "2020-11-17"
    old = _entry(page, label).locator("ul.sentences q").first.inner_text()
    _entry(page, label).locator("a.swap").click()
    page.wait_for_url("**/choices?date=2020-11-17")
    assert page.locator("ol.choices li.on").count() >= 1  # what the entry holds now is marked
    choice = page.locator("ol.choices li:not(.on)").first
    chosen = choice.locator("q").inner_text()
    choice.locator("button").click()
    page.wait_for_url(f"**/stories/*#d{label}")
    entry = _entry(page, label)
    assert entry.locator("ul.sentences q").first.inner_text() == chosen != old
    assert entry.locator(".badge.person").inner_text() == "swapped"
    # the citation follows the sentence: it opens the article at that sentence
    entry.locator("a.cite").first.click()
    page.wait_for_url("**/articles/**")
    target = page.evaluate("() => document.querySelector(':target')?.textContent")
    assert target is not None and chosen in target


def test_add_a_date_with_a_chosen_sentence(page: Any, server: str) -> None:
    _open_big_story(page, server)
    assert "2017-10" not in _labels(page)
    page.locator("details#curate summary").click()
    page.fill("form.add-date input[name=date]", "2017-10")
    page.locator("form.add-date button").click()
    page.wait_for_url("**/choices?date=2017-10")
    choice = page.locator("ol.choices li").first
    chosen = choice.locator("q").inner_text()
    assert choice.locator("button").inner_text() == "Add the date with this sentence"
    choice.locator("button").click()
    page.wait_for_selector('li.entry[id="d2017-10"]')
    entry = _entry(page, "2017-10")
    assert entry.locator("ul.sentences q").first.inner_text() == chosen
    assert entry.locator(".badge.person").inner_text() == "added"


def test_caption_in_own_words(page: Any, server: str) -> None:
    _open_big_story(page, server)
    label = _labels(page)[2]
    entry = _entry(page, label)
    entry.locator("details.caption-form summary").click()
    entry.locator("input[name=text]").fill("The deal <i>stalls</i>")
    entry.locator("details.caption-form button").click()
    page.wait_for_selector(f'li.entry[id="d{label}"] p.caption')
    entry = _entry(page, label)
    assert entry.locator("p.caption").inner_text() == "The deal <i>stalls</i>"
    assert entry.locator("p.caption i").count() == 0  # shown as text, never as markup
    assert entry.locator(".badge.person").inner_text() == "caption"


def test_rename_the_story(page: Any, server: str) -> None:
    _open_big_story(page, server)
    page.locator("details#curate summary").click()
    page.fill("form.rename input[name=label]", "Reciprocal Access Agreement")
    page.locator("form.rename button").click()
    page.wait_for_selector("h1:has-text('Reciprocal Access Agreement')")
    page.goto(server + "/")
    assert page.locator("table.stories td a").first.inner_text() == "Reciprocal Access Agreement"


def test_merge_the_two_stories(page: Any, server: str) -> None:
    page.goto(server + "/")
    links = page.locator("table.stories td a")
    assert links.count() == 2
    sizes = [int(n) for n in page.locator("table.stories td.num").all_inner_texts()]
    big = str(links.first.get_attribute("href")).rsplit("/", 1)[1]
    links.nth(1).click()  # merge from the small story's page: the larger keeps its id
    page.wait_for_selector("details#curate")
    page.locator("details#curate summary").click()
    page.fill("form.merge input[name=other]", big)
    page.locator("form.merge button").click()
    page.wait_for_url(f"**/stories/{big}")
    assert _count(page) == sizes[0] + sizes[1]
    page.goto(server + "/")
    assert page.locator("table.stories td a").count() == 1


def _count(page: Any) -> int:
    """The article count the story page's summary line states."""
    meta = str(page.locator("p.meta").first.inner_text())
    return int(meta.split(" articles", 1)[0].rsplit(" ", 1)[1])


def test_split_at_a_day_and_by_ticked_articles(page: Any, server: str) -> None:
    story = _open_big_story(page, server)
    whole = _count(page)
    page.locator("details#curate summary").click()
    page.fill("form.split-at input[name=at]", "2020-01-01")
    page.locator("form.split-at button").click()
    page.wait_for_url(f"**/stories/{story}")
    kept = _count(page)
    assert 0 < kept < whole
    last = str(page.locator("p.meta").first.inner_text()).split(" · ", 1)[0].split(" – ")[1]
    assert last < "2020-01-01"  # the earlier part kept the id; the later one left

    page.locator("details.articles summary").click()
    boxes = page.locator("form.split-articles input[name=articles]")
    boxes.nth(kept - 1).check()  # the two latest: the part with the earliest article stays
    boxes.nth(kept - 2).check()
    page.locator("form.split-articles button").click()
    page.wait_for_load_state()
    assert _count(page) == kept - 2
    page.goto(server + "/")
    counts = [int(n) for n in page.locator("table.stories td.num").all_inner_texts()]
    assert len(counts) == 4 and sum(counts) == whole + 2  # the two flood reports


def test_article_controls_set_date_move_exclude_delete(page: Any, server: str) -> None:
    page.goto(server + "/")
    small = str(page.locator("table.stories td a").nth(1).get_attribute("href"))
    small_id = small.rsplit("/", 1)[1]
    _open_big_story(page, server)
    page.locator("details.articles summary").click()
    page.locator("details.articles li a").first.click()
    page.wait_for_url("**/articles/**")
    article_url = page.url

    page.locator("details#curate summary").click()
    page.fill("form.set-date input[name=date]", "2006-06-06")
    page.locator("form.set-date button").click()
    page.wait_for_selector(".badge.source-user")
    assert page.locator("dl.facts time").first.inner_text() == "2006-06-06"

    page.locator("details#curate summary").click()
    page.fill("form.move input[name=to]", small_id)
    page.locator("form.move button").click()
    page.wait_for_url(f"**{small}")
    assert _count(page) == len(FLOODS) + 1

    page.goto(article_url)
    page.locator("details#curate summary").click()
    page.locator("form.exclude button").click()
    page.wait_for_url(article_url)
    assert "none yet" in page.locator("dl.facts").inner_text()

    page.locator("details#curate summary").click()
    page.locator("form.delete button").click()
    page.wait_for_url(server + "/")
    response = page.goto(article_url)
    assert response is not None and response.status == 404
    page.goto(server + "/edits")
    assert [t.split(" ", 1)[0] for t in _log(page)] == [
        "article.delete",
        "story.exclude",
        "story.move",
        "article.set_date",
    ]


def test_replace_an_article_by_its_corrected_version(
    page: Any, server: str, tmp_path: Path
) -> None:
    corrected = tmp_path / "flood-1.txt"
    corrected.write_text(
        FLOODS["flood-1.txt"].replace("thousands of residents", "12,000 residents"),
        encoding="utf-8",
    )
    page.goto(server + "/search?q=thousands")
    page.locator("ol.hits a.cite").first.click()
    page.wait_for_url("**/articles/**")
    old = page.url.split("#")[0]
    page.locator("details#curate summary").click()
    page.set_input_files("form.replace input[name=file]", str(corrected))
    page.locator("form.replace button").click()
    page.wait_for_function(f"() => location.href.split('#')[0] !== {old!r}")
    assert "12,000 residents" in page.locator(".text").inner_text()
    assert "Italy" in page.locator("dl.facts").inner_text()  # it took the old one's story
    response = page.goto(old)
    assert response is not None and response.status == 404


def test_coverage_chart_and_first_reports_are_shown(browser: Any, server: str) -> None:
    """With JavaScript on, as a reader sees it: the chart, its legend, the first reports."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        _open_big_story(page, server)
        chart = page.locator("svg.coverage")
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box is not None and box["width"] > 300 and box["height"] >= 100
        assert page.locator("svg.coverage rect").count() >= 10
        assert page.locator("ul.legend li").count() >= 2
        title = page.locator("svg.coverage rect title").first.text_content()
        assert title is not None and " from " in title
        firsts = page.locator("p.first")
        assert firsts.count() >= 5
        assert firsts.first.inner_text().startswith("First reported by")
    finally:
        context.close()


def test_screenshot_of_a_curated_story(browser: Any, server: str, tmp_path: Path) -> None:
    """A story page with edits of several kinds, the chart and the log (for the README)."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        page = context.new_page()
        story = _open_big_story(page, server)
        page.locator("details#curate summary").click()
        page.fill("form.rename input[name=label]", "Japan–Australia Reciprocal Access Agreement")
        page.locator("form.rename button").click()
        page.wait_for_selector("h1:has-text('Reciprocal Access')")
        labels = _labels(page)
        _entry(page, labels[0]).locator("form.pin button").click()
        page.wait_for_selector(f'li.entry[id="d{labels[0]}"] .badge.person')
        _entry(page, labels[1]).locator("form.drop button").click()
        page.wait_for_load_state()
        entry = _entry(page, labels[3])
        entry.locator("details.caption-form summary").click()
        entry.locator("input[name=text]").fill(
            "Abe becomes the first Japanese leader to address Australia's Parliament."
        )
        entry.locator("details.caption-form button").click()
        page.wait_for_selector(f'li.entry[id="d{labels[3]}"] p.caption')
        page.goto(f"{server}/stories/{story}/choices?date=2020-11-17")
        page.locator("ol.choices li:not(.on) button").first.click()
        page.wait_for_selector('li.entry[id="d2020-11-17"] .badge.person')
        page.goto(f"{server}/stories/{story}?dates=8")
        page.wait_for_selector("svg.coverage")
        assert page.locator("li.entry .badge.person").count() == 3  # pinned, caption, swapped
        assert page.locator("ol.edit-log li").count() == 5
        out = SCREENSHOT if os.environ.get("STORYLINE_SCREENSHOTS") == "1" else tmp_path / "c.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out), full_page=True)
        assert out.stat().st_size > 10_000
    finally:
        context.close()

"""The archive in a real browser: headless Chromium (Debian's /usr/bin/chromium)
driven by Playwright, against `newsarchive serve` on an archive built from real
records (tests/test_serve.py's build_archive).

A person's path: open the home page, search in Arabic without diacritics and
find the diacritised article, open it and read its body; search a word with
a clitic (بالكهرباء) and find every article with the word; page through the
results; subscribe to a search that finds nothing; open a source's article
list; look at the chart. Each page is saved as a screenshot in
test-artifacts/ (gitignored) for a human to look at.

Playwright only drives the browser: it is launched with executable_path, so
no `playwright install` (no browser download) is ever needed. scripts/test.sh
installs Chromium with apt-get when run as root; this test tries the same if
it is missing, and skips, saying why, only when that is impossible.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

from archive.store import Archive
from tests.test_serve import (
    ARABIC_PARAGRAPHS,
    ARABIC_QUERY,
    ARABIC_TITLE,
    ROOT,
    build_archive,
    free_port,
    start_server,
    stop_server,
)

pytestmark = pytest.mark.slow

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"


def ensure_chromium() -> str:
    """Path of Debian's Chromium, installing it with apt-get if missing and root."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    reason = f"{CHROMIUM} is missing"
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip(
            f"{reason} and cannot be installed here (needs root and apt-get; "
            "run `apt-get install -y chromium`)"
        )
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            pytest.skip(f"{reason} and `{' '.join(cmd)}` failed: {result.stderr[-500:]}")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{reason} even after apt-get install chromium")
    return CHROMIUM


# Two more Arabic articles: one with the bare word كهرباء, one with الكهرباء,
# and one without electricity at all.
ELECTRICITY = {
    "bare": ("العائدون إلى داريا يرممون منازلهم بلا كهرباء ولا ماء",
             "يعود السكان إلى منازلهم المدمرة، ولا كهرباء في معظم الأحياء."),
    "article": ("ورش النسيج في حلب تشكو كلفة الكهرباء",
                "يقول الصناعيون إن العائق الأكبر هو كلفة الكهرباء والمولدات."),
    "none": ("ارتفاع سعر الخبز في حماة", "رفعت أفران خاصة سعر ربطة الخبز للمرة الثانية."),
}  # fmt: skip


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("browser") / "archive.db"
    ids = build_archive(db)
    with Archive(db) as archive:
        for key, (title, body) in ELECTRICITY.items():
            ids[key] = archive.upsert(
                {
                    "source": "sana",
                    "url": f"https://sana.sy/{key}/",
                    "title": title,
                    "body": body,
                    "published": "2025-12-10T08:00:00+00:00",
                    "language": "ar",
                }
            ).article_id
        ids["total"] = archive.stats()["articles"]
    port = free_port()
    proc = start_server(db, port)
    try:
        yield {"base": f"http://127.0.0.1:{port}", **ids}
    finally:
        stop_server(proc)


@pytest.fixture(scope="module")
def browser():
    executable = ensure_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="en-GB")

    def local_only(route):
        # The archive links to real sites (originals, images): never fetch them.
        if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", local_only)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000  # a real picture, not a blank page
    return path


def test_search_in_arabic_and_read_the_article(server, page):
    page.goto(server["base"] + "/")
    assert page.locator("h1").first.inner_text() == "newsarchive"
    assert page.get_by_role("link", name="SANA").is_visible()
    screenshot(page, "1-home")

    # Arabic without diacritics, typed as a person would, submitted with Enter.
    page.fill("#na-q", ARABIC_QUERY)
    page.press("#na-q", "Enter")
    page.wait_for_url("**/archive/search?*")
    result = page.get_by_role("link", name=ARABIC_TITLE)
    assert result.is_visible()  # the diacritised title, found
    assert page.locator(".na-result").count() == 1
    assert page.locator("#na-total").inner_text().startswith("1 article")
    # highlighted in the article's own spelling, diacritics and all
    assert page.locator(".na-snippet mark").first.inner_text() == "المُسْتَشْفَيَاتِ"

    result.click()
    page.wait_for_url(f"**/archive/articles/{server['arabic']}?q=*")
    article = page.locator("article.na-article")
    # The searched word marked in the article, as it is written there.
    assert article.locator(".na-body mark").first.inner_text() == "المُسْتَشْفَيَاتِ"
    assert article.get_attribute("dir") == "rtl"
    assert page.locator("article h1").inner_text() == ARABIC_TITLE
    paragraphs = article.locator(".na-body p")
    assert [paragraphs.nth(i).inner_text() for i in range(paragraphs.count())] == ARABIC_PARAGRAPHS
    # Right-to-left really applies: the text starts at the right edge.
    assert paragraphs.first.evaluate("p => getComputedStyle(p).direction") == "rtl"
    assert (
        page.get_by_role("link", name="Read the original on SANA ↗").get_attribute("href")
        == "https://sana.sy/2045123/"
    )
    assert page.get_by_role("link", name="دمشق").is_visible()  # a tag, linked
    screenshot(page, "3-article")


def test_table_search_and_facets(server, page):
    page.goto(server["base"] + "/archive/articles")
    for facet in ("source", "language", "section", "tags", "published_local"):
        assert page.locator(f'.facet-info[data-column="{facet}"]').count() == 1, facet
    page.fill("#_search", "الكهرباء")  # the table's own search box, no diacritics
    page.press("#_search", "Enter")
    page.wait_for_url("**_search=*")
    assert page.get_by_role("link", name=ARABIC_TITLE).is_visible()
    screenshot(page, "4-table-search")


def test_chart_of_articles_per_day(server, page):
    page.goto(server["base"] + "/-/dashboards/articles")
    chart = page.locator("#chart-per-day")
    chart.locator("svg, canvas").first.wait_for(timeout=20_000)
    box = chart.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 100
    assert page.locator("#chart-total").inner_text().strip() == str(server["total"])
    # From comes before To
    legends = page.locator(".dashboard-filters legend")
    assert legends.all_inner_texts()[:2] == ["From", "To"]
    assert legends.nth(0).bounding_box()["x"] < legends.nth(1).bounding_box()["x"]
    screenshot(page, "5-dashboard")


def test_english_article_with_its_copies_and_revisions(server, page):
    page.goto(f"{server['base']}/archive/articles/{server['original']}")
    assert page.locator("article.na-article").get_attribute("dir") == "ltr"
    assert page.locator(".na-body p").count() > 3
    assert page.get_by_role("heading", name="The same story elsewhere").is_visible()
    screenshot(page, "6-article-en")
    page.get_by_role("link", name="Israel-Syria security talks stall over Mount Hermon").click()
    page.wait_for_url(f"**/archive/articles/{server['copy']}")

    page.goto(f"{server['base']}/archive/articles/{server['edited']}")
    page.get_by_role("link", name="Compare the versions").click()
    page.wait_for_url("**/archive/article_revisions?id=*")
    assert page.locator("table.rows-and-columns tbody tr").count() == 2
    screenshot(page, "7-revisions")


def test_the_page_as_captured_is_shown_and_loads_nothing(server, page):
    page.goto(f"{server['base']}/archive/articles/{server['original']}")
    assert page.get_by_text("Cite this article").is_visible()
    # What reaches the network layer (past the frame's Content-Security-Policy, which
    # blocks the captured page's styles and pictures before they are requested).
    sent: list[str] = []

    def record(route):
        sent.append(route.request.url)
        route.fallback()

    page.route("**/*", record)
    blocked: list[str] = []
    page.on("requestfailed", lambda r: blocked.append(f"{r.url} {r.failure}"))
    page.get_by_role("link", name="view the page as captured").click()
    page.wait_for_url("**/archive/-/capture/*")
    frame = page.frame_locator("iframe.na-capture")
    assert frame.locator("h1").first.is_visible()  # the page's own headline, as captured
    screenshot(page, "9-captured-page")
    assert [u for u in sent if urlsplit(u).hostname not in ("127.0.0.1", "localhost")] == []
    assert blocked and all(b.endswith(" csp") for b in blocked), blocked  # refused, not sent


def test_a_word_with_a_clitic_finds_every_form(server, page):
    page.goto(server["base"] + "/archive/search")
    page.fill("#na-q", "بالكهرباء")  # "with the electricity": no article has this form
    page.press("#na-q", "Enter")
    page.wait_for_url("**/archive/search?q=*")
    titles = page.locator(".na-result h2 a").all_inner_texts()
    # الكَهْرَبَاءِ (diacritised), الكهرباء and the bare كهرباء are all found...
    assert set(titles) == {ARABIC_TITLE, ELECTRICITY["bare"][0], ELECTRICITY["article"][0]}
    assert ELECTRICITY["none"][0] not in titles  # ...and nothing else
    assert page.locator("#na-total").inner_text().startswith("3 articles")
    result = page.locator(".na-result").first
    assert result.get_attribute("dir") == "rtl"
    assert result.evaluate("li => getComputedStyle(li).direction") == "rtl"
    marks = page.locator(".na-snippet mark").all_inner_texts()
    assert "كهرباء" in marks or "الكهرباء" in marks  # the form each article has
    screenshot(page, "2-search")


def test_the_total_and_the_second_page(server, page):
    page.goto(server["base"] + "/archive/search?q=the")
    total = page.locator("#na-total").inner_text()
    count = int(total.split()[0])
    assert count > 20 and "page 1 of 2" in total
    first_page = page.locator(".na-result h2 a").all_inner_texts()
    assert len(first_page) == 20
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**page=2*")
    second_page = page.locator(".na-result h2 a").all_inner_texts()
    assert len(second_page) == count - 20 and not set(second_page) & set(first_page)
    assert "page 2 of 2" in page.locator("#na-total").inner_text()
    assert page.get_by_role("link", name="← Previous").is_visible()
    # the same search, one click away in other formats
    for name in ("CSV", "Excel (.xlsx)", "Atom feed"):
        assert (
            page.get_by_role("link", name=name).get_attribute("href").startswith("/archive/search.")
        )


def test_atom_feed_of_a_search_that_finds_nothing(server, page):
    import feedparser

    response = page.request.get(server["base"] + "/archive/search.atom?q=" + quote("زززز"))
    assert response.status == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.text())
    assert feed.bozo == 0 and feed.entries == []
    assert "زززز" in feed.feed.title


def test_source_link_opens_the_article_list(server, page):
    page.goto(server["base"] + "/")
    page.get_by_role("link", name="SANA").click()
    page.wait_for_url("**/archive/search?source=sana")
    assert page.title() == "Articles: SANA · newsarchive"
    results = page.locator(".na-result")
    assert results.count() == 4  # title, source, date and the start of the text
    assert results.first.locator("time").inner_text() == "2025-12-20"
    assert results.first.locator(".na-snippet").inner_text()
    box = results.first.bounding_box()
    assert box and box["height"] < 200  # a list to scan, not a 300 px table row
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 1200  # nothing scrolls sideways
    page.locator("article, .na-result h2 a").first.click()
    page.wait_for_url("**/archive/articles/*")
    page.get_by_role("link", name="دمشق").click()  # a tag chip: that tag's articles
    page.wait_for_url("**/archive/search?tag=*")
    assert page.locator(".na-result").count() == 1
    page.goto(server["base"] + "/archive/search?source=sana")
    screenshot(page, "8-article-list")


def test_the_article_page_shows_what_changed_and_the_story(server, page):
    from tests.test_serve import SO

    page.goto(f"{server['base']}/archive/articles/{server['edited']}")
    changes = page.locator("#changes")
    assert changes.locator("h2").inner_text() == "What changed"
    added = " ".join(changes.locator("ins").all_inner_texts())
    assert added and added.split()[0] in SO["edited"]["changed_text"]
    style = changes.locator("ins").first.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert style == "none"  # added words are marked, not underlined like links
    screenshot(page, "7-what-changed")
    # The revisions query links each version to the same diff.
    page.goto(f"{server['base']}/archive/article_revisions?id={server['edited']}")
    page.get_by_role("link", name="what changed: 1 → 2").click()
    page.wait_for_url(f"**/archive/articles/{server['edited']}?from=1&to=2*")
    assert page.locator("#changes ins").count() >= 1
    # The Syrian Observer article copied by Enab Baladi lists that copy as its story.
    page.goto(f"{server['base']}/archive/articles/{server['original']}")
    story = page.locator("ul.na-story li")
    assert story.count() >= 1 and "Enab Baladi · en" in story.first.inner_text()

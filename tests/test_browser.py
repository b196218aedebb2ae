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


TAGGED = ("موسم القمح في الحسكة أقل من المتوقع", "قال مزارعون إن الجفاف خفض إنتاج القمح هذا العام.")


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
        # Found by its tag alone (nothing in its text says Syria), months before the rest
        # (the monthly chart shows the empty months between), from a source of its own
        # that the per-day chart's last 90 days do not show: its colours stay the same.
        archive.sync_sources(
            [
                {
                    "id": "aawsat-ar",
                    "name": "Asharq Al-Awsat",
                    "homepage": "https://aawsat.com/",
                    "language": "ar",
                }
            ]
        )
        ids["tagged"] = archive.upsert(
            {
                "source": "aawsat-ar",
                # An Arabic address, percent-encoded as sites serve them: long, unbroken.
                "url": "https://aawsat.com/" + quote(TAGGED[0].replace(" ", "-")) + "/",
                "title": TAGGED[0],
                "body": TAGGED[1],
                "published": "2025-08-14T08:00:00+00:00",
                "language": "ar",
                "tags": ["سوريا", "زراعة"],
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
    failed: list[tuple[str, str]] = []
    page.on("requestfailed", lambda r: failed.append((r.url, r.failure)))
    page.get_by_role("link", name="view the page as captured").click()
    page.wait_for_url("**/archive/-/capture/*")
    frame = page.frame_locator("iframe.na-capture")
    assert frame.locator("h1").first.is_visible()  # the page's own headline, as captured
    screenshot(page, "9-captured-page")
    assert [u for u in sent if urlsplit(u).hostname not in ("127.0.0.1", "localhost")] == []
    # Refused, not sent. Chromium's preload scanner may also report a picture it gave up
    # on (net::ERR_FAILED) beside the frame's refusal of the same URL; what matters is
    # that each URL that failed was refused by the policy.
    refused = {url for url, why in failed if why == "csp"}
    assert refused and {url for url, _ in failed} == refused, failed


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


# --- the pages' layout at a desktop's and a phone's width ---------------------------------

WIDTHS = (1400, 390)

# Elements reaching past the viewport's edges, unless a box that scrolls or clips holds
# them (a wide table in its scrolling frame); and the page's own width.
OUTSIDE_THE_VIEWPORT = """() => {
  const width = document.documentElement.clientWidth, out = [];
  const held = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (!r.width || !r.height || e.closest('.na-hidden')) continue;
    if ((r.right > width + 1 || r.left < -1) && !held(e)) {
      const name = `${e.tagName.toLowerCase()}.${e.getAttribute('class') || ''}`;
      out.push(`${name} ${Math.round(r.left)}..${Math.round(r.right)}`);
    }
  }
  return {width, scrollWidth: document.documentElement.scrollWidth, out: out.slice(0, 10)};
}"""


def fits_the_viewport(page, width: int) -> None:
    found = page.evaluate(OUTSIDE_THE_VIEWPORT)
    assert found["width"] <= width and found["scrollWidth"] <= found["width"], found
    assert found["out"] == [], found


def disjoint(boxes: dict[str, dict]) -> list[tuple[str, str]]:
    """The pairs of named boxes that overlap (by more than a pixel each way)."""
    names, pairs = list(boxes), []
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            x, y = boxes[a], boxes[b]
            if (
                min(x["x"] + x["width"], y["x"] + y["width"]) - max(x["x"], y["x"]) > 1
                and min(x["y"] + x["height"], y["y"] + y["height"]) - max(x["y"], y["y"]) > 1
            ):
                pairs.append((a, b))
    return pairs


def at_width(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="en-GB")
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost")
            else route.abort()
        ),
    )
    return context


@pytest.mark.parametrize("width", WIDTHS)
def test_the_search_page_filter_bar_at_width(server, browser, width):
    context = at_width(browser, width)
    page = context.new_page()
    page.goto(server["base"] + "/archive/search?q=" + quote("سوريا") + "&source=aawsat-ar")
    row = page.locator(".na-filter-row")
    labels = row.locator(":scope > label")
    boxes = {}
    for i in range(labels.count()):
        label = labels.nth(i)
        name = label.inner_text().strip().split("\n")[0] or f"label {i}"
        boxes[f"{name} (label)"] = label.bounding_box()
        control = label.locator("select, input")
        boxes[f"{name} (control)"] = control.first.bounding_box()
        # The control sits inside its own label: the next label never runs under it.
        outer, inner = boxes[f"{name} (label)"], boxes[f"{name} (control)"]
        assert inner["x"] >= outer["x"] - 1 and inner["x"] + inner["width"] <= (
            outer["x"] + outer["width"] + 1
        ), (name, outer, inner)
    assert len(boxes) >= 12  # source, language, from, to, sort, both languages
    labels_only = {k: v for k, v in boxes.items() if k.endswith("(label)")}
    assert disjoint(labels_only) == []
    search = {
        "query": page.locator("#na-q").bounding_box(),
        "button": page.locator(".na-search-row input[type=submit]").bounding_box(),
    }
    assert disjoint(search) == []
    fits_the_viewport(page, width)
    screenshot(page, f"10-search-{width}")
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_article_page_at_width(server, browser, width):
    context = at_width(browser, width)
    page = context.new_page()
    page.goto(f"{server['base']}/archive/articles/{server['original']}")
    article = page.locator("article.na-article").bounding_box()
    assert article["width"] <= width
    fits_the_viewport(page, width)
    screenshot(page, f"11-article-{width}")
    page.goto(f"{server['base']}/archive/articles/{server['tagged']}")
    assert page.get_by_text("Cite this article").is_visible()
    fits_the_viewport(page, width)  # its long percent-encoded address wraps
    screenshot(page, f"11-article-ar-{width}")
    context.close()


# The x axis's labels vega draws (it keeps the ones it hid, transparent).
AXIS_LABELS = """(chart) => [...document.querySelectorAll(
    `#chart-${chart} .role-axis[aria-label^="X-axis"] .role-axis-label text`)]
  .filter((t) => (t.getAttribute('opacity') ?? '1') !== '0' && t.style.opacity !== '0')
  .map((t) => { const r = t.getBoundingClientRect();
    return [t.textContent, {x: r.x, y: r.y, width: r.width, height: r.height}]; })"""


@pytest.mark.parametrize("width", WIDTHS)
def test_the_dashboard_at_width(server, browser, width):
    context = at_width(browser, width)
    page = context.new_page()
    page.goto(server["base"] + "/-/dashboards/articles")
    for chart in ("sources", "per-day", "per-month"):
        page.locator(f"#chart-{chart} svg .mark-rect path").first.wait_for(timeout=20_000)
    cards = page.locator(".dashboard-card")
    assert disjoint({f"card {i}": cards.nth(i).bounding_box() for i in range(cards.count())}) == []
    fits_the_viewport(page, width)
    # The axes' labels are readable: none drawn over another (vega hides the ones that
    # would be, and the legends sit below the charts, so the bars keep the width).
    for chart in ("per-day", "per-month"):
        labels = page.evaluate(AXIS_LABELS, chart)
        assert len(labels) >= 3, (chart, labels)
        assert disjoint({f"{t} ({i})": box for i, (t, box) in enumerate(labels)}) == [], chart
    screenshot(page, f"12-dashboard-{width}")
    context.close()


# The bars of a chart, each with its data (vega's SVG labels every mark) and its colour;
# the invisible ticks that put every day and month on the axis name no source.
BARS = """(chart) => [...document.querySelectorAll(`#chart-${chart} .mark-rect path[aria-label]`)]
  .map((p) => [p.getAttribute('aria-label'), p.getAttribute('fill')])
  .filter(([label]) => label.includes('source: '))"""


def test_one_colour_per_source_on_every_chart_and_empty_months_at_zero(server, page):
    page.goto(server["base"] + "/-/dashboards/articles")
    colours: dict[str, dict[str, str]] = {}
    for chart in ("sources", "per-day", "per-month"):
        page.locator(f"#chart-{chart} svg .mark-rect path").first.wait_for(timeout=20_000)
        for label, fill in page.evaluate(BARS, chart):
            fields = dict(part.split(": ", 1) for part in label.split("; "))
            colours.setdefault(fields["source"], {})[chart] = fill
    # Every source has one colour, the same on each chart, and no two share one.
    assert set(colours) == {"aawsat-ar", "sana", "enabbaladi", "syrianobserver"}
    assert "per-day" not in colours["aawsat-ar"]  # not in the last 90 days
    for source, by_chart in colours.items():
        assert len(set(by_chart.values())) == 1, (source, by_chart)
    assert len({next(iter(c.values())) for c in colours.values()}) == len(colours)
    # The languages' slices take colours no source has: a language is not a source.
    page.locator("#chart-languages svg .mark-arc path").first.wait_for(timeout=20_000)
    slices = page.evaluate(
        "() => [...document.querySelectorAll('#chart-languages .mark-arc path')]"
        ".map((p) => p.getAttribute('fill'))"
    )
    assert slices and not set(slices) & {c for by in colours.values() for c in by.values()}
    # Each month from the first to the last is on the monthly axis, the empty ones too.
    axis = page.locator('#chart-per-month .role-axis[aria-label^="X-axis"] .role-axis-label text')
    months = axis.all_text_contents()
    first, last = months[0], months[-1]
    every = [first]
    while every[-1] < last:
        year, month = map(int, every[-1].split("-"))
        every.append(f"{year + month // 12}-{month % 12 + 1:02d}")
    assert months == every and last == "2025-12"
    with_articles = {
        dict(part.split(": ", 1) for part in label.split("; "))["month"]
        for label, _ in page.evaluate(BARS, "per-month")
    }
    assert {"2025-08", "2025-12"} <= with_articles
    empty = set(every) - with_articles
    assert empty, "no month without articles in the test archive"  # and they are shown


def test_a_result_found_by_its_tag_says_which_tag(server, page):
    page.goto(server["base"] + "/archive/search?q=" + quote("سوريا"))
    result = page.locator(".na-result", has=page.get_by_role("link", name=TAGGED[0]))
    assert result.count() == 1
    assert result.locator(".na-snippet mark").count() == 0  # nothing in its text...
    why = result.locator(".na-why")
    assert why.inner_text().startswith("Found by its tag: ")
    assert why.locator("mark").all_inner_texts() == ["سوريا"]  # ...its tag, marked
    screenshot(page, "13-found-by-a-tag")
    why.get_by_role("link", name="سوريا").click()
    page.wait_for_url("**/archive/search?tag=*")
    assert page.get_by_role("link", name=TAGGED[0]).is_visible()

"""Metadata of extract(): title, authors, language, section, tags, summary; odd inputs."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from urllib.parse import urlsplit

import pytest

from scraper.extract import EXTRACTOR_VERSION, extract
from scraper.extract.authors import own_names, real_authors, searched_names
from scraper.offline.copies import SiteCopy
from scraper.sources import Source, parse_source
from tests.conftest import SITES

CRAWL = datetime(2025, 6, 2, 12, 0, tzinfo=timezone.utc)
EN_STORY = "".join(
    f"<p>Paragraph {i} of the story: residents of Hasakah queue for water tankers every "
    f"morning while the pumping station stays offline and prices keep rising.</p>"
    for i in range(6)
)
AR_STORY = "".join(
    f"<p>الفقرة {i}: يصطف سكان مدينة الحسكة كل صباح أمام صهاريج المياه بينما تبقى محطة "
    f"الضخ متوقفة عن العمل وترتفع الأسعار يوماً بعد يوم.</p>"
    for i in range(6)
)


def page(head: str = "", body: str = EN_STORY, lang: str | None = "en", title="Water in Hasakah"):
    lang_attr = f' lang="{lang}"' if lang else ""
    return (
        f"<!DOCTYPE html><html{lang_attr}><head><title>{title}</title>{head}</head>"
        f"<body><article><h1>{title}</h1><div class='entry-content'>{body}</div></article>"
        f"</body></html>"
    )


def ld(**fields) -> str:
    data = {"@context": "https://schema.org", "@type": "NewsArticle", **fields}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


URL = "https://news.example.org/economy/water-in-hasakah"


def test_url_may_be_none_and_html_may_be_bytes():
    record = extract(page().encode("utf-8"), None, now=CRAWL)
    assert record["url"] is None and record["source"] is None
    assert record["title"] == "Water in Hasakah"
    assert record["body"].startswith("Paragraph 0 of the story")
    assert record["section"] is None and record["is_article"]
    assert record["extractor_version"] == EXTRACTOR_VERSION


@pytest.mark.parametrize("html", ["", "   ", b"", "<p>", "not html at all"])
def test_empty_or_broken_pages_are_not_articles(html):
    record = extract(html, URL, now=CRAWL)
    assert record["is_article"] is False and record["not_article_reason"]
    assert record["body"] == "" or record["word_count"] < 40


def test_title_loses_the_site_name():
    head = '<meta property="og:site_name" content="Hasakah Today">'
    record = extract(page(head, title="Water in Hasakah - Hasakah Today"), URL, now=CRAWL)
    assert record["title"] == "Water in Hasakah"


@pytest.mark.parametrize(
    "head, expected",
    [
        (ld(author={"@type": "Person", "name": "Lina Haddad"}), ["Lina Haddad"]),
        (
            ld(author=[{"name": "Lina Haddad"}, {"name": "Omar Khalil"}]),
            ["Lina Haddad", "Omar Khalil"],
        ),
        ('<meta name="author" content="By Lina Haddad">', ["Lina Haddad"]),
        (ld(author={"@type": "Organization", "name": "Reuters"}), ["Reuters"]),  # an outlet
        ('<meta name="author" content="admin">', []),  # boilerplate
        ('<meta name="author" content="Staff Writer">', []),
        ('<meta name="author" content="فريق التحرير">', []),
        ('<meta name="parsely-author" content="Lina Haddad">', ["Lina Haddad"]),
        ('<meta name="DC.creator" content="Lina Haddad">', ["Lina Haddad"]),
        (
            '<meta name="citation_author" content="Haddad, Lina">'
            '<meta name="citation_author" content="Khalil, Omar">',
            ["Lina Haddad", "Omar Khalil"],
        ),
        (
            '<meta name="dc.creator" content="Lina Haddad, Omar Khalil">',
            ["Lina Haddad", "Omar Khalil"],
        ),
        # Yoast SEO's label and data pairs: a byline label's name, not a reading time
        (
            '<meta name="twitter:label1" content="Est. reading time">'
            '<meta name="twitter:data1" content="4 minutes">'
            '<meta name="twitter:label2" content="Written by">'
            '<meta name="twitter:data2" content="Lina Haddad, Omar Khalil">',
            ["Lina Haddad", "Omar Khalil"],
        ),
        (
            '<meta name="twitter:label1" content="كُتب بواسطة">'
            '<meta name="twitter:data1" content="لينا حداد">',
            ["لينا حداد"],
        ),
        (
            '<meta name="twitter:label1" content="Time to read">'
            '<meta name="twitter:data1" content="Lina Haddad">',
            [],
        ),
    ],
)
def test_authors_are_people_or_outlets_never_boilerplate(head, expected):
    assert extract(page(head), URL, now=CRAWL)["authors"] == expected


def test_the_sites_own_name_is_an_author_only_where_the_page_declares_it_so():
    site = '<meta property="og:site_name" content="Hasakah Today">'
    # Declared in the page's metadata: the publisher credits the piece to itself.
    declared = site + ld(author={"@type": "Organization", "name": "Hasakah Today"})
    assert extract(page(declared), URL, now=CRAWL)["authors"] == ["Hasakah Today"]
    # A byline line in the text naming the site, or the feed's creator: not an author.
    byline = page(site, body="<p>By Hasakah Today</p>" + EN_STORY)
    assert extract(byline, URL, now=CRAWL)["authors"] == []
    hinted = extract(page(site), URL, hints={"authors": ["Hasakah Today"]}, now=CRAWL)
    assert hinted["authors"] == []


def test_a_byline_line_in_the_body_gives_the_authors_and_leaves_the_body():
    body = "<p>By Lina Haddad and Omar Khalil</p>" + EN_STORY
    record = extract(page(body=body), URL, now=CRAWL)
    assert record["authors"] == ["Lina Haddad", "Omar Khalil"]
    assert "Lina Haddad" not in record["body"]


def test_feed_authors_fill_in_only_for_a_page_without_any():
    assert extract(page(), URL, hints={"authors": ["Sami Haddad"]}, now=CRAWL)["authors"] == [
        "Sami Haddad"
    ]
    head = '<meta name="author" content="Lina Haddad">'
    record = extract(page(head), URL, hints={"authors": ["Sami Haddad"]}, now=CRAWL)
    assert record["authors"] == ["Lina Haddad"]


def test_real_authors_splits_long_lists_and_drops_urls():
    assert real_authors(["Lina Haddad, Omar Khalil and Sami Haddad"]) == [
        "Lina Haddad",
        "Omar Khalil",
        "Sami Haddad",
    ]
    assert real_authors(["https://www.facebook.com/someone", "بقلم: لينا حداد"]) == ["لينا حداد"]


def test_language_is_the_declared_one_else_detected():
    assert extract(page(lang="en"), URL, now=CRAWL)["language"] == "en"
    assert extract(page(body=AR_STORY, lang=None), URL, now=CRAWL)["language"] == "ar"
    assert extract(page(lang=None), URL, now=CRAWL)["language"] == "en"
    assert extract(page(body=AR_STORY, lang="ar-SY"), URL, now=CRAWL)["language"] == "ar"
    head = '<meta property="og:locale" content="ar_AR">'
    assert extract(page(head, body=AR_STORY, lang=None), URL, now=CRAWL)["language"] == "ar"


def test_section_is_what_the_page_declares():
    head = '<meta property="article:section" content="Economy">'
    assert extract(page(head), URL, now=CRAWL)["section"] == "Economy"
    assert extract(page(ld(articleSection="Economy")), URL, now=CRAWL)["section"] == "Economy"
    listed = ld(articleSection=["Economy", "Syria"])
    assert extract(page(listed), URL, now=CRAWL)["section"] == "Economy"


def test_section_from_the_category_link_of_a_page_that_declares_its_date_and_author():
    # trafilatura's reading of category links, made whether or not the rest of its
    # metadata is read (it is not, here: the page declares its date and its author).
    head = ld(datePublished="2025-05-01T08:00:00Z", author={"@type": "Person", "name": "Rami Ali"})
    category = '<div class="entry-meta">Filed under <a href="/category/economy/">Economy</a></div>'
    record = extract(page(head, body=EN_STORY + category), URL, now=CRAWL)
    assert record["section"] == "Economy" and record["authors"] == ["Rami Ali"]


def test_trafilaturas_metadata_is_read_only_for_what_the_page_leaves_open(monkeypatch):
    import trafilatura

    reads = []
    real = trafilatura.extract_metadata
    monkeypatch.setattr(
        trafilatura, "extract_metadata", lambda *a, **k: reads.append(1) or real(*a, **k)
    )
    # A declared date, and a byline printed rather than declared.
    declared = ld(datePublished="2025-05-01T08:00:00Z")
    record = extract(page(declared, body="<p>By Rami Ali</p>" + EN_STORY), URL, now=CRAWL)
    assert record["published"] == "2025-05-01T08:00:00+00:00"
    assert record["authors"] == ["Rami Ali"] and reads == []
    # No date of its own: trafilatura's (htmldate's) is read, once for every use.
    record = extract(page(body=EN_STORY + "<p>Posted 3 May 2025</p>"), URL, now=CRAWL)
    assert record["published"] == "2025-05-03T00:00:00+00:00" and reads == [1]


def crumbs(*items: tuple[str, str | None]) -> str:
    elements = [
        {"@type": "ListItem", "position": n, "name": name, **({"item": link} if link else {})}
        for n, (name, link) in enumerate(items, 1)
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": elements,
    }
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_section_from_the_breadcrumbs():
    home, news = ("Home", "https://news.example.org/"), ("News", "https://news.example.org/news/")
    syria = ("Syria", "https://news.example.org/news/syria/")
    trail = crumbs(home, news, syria, ("Water in Hasakah", None))
    assert extract(page(trail), URL, now=CRAWL)["section"] == "Syria"
    # The page's own crumb, linked or named as the title, is not its section.
    trail = crumbs(home, news, ("Water in Hasakah", URL))
    assert extract(page(trail), URL, now=CRAWL)["section"] == "News"
    trail = crumbs(("الرئيسية", "https://news.example.org/"), ("Water in Hasakah", None))
    assert extract(page(trail), URL, now=CRAWL)["section"] is None
    html_trail = (
        '<nav class="breadcrumbs"><a href="/">Home</a> » <a href="/economy/">Economy</a>'
        " » <span>Water in Hasakah</span></nav>"
    )
    assert extract(page(body=html_trail + EN_STORY), URL, now=CRAWL)["section"] == "Economy"


@pytest.mark.parametrize(
    "url",
    [
        URL,  # /economy/water-in-hasakah: a section only if the source says so
        "https://www.syriahr.com/en/123456/",
        "https://news.example.org/a/20250602/water-in-hasakah",
        "https://news.example.org/2025/06/02/water-in-hasakah/",
    ],
)
def test_section_is_never_guessed_from_the_url(url):
    assert extract(page(), url, now=CRAWL)["section"] is None


SITE_ARTICLES = [
    (folder.name, article)
    for folder in sorted(SITES.iterdir())
    if (folder / "site.toml").is_file() and (folder / "expected.json").is_file()
    for article in json.loads((folder / "expected.json").read_text("utf-8"))["articles"]
]


@pytest.mark.parametrize(
    "source_id, article",
    SITE_ARTICLES,
    ids=[f"{s}:{a['url'].rstrip('/').rsplit('/', 1)[-1][:40]}" for s, a in SITE_ARTICLES],
)
def test_site_copy_articles_have_the_section_their_pages_declare(source_id, article):
    parts = urlsplit(article["url"])
    resolved = SiteCopy.load(SITES / source_id).resolve(parts.path)
    assert resolved.status == 200
    assert extract(resolved.body, article["url"], now=CRAWL)["section"] == article["section"]


def source_with_sections(**fields) -> Source:
    table = {
        "name": "Hasakah Today",
        "homepage": "https://news.example.org/",
        "language": "en",
        "feeds": ["https://news.example.org/feed/"],
        **fields,
    }
    return parse_source("mine.toml", "hasakah", table)


@pytest.mark.parametrize(
    "path, section",
    [
        ("/economy/water-in-hasakah", "economy"),
        ("/en/economy/123-water/", "economy"),
        ("/pt-br/economia/123-agua/", "economia"),
        ("/a/economy/123/", "economy"),
        ("/en/123456/", None),
        ("/2025/06/02/water/", None),
        ("/%D8%A7%D9%82%D8%AA%D8%B5%D8%A7%D8%AF/123-water", "اقتصاد"),
    ],
)
def test_section_from_the_path_where_the_source_says_its_urls_carry_it(path, section):
    source = source_with_sections(section_from_path=True)
    url = "https://news.example.org" + path
    assert extract(page(), url, source, now=CRAWL)["section"] == section
    assert extract(page(), url, source_with_sections(), now=CRAWL)["section"] is None
    head = '<meta property="article:section" content="Business">'
    assert extract(page(head), url, source, now=CRAWL)["section"] == "Business"


def test_tags_from_meta_and_the_feed_without_the_section():
    head = (
        '<meta property="article:section" content="Economy">'
        '<meta property="article:tag" content="Water">'
        '<meta property="article:tag" content="Hasakah">'
    )
    assert extract(page(head), URL, now=CRAWL)["tags"] == ["Water", "Hasakah"]
    section = '<meta property="article:section" content="Economy">'
    record = extract(page(section), URL, hints={"tags": ["economy", "Water"]}, now=CRAWL)
    assert record["tags"] == ["Water"]


def test_summary_from_the_description_else_the_feed_as_plain_text():
    head = '<meta name="description" content="Hasakah queues for water.">'
    assert extract(page(head), URL, now=CRAWL)["summary"] == "Hasakah queues for water."
    hints = {"summary": "<p>Hasakah <b>queues</b> for water.</p>"}
    assert extract(page(), URL, hints=hints, now=CRAWL)["summary"] == "Hasakah queues for water."


@pytest.mark.parametrize(
    "summary",
    [
        "Hasakah queues for water [&#8230;] The post Water in Hasakah appeared first on "
        "Hasakah Today.",
        "<p>Hasakah queues for water [&#8230;]</p><p>The post <a href='/w'>Water in Hasakah</a>"
        " appeared first on <a href='/'>Hasakah Today</a>.</p>",
        "<p>Hasakah queues for water […]</p><p>Continue reading</p>",
    ],
)
def test_a_feed_summary_loses_what_the_feed_adds_to_every_item(summary):
    record = extract(page(), URL, hints={"summary": summary}, now=CRAWL)
    assert record["summary"] == "Hasakah queues for water […]"


def test_chinese_text_counts_words_without_spaces():
    body = "<p>" + "叙利亚哈塞克市居民每天早上排队等待水车。" * 20 + "</p>"
    record = extract(page(body=body, lang="zh"), URL, now=CRAWL)
    assert record["word_count"] >= 100 and record["is_article"]


LEAD = "Tens of thousands of people in Hasakah have queued at water tankers for a second week."


@pytest.mark.parametrize(
    "before, after, repeated",
    [
        # Printed under the title and again as the story's opening: a standfirst.
        (f"<p class='dek'>{LEAD}</p><p>By Lina Haddad</p>", "", True),
        # The page's own teaser in a list of stories far below, or a hidden share box, or
        # its JSON-LD: the lead is printed once.
        ("", "<div>" + "<p>Another story entirely on another matter.</p>" * 40
         + f"<p>{LEAD}</p></div>", False),
        (f"<div style='display: none'><h2>{LEAD}</h2></div>", "", False),
        (f'<script type="application/ld+json">{{"description": "{LEAD}"}}</script>', "", False),
        # The whole story printed twice (a print version): not a standfirst either.
        ("", f"<div class='print'><p>{LEAD}</p>{EN_STORY}</div>", False),
    ],
)  # fmt: skip
def test_a_standfirst_is_never_repeated_as_the_first_paragraph(before, after, repeated):
    html = page(body=f"{before}<p>{LEAD}</p>{EN_STORY}{after}")
    record = extract(html, URL, now=CRAWL)
    assert record["body"].startswith("Paragraph 0") == repeated
    assert (record["summary"] == LEAD) == repeated


# Byline fields as sites fill them, and who the author is (written from the forms real
# pages use: datelines of Gulf and Levantine papers, logo alt text, photo credits).
OWN = own_names("البيان", "Hasakah Today", url="https://www.akhbarelyom.com/news/1")


@pytest.mark.parametrize(
    "field, expected",
    [
        ("(أبوظبي - البيان)", []),  # a dateline: place and outlet
        ("دمشق - سانا", []),
        ("Logo Png", []),  # a logo's alt text
        ("Hasakah Today logo", []),
        ("Photo: AFP", []),  # a photo credit
        ("Getty Images", []),
        ("akhbarelyom", []),  # the host's own name
        ("البيان", []),  # the outlet's own name
        ("Hasakah Today", []),
        ("I", []),  # a single letter
        ("Staff", []),
        ("Staff Writers", []),
        ("desk@hasakah.example.net", []),
        ("https://www.facebook.com/someone", []),
        ("www.hasakah.example.net", []),
        ("بقلم: لينا حداد", ["لينا حداد"]),  # Arabic bylines give the name after them
        ("بقلم لينا حداد", ["لينا حداد"]),
        ("كتب - عمر خليل", ["عمر خليل"]),
        ("كتبت: سارة الأحمد", ["سارة الأحمد"]),
        ("إعداد: سامي حداد", ["سامي حداد"]),
        ("تحرير / سامي حداد", ["سامي حداد"]),
        ("Lina Haddad - Hasakah Today", ["Lina Haddad"]),  # the person beside the outlet
        ("Deutsche Welle (www.dw.com)", ["Deutsche Welle"]),
        ("By Lina Haddad and Omar Khalil", ["Lina Haddad", "Omar Khalil"]),
        ("Reuters", ["Reuters"]),  # a wire agency is a named desk
        ("SolutionsHub Editorial Team", ["SolutionsHub Editorial Team"]),
        ("Akhbar Elyom Staff", ["Akhbar Elyom Staff"]),
        # What a byline line prints around the name: a date, "updated", a bullet, a role,
        # degrees, the reviewer, the avatar's initials, the words before the name.
        ("Lina Haddad December 18", ["Lina Haddad"]),
        ("Lina Haddad Last Updated August 1", ["Lina Haddad"]),
        ("Lina Haddad • March", ["Lina Haddad"]),
        ("Hasakah Desk February 8", ["Hasakah Desk"]),
        ("Omar Khalil Senior Water Reporter", ["Omar Khalil"]),
        ("Omar Khalil Former UN Consultant", ["Omar Khalil"]),
        ("Sara Ahmad, MD", ["Sara Ahmad"]),
        ("Sara Ahmad Reviewed by Omar Khalil", ["Sara Ahmad"]),
        ("LH Lina Haddad", ["Lina Haddad"]),
        ("Story by Lina Haddad", ["Lina Haddad"]),
        ("View all posts by Lina Haddad", ["Lina Haddad"]),
        ("This post was written by Lina Haddad", ["Lina Haddad"]),
        ("Hasakah Today staff reporter", ["Hasakah Today staff reporter"]),  # a desk
        ("Theresa May", ["Theresa May"]),  # a month that is a name stays
        # Fields with no name in them.
        ("Dec", []),
        ("Updated January", []),
        ("Written By", []),
        ("View more posts", []),
        ("page.head.author", []),
        ("Www Facebook Com", []),
    ],
)
def test_authors_are_people_or_a_named_desk(field, expected):
    assert real_authors([field], OWN) == expected


def test_a_role_in_a_later_entry_is_not_another_author():
    assert real_authors(["Lina Haddad", "Water Security Expert"]) == ["Lina Haddad"]
    assert real_authors(["Lina Haddad", "AP"]) == ["Lina Haddad", "AP"]


@pytest.mark.parametrize(
    "links, expected",
    [
        ('<a href="/author/lina-haddad/">Lina Haddad</a>', ["Lina Haddad"]),
        ('<a rel="author" href="/p/42">Omar Khalil</a>', ["Omar Khalil"]),
        ('by <a href="/author/amal/">Amal</a>', ["Amal"]),  # a blog's one-word name
        # A staff page with the writer's number, a profile with it in the name's slug.
        ('<a href="/staff/2648209001/lina-haddad/">Lina Haddad</a>', ["Lina Haddad"]),
        ('<a href="/profiles/lina-haddad-309429">Lina Haddad</a>', ["Lina Haddad"]),
        (
            '<a href="/authors/lina-haddad">Lina Haddad</a> '
            '<a href="/authors/lina-haddad">Latest Posts</a>',
            ["Lina Haddad"],
        ),
        # The site's list of its writers is not a byline; nor is a link elsewhere.
        (
            "".join(
                f'<a href="/author/writer-{i}">Writer Number {"ABCDE"[i]}</a>' for i in range(5)
            ),
            [],
        ),
        ('<a href="/tag/lina-haddad">Lina Haddad</a>', []),
        ('<a href="/staff/">Our Staff</a>', []),  # the list of them
        # A credited person's page on another site (their university's) is not a byline.
        ('<a href="https://uni.example.edu/staff/lina-haddad">Lina Haddad</a>', []),
        ('<a href="https://www.example.org/author/lina-haddad">Lina Haddad</a>', ["Lina Haddad"]),
        ('<a href="http://[x/author/lina-haddad">Lina Haddad</a>', []),  # no host to read
        # Co-authors in one link; the site's pages for authors (Nature's) name nobody.
        (
            '<a href="/author/lina-haddad-and-omar-khalil">Lina Haddad and Omar Khalil</a>',
            ["Lina Haddad", "Omar Khalil"],
        ),
        (
            '<a href="/authors/index.html">Guide to authors</a>'
            '<a href="/authors/editorial_policies/">Editorial policies</a>',
            [],
        ),
    ],
)
def test_a_link_to_an_authors_page_names_the_author(links, expected):
    body = f"<p class='meta'>{links}</p>" + EN_STORY
    assert extract(page(body=body), URL, now=CRAWL)["authors"] == expected


def headed_page(header: str) -> str:
    """A page with no byline field: the name is printed beside "By" in its header, above
    the story."""
    return (
        "<!DOCTYPE html><html lang='en'><head><title>Water in Hasakah</title></head><body>"
        f"<header class='post-header'>{header}</header>"
        f"<article><h1>Water in Hasakah</h1>{EN_STORY}</article></body></html>"
    )


@pytest.mark.parametrize(
    "header, expected",
    [
        ('<p>By <a href="/producers/sofia-gonzalez">Sofia Gonzalez</a></p>', ["Sofia Gonzalez"]),
        ("<p>Written by</p><p class='name'>Edzel Tabing</p>", ["Edzel Tabing"]),
        ("<div>By</div><div>The Meetingnotes Team</div>", ["The Meetingnotes Team"]),
        ("<span>Article by: Matias Heikkilä</span>", ["Matias Heikkilä"]),
        ("<p>بقلم: سامر الأحمد</p>", ["سامر الأحمد"]),
        ("<p>Von Anna Sleegers, Frankfurt</p>", ["Anna Sleegers"]),
        ("<h3>Author</h3><p>Lisa D. Ellis</p>", ["Lisa D. Ellis"]),
        ("<div><strong>Contributors:</strong> Janet Loughrey</div>", ["Janet Loughrey"]),
        ("<h6>Author(s)</h6><ul><li>John A. Alic</li></ul>", ["John A. Alic"]),
        # A sentence that begins with "By" is passed over for the byline after it.
        (
            "<p>By clicking subscribe you agree to our terms</p><p>By Lina Haddad</p>",
            ["Lina Haddad"],
        ),
        # A label, a one-word name, a lower-case phrase: nothing to tell a name by.
        ("<p>By Role</p>", []),
        ("<p>Posted by BeauHD</p><p>By Omar Khalil</p>", []),
        ("<p>by the river bank</p>", []),
        # The navigation's and the footer's "by" are not the page's byline.
        ("<nav><a href='/topics'>By Topic Area</a></nav>", []),
        ("<footer>Website by Studio Nine</footer><footer>By Studio Nine</footer>", []),
    ],
)
def test_a_printed_byline_names_the_author(header, expected):
    assert extract(headed_page(header), URL, now=CRAWL)["authors"] == expected


@pytest.mark.parametrize(
    "inside, expected",
    [(True, ["Lisa D. Ellis"]), (False, [])],  # the story's sidebar; the page's, of teasers
)
def test_a_byline_in_an_aside_is_the_page_s_own_inside_its_article(inside, expected):
    aside = "<aside class='facts'><h3>Author</h3><p>Lisa D. Ellis</p></aside>"
    story = f"<h1>Water in Hasakah</h1>{EN_STORY}"
    body = f"<article>{aside}{story}</article>" if inside else f"<article>{story}</article>{aside}"
    html = f"<html lang='en'><head><title>Water in Hasakah</title></head><body>{body}</body></html>"
    assert extract(html, URL, now=CRAWL)["authors"] == expected


def test_the_printed_byline_says_which_of_the_linked_names_wrote_it():
    """A page that links its author and its reviewer alike: "By" names the author."""
    header = (
        'By <a href="/author/brett-cruz">Brett Cruz</a> · Reviewed by '
        '<a href="/author/gene-petrino">Gene Petrino</a>'
    )
    assert extract(headed_page(header), URL, now=CRAWL)["authors"] == ["Brett Cruz"]


def test_a_person_whose_site_it_is_stays_its_author():
    assert real_authors(["Lina Haddad"], own_names(url="https://linahaddad.net/p/1")) == [
        "Lina Haddad"
    ]


@pytest.mark.parametrize("creator", ["الحسكة اليوم", "Hasakah Today", "Hasakah Now"])
def test_a_feeds_creator_that_is_the_source_itself_is_not_an_author(creator):
    # A feed's dc:creator naming the outlet, as the registry names it in any of its forms
    # (the name, the names in parentheses, the outlet): the same record whether the page
    # was found through the feed (with its hints) or through a listing (without).
    source = Source(
        id="hasakah-ar",
        name="الحسكة اليوم (Hasakah Today, Arabic)",
        outlet="Hasakah Now",
        homepage="https://hasakah.example.net/",
        language="ar",
    )
    html = page(body=AR_STORY, lang="ar")
    with_hints = extract(html, URL, source, hints={"authors": [creator]}, now=CRAWL)
    assert with_hints["authors"] == [] == extract(html, URL, source, now=CRAWL)["authors"]
    # A person in the same feed field is still its author.
    person = extract(html, URL, source, hints={"authors": ["لينا حداد"]}, now=CRAWL)
    assert person["authors"] == ["لينا حداد"]


def test_a_junk_author_field_gives_way_to_the_byline_in_the_story():
    head = '<meta name="author" content="Logo Png">'
    body = "<p>By Lina Haddad</p>" + EN_STORY
    assert extract(page(head, body=body), URL, now=CRAWL)["authors"] == ["Lina Haddad"]


def test_a_declared_author_that_is_the_registered_source_is_not_an_author():
    # The registry names the source: the record's `source` says who published it.
    source = Source(
        id="hasakah", name="Hasakah Today", homepage="https://news.example.org/", language="en"
    )
    head = ld(author={"@type": "Organization", "name": "Hasakah Today"})
    assert extract(page(head), URL, source, now=CRAWL)["authors"] == []
    # An entry with no name of its own (its id) does not hide a declared author.
    unnamed = Source(
        id="hasakah", name="hasakah", homepage="https://news.example.org/", language="en"
    )
    head = ld(author={"@type": "Organization", "name": "Hasakah"})
    assert extract(page(head), URL, unnamed, now=CRAWL)["authors"] == ["Hasakah"]


def test_the_publisher_in_json_ld_is_an_author_only_where_declared_one():
    publisher = {"@type": "Organization", "name": "Akhbar Network"}
    head = ld(author=publisher, publisher=publisher)
    assert extract(page(head), URL, now=CRAWL)["authors"] == ["Akhbar Network"]
    # Named by trafilatura's search of the page or the feed only: not an author.
    head = ld(publisher=publisher)
    hinted = extract(page(head), URL, hints={"authors": ["Akhbar Network"]}, now=CRAWL)
    assert hinted["authors"] == []


@pytest.mark.parametrize(
    "declared",
    [
        {"@type": "Organization", "name": "Akhbar Network"},  # the publisher itself
        {"@type": "Person", "name": "akhbarwriter7"},  # a user name, as a CMS declares it
    ],
)
def test_a_declared_stand_in_gives_way_to_the_person_the_page_names(declared):
    publisher = {"@type": "Organization", "name": "Akhbar Network"}
    head = ld(author=declared, publisher=publisher)
    linked = "<p class='meta'><a href='/author/lina-haddad/'>Lina Haddad</a></p>" + EN_STORY
    assert extract(page(head, body=linked), URL, now=CRAWL)["authors"] == ["Lina Haddad"]
    # Where the page names nobody else, it stands.
    assert extract(page(head), URL, now=CRAWL)["authors"] == [declared["name"]]


def test_the_publisher_beside_declared_people_is_not_another_author():
    head = ld(
        author=[{"name": "Lina Haddad"}, {"name": "Omar Khalil"}, {"name": "The Akhbar"}],
        publisher={"@type": "Organization", "name": "The Akhbar"},
    )
    assert extract(page(head), URL, now=CRAWL)["authors"] == ["Lina Haddad", "Omar Khalil"]


def test_a_persons_own_site_keeps_them_as_its_declared_author():
    # The site's name is the person's: they publish it, and are its author.
    head = '<meta property="og:site_name" content="Lina Haddad">' + ld(
        author={"@type": "Person", "name": "Lina Haddad"}
    )
    linked = "<p>Photo by <a href='/author/omar'>Omar Khalil</a></p>" + EN_STORY
    assert extract(page(head, body=linked), URL, now=CRAWL)["authors"] == ["Lina Haddad"]


def test_the_publishers_name_as_words_is_still_the_publisher():
    own = own_names("ORF.at", url="https://orf.at/stories/1")
    assert real_authors(["ORF at", "red", "Agenturen"], own) == []


@pytest.mark.parametrize(
    "links, expected",
    [
        # A label glued to the name it follows, and "More about ...", are not names.
        (
            '<a href="/author/sam-reed">Sam Reed</a> <a href="/author/sam-reed">Sam ReedAuthor'
            ' Posts</a> <a href="/author/sam-reed">More About Sam Reed »</a>',
            ["Sam Reed"],
        ),
        ('<a href="/author/juliette-c">Articles by Juliette</a>', ["Juliette"]),
    ],
)
def test_an_author_links_label_is_not_another_name(links, expected):
    body = f"<p class='meta'>{links}</p>" + EN_STORY
    assert extract(page(body=body), URL, now=CRAWL)["authors"] == expected


def test_a_teasers_byline_in_a_link_is_not_the_pages():
    teaser = (
        "<div class='related'><a href='/economy/bread'><span>Bread prices double</span>"
        "<span>By Omar Khalil, Aleppo</span></a></div>"
    )
    assert extract(headed_page(teaser), URL, now=CRAWL)["authors"] == []
    # A link to the author's own page is the page's author card.
    card = (
        "<a href='/author/lina-haddad'><div>Written by <span>Lina Haddad</span></div>"
        "<div>Senior Water Correspondent</div></a>"
    )
    assert extract(headed_page(card), URL, now=CRAWL)["authors"] == ["Lina Haddad"]


@pytest.mark.parametrize(
    "byline, expected",
    [
        # trafilatura's byline search gives "Lina Haddad; Trial Attorney; Hasakah": after a
        # full name, a role and a one-word place or desk describe that person.
        ("Lina Haddad, Trial Attorney, Hasakah", ["Lina Haddad"]),
        ("Lina Haddad | Water", ["Lina Haddad"]),
        ("Lina Haddad, Omar Khalil and Water Security Specialists", ["Lina Haddad", "Omar Khalil"]),
        # Two people of one name each.
        ("Linny and Peter", ["Linny", "Peter"]),
    ],
)
def test_what_follows_a_name_in_a_byline_element_describes_that_person(byline, expected):
    body = f"<div class='author'>{byline}</div>" + EN_STORY
    assert extract(page(body=body), URL, now=CRAWL)["authors"] == expected


def test_a_heading_within_the_story_is_not_a_byline():
    story = EN_STORY + "<h3>By Functionality</h3>" + EN_STORY.replace("Paragraph", "Part")
    record = extract(page(body=story), URL, now=CRAWL)
    assert record["authors"] == []
    assert "By Functionality" in record["body"]


@pytest.mark.parametrize(
    "declared, printed, expected",
    [
        # The declared title is the printed headline with the site or a tagline around it.
        ("Water in Hasakah • Hasakah Today", "Water in Hasakah", "Water in Hasakah"),
        ("Hasakah Today | Water in Hasakah", "Water in Hasakah", "Water in Hasakah"),
        (
            "Water in Hasakah, December 2025 - Queues",
            "Water in Hasakah, December 2025",
            "Water in Hasakah, December 2025",
        ),
        # A different headline, or a short heading, leaves the declared title alone.
        ("Queues for water in Hasakah", "Hasakah's water", "Queues for water in Hasakah"),
        ("Water in Hasakah: the queues", "Water", "Water in Hasakah: the queues"),
        # A kicker before a colon is part of the title, not the site's name.
        (
            "After the drought: queues for water in Hasakah",
            "Queues for water in Hasakah",
            "After the drought: queues for water in Hasakah",
        ),
        # Punctuation and spacing alone: the title as declared.
        ("Water in Hasakah: queues again...", "Water in Hasakah:queues again", None),
    ],
)
def test_the_title_is_the_printed_headline_inside_the_declared_one(declared, printed, expected):
    html = (
        f'<html lang="en"><head><meta property="og:title" content="{declared}"></head>'
        f"<body><article><h1>{printed}</h1><div>{EN_STORY}</div></article></body></html>"
    )
    assert extract(html, URL, now=CRAWL)["title"] == (expected or declared)


ELEMENTOR_AUTHOR_BOX = (
    "<div class='elementor-widget elementor-widget-author-box'><div class='elementor-author-box'>"
    "<div class='elementor-author-box__avatar'><img src='/p.jpg' alt='Picture of {name}'></div>"
    "<div class='elementor-author-box__text'><div><h4 class='elementor-author-box__name'>{name}"
    "</h4></div><div class='elementor-author-box__bio'>{bio}</div></div></div></div>"
)


@pytest.mark.parametrize(
    "header, expected",
    [
        # Elementor's author boxes, the author's then the editor's: a role in parentheses.
        (
            ELEMENTOR_AUTHOR_BOX.format(name="Lance Ryan (Content Manager)", bio="Sleeps well.")
            + ELEMENTOR_AUTHOR_BOX.format(name="Mycle (Editor-in-Chief)", bio="Edits."),
            ["Lance Ryan"],
        ),
        ("<div class='c-byline__name'>hackermondev</div>", ["hackermondev"]),  # a handle
        # A bio in the first such element; the name alone in the next.
        (
            "<div class='author-name'>Denise Everheart is a freelance writer and a meditator"
            "</div><span class='author_name'>Denise Everheart</span>",
            ["Denise Everheart"],
        ),
        ("<p class='author-name'>Laura / House Plant House</p>", ["Laura"]),
        ("<span class='post-author-name'>Written by Lina Haddad</span>", ["Lina Haddad"]),
        # A commenter's name is not the author's.
        ("<section id='comments'><span class='comment-author-name'>Omar Khalil</span>", []),
    ],
)
def test_the_element_the_markup_calls_the_authors_name_names_the_author(header, expected):
    assert extract(headed_page(header), URL, now=CRAWL)["authors"] == expected


def test_microdatas_author_yields_to_the_printed_byline_and_stands_where_none_is_printed():
    # Squarespace's posts declare the account that posted in <meta itemprop="author">.
    posted_by = '<meta itemprop="author" content="Omar Khalil">'
    printed = extract(page(posted_by, body="<p><em>By Lina Haddad, MS</em></p>" + EN_STORY), URL)
    assert printed["authors"] == ["Lina Haddad"]
    # A blogger's own site: the site's name and the declared author are one.
    own = '<meta property="og:site_name" content="Lina Haddad">'
    own += '<meta itemprop="author" content="Lina Haddad">'
    assert extract(page(own), URL, now=CRAWL)["authors"] == ["Lina Haddad"]
    # The site's name as its JSON-LD WebSite gives it is the outlet, not an author.
    site = json.dumps({"@context": "https://schema.org", "@type": "WebSite", "name": "HSKT"})
    outlet = f'<script type="application/ld+json">{site}</script>'
    outlet += '<meta itemprop="author" content="HSKT">'
    assert extract(page(outlet), URL, now=CRAWL)["authors"] == []


@pytest.mark.parametrize(
    "declared, alone",
    [
        ("andrew.keaveney", ["andrew.keaveney"]),  # a login
        ("sara.r.peter", ["sara.r.peter"]),
        ("jamesfox966473278", ["jamesfox966473278"]),
        ("page.head.extra.author", []),  # a template's placeholder: no name at all
    ],
)
def test_a_declared_user_name_or_placeholder_yields_to_the_name_the_page_prints(declared, alone):
    head = f'<meta name="author" content="{declared}">'
    card = "<span class='author-name'>Denise Everheart</span>"
    html = page(head, body=card + EN_STORY)
    assert extract(html, URL, now=CRAWL)["authors"] == ["Denise Everheart"]
    # Where the page prints no name, a user name is all there is.
    assert extract(page(head), URL, now=CRAWL)["authors"] == alone


@pytest.mark.parametrize(
    "found, expected",
    [
        ("Lina Haddad; Omar Khalil", ["Lina Haddad", "Omar Khalil"]),
        ("Zackery Cuevas Writer; Hardware", ["Zackery Cuevas Writer"]),
        # A role, then the person's department: it describes them, it is no co-author.
        ("Danielle Padula; Head; Community Development", ["Danielle Padula"]),
        ("Linny; Peter", ["Linny", "Peter"]),
    ],
)
def test_trafilaturas_byline_texts_after_a_description_describe_the_person(found, expected):
    assert searched_names(found) == expected

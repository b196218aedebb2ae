"""The source registry: the built-in file loads, and bad entries get clear errors."""

import pytest

from scraper.sources import SourceConfigError, load_file, load_registry, source_for_url

GOOD = """
[mysite]
name = "My Site"
homepage = "https://example.org/"
language = "ar"
feeds = ["https://example.org/feed"]
poll_interval = "30m"
"""


def write(tmp_path, text, name="sources.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_registry_loads_and_recognises_urls():
    registry = load_registry()
    assert "syrianobserver" in registry
    source = source_for_url("https://www.syrianobserver.com/news/1234/x.html", registry)
    assert source is not None and source.id == "syrianobserver"
    assert source.is_article_url("https://syrianobserver.com/foreign-actors/12345/a-b.html")
    assert not source.is_article_url("https://syrianobserver.com/category/news/page/2/")
    assert not source.is_article_url(
        "https://syrianobserver.com/uncategorized/66129/eid-holiday-5.html"
    )


def test_users_file_adds_and_overrides(tmp_path):
    path = write(
        tmp_path,
        GOOD + '\n[syrianobserver]\nname = "Mine"\nhomepage = "https://syrianobserver.com/"\n'
        'language = "en"\nfeeds = ["https://syrianobserver.com/feed"]\n',
    )
    registry = load_registry([path])
    assert registry["mysite"].poll_interval == 1800
    assert registry["syrianobserver"].name == "Mine"
    assert registry["syrianobserver"].origin == str(path)


@pytest.mark.parametrize(
    "text, field, words",
    [
        (GOOD.replace('language = "ar"\n', ""), "language", "is required"),
        (GOOD.replace('"https://example.org/feed"', '"ftp://x"'), "feeds", "http(s) URL"),
        (GOOD + 'article_pattern = "(unclosed"\n', "article_pattern", "regular expression"),
        (GOOD.replace('"30m"', '"soon"'), "poll_interval", "duration"),
        (GOOD + "colour = 1\n", "colour", "not a known field"),
        (GOOD + '[mysite.cleaning]\ndrop_blocks = ["[x"]\n', "cleaning.drop_blocks", "regular"),
        (GOOD + 'pagination = "/page/"\n', "pagination", "{n}"),
        (GOOD + "outlet = 5\n", "outlet", "non-empty string"),
        (GOOD + 'outlet = " "\n', "outlet", "non-empty string"),
    ],
)
def test_bad_entry_names_file_source_and_field(tmp_path, text, field, words):
    path = write(tmp_path, text)
    with pytest.raises(SourceConfigError) as info:
        load_file(path)
    error = info.value
    assert (error.file, error.source, error.field) == (str(path), "mysite", field)
    assert words in str(error) and str(path) in str(error) and "mysite" in str(error)


def test_invalid_toml_is_a_clear_error(tmp_path):
    path = write(tmp_path, "[mysite\nname=")
    with pytest.raises(SourceConfigError, match="not valid TOML"):
        load_file(path)
    with pytest.raises(SourceConfigError, match="file not found"):
        load_file(tmp_path / "missing.toml")


def test_sources_sharing_a_host_are_told_apart_by_path(tmp_path):
    path = write(
        tmp_path,
        """
[site-ar]
name = "Site"
homepage = "https://example.org/"
language = "ar"
feeds = ["https://example.org/feed/"]
article_pattern = '^https://example\\.org/(?!en/)[a-z]+/\\d+/$'

[site-en]
name = "Site English"
homepage = "https://example.org/en/"
language = "en"
feeds = ["https://example.org/en/feed/"]
article_pattern = '^https://example\\.org/en/[a-z]+/\\d+/$'
""",
    )
    registry = load_file(path)
    assert source_for_url("https://example.org/en/politics/12/", registry).id == "site-en"
    assert source_for_url("https://example.org/en/about/", registry).id == "site-en"
    assert source_for_url("https://example.org/politics/12/", registry).id == "site-ar"
    assert source_for_url("https://www.example.org/", registry).id == "site-ar"

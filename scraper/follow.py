"""Whether the links of an article page are followed: crawls that end by themselves.

A full crawl of a source with an article pattern also follows the article links
of the pages it fetches ("Related articles"). A site can make that endless:
links with a new session id each time, a calendar whose every day links to the
next, search pages whose links add a parameter each. Session ids are dropped
by canonicalisation (archive.urls), so a variant of a page fetched already is
not fetched again; the two caps here end the other chains:

- **Depth**: how many links a page is from the seeds. Feeds, sitemaps and
  listings are the seeds (depth 0), the articles they list are at depth 1, a
  page linked from one of them at depth 2, ... The links of a page at
  ``NEWSARCHIVE_MAX_DEPTH`` are not followed.
- **Budget**: how many pages reached by following article links (depth 2 and
  more) may give no new article in one run, ``NEWSARCHIVE_FOLLOW_BUDGET``. Once
  it is spent the run follows no more article links, and the requests for such
  links still queued are dropped (scraper.middlewares.FollowLimitMiddleware);
  its feeds, sitemaps and listings go on.

Scrapy's own ``DEPTH_LIMIT`` does not fit: its middleware counts every hop a
spider callback makes (listing page 2 to page 3, a sitemap index to its
sitemaps), so it would cut long listings, and it never sees the links followed
here, which come from the extraction workers through the item pipeline. The
depth travels in the request's ``meta["link_depth"]``, lowered by the spider when a
feed, sitemap or listing lists the article too (see
:meth:`scraper.spiders.base.SourceSpider.link_depth`).
"""

from __future__ import annotations

from scrapy.settings import BaseSettings

__all__ = ["LinkFollowing"]


class LinkFollowing:
    """One run's caps on following article links, and what it has spent of its budget."""

    def __init__(self, max_depth: int, budget: int) -> None:
        self.max_depth = max_depth
        self.budget = budget
        self.barren = 0  # pages reached by following links that gave no new article

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> LinkFollowing:
        return cls(
            settings.getint("NEWSARCHIVE_MAX_DEPTH"), settings.getint("NEWSARCHIVE_FOLLOW_BUDGET")
        )

    @property
    def spent(self) -> bool:
        """Whether the budget is spent: no more article links are followed in this run."""
        return self.barren >= self.budget

    def why_not(self, depth: int, new_article: bool) -> str | None:
        """Why the links of a page at ``depth`` are not followed, or None when they are.

        Called once for each page stored; ``new_article`` says whether it was one.
        The reason names the setting that stops the chain, the same words each time
        (it is recorded once per run).
        """
        if depth >= 2 and not new_article:
            self.barren += 1
        if self.spent:
            return self.spent_reason()
        if depth >= self.max_depth:
            return (
                f"depth limit: the links of pages {self.max_depth} links away from the feeds,"
                " sitemaps and listings are not followed (NEWSARCHIVE_MAX_DEPTH)"
            )
        return None

    def spent_reason(self) -> str:
        return (
            f"follow budget spent: {self.budget} pages reached through article links gave"
            " no new article (NEWSARCHIVE_FOLLOW_BUDGET); no more article links followed"
        )

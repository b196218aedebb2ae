"""Scrapy settings for newsarchive: polite by default.

robots.txt is obeyed, AutoThrottle adapts the pace to each server, at most two
requests per domain run at once, retries back off, and the user agent names
the project and a contact URL so site owners can reach whoever runs a crawl.
Override any of these per run with `scrapy crawl -s NAME=VALUE` or the
environment variables noted below.
"""

import json
import os

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"

# Who is crawling: set NEWSARCHIVE_CONTACT to a page or mail address of yours.
CONTACT = os.environ.get("NEWSARCHIVE_CONTACT", "https://github.com/newsarchive/newsarchive")
USER_AGENT = f"newsarchive/0.1 (+{CONTACT})"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
DOWNLOAD_TIMEOUT = 30
# A 50 MB "article" is a mistake or an attack: refuse it rather than parse it.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
REDIRECT_MAX_TIMES = 5

AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

# Scrapy's downloader with its per-domain limit enforced under asyncio (see the module).
DOWNLOADER = "scraper.downloader.PoliteDownloader"
# A crawl that asks for the offline copies (NEWSARCHIVE_MIRRORS, NEWSARCHIVE_MIRRORS_ONLY)
# gets their download handler from this add-on; any other keeps Scrapy's own.
ADDONS = {"scraper.offline.addon.OfflineCopies": 0}
DOWNLOADER_MIDDLEWARES = {
    # First of all, before robots.txt is even fetched: the source's hosts, http(s), no
    # private addresses (scraper/scope.py).
    "scraper.middlewares.ScopeMiddleware": 50,
    # Then the run's cap on following article links (scraper/follow.py).
    "scraper.middlewares.FollowLimitMiddleware": 60,
    # Replaces Scrapy's RetryMiddleware: same retries, plus Retry-After and backoff.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scraper.middlewares.BackoffRetryMiddleware": 550,
    # Gives up on a host that never answered after a few hopeless failures (DNS, TLS), or
    # that stopped answering. Above the retries: it sees every failed attempt first.
    "scraper.middlewares.FailFastMiddleware": 555,
    # Responses pass it before the retries (higher runs first on the way back), after
    # decompression (590): a challenge page is a failure, not retried, never archived.
    "scraper.middlewares.ChallengeMiddleware": 560,
}
NEWSARCHIVE_FAIL_FAST_AFTER = 3
# A host that answered and then gave no answer to this many attempts in a row, for this
# many seconds since its last answer, is down: the run asks it for nothing more.
NEWSARCHIVE_HOST_DOWN_AFTER = 20
NEWSARCHIVE_HOST_DOWN_SECONDS = 120
# Caps that make every crawl end by itself on sites that never do (calendars, session ids,
# ever-longer query strings; docs/crawl.md). Pages of one listing walked at most:
NEWSARCHIVE_MAX_LISTING_PAGES = 1000
# The links of a page this many links away from a feed, sitemap or listing (their own
# articles are 1 away) are not followed (scraper/follow.py).
NEWSARCHIVE_MAX_DEPTH = 4
# Pages reached through article links that may give no new article in one run; once
# spent, the run follows no more article links (its feeds, sitemaps and listings go on).
NEWSARCHIVE_FOLLOW_BUDGET = 500
EXTENSIONS = {
    "scraper.extensions.ProgressLine": 500,
}
# Scrapy's own extensions (its EXTENSIONS_BASE) but its remote controls, which are off
# (below): Scrapy imports every listed extension, even one set to None, and RemoteControl's
# module imports aiohttp (0.09 s of every crawl's and poll's start-up), TelnetConsole's
# Twisted's conch. Written out, not read from Scrapy: this module is read before Scrapy is
# imported, to start the extraction workers' fork server early (scraper.cli).
# tests/test_no_remote_control.py holds it to Scrapy's own list.
EXTENSIONS_BASE = {
    "scrapy.extensions.corestats.CoreStats": 0,
    "scrapy.extensions.logcount.LogCount": 0,
    "scrapy.extensions.memusage.MemoryUsage": 0,
    "scrapy.extensions.memdebug.MemoryDebugger": 0,
    "scrapy.extensions.closespider.CloseSpider": 0,
    "scrapy.extensions.feedexport.FeedExporter": 0,
    "scrapy.extensions.logstats.LogStats": 0,
    "scrapy.extensions.spiderstate.SpiderState": 0,
    "scrapy.extensions.throttle.AutoThrottle": 0,
}
# A live progress line on stderr: "auto" (when it is a terminal), true or false.
NEWSARCHIVE_PROGRESS = "auto"
ITEM_PIPELINES = {
    "scraper.pipelines.ArchivePipeline": 300,
}

# Where the archive lives; `newsarchive crawl --db` and `scrapy crawl -s NEWSARCHIVE_DB=` set it.
NEWSARCHIVE_DB = os.environ.get("NEWSARCHIVE_DB", "archive.db")
# Extra registry files (users' own sources), os.pathsep-separated in the environment.
NEWSARCHIVE_SOURCES = [p for p in os.environ.get("NEWSARCHIVE_SOURCES", "").split(os.pathsep) if p]
# {"syrianobserver.com": "http://127.0.0.1:8123"}: serve a host from an offline copy
# (JSON in the environment variable of the same name).
NEWSARCHIVE_MIRRORS: dict[str, str] = json.loads(os.environ.get("NEWSARCHIVE_MIRRORS") or "{}")
# True: fail requests for hosts without a mirror instead of going to the internet.
NEWSARCHIVE_MIRRORS_ONLY = False
# Extraction worker processes; 0 means one per core.
NEWSARCHIVE_EXTRACT_WORKERS = int(os.environ.get("NEWSARCHIVE_EXTRACT_WORKERS", "0"))
# How much memory an extraction worker may take beyond what it shares with its fork server
# (its address space, RLIMIT_AS); a page that needs more is recorded as too big. 0: no bound.
NEWSARCHIVE_EXTRACT_MEMORY_MB = 512
# A stopped crawl (Ctrl-C, SIGTERM) waits this long for the downloads in flight, then ends
# without them: the next run fetches them (held pages and the frontier lose nothing).
NEWSARCHIVE_STOP_SECONDS = 5.0
# A batch is committed when it is this old: a killed crawl loses at most this much work.
NEWSARCHIVE_BATCH_SECONDS = 1.0
# ...or when it holds this many articles, a bound only a fast writer reaches: each commit
# costs a search index segment and the pages every index changed, so at 400 articles/s
# batches of 500 (1 s) cost 0.3 ms an article less than batches of 50 (bench_archive).
NEWSARCHIVE_BATCH_SIZE = 500

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = os.environ.get("NEWSARCHIVE_LOG_LEVEL", "INFO")
# No remote control of a running crawl: Scrapy's telnet console and its HTTP endpoint
# that runs any Python code it is sent (on by default in Scrapy 2.19) stay off.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# One spider per registry source: `scrapy crawl syrianobserver`, `scrapy crawl syrianobserver-feed`.
SPIDER_LOADER_CLASS = "scraper.spiders.loader.RegistrySpiderLoader"

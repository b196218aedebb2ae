"""newsarchive's storage: the SQLite archive, independent of Scrapy.

arabic (search folding), urls (canonical URLs), dedup (content hash and
simhash), store (the Archive class), export (streamed CSV / JSON Lines),
serve (datasette). Nothing here imports scraper/ or Scrapy, so the archive
can be read, exported and served without a crawler installed.
"""

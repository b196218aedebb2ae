"""Crawling on several processes and machines: scrapy-redis workers, one archive writer.

Install with ``pip install 'newsarchive[distributed]'``. The parts, by role:

- scraper.distributed.keys       where everything lives in Redis, and the connection
- scraper.distributed.settings   the Scrapy settings of a worker (scrapy-redis glue)
- scraper.distributed.scheduler  scrapy-redis's scheduler, plus leases so that the
                                 requests a killed worker held go back to the queue
- scraper.distributed.spiders    the registry's spiders, fed from the shared queue
- scraper.distributed.politeness per-domain concurrency, spacing, Retry-After and
                                 robots.txt shared by every worker
- scraper.distributed.pipeline   extraction in the worker, records pushed to Redis
- scraper.distributed.messages   items <-> Redis stream entries
- scraper.distributed.writer     the one process that writes the archive
- scraper.distributed.seed       ``crawl --distributed``: a job's first requests
- scraper.distributed.status     workers, queues and the writer's lag
- scraper.distributed.worker     ``newsarchive worker``: the crawler process

Why scrapy-redis: it is the engine Scrapy users already run to share one
queue and one duplicate filter between crawler processes; its formats (a
sorted set of pickled request dicts per spider, a set of SHA-1 request
fingerprints) are kept as they are, so its tools and habits still apply. What
it lacks for an archive that must lose nothing is added around it, never
instead of it: leases on the requests a worker took (scheduler), and a
Redis stream read by a consumer group for the records (writer).
"""

"""``newsarchive writer``: the one process that writes the archive, from the workers' stream.

The workers push records onto a Redis stream; the writer reads it as the only
consumer of a consumer group (XREADGROUP), so every entry stays pending until
the writer acknowledges it. It stores a batch of entries with
archive.ingest.ingest_page and the archive's own methods, exactly as the
single-process pipeline (scraper.pipelines) does (with the fingerprints the
workers made, archive.fingerprints: checked, never computed again; a page
whose fingerprints are malformed is that page's failure), in one SQLite transaction
that also records the id of the batch's last entry (archive.stream), and only
then acknowledges (and deletes) the entries. So:

- a killed writer loses nothing: what it had not committed is still pending
  and is read again when it restarts;
- and duplicates nothing: entries it had committed but not yet acknowledged
  are recognised by the position the archive itself holds, and only
  acknowledged.

Aliases wait for the end of their run, as in a single-process crawl (the
article they name may still be in flight); they stay pending until then, so
a restart finds them again. A run ends when its source is quiet (nothing
queued, nothing leased, scraper.distributed.leases) and the writer has
committed every entry pushed before that moment; the writer then records the
aliases, judges the run like the single-process pipeline (judge_run) from
the counters the workers added up in Redis, and closes it. The writer also
requeues the leases of dead workers, so a crawl finishes even when every
worker but one has died.

A lock in Redis (refreshed by a heartbeat thread) keeps a second writer from
starting.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import redis

from archive.ingest import ingest_page
from archive.stream import StreamArchive
from scraper.distributed.keys import (
    DEAD_AFTER_SECONDS,
    DEFAULT_PREFIX,
    STREAM_GROUP,
    Keys,
    connect,
    gone_from_this_host,
    process_name,
)
from scraper.distributed.leases import Presence, quiet_since, reclaim_dead
from scraper.distributed.messages import Message, decode
from scraper.pipelines import judge_run, record_source_outcome
from scraper.sources import load_registry

__all__ = ["Writer", "WriterRunning"]

logger = logging.getLogger(__name__)
CONSUMER = "writer"


class WriterRunning(RuntimeError):
    """Another writer holds the lock."""


def _entry_key(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class Writer:
    def __init__(
        self,
        redis_url: str,
        db: str | Path,
        *,
        batch_size: int = 200,
        block_seconds: float = 1.0,
        sources_files: Sequence[str | Path] = (),
        prefix: str = DEFAULT_PREFIX,
    ) -> None:
        self.server = connect(redis_url)
        self.keys = Keys(prefix)
        self.db = str(db)
        self.batch_size = batch_size
        self.block_ms = int(block_seconds * 1000)
        self.registry = load_registry(list(sources_files))
        self.archive: StreamArchive | None = None
        self.position = "0-0"
        self.runs: dict[tuple[str, str], int] = {}
        # Aliases held until their run ends: (job, source) -> [(entry id, message)]
        self.deferred: dict[tuple[str, str], list[tuple[str, Message]]] = defaultdict(list)
        # Quiet sources waiting for the writer to reach the stream id they were quiet at.
        self.finishing: dict[tuple[str, str], str] = {}
        self.committed = 0
        self.started = time.time()
        self._stop = threading.Event()

    # -- lifecycle ------------------------------------------------------------------------

    def stop(self, *_args) -> None:
        """Finish the batch in hand, then return from run() (a SIGTERM handler)."""
        self._stop.set()

    def run(self, *, install_signal_handlers: bool = True) -> None:
        if install_signal_handlers:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        self._lock()
        presence = Presence(
            self.server, self.keys, process_name(), self.info, register=False, key=self.keys.writer
        ).start()
        try:
            with StreamArchive(self.db) as self.archive:
                self.position = self.archive.position(self.keys.items) or "0-0"
                self._ensure_group()
                self._recover()
                # The next batch is read while this one is committed (both wait on I/O,
                # not the GIL). Entries read and not committed stay pending in Redis, and a
                # restarted writer takes them up in _recover().
                with ThreadPoolExecutor(1, thread_name_prefix="stream-reader") as reader:
                    upcoming = reader.submit(self._read_messages)
                    while not self._stop.is_set():
                        entries = upcoming.result()
                        upcoming = reader.submit(self._read_messages)
                        if entries:
                            self._commit(entries)
                        self._finish_quiet_sources()
        finally:
            presence.stop()

    def info(self) -> dict:
        return {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "db": os.path.abspath(self.db),
            "position": self.position,
            "committed": self.committed,
            "started": self.started,
        }

    def _lock(self) -> None:
        """Take the writer's lock; a killed writer's lock is waited out (it expires)."""
        deadline = time.monotonic() + DEAD_AFTER_SECONDS + 2
        payload = json.dumps(self.info())
        while not self.server.set(
            self.keys.writer, payload, nx=True, px=int(DEAD_AFTER_SECONDS * 1000)
        ):
            holder = json.loads(self.server.get(self.keys.writer) or "{}")
            if gone_from_this_host(f"{holder.get('host')}:{holder.get('pid')}"):
                self.server.delete(self.keys.writer)
                continue
            if time.monotonic() > deadline:
                raise WriterRunning(
                    f"a writer is already running ({holder.get('host')}, pid "
                    f"{holder.get('pid')}, archive {holder.get('db')})"
                )
            time.sleep(0.5)

    def _ensure_group(self) -> None:
        try:
            # From the stream's start: entries pushed before any writer ran are read too.
            self.server.xgroup_create(self.keys.items, STREAM_GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def _read(self, start: str, *, block: bool) -> list[tuple[str, dict]]:
        answer = self.server.xreadgroup(
            STREAM_GROUP,
            CONSUMER,
            {self.keys.items: start},
            count=self.batch_size,
            block=self.block_ms if block else None,
        )
        if not answer:
            return []
        return [(_text(entry_id), fields) for entry_id, fields in answer[0][1]]

    def _read_messages(self) -> list[tuple[str, Message | None]]:
        """The next new entries, decoded (None: deleted meanwhile). On the reader's thread,
        the decoding overlaps the commit of the batch before, which spends most of its
        time in SQLite with the GIL released."""
        return [
            (entry_id, decode(fields) if fields else None)
            for entry_id, fields in self._read(">", block=True)
        ]

    def _recover(self) -> None:
        """Entries delivered to an earlier writer and never acknowledged: those the archive
        holds already are acknowledged (aliases are held again); the others are stored."""
        start = "0"
        while True:
            entries = self._read(start, block=False)
            if not entries:
                return
            done, todo = [], []
            for entry_id, fields in entries:
                if not fields:  # deleted meanwhile
                    done.append(entry_id)
                elif _entry_key(entry_id) > _entry_key(self.position):
                    todo.append((entry_id, decode(fields)))
                else:
                    message = decode(fields)
                    if message.kind == "alias":
                        self.deferred[(message.job, message.source)].append((entry_id, message))
                    else:
                        done.append(entry_id)
            self._acknowledge(done)
            if todo:
                self._commit(todo)
            start = entries[-1][0]

    # -- batches --------------------------------------------------------------------------

    def _commit(self, entries: list[tuple[str, Message | None]]) -> None:
        messages = [(entry_id, message) for entry_id, message in entries if message]
        with self.archive.transaction():
            for entry_id, message in messages:
                if message.kind == "alias":
                    self.deferred[(message.job, message.source)].append((entry_id, message))
                else:
                    self._store(message)
            self.archive.save_position(self.keys.items, entries[-1][0])
        self.position = entries[-1][0]
        self.committed += len(messages)
        self._acknowledge([entry_id for entry_id, m in messages if m.kind != "alias"])

    def _acknowledge(self, entry_ids: list[str]) -> None:
        if not entry_ids:
            return
        with self.server.pipeline() as pipe:
            pipe.xack(self.keys.items, STREAM_GROUP, *entry_ids)
            pipe.xdel(self.keys.items, *entry_ids)
            pipe.execute()

    def _run_id(self, job: str, source: str) -> int:
        key = (job, source)
        if key not in self.runs:
            run_id = self.archive.run_for_key(f"{job}:{source}")
            if run_id is None:
                if source in self.registry:
                    self.archive.sync_sources([self.registry[source].row()])
                run_id = self.archive.start_run("crawl", source)
                self.archive.save_run_key(f"{job}:{source}", run_id)
            else:
                self.archive.resume_run(run_id)
            self.runs[key] = run_id
        return self.runs[key]

    def _store(self, message: Message) -> None:
        archive, data = self.archive, message.data
        run_id = self._run_id(message.job, message.source)
        try:
            if message.kind == "page":
                capture = message.capture()
                ingested = ingest_page(
                    archive,
                    data["extraction"],
                    source=message.source,
                    run_id=run_id,
                    capture=capture,
                    seen_as=[*map(tuple, data["seen_as"]), (capture.requested_url, "redirect")],
                    now=capture.fetched_at,
                    fingerprints=message.fingerprints(),
                )
                if ingested.reason:
                    logger.info(
                        "%s: %s is not an article: %s", message.source, capture.url, ingested.reason
                    )
            elif message.kind == "feed":
                self._store_feed(data, run_id)
            elif message.kind == "failure":
                archive.record_failure(
                    run_id, data["source"], data["url"], data["stage"], data["error"]
                )
                archive.count(run_id, "refused" if data["stage"] == "scope" else "failed")
            elif message.kind == "listing":
                archive.save_listing_progress(
                    data["source"], data["listing"], data["since"], data["page"], data["completed"]
                )
        except (ValueError, KeyError, TypeError) as exc:
            # A record the archive refuses must not stop the writer on every restart.
            url = data.get("url") or data.get("capture", {}).get("url")
            error = f"{type(exc).__name__}: {exc}"
            archive.record_failure(run_id, message.source, url, "store", error)
            archive.count(run_id, "failed")

    def _store_feed(self, data: dict, run_id: int) -> None:
        fields = {"last_status": data["status"], "last_polled": data["polled_at"]}
        if data["status"] == 304:
            self.archive.count(run_id, "not_modified")
        else:
            fields.update(last_entry_count=data["entry_count"], bozo_error=data["bozo_error"])
        fields.update(etag=data["etag"], last_modified=data["last_modified"])
        self.archive.save_feed_state(data["url"], data["source"], **fields)

    # -- the end of a run -----------------------------------------------------------------

    def _finish_quiet_sources(self) -> None:
        reclaim_dead(self.server, self.keys)
        for key in self.server.scan_iter(match=self.keys.active("*")):
            source = _text(key).rsplit(":", 1)[1]
            job = _text(self.server.get(key) or b"")
            if not job:
                continue
            waiting = self.finishing.get((job, source))
            if waiting is None:
                quiet = quiet_since(self.server, self.keys, source)
                if quiet is not None:
                    self.finishing[(job, source)] = waiting = quiet
            if waiting is not None and _entry_key(self.position) >= _entry_key(waiting):
                self._finish(job, source)

    def _finish(self, job: str, source: str) -> None:
        """Close a job's run of a source: aliases, judgement, the source's health."""
        archive = self.archive
        deferred = self.deferred.pop((job, source), [])
        with archive.transaction():
            run_id = self._run_id(job, source)
            summary = archive.run(run_id)
            if summary["status"] == "running":  # else: closed before a restart
                summary = self._close_run(job, source, run_id, deferred)
        self._acknowledge([entry_id for entry_id, _ in deferred])
        raw = json.loads(self.server.hget(self.keys.jobs, job) or "{}")
        raw.setdefault("runs", {})[source] = summary
        with self.server.pipeline() as pipe:
            pipe.hset(self.keys.jobs, job, json.dumps(raw))
            pipe.delete(
                self.keys.active(source),
                self.keys.job_stats(job, source),
                self.keys.dupefilter(source),
            )
            if set(raw["runs"]) >= set(raw.get("sources", [])):
                pipe.delete(self.keys.pushed(job))
            pipe.execute()
        self.runs.pop((job, source), None)
        self.finishing.pop((job, source), None)
        logger.info("%s: job %s finished: %s", source, job, summary["status"])

    def _close_run(self, job: str, source: str, run_id: int, deferred: list) -> dict:
        archive = self.archive
        for _entry_id, message in deferred:
            alias = message.data
            if archive.add_alias(alias["canonical"], alias["url"], alias["kind"]):
                archive.count(run_id, "alias")
        stats = {
            _text(k): int(v)
            for k, v in self.server.hgetall(self.keys.job_stats(job, source)).items()
        }
        archive.count(run_id, "requests", stats.get("downloader/request_count", 0))
        status, error = judge_run(
            "finished", archive.counts(run_id), stats, archive.failures(run_id)
        )
        summary = archive.finish_run(run_id, status=status, error=error)
        record_source_outcome(archive, source, summary)
        return summary

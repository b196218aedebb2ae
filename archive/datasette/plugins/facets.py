"""datasette plugin: the articles table's facets, counted fast.

- ``{"month": "published_local"}`` (:class:`MonthFacet`) counts articles per YYYY-MM
  (the publisher's month, archive.days) and filters with ``published_local__startswith``.
- The column and array facets (source, language, section, tags) read archive.counts'
  precomputed tables whenever the page's filters are ones those tables can answer;
  datasette's own facet classes still build the results (labels, toggle links).
"""

from __future__ import annotations

import re
from typing import Any

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ArrayFacet, ColumnFacet, Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from archive.datasette.common import has_counts


class MonthFacet(Facet):
    """Articles per month of an ISO date column, newest month first."""

    type = "month"

    async def facet_results(self):
        results, timed_out = [], []
        args = dict(self.get_querystring_pairs())
        size = self.get_facet_size()
        counted = await _counted(self)
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            column = config.get("column") or config["simple"]
            col = escape_sqlite(column)
            if counted and column == "published_local":
                where, params = counted
                sql = (
                    f"select month as value, sum(n) as count from {where[0]} "
                    f"where month is not null{where[1]} "
                    f"group by month order by month desc limit {size + 1}"
                )
            else:
                sql = (
                    f"select substr({col}, 1, 7) as value, count(*) as count "
                    f"from ({self.sql}) where {col} glob '[0-9][0-9][0-9][0-9]-[0-9][0-9]*' "
                    f"group by value order by value desc limit {size + 1}"
                )
                params = self.params
            try:
                rows = await self.ds.execute(
                    self.database,
                    sql,
                    params,
                    truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(column)
                continue
            key = f"{column}__startswith"
            values = []
            for row in rows.rows[:size]:
                selected = args.get(key) == row["value"]
                if selected:
                    path = path_with_removed_args(self.request, {key: row["value"]})
                else:
                    path = path_with_added_args(self.request, {key: row["value"]})
                values.append(
                    {
                        "value": row["value"],
                        "label": row["value"],
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(self.request, path),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "results": values,
                    "hideable": source_and_config["source"] != "metadata",
                    "toggle_url": path_with_removed_args(
                        self.request, {f"_facet_{self.type}": column}
                    ),
                    "truncated": len(rows) > size,
                }
            )
        return results, timed_out


# --- facets from the precomputed counts ----------------------------------------------
#
# On a million articles a facet that counts the filtered rows costs a scan of
# them, and datasette's array facet (tags) builds a DISTINCT over whole rows:
# seconds, then "timed out". archive.counts keeps the counts per source,
# language, section, month (and per tag) on every write; the articles table's
# facets read them whenever the page's filters are ones those tables can
# answer (source, language, section by equality, a publisher's month, one
# tag), and count the rows as datasette does otherwise (a search, a _where,
# any other filter). Same values, same counts, same links.

COUNTED_COLUMNS = ("source", "language", "section")
# Parameters that change what a page shows, not which rows the facets count.
NEUTRAL_ARGS = {
    "_facet", "_facet_array", "_facet_month", "_facet_date", "_facet_size", "_size",
    "_sort", "_sort_desc", "_trace", "_nocount", "_nofacet", "_nosuggest", "_labels",
    "_nolabels", "_col", "_nocol", "_shape", "_json", "_timelimit", "_ttl", "_stream",
    "_dl", "_extra", "_context",
}  # fmt: skip
_MONTH = re.compile(r"\d{4}-\d{2}")


def counted_filters(args: Any) -> tuple[tuple[str, str], list[str]] | None:
    """The table page's filters as conditions on archive.counts' tables, or None.

    ``(table, " and ..."), params``: the counts table to read (per tag when
    the page filters on one) and its conditions. None when a parameter filters
    in a way the counts cannot say (a search, _where, _next, other operators).
    """
    conditions, params, tag = [], [], None
    for key in args.keys():
        values = args.getlist(key)
        if key in NEUTRAL_ARGS:
            continue
        if len(values) != 1:
            return None
        value = values[0]
        column, _, op = key.partition("__")
        if column in COUNTED_COLUMNS and op in ("", "exact"):
            conditions.append(f" and {column} = ?")
            params.append(value)
        elif column == "published_local" and op == "startswith" and _MONTH.fullmatch(value):
            conditions.append(" and month = ?")
            params.append(value)
        elif column == "tags" and op == "arraycontains" and tag is None:
            tag = value
        else:
            return None  # _search, _where, _next, other columns and operators
    if tag is not None:
        return ("article_tag_counts", " and tag = ?" + "".join(conditions)), [tag, *params]
    return ("article_counts", "".join(conditions)), params


async def _counted(facet):
    """counted_filters() for a facet of the articles table of an archive with counts."""
    if facet.table != "articles" or facet.request is None:
        return None
    if not await has_counts(facet.ds, facet.database):
        return None
    return counted_filters(facet.request.args)


class _CountedExecute:
    """The datasette a facet sees: its facet query replaced by one over the counts.

    datasette's own facet classes then build their results (labels, toggle
    links, truncation) exactly as they do from their own query.
    """

    def __init__(self, datasette, sql, params):
        self._datasette, self._sql, self._params = datasette, sql, params

    def __getattr__(self, name):
        return getattr(self._datasette, name)

    async def execute(self, database, sql, params=None, **kwargs):
        return await self._datasette.execute(database, self._sql, self._params, **kwargs)


class _CountedFacet:
    """Runs the parent facet class once per facet, from the counts when they can answer."""

    def query(self, column, counted, size):
        """(sql, params) of this facet for the articles table, None for datasette's own."""
        raise NotImplementedError

    def get_configs(self):
        only = getattr(self, "_only", None)
        return only if only is not None else super().get_configs()

    async def facet_results(self):
        if self.table != "articles" or self.request is None:
            return await super().facet_results()
        counted = await _counted(self)
        results, timed_out = [], []
        size = self.get_facet_size()
        datasette = self.ds
        for config in super().get_configs():
            column = config["config"].get("column") or config["config"]["simple"]
            query = self.query(column, counted, size)
            self._only = [config]
            if query is not None:
                self.ds = _CountedExecute(datasette, *query)
            try:
                found, missed = await super().facet_results()
            finally:
                self.ds, self._only = datasette, None
            results += found
            timed_out += missed
        return results, timed_out


class CountedColumnFacet(_CountedFacet, ColumnFacet):
    def query(self, column, counted, size):
        if counted is None or column not in COUNTED_COLUMNS:
            return None
        (table, where), params = counted
        sql = (
            f"select {column} as value, sum(n) as count from {table} "
            f"where {column} is not null{where} group by {column} "
            f"order by count desc, value limit {size + 1}"
        )
        return sql, params


class CountedArrayFacet(_CountedFacet, ArrayFacet):
    def query(self, column, counted, size):
        if column != "tags":
            return None
        if counted is not None and counted[0][0] == "article_counts":
            (_, where), params = counted
            sql = (
                f"select tag as value, sum(n) as count from article_tag_counts "
                f"where tag is not null{where} group by tag "
                f"order by count desc, value limit {size + 1}"
            )
            return sql, params
        # Not in the counts (a search, or the tags of articles with a given tag):
        # count the rows, each article once per tag, without datasette's
        # DISTINCT over whole rows (bodies included).
        sql = (
            f"select value, count(*) as count from (select distinct a.id, j.value "
            f"from ({self.sql}) as a, json_each(a.tags) as j) "
            f"group by value order by count desc, value limit {size + 1}"
        )
        return sql, self.params


_COUNTED = {ColumnFacet: CountedColumnFacet, ArrayFacet: CountedArrayFacet}


@hookimpl(wrapper=True, specname="register_facet_classes")
def counted_facet_classes() -> Any:
    # Every plugin's facet classes, datasette's column and array facets
    # replaced by the counted ones (which are those same classes elsewhere).
    groups = yield
    return [[_COUNTED.get(klass, klass) for klass in group] for group in groups]


@hookimpl
def register_facet_classes() -> list[type[Facet]]:
    return [MonthFacet]

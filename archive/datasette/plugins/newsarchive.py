"""datasette plugin: search that folds Arabic diacritics like the archive's index.

The FTS index holds a folded copy of the text (archive.arabic.fold), so the
query must be folded the same way: this plugin adds the SQL function
arabic_fold() for canned queries, and folds the `_search` parameter of table
pages before datasette sees it.
"""

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

from archive.arabic import fold, fold_query

_SEARCH_PARAMS = {"_search", "q"}


@hookimpl
def prepare_connection(conn):
    conn.create_function("arabic_fold", 1, lambda text: fold(text) if text else text,
                         deterministic=True)
    conn.create_function("arabic_fold_query", 1,
                         lambda text: fold_query(text) if text else text, deterministic=True)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def folded_search(scope, receive, send):
            if scope.get("type") == "http" and scope.get("query_string"):
                pairs = parse_qsl(scope["query_string"].decode("utf-8"), keep_blank_values=True)
                if any(k in _SEARCH_PARAMS for k, _ in pairs):
                    pairs = [(k, fold(v) if k in _SEARCH_PARAMS else v) for k, v in pairs]
                    scope = dict(scope, query_string=urlencode(pairs).encode("utf-8"))
            await app(scope, receive, send)

        return folded_search

    return wrap

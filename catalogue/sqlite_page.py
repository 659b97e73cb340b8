"""The ids of a SQLite search page, in SQL compiled once per process and shape.

The facet bit set already says which resources a search shows (text, scope and
selection: ``ResourceFilter.results_mask``), so the page's query needs no filter: the
candidates come as one JSON array of ids. What is left is the sort, and for a ranked
search the FTS5 match and the ranking expression (``search.sqlite_ranked``: BM25, name
tiers, standing). Compiling that expression with Django's ORM cost more CPU than SQLite
takes to run the query at 1,000 entries (about 3 ms against 1), and its SQL differs from
one search to the next only in its parameters. So each shape — the sort, and whether
the ranking's name is long enough for the "contains" tier — is compiled once, with
marker values in place of the ids, the FTS5 expression and the name, and each search
puts its own values in the markers' places (:func:`page_ids`). Equal, for any text, to
compiling the search's own query (tests/search/test_sqlite_page.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from catalogue import search, search_sqlite
from catalogue.models import Resource

# Markers: control characters that no search text keeps (``search.normalise`` and
# ``search.name_of`` leave them alone, LIKE escaping does not touch them).
IDS = "\x01ids\x01"
MATCH = "\x01match\x01"
# ``search.ranking_extras`` has a tier more for names of MIN_CONTAINED characters or more:
# one marker of each length (and none for a text with no name at all).
NAMES = {"short": "\x01\x02", "long": "\x01\x02\x01", "": ""}
assert len(NAMES["short"]) < search.MIN_CONTAINED <= len(NAMES["long"])

_compiled: dict[tuple[str, str | None], tuple[str, tuple]] = {}


def name_shape(q: str) -> str:
    name = search.name_of(q)
    if not name:
        return ""
    return "long" if len(name) >= search.MIN_CONTAINED else "short"


def compiled(
    sort: str, shape: str | None, order_by: Callable[[QuerySet, str], list]
) -> tuple[str, tuple]:
    """The SQL and marker parameters of a page's ids for ``sort``; ranked by a text of
    ``shape`` (:func:`name_shape`), or not ranked when ``shape`` is None. Compiled by
    the ORM the first time, with ``order_by(queryset, sort)`` giving the ``ORDER BY``."""
    key = (sort, shape)
    if key not in _compiled:
        candidates = Resource.objects.filter(
            pk__in=RawSQL("SELECT value FROM json_each(%s)", (IDS,))
        )
        if shape is None:
            queryset = candidates
        else:
            queryset = search.sqlite_ranked(candidates, MATCH, NAMES[shape])
        ordered = queryset.order_by(*order_by(queryset, sort)).values_list("pk", flat=True)
        sql, params = ordered.query.sql_with_params()
        _compiled[key] = (f"{sql} LIMIT %s OFFSET %s", tuple(params))
    return _compiled[key]


def parameters(template: tuple, ids: Sequence[int], q: str, shape: str | None) -> list:
    """``template``'s parameters with the markers replaced by this search's values.

    The name reaches SQL only inside LIKE patterns (``iexact``, ``contains``,
    ``startswith``… are all LIKE on SQLite), escaped as Django escapes it."""
    listed = json.dumps(list(ids))
    if shape is None:
        return [listed if value == IDS else value for value in template]
    expression = search_sqlite.match_expression(q)
    marker = NAMES[shape]
    name = connection.ops.prep_for_like_query(search.name_of(q))
    values = []
    for value in template:
        if value == IDS:
            value = listed
        elif value == MATCH:
            value = expression
        elif marker and isinstance(value, str) and marker in value:
            value = value.replace(marker, name)
        values.append(value)
    return values


def page_ids(
    ids: Sequence[int],
    q: str,
    sort: str,
    start: int,
    size: int,
    order_by: Callable[[QuerySet, str], list],
) -> list[int]:
    """The ids of ``size`` results from ``start`` among ``ids``, in ``sort`` order; ranked
    for ``q`` when there is one (the FTS5 match also applies)."""
    shape = name_shape(q) if q else None
    sql, template = compiled(sort, shape, order_by)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*parameters(template, ids, q, shape), size, start])
        return [row[0] for row in cursor.fetchall()]


# The columns a result card reads (``fragments.resource_card``); the others are deferred:
# converting every date column of twenty rows cost more than the query. A card reading
# another field would cost a query per card, which the query-count tests would see.
CARD_FIELDS = (
    "id", "title", "slug", "kind", "status", "level", "summary", "url", "feed_url",
    "organisation", "moved_to", "moved_to_url", "follower_count", "bookmark_count",
    "pack_count",
)  # fmt: skip


def _rows_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(Resource._meta.db_table)
    column = {name: quote(Resource._meta.get_field(name).column) for name in CARD_FIELDS}
    return (
        f"SELECT {', '.join(f'r.{c}' for c in column.values())},"  # noqa: S608 - names from the model
        " o.title AS organisation_title, m.url AS moved_to_address"
        f" FROM {table} r LEFT JOIN {table} o ON o.id = r.{column['organisation']}"
        f" LEFT JOIN {table} m ON m.id = r.{column['moved_to']}"
        " WHERE r.id IN (SELECT value FROM json_each(%s))"
    )


def rows(ids: Sequence[int]) -> list[Resource]:
    """The resources ``ids``, in that order, with what their cards show: the columns of
    :data:`CARD_FIELDS`, ``organisation_title`` and ``moved_to_address`` (see
    ``fragments.resource_card``).

    A raw query, the same every time: the ORM's (``select_related`` and an annotation)
    cost about 1 ms of CPU to compile, more than SQLite takes to run it."""
    found = {row.pk: row for row in Resource.objects.raw(_rows_sql(), [json.dumps(list(ids))])}
    return [found[pk] for pk in ids if pk in found]  # one deleted in between: left out

"""Text search over resources: PostgreSQL full-text search with a trigram fallback,
and a simpler path on SQLite where every word must match somewhere.

On PostgreSQL each resource stores a weighted ``search_vector`` (title A; topics,
organisation and summary B; description C), refreshed by :func:`refresh_search_vectors`
whenever a resource, its topics or its organisation change, and after fixtures load.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, F, FloatField, Q, QuerySet, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
CONFIG = "english"
# Fewer full-text hits than this and the trigram fallback is tried as well.
FALLBACK_BELOW = 3
# Trigram word similarity threshold: set per connection in settings (0.45).
FUZZY_LIMIT = 500
WORD = re.compile(r"\w+", re.UNICODE)
# Markers for SearchHeadline: unlikely in text, escaped-then-replaced by <mark>.
START, STOP = "\x02", "\x03"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def normalise(q: str | None) -> tuple[str, bool]:
    """Collapse whitespace and cut an over-long query; say whether it was cut."""
    text = " ".join((q or "").replace("\x00", " ").split())
    if len(text) > MAX_QUERY_LENGTH:
        return text[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0] or text[:MAX_QUERY_LENGTH], True
    return text, False


def words(q: str) -> list[str]:
    return WORD.findall(q.lower())[:MAX_WORDS]


def every_word(terms: Iterable[str], *lookups: str | Callable[[str], Q]) -> Q:
    """Each term must match at least one lookup (``"title__icontains"``, or a function
    giving the ``Q`` of a term); ``Q()`` (everything) when there is no term."""
    condition = Q()
    for term in terms:
        either = Q()
        for lookup in lookups:
            either |= lookup(term) if callable(lookup) else Q(**{lookup: term})
        condition &= either
    return condition


@dataclass
class TextSearch:
    """The outcome of applying ``q``: the filtered queryset and what to tell the user."""

    queryset: QuerySet
    query: SearchQuery | None = None
    suggestion: str = ""
    fuzzy: bool = False
    notes: list[str] = field(default_factory=list)
    # The matching ids, when the search had to fetch them anyway (the typo fallback).
    ids: list[int] | None = None


# --- PostgreSQL -----------------------------------------------------------------------


def build_query(q: str) -> SearchQuery | None:
    """websearch syntax (quotes, -word, or) plus prefix matching of the last word."""
    q = q.strip()
    if not words(q):
        return None
    last = q.split()[-1]
    plain_last = re.fullmatch(r"\w+", last, re.UNICODE) is not None and not q.endswith('"')
    if plain_last and last.lower() != "or":
        head = q[: len(q) - len(last)].strip()
        prefix = SearchQuery(f"{last.lower()}:*", search_type="raw", config=CONFIG)
        either = head.lower().endswith(" or") or head.lower() == "or"
        if either:
            head = head[:-2].strip()
        if head and words(head):
            rest = SearchQuery(head, search_type="websearch", config=CONFIG)
            return rest | prefix if either else rest & prefix
        return prefix
    return SearchQuery(q, search_type="websearch", config=CONFIG)


def postgres_search(queryset: QuerySet, q: str) -> TextSearch:
    query = build_query(q)
    if query is None:
        return TextSearch(queryset.none())
    matched = queryset.filter(search_vector=query)
    boost = Case(
        When(is_featured=True, then=Value(0.1)), default=Value(0.0), output_field=FloatField()
    ) + Case(When(status="active", then=Value(0.05)), default=Value(0.0), output_field=FloatField())
    ranked = matched.annotate(rank=SearchRank(F("search_vector"), query) + boost)
    return TextSearch(ranked, query=query)


def trigram_search(queryset: QuerySet, q: str) -> TextSearch:
    """Typo tolerance: titles whose words are close to the query's words.

    ``%>`` (trigram_word_similar) uses the GIN trigram index; its threshold is set per
    connection (``pg_trgm.word_similarity_threshold``, see settings). The best
    ``FUZZY_LIMIT`` ids are fetched once, so facets count over a short id list.
    """
    similarity = TrigramWordSimilarity(q, "title")
    ids = list(
        queryset.filter(title__trigram_word_similar=q)
        .annotate(similarity=similarity)
        .order_by("-similarity", "pk")
        .values_list("pk", flat=True)[:FUZZY_LIMIT]
    )
    matched = queryset.filter(pk__in=ids).annotate(rank=similarity)
    return TextSearch(matched, fuzzy=True, ids=ids)


def highlight(queryset: QuerySet, query: SearchQuery) -> QuerySet:
    return queryset.annotate(
        snippet=SearchHeadline(
            "summary",
            query,
            config=CONFIG,
            start_sel=START,
            stop_sel=STOP,
            max_words=40,
            min_words=20,
        )
    )


def render_snippet(text: str | None) -> SafeString:
    """Escape a headline, then turn the markers into <mark> elements."""
    if not text:
        return mark_safe("")  # noqa: S308 - empty
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - everything else was escaped above


def suggest(q: str, titles: list[str]) -> str:
    """A corrected query: each word replaced by the closest word of the given titles."""
    vocabulary = sorted({w for title in titles for w in words(title) if len(w) > 2})
    corrected = []
    for word in words(q):
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.7)
        corrected.append(close[0] if close else word)
    suggestion = " ".join(corrected)
    return suggestion if suggestion != " ".join(words(q)) else ""


# --- SQLite (and any other database) ------------------------------------------------


def simple_search(queryset: QuerySet, q: str) -> TextSearch:
    """Every word must match the title, summary, description, organisation or a topic."""
    terms = words(q)
    if not terms:
        return TextSearch(queryset.none())
    resources = queryset.model.objects
    links = queryset.model.topics.through.objects
    condition = every_word(
        terms,
        "title__icontains",
        "summary__icontains",
        "description__icontains",
        "organisation__title__icontains",
        lambda term: Q(pk__in=links.filter(topic__name__icontains=term).values("resource_id")),
    )
    return TextSearch(queryset.filter(pk__in=resources.filter(condition).values("pk")))


def first_ids(queryset: QuerySet, limit: int) -> list[int]:
    """Up to ``limit`` ids of ``queryset``, in no particular order, without a full scan.

    A plain ``LIMIT 3`` lets the planner pick a sequential scan that hopes to meet three
    matches early; for a word in no vector it reads the whole table (about 70 ms at
    100,000 resources). Planned on its own in a materialized CTE, the match uses the GIN
    index when it is selective and stops after ``limit`` rows either way.
    """
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # queryset.none(): a query without a searchable word
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH matched AS MATERIALIZED ({sql}) SELECT * FROM matched LIMIT %s",  # noqa: S608 - compiled by the ORM, parameters passed apart
            [*params, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def search(queryset: QuerySet, q: str) -> TextSearch:
    """Apply ``q`` to a resource queryset on whichever database is in use."""
    if not is_postgres():
        return simple_search(queryset, q)
    result = postgres_search(queryset, q)
    hits = first_ids(result.queryset, FALLBACK_BELOW)
    if len(hits) >= FALLBACK_BELOW:
        return result
    fuzzy = trigram_search(queryset, q)
    titles = list(fuzzy.queryset.order_by("-rank").values_list("title", flat=True)[:10])
    if not titles:
        return result
    fuzzy.suggestion = suggest(q, titles)
    if hits:
        # A few exact hits: keep them, and add the close titles after them.
        combined = queryset.filter(
            Q(pk__in=result.queryset.values("pk")) | Q(pk__in=fuzzy.queryset.values("pk"))
        ).annotate(rank=TrigramWordSimilarity(q, "title"))
        return TextSearch(
            combined,
            query=result.query,
            suggestion=fuzzy.suggestion,
            fuzzy=True,
            ids=list(dict.fromkeys([*hits, *(fuzzy.ids or [])])),
        )
    return fuzzy


# --- Keeping the stored vectors fresh ------------------------------------------------

REFRESH_SQL = """
UPDATE catalogue_resource AS r SET search_vector =
    setweight(to_tsvector('english', coalesce(r.title, '')), 'A')
 || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(t.name, ' ')
          FROM catalogue_resource_topics rt JOIN catalogue_topic t ON t.id = rt.topic_id
         WHERE rt.resource_id = r.id), '')), 'B')
 || setweight(to_tsvector('english', coalesce((
        SELECT o.title FROM catalogue_resource o WHERE o.id = r.organisation_id), '')), 'B')
 || setweight(to_tsvector('english', coalesce(r.summary, '')), 'B')
 || setweight(to_tsvector('english', coalesce(r.description, '')), 'C')
"""


def refresh_search_vectors(ids: list[int] | None = None) -> None:
    """Recompute the stored vectors of the given resources (all when ``ids`` is None).

    Resources whose organisation is among ``ids`` are refreshed too, since the
    organisation's title is part of their vector. A no-op on other databases.
    """
    if not is_postgres():
        return
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(REFRESH_SQL)
        elif ids:
            cursor.execute(
                REFRESH_SQL + " WHERE r.id = ANY(%s) OR r.organisation_id = ANY(%s)",
                [list(ids), list(ids)],
            )

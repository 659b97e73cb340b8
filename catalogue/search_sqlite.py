"""Full-text search on SQLite: an FTS5 index of resources, BM25 ranking, porter stemming.

The index is an *external-content* FTS5 table over ``catalogue_resource_search_doc``,
a table of one row per resource with the text the PostgreSQL vector is built from
(title, aliases, topic names, the organisation's title, summary, description). The
three triggers SQLite's documentation gives for external content keep the FTS5 index in
step with that table, so refreshing a resource is a DELETE and an INSERT of its row
(:func:`refresh`), called where the PostgreSQL vectors are refreshed (signals,
``load_catalogue``, ``generate_catalogue``). Columns are weighted like the vector's
letters (A = 1.0, B = 0.4, C = 0.2): see :data:`WEIGHTS`.

User text never reaches FTS5's query syntax: :func:`match_expression` keeps the words
only, quotes each one, and rebuilds what the PostgreSQL websearch syntax offers
(``"a phrase"``, ``-word``, ``or``) plus a prefix match of the last word.
"""

# ruff: noqa: S608, S611 - table and column names are constants; user text is passed as a parameter

from __future__ import annotations

import json
import re
from collections.abc import Callable

from django.db import connection, models
from django.db.models import (
    ExpressionWrapper,
    F,
    FloatField,
    Lookup,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

DOCS = "catalogue_resource_search_doc"
INDEX = "catalogue_resource_fts"
COLUMNS = ("title", "aliases", "topics", "organisation", "summary", "description")
# BM25 column weights, in the order of COLUMNS: A, A, B, B, B, C as on PostgreSQL.
WEIGHTS = (10.0, 10.0, 4.0, 4.0, 4.0, 2.0)
# -bm25 is unbounded; score / (score + SCALE) maps it into [0, 1) like ts_rank.
SCALE = 5.0
# PostgreSQL's english configuration drops these; on SQLite they would have to appear.
STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is"}
    | {"it", "of", "on", "that", "the", "this", "to", "with"}
)
MAX_TERMS = 12
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
WORD = re.compile(r"\w+", re.UNICODE)

_cols = ", ".join(COLUMNS)
_new = ", ".join(f"new.{c}" for c in COLUMNS)
_old = ", ".join(f"old.{c}" for c in COLUMNS)
# A deleted resource leaves the index however it goes (also Django's flush, which knows
# nothing of these tables). SQLite drops a table's triggers when a migration rebuilds it
# (any AddField on catalogue_resource), so this one is also made again after every
# migrate (:func:`ensure_resource_trigger`).
RESOURCE_TRIGGER = f"""CREATE TRIGGER IF NOT EXISTS {DOCS}_resource_ad
    AFTER DELETE ON catalogue_resource
    BEGIN
        DELETE FROM {DOCS} WHERE id = old.id;
    END"""
CREATE = [
    f"""CREATE TABLE IF NOT EXISTS {DOCS} (
        id INTEGER PRIMARY KEY,
        {", ".join(f"{c} TEXT NOT NULL DEFAULT ''" for c in COLUMNS)}
    )""",
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {INDEX} USING fts5(
        {_cols}, content='{DOCS}', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2', prefix='2 3'
    )""",
    f"""CREATE TRIGGER IF NOT EXISTS {DOCS}_ai AFTER INSERT ON {DOCS} BEGIN
        INSERT INTO {INDEX}(rowid, {_cols}) VALUES (new.id, {_new});
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {DOCS}_ad AFTER DELETE ON {DOCS} BEGIN
        INSERT INTO {INDEX}({INDEX}, rowid, {_cols}) VALUES ('delete', old.id, {_old});
    END""",
    RESOURCE_TRIGGER,
    f"""CREATE TRIGGER IF NOT EXISTS {DOCS}_au AFTER UPDATE ON {DOCS} BEGIN
        INSERT INTO {INDEX}({INDEX}, rowid, {_cols}) VALUES ('delete', old.id, {_old});
        INSERT INTO {INDEX}(rowid, {_cols}) VALUES (new.id, {_new});
    END""",
]
DROP = [
    f"DROP TRIGGER IF EXISTS {DOCS}_resource_ad",
    f"DROP TRIGGER IF EXISTS {DOCS}_ai",
    f"DROP TRIGGER IF EXISTS {DOCS}_ad",
    f"DROP TRIGGER IF EXISTS {DOCS}_au",
    f"DROP TABLE IF EXISTS {INDEX}",
    f"DROP TABLE IF EXISTS {DOCS}",
]
# The document of each resource: what the PostgreSQL REFRESH_SQL puts in the vector.
SELECT_DOCS = f"""
INSERT INTO {DOCS} (id, {_cols})
SELECT r.id, coalesce(r.title, ''), coalesce(r.aliases, ''),
       coalesce((SELECT group_concat(t.name, ' ')
                   FROM catalogue_resource_topics rt
                   JOIN catalogue_topic t ON t.id = rt.topic_id
                  WHERE rt.resource_id = r.id), ''),
       coalesce((SELECT o.title FROM catalogue_resource o WHERE o.id = r.organisation_id), ''),
       coalesce(r.summary, ''), coalesce(r.description, '')
  FROM catalogue_resource r
"""
AFFECTED = "(SELECT value FROM json_each(%s))"


def create(cursor) -> None:
    """Create the tables and triggers (idempotent) and index every resource."""
    for statement in CREATE:
        cursor.execute(statement)
    # The hidden ``rank`` column: BM25 with the column weights (kept in the index).
    weights = ", ".join(str(weight) for weight in WEIGHTS)
    cursor.execute(f"INSERT INTO {INDEX}({INDEX}, rank) VALUES ('rank', 'bm25({weights})')")
    cursor.execute(f"DELETE FROM {DOCS}")
    cursor.execute(SELECT_DOCS)


def ensure_resource_trigger(cursor) -> None:
    """Make the delete trigger on catalogue_resource again if a table rebuild lost it."""
    cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [DOCS])
    if cursor.fetchone():
        cursor.execute(RESOURCE_TRIGGER)


def drop(cursor) -> None:
    for statement in DROP:
        cursor.execute(statement)


def refresh(ids: list[int] | None = None) -> None:
    """Re-index the given resources (all when ``ids`` is None), and every resource
    whose organisation is among them (the organisation's title is in its document).
    A deleted resource's row is removed. The triggers update the FTS5 index."""
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(f"DELETE FROM {DOCS}")
            cursor.execute(SELECT_DOCS)
            cursor.execute(f"INSERT INTO {INDEX}({INDEX}) VALUES ('optimize')")
            return
        if not ids:
            return
        listed = json.dumps([int(pk) for pk in ids])
        cursor.execute(
            f"DELETE FROM {DOCS} WHERE id IN {AFFECTED} OR id IN "
            f"(SELECT id FROM catalogue_resource WHERE organisation_id IN {AFFECTED})",
            [listed, listed],
        )
        cursor.execute(
            f"{SELECT_DOCS} WHERE r.id IN {AFFECTED} OR r.organisation_id IN {AFFECTED}",
            [listed, listed],
        )


def _quoted(terms: list[str]) -> str:
    # Every term is made of \w characters only, so it cannot close the quotes.
    return '"' + " ".join(terms) + '"'


def match_expression(q: str) -> str | None:
    """A safe FTS5 query for ``q``: every word must match (AND), ``or`` between two
    words or phrases makes either do, ``"..."`` is a phrase, ``-word`` excludes, and the
    last word, when typed bare, also matches as a prefix. None when nothing is left."""
    items: list[dict] = []
    either = False
    count = 0
    for match in TOKEN.finditer(q.lower()):
        negative, phrase, bare = match.group(1) == "-", match.group(2), match.group(3)
        quoted = phrase is not None
        if not quoted:
            if bare == "or":
                either = bool(items)
                continue
            negative = bare.startswith("-")
            phrase = bare
        terms = WORD.findall(phrase)
        if not quoted and len(terms) == 1 and terms[0] in STOPWORDS:
            continue
        terms = terms[: MAX_TERMS - count]
        if not terms:
            continue
        count += len(terms)
        items.append({"terms": terms, "negative": negative, "quoted": quoted, "or": either})
        either = False
    if items and not items[-1]["quoted"] and not items[-1]["negative"]:
        items[-1]["prefix"] = True
    positives = [item for item in items if not item["negative"]]
    if not positives:
        return None
    expression = ""
    for item in positives:
        term = _quoted(item["terms"]) + ("*" if item.get("prefix") else "")
        if not expression:
            expression = term
        else:
            expression = f"{expression} {'OR' if item['or'] else 'AND'} {term}"
    expression = f"({expression})"
    for item in items:
        if item["negative"]:
            expression += f" NOT {_quoted(item['terms'])}"
    return expression


class SearchIndexRouter:
    """Keeps :class:`catalogue.models.ResourceSearchEntry` out of ``dumpdata``,
    ``loaddata`` and ``flush``: it is derived data (an FTS5 index on SQLite, no table at
    all on PostgreSQL), rebuilt by :func:`refresh`."""

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints):
        if app_label == "catalogue" and model_name == "resourcesearchentry":
            return False
        return None


class FTS5Document(models.TextField):
    """FTS5's hidden column named after its table; ``__match`` searches the index."""


@FTS5Document.register_lookup
class Match(Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection) -> tuple[str, list]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


def matched_by(queryset: QuerySet, expression: str) -> tuple[QuerySet, object]:
    """``queryset`` joined to the index rows matching ``expression`` (from
    :func:`match_expression`), and their BM25 score in [0, 1) as an expression (higher is
    better).

    One statement: SQLite drives the join from the index (``MATCH``) and looks the
    resources up by primary key.
    """
    matched = queryset.filter(search_entry__document__match=expression)
    # FTS5's rank is -BM25 (lower is better): map it like ts_rank, into [0, 1).
    bm25 = -F("search_entry__rank")
    score = ExpressionWrapper(bm25 / (bm25 + SCALE), output_field=FloatField())
    return matched, score


def matching_ids(q: str) -> Callable[[], list[int]]:
    """The rowids the index matches for ``q``, as one JSON array: no ``rank`` (BM25 is
    not computed), no join, no order. For the facet counts; the page is ranked apart."""
    expression = match_expression(q)

    def fetch() -> list[int]:
        if expression is None:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT json_group_array(rowid) FROM {INDEX} WHERE {INDEX} MATCH %s",
                [expression],
            )
            return json.loads(cursor.fetchone()[0])

    return fetch


def scored(queryset: QuerySet, q: str) -> Coalesce:
    """The score of :func:`matched_by` for any row of ``queryset`` (0 when it does not
    match), as a correlated subquery: for the rare typo fallback, whose results mix
    matches of the corrected query with a few exact hits. Slow for many rows."""
    expression = match_expression(q) or '""'
    entries = queryset.model.search_entry.related.related_model  # ResourceSearchEntry
    bm25 = -F("rank")
    score = (
        entries.objects.filter(document__match=expression, pk=OuterRef("pk"))
        .annotate(score=ExpressionWrapper(bm25 / (bm25 + SCALE), output_field=FloatField()))
        .values("score")[:1]
    )
    return Coalesce(Subquery(score, output_field=FloatField()), 0.0)

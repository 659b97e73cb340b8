"""Facet counts for /latest/, over a bounded window of the newest matching posts.

Counting a million posts per facet value on every request is too slow, so each facet
counts the newest posts (``ASRHUB_RIVER_FACET_WINDOW``, 1,000 by default) that match the
search and the *other* facets' selections (disjunctive counts, as DESIGN.md asks: a
number says how many posts choosing that value would give). When fewer posts than that
match, the window is every match and the counts are exact; the page says which of the two
it shows.

Each window is one SQL statement: the window's query (the page's own query, cut at
the window's size) as a common table expression, counted by kind, topic, source and
category in one ``UNION ALL``. Facets whose "other selections" are the same share a
window, so a page without filters runs one such statement.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction

from catalogue.models import Category, Resource
from river.models import Post, PostSource, PostTopic

FACETS = ("kind", "topic", "category", "source")
TOP_SOURCES = 15


@dataclass
class FacetCounts:
    """value → count per facet (topic, category and source keyed by pk)."""

    kind: dict[str, int] = field(default_factory=dict)
    topic: dict[int, int] = field(default_factory=dict)
    category: dict[int, int] = field(default_factory=dict)
    source: dict[int, int] = field(default_factory=dict)
    exact: bool = True
    window: int = 0

    @property
    def window_label(self) -> str:
        return f"{self.window:,}"


def _tables() -> dict[str, str]:
    q = connection.ops.quote_name
    return {
        "topic": q(PostTopic._meta.db_table),
        "link": q(PostSource._meta.db_table),
        "resource": q(Resource._meta.db_table),
        "filed": q(Resource.categories.through._meta.db_table),
        "category": q(Category._meta.db_table),
    }


# Each part counts the window ``w(id, kind)`` one way: (part, value as text, count).
# ``l`` is the window's links to published sources, read once for sources and categories.
LINKS = (
    "l (post_id, resource_id) AS (SELECT k.post_id, k.resource_id FROM {link} k "
    "JOIN w ON k.post_id = w.id JOIN {resource} r ON r.id = k.resource_id "
    "WHERE r.is_published)"
)
PARTS = {
    "kind": "SELECT 'kind', w.kind, COUNT(*) FROM w GROUP BY w.kind",
    "topic": (
        "SELECT 'topic', CAST(t.topic_id AS TEXT), COUNT(*) FROM {topic} t "
        "JOIN w ON t.post_id = w.id GROUP BY t.topic_id"
    ),
    "source": (
        "SELECT 'source', CAST(l.resource_id AS TEXT), COUNT(*) FROM l GROUP BY l.resource_id"
    ),
    # Distinct posts per category, and per top category with its children's.
    "category": (
        "SELECT 'category', CAST(f.category_id AS TEXT), COUNT(DISTINCT l.post_id) FROM l "
        "JOIN {filed} f ON f.resource_id = l.resource_id GROUP BY f.category_id "
        "UNION ALL "
        "SELECT 'top', CAST(COALESCE(c.parent_id, c.id) AS TEXT), COUNT(DISTINCT l.post_id) "
        "FROM l JOIN {filed} f ON f.resource_id = l.resource_id "
        "JOIN {category} c ON c.id = f.category_id GROUP BY COALESCE(c.parent_id, c.id)"
    ),
}


def count_window(filters: dict, facets: list[str]) -> dict[str, dict[str, int]]:
    """Count the newest posts (as many as the window holds) matching ``filters`` for
    these facets (the kind part always: its counts add up to the window's size)."""
    window = (
        Post.objects.public()
        .matching(filters)
        .newest(filters)
        .values_list("pk", "kind")[: settings.ASRHUB_RIVER_FACET_WINDOW]
    )
    sql, params = window.query.sql_with_params()
    tables = _tables()
    parts = ["kind", *(name for name in facets if name != "kind")]
    ctes = f"w (id, kind) AS ({sql})"
    if {"source", "category"} & set(parts):
        ctes += ", " + LINKS.format(**tables)
    union = " UNION ALL ".join(PARTS[name].format(**tables) for name in parts)
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    postgres = connection.vendor == "postgresql"
    with transaction.atomic() if postgres else nullcontext(), connection.cursor() as cursor:
        if postgres:
            # The window is small by construction: parallel workers would only add their
            # start-up time (measured: 32 ms with two workers, 19 ms without).
            cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute(f"WITH {ctes} {union}", params)  # noqa: S608 - ours
        for part, value, n in cursor.fetchall():
            counts[part][value] = n
    return counts


def facet_counts(filters: dict, parents: dict[int, int | None]) -> FacetCounts:
    """Disjunctive counts per facet; ``parents`` maps each category to its parent."""
    groups: dict[tuple, list[str]] = {}
    others: dict[tuple, dict] = {}
    for name in FACETS:
        without = {**filters, name: []}
        key = tuple(tuple(sorted(str(getattr(v, "pk", v)) for v in without[f])) for f in FACETS)
        groups.setdefault(key, []).append(name)
        others[key] = without
    size = settings.ASRHUB_RIVER_FACET_WINDOW
    result = FacetCounts(window=size)
    for key, names in groups.items():
        counts = count_window(others[key], names)
        result.exact = result.exact and sum(counts["kind"].values()) < size
        for name in names:
            if name == "kind":
                result.kind = counts["kind"]
            elif name == "category":
                own = {int(pk): n for pk, n in counts["category"].items()}
                top = {int(pk): n for pk, n in counts["top"].items()}
                result.category = {
                    pk: (top.get(pk, 0) if parents.get(pk) is None else own.get(pk, 0))
                    for pk in parents
                }
            else:
                setattr(result, name, {int(pk): n for pk, n in counts[name].items()})
    return result


def top_sources(counts: dict[int, int], selected: list[Resource]) -> list[Resource]:
    """The selected sources first, then the busiest in the window (by name)."""
    chosen = {r.pk for r in selected}
    busiest = [
        pk
        for pk, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if pk not in chosen
    ][:TOP_SOURCES]
    found = Resource.objects.only("pk", "slug", "title").in_bulk(busiest) if busiest else {}
    return list(selected) + sorted(
        (found[pk] for pk in busiest if pk in found), key=lambda r: r.title.lower()
    )

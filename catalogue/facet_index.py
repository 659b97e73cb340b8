"""Facet counting with bit sets: the catalogue's facet values, built once per version.

Counting facets in SQL costs one scan of the matching resources per facet (and two
joins for categories and topics); at 100,000 resources that is most of a second. Here
every published resource gets a bit position, and every facet value (a kind, a level,
a category with its children, a topic…) a Python integer used as a bit set of the
resources that have it. A search then costs one query for the ids it matches; each
disjunctive count is ``(value & others).bit_count()``, microseconds at that size.

The index is built with three queries per catalogue version (see
``catalogue_version()``), shared between processes through the cache and kept in each
process while the version lasts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection

from catalogue.models import Resource, Topic, taxonomy
from catalogue.versioning import catalogue_version

INDEX_TTL = 3600
# The facets of single-choice fields: label and choices (the index keeps a bit set each).
CHOICE_FACETS = {
    "kind": ("Kind", Resource.Kind.choices),
    "level": ("Level", Resource.Level.choices),
    "cost": ("Cost", Resource.Cost.choices),
    "cadence": ("Cadence", Resource.Cadence.choices),
    "medium": ("Medium", Resource.Medium.choices),
    "status": ("Status", Resource.Status.choices),
    # Models and datasets only: the other kinds leave them blank (no option).
    "licence": ("Licence", Resource.Licence.choices),
    "languages": ("Languages", Resource.Languages.choices),
}


def to_mask(positions: Iterable[int], size: int) -> int:
    """The integer whose bits ``positions`` are set (as ASCII digits: the fast way)."""
    if not size:
        return 0
    digits = bytearray(b"0") * size
    for position in positions:
        digits[position] = 49  # "1"
    digits.reverse()
    return int(digits, 2)


@dataclass
class FacetIndex:
    """Bit sets of the published resources, one per facet value.

    A resource's bit is its primary key while the keys are dense (the usual case: no
    lookup table at all); when they are sparse (many deletions), its rank among the
    published keys, through ``position``.
    """

    version: int
    size: int
    published: int
    choices: dict[str, dict[str, int]]
    # Category pk -> resources in it or, for a top-level category, in one of its children.
    categories: dict[int, int]
    topics: dict[int, int]
    # (pk, slug, name) of every topic.
    topic_rows: list[tuple[int, str, str]]
    # The published keys in order, only when they are sparse.
    pks: list[int] | None = None
    position: dict[int, int] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.pks is not None and self.position is None:
            self.position = {pk: n for n, pk in enumerate(self.pks)}

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["position"] = None  # rebuilt from pks: smaller in the cache
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    def mask_of(self, pks: Iterable[int]) -> int:
        """The bit set of the given resources (unpublished ones have no bit)."""
        if self.position is None:
            size = self.size
            return to_mask((pk for pk in pks if 0 <= pk < size), size) & self.published
        position = self.position
        return to_mask((position[pk] for pk in pks if pk in position), self.size)


def dense(pks: list[int]) -> bool:
    """Whether bits numbered by primary key stay small (a few times the count)."""
    return not pks or (pks[0] >= 0 and pks[-1] < 4 * len(pks) + 4096)


def build(version: int) -> FacetIndex:
    """Three queries: the published resources' facet values, their links, the topics."""
    with connection.cursor() as cursor:
        cursor.execute(*_sql(Resource.objects.published().order_by("pk"), "pk", *CHOICE_FACETS))
        rows = cursor.fetchall()
        pks = [row[0] for row in rows]
        if dense(pks):
            size = pks[-1] + 1 if pks else 0
            bits, position = pks, None
        else:
            size = len(pks)
            bits, position = range(size), {pk: n for n, pk in enumerate(pks)}
        published = to_mask(bits, size)
        choices = {}
        for column, name in enumerate(CHOICE_FACETS, start=1):
            found: dict[str, list[int]] = {}
            for bit, value in zip(bits, [row[column] for row in rows], strict=True):
                if value in found:
                    found[value].append(bit)
                else:
                    found[value] = [bit]
            choices[name] = {value: to_mask(hits, size) for value, hits in found.items()}
        del rows

        categories = Resource.categories.through
        topics = Resource.topics.through
        quote = connection.ops.quote_name
        cursor.execute(
            f"SELECT resource_id, category_id, 0 FROM {quote(categories._meta.db_table)}"  # noqa: S608 - table names from the models
            f" UNION ALL SELECT resource_id, topic_id, 1 FROM {quote(topics._meta.db_table)}"
        )
        links = cursor.fetchall()
    targets: tuple[dict[int, list[int]], dict[int, list[int]]] = ({}, {})
    for resource_id, target_id, is_topic in links:
        if position is None:
            bit = resource_id if resource_id < size else None  # unpublished: masked below
        else:
            bit = position.get(resource_id)
        if bit is not None:
            found = targets[is_topic]
            if target_id in found:
                found[target_id].append(bit)
            else:
                found[target_id] = [bit]
    del links
    # A top-level category also holds its children's resources.
    category_bits = {pk: list(found) for pk, found in targets[0].items()}
    for category in taxonomy()["categories"]:
        if category.parent_id and category.pk in targets[0]:
            category_bits.setdefault(category.parent_id, []).extend(targets[0][category.pk])
    return FacetIndex(
        version=version,
        size=size,
        published=published,
        choices=choices,
        categories={pk: to_mask(found, size) & published for pk, found in category_bits.items()},
        topics={pk: to_mask(found, size) & published for pk, found in targets[1].items()},
        topic_rows=list(Topic.objects.order_by("pk").values_list("pk", "slug", "name")),
        pks=None if position is None else pks,
        position=position,
    )


def _sql(queryset, *fields: str) -> tuple[str, tuple]:
    return queryset.values_list(*fields).query.sql_with_params()


_latest: FacetIndex | None = None


def current() -> FacetIndex:
    """The index of the current catalogue version: from this process, the cache, or built."""
    global _latest
    version = catalogue_version()
    index = _latest
    if index is not None and index.version == version:
        return index
    key = f"catalogue:facet-index:{version}"
    index = cache.get(key)
    if index is None:
        index = build(version)
        cache.set(key, index, INDEX_TTL)
    _latest = index
    return index

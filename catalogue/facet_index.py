"""Facet counting with bit sets: the catalogue's facet values, built once per version.

Counting facets in SQL costs one scan of the matching resources per facet (and two
joins for categories and topics); at 100,000 resources that is most of a second. Here
every published resource gets a bit position, and every facet value (a kind, a level,
a category with its children, a topic…) a Python integer used as a bit set of the
resources that have it. A search then costs one query for the ids it matches; each
disjunctive count is ``(value & others).bit_count()``, microseconds at that size.

The index is built with three queries (see ``catalogue_version()``), shared between
processes through the cache and kept in each process while the version lasts (one index
per process: the previous one is dropped when the next is in place).

An edit does not rebuild it: each version records which resources it changed
(``versioning.changes_between``), and a process holding the previous index patches
those resources' bits (:func:`patched`, two small queries) — no stampede, nobody waits.
When the change is not known (a bulk action, a category or topic, a process with no
index yet), the index is built once, behind a lock in the cache (:func:`build_once`):
the other processes wait for it instead of building it too.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import compress, repeat

from django.core.cache import cache
from django.db import connection

from asrhub.caching import made_once
from catalogue import word_index
from catalogue.models import Resource, Topic, taxonomy
from catalogue.versioning import catalogue_version, changes_between
from catalogue.word_index import WordBits

INDEX_TTL = 3600
# A process that finds another building the index waits this long for it, then builds.
BUILD_WAIT = 10.0
BUILD_POLL = 0.025
BUILD_LOCK_TTL = 60
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


# "0" and "1" to the bytes 0 and 1 (see FacetIndex.pks_of).
BINARY_DIGITS = bytes.maketrans(b"01", b"\x00\x01")


def to_mask(positions: Iterable[int], size: int) -> int:
    """The integer whose bits ``positions`` (each in ``range(size)``) are set.

    Written as ASCII digits, one ``bytearray.__setitem__`` per position driven by ``map``
    (no Python loop), then parsed in base 2: about 15 ns a position.
    """
    if not size:
        return 0
    digits = bytearray(b"0") * size
    deque(map(digits.__setitem__, positions, repeat(49)), maxlen=0)  # 49 is "1"
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
    # The common words' bit sets (PostgreSQL only; see catalogue.word_index).
    words: WordBits | None = field(default=None, repr=False)

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

    def has(self, mask: int, pk: int) -> bool:
        """Whether resource ``pk``'s bit is set in ``mask``."""
        bit = pk if self.position is None else self.position.get(pk)
        return bit is not None and 0 <= bit < self.size and (mask >> bit) & 1 == 1

    def pks_of(self, mask: int) -> list[int]:
        """The primary keys of the resources whose bits are set in ``mask``, in order.

        The binary digits, lowest bit first, turned into bytes 0 and 1 that pick the
        bit numbers (no Python loop)."""
        digits = bin(mask)[:1:-1].encode().translate(BINARY_DIGITS)
        bits = compress(range(len(digits)), digits)
        if self.position is None:
            return list(bits)
        pks = self.pks
        return [pks[bit] for bit in bits]

    def pk_of(self, bit: int) -> int:
        """The primary key of the resource at ``bit``."""
        return bit if self.pks is None else self.pks[bit]

    def mask_of(self, pks: Iterable[int]) -> int:
        """The bit set of the given resources (unpublished ones have no bit)."""
        if self.position is None:
            size = self.size
            pks = pks if isinstance(pks, list | array) else list(pks)
            if pks and (min(pks) < 0 or max(pks) >= size):  # not in the index: no bit
                pks = [pk for pk in pks if 0 <= pk < size]
            return to_mask(pks, size) & self.published
        position = self.position
        return to_mask((position[pk] for pk in pks if pk in position), self.size) & self.published


def dense(pks: list[int]) -> bool:
    """Whether bits numbered by primary key stay small (a few times the count)."""
    return not pks or (pks[0] >= 0 and pks[-1] < 4 * len(pks) + 4096)


# Rows read at a time while building: the whole result at once (and a Python object per
# value) peaked at 185 MB above the process's size at 100,000 resources.
BUILD_CHUNK = 5000


def build(version: int) -> FacetIndex:
    """Three queries: the published resources' facet values, their links, the topics.

    Read through server-side cursors a chunk at a time, each value kept as a small code
    in an array (``array``: no Python object per resource) until the bit sets are made.
    """
    names = list(CHOICE_FACETS)
    pks = array("q")
    values: list[dict[str, int]] = [{} for _ in names]  # value -> code, per facet
    codes = [array("H") for _ in names]  # each resource's value code, per facet
    with connection.chunked_cursor() as cursor:
        cursor.execute(*_sql(Resource.objects.published().order_by("pk"), "pk", *names))
        while rows := cursor.fetchmany(BUILD_CHUNK):
            for row in rows:
                pks.append(row[0])
                for column, known in enumerate(values, start=1):
                    code = known.get(row[column])
                    if code is None:
                        code = known[row[column]] = len(known)
                    codes[column - 1].append(code)
    if dense(pks):
        size = pks[-1] + 1 if pks else 0
        bits, position = pks, None
    else:
        size = len(pks)
        bits, position = range(size), {pk: n for n, pk in enumerate(pks)}
    published = to_mask(bits, size)
    choices = {}
    for column, name in enumerate(names):
        hits = [array("q") for _ in values[column]]
        for bit, code in zip(bits, codes[column], strict=True):
            hits[code].append(bit)
        choices[name] = {value: to_mask(hits[code], size) for value, code in values[column].items()}
    del codes

    categories = Resource.categories.through
    topics = Resource.topics.through
    quote = connection.ops.quote_name
    targets: tuple[dict[int, array], dict[int, array]] = ({}, {})
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT resource_id, category_id, 0 FROM {quote(categories._meta.db_table)}"  # noqa: S608 - table names from the models
            f" UNION ALL SELECT resource_id, topic_id, 1 FROM {quote(topics._meta.db_table)}"
        )
        while rows := cursor.fetchmany(BUILD_CHUNK * 4):
            for resource_id, target_id, is_topic in rows:
                if position is None:
                    bit = resource_id if resource_id < size else None  # unpublished: masked below
                else:
                    bit = position.get(resource_id)
                if bit is not None:
                    found = targets[is_topic]
                    if target_id in found:
                        found[target_id].append(bit)
                    else:
                        found[target_id] = array("q", [bit])
    # A top-level category also holds its children's resources.
    category_bits = {pk: array("q", found) for pk, found in targets[0].items()}
    for category in taxonomy()["categories"]:
        if category.parent_id and category.pk in targets[0]:
            category_bits.setdefault(category.parent_id, array("q")).extend(targets[0][category.pk])
    index = FacetIndex(
        version=version,
        size=size,
        published=published,
        choices=choices,
        categories={pk: to_mask(found, size) & published for pk, found in category_bits.items()},
        topics={pk: to_mask(found, size) & published for pk, found in targets[1].items()},
        topic_rows=list(Topic.objects.order_by("pk").values_list("pk", "slug", "name")),
        pks=None if position is None else list(pks),
        position=position,
    )
    # No word is common in a catalogue smaller than the minimum: no query for none.
    if connection.vendor == "postgresql" and published.bit_count() >= word_index.common_minimum():
        index.words = word_index.build(quote(Resource._meta.db_table), index.mask_of)
    return index


def _sql(queryset, *fields: str) -> tuple[str, tuple]:
    return queryset.values_list(*fields).query.sql_with_params()


def patched(index: FacetIndex, version: int) -> FacetIndex | None:
    """``index`` brought to ``version`` by re-reading only the resources changed since,
    or None when that cannot be done (changes unknown, a new key in sparse numbering).

    Two queries: the changed resources' facet values (when published) and their links.
    Gives the same bit sets as :func:`build` (tests/search/test_facet_index.py).
    """
    changed = changes_between(index.version, version)
    if changed is None:
        return None
    if not changed:
        return replace(index, version=version)
    size, position = index.size, index.position
    with connection.cursor() as cursor:
        published = Resource.objects.published().filter(pk__in=changed).order_by("pk")
        cursor.execute(*_sql(published, "pk", *CHOICE_FACETS))
        rows = cursor.fetchall()
        if position is None:
            size = max(size, rows[-1][0] + 1) if rows else size
        elif any(row[0] not in position for row in rows):
            return None  # a new resource has no rank: renumber (rebuild)
        quote = connection.ops.quote_name
        placeholders = ", ".join(["%s"] * len(rows))
        links = []
        if rows:
            ids = [row[0] for row in rows]
            cursor.execute(
                f"SELECT resource_id, category_id, 0 FROM {quote(Resource.categories.through._meta.db_table)}"  # noqa: S608, E501 - table names from the models
                f" WHERE resource_id IN ({placeholders})"
                f" UNION ALL SELECT resource_id, topic_id, 1 FROM {quote(Resource.topics.through._meta.db_table)}"  # noqa: E501
                f" WHERE resource_id IN ({placeholders})",
                ids + ids,
            )
            links = cursor.fetchall()

    def bit(pk: int) -> int | None:
        return pk if position is None else position.get(pk)

    old_bits = [b for b in map(bit, changed) if b is not None and b < index.size]
    clear = ~to_mask(old_bits, size)
    choices = {
        name: {value: mask & clear for value, mask in masks.items()}
        for name, masks in index.choices.items()
    }
    categories = {pk: mask & clear for pk, mask in index.categories.items()}
    topics = {pk: mask & clear for pk, mask in index.topics.items()}
    new_published = index.published & clear
    parents = {c.pk: c.parent_id for c in taxonomy()["categories"]}
    for row in rows:
        one = 1 << bit(row[0])
        new_published |= one
        for column, name in enumerate(CHOICE_FACETS, start=1):
            masks = choices[name]
            masks[row[column]] = masks.get(row[column], 0) | one
    for resource_id, target_id, is_topic in links:
        one = 1 << bit(resource_id)
        if is_topic:
            topics[target_id] = topics.get(target_id, 0) | one
        else:
            for category in {target_id, parents.get(target_id)} - {None}:
                categories[category] = categories.get(category, 0) | one
    words = index.words
    if words:  # a catalogue without common words gets none from a patch either
        now_published = {row[0] for row in rows}
        words = word_index.patched(
            words,
            connection.ops.quote_name(Resource._meta.db_table),
            changed,
            clear,
            lambda pk: bit(pk) if pk in now_published else None,
        )
    return replace(
        index,
        version=version,
        size=size,
        published=new_published,
        choices=choices,
        categories=categories,
        topics=topics,
        words=words,
    )


def build_once(version: int) -> FacetIndex:
    """The index of ``version`` from the cache, or built by one process at a time.

    The first process to take the lock (``cache.add``) builds and shares it; the others
    poll the cache for it. A process builds it itself when the lock is gone and the index
    is not there (the builder failed, or the cache is down) or after ``BUILD_WAIT``.
    """
    return made_once(
        f"catalogue:facet-index:{version}",
        lambda: build(version),
        ttl=INDEX_TTL,
        lock_ttl=BUILD_LOCK_TTL,
        wait=BUILD_WAIT,
        poll=BUILD_POLL,
    )


_latest: FacetIndex | None = None


def current() -> FacetIndex:
    """The index of the current catalogue version: this process's, patched from its
    previous one, from the cache, or built (once, behind a lock)."""
    global _latest
    version = catalogue_version()
    index = _latest
    if index is not None and index.version == version:
        return index
    fresh = patched(index, version) if index is not None else None
    if fresh is None:
        fresh = build_once(version)
    else:  # for processes that have no index yet (just started)
        cache.add(f"catalogue:facet-index:{version}", fresh, INDEX_TTL)
    _latest = fresh  # the previous index is dropped here: one per process
    return fresh

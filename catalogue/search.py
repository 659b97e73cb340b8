"""Text search over resources, ranked the same way on PostgreSQL and SQLite.

PostgreSQL: each resource stores a weighted ``search_vector`` (title and aliases A;
topics, organisation and summary B; description C), refreshed by
:func:`refresh_search_vectors` whenever a resource, its topics or its organisation
change, and after fixtures load. SQLite: an FTS5 index of the same text with the same
weights (:mod:`catalogue.search_sqlite`), refreshed by the same function.

On both, the text score is in [0, 1] and :func:`ranking_extras` adds the rest: an
exact or near-exact match of the title or an alias first, a small boost for featured
and active entries, retired and archived ones sunk. Typos are corrected against the
catalogue's names (:func:`suggest`, rapidfuzz) with the same "did you mean" on both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.postgres.aggregates import ArrayAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
)
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.signals import request_finished
from django.db import connection
from django.db.models import (
    BinaryField,
    Case,
    CharField,
    F,
    FloatField,
    Func,
    Model,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat, Lower, Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import fuzz, process

from catalogue import search_sqlite, word_index
from catalogue.versioning import catalogue_version
from catalogue.word_index import BitIndex

MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
CONFIG = "english"
# Fewer full-text hits than this and a corrected query ("did you mean") is tried too.
FALLBACK_BELOW = 3
# Bit sets over the facet index: what a text matches, and where it matches a title or
# alias (None when not known).
Masks = tuple[int, int | None]
WORD = re.compile(r"\w+", re.UNICODE)
VOCABULARY_TTL = 24 * 3600
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

    # The queryset, or a function making it on first use (:attr:`queryset`): on SQLite
    # building the ranking expression costs about 1 ms of CPU, and a page sorted by
    # :mod:`catalogue.sqlite_page` never needs it.
    made: QuerySet | Callable[[], QuerySet]
    query: SearchQuery | None = None
    suggestion: str = ""
    fuzzy: bool = False
    notes: list[str] = field(default_factory=list)
    # The matching ids, when the search had to fetch them anyway (the view may set it).
    ids: list[int] | None = None
    # What the text matches among all resources, unranked and unfiltered (no ORDER BY,
    # no rank), as bit sets over the facet index: see :meth:`matched_masks`.
    matches: list[Callable[[BitIndex], Masks]] = field(default_factory=list)
    # On SQLite, the text whose ranking (:func:`sqlite_ranked`) orders ``queryset``; ""
    # when it is ordered otherwise (the typo fallback's mix, a member's notes): then the
    # page cannot be sorted by :mod:`catalogue.sqlite_page`.
    ranked_by: str = ""

    @property
    def queryset(self) -> QuerySet:
        """The matches (ranked: annotated with ``rank``, when the search ranks them)."""
        if not isinstance(self.made, QuerySet):
            self.made = self.made()
        return self.made

    @queryset.setter
    def queryset(self, queryset: QuerySet) -> None:
        self.made = queryset

    def matched_masks(self, index: BitIndex) -> Masks:
        """The bit sets of every published resource the text matches, and of those whose
        title or aliases it matches (None when that is not known), in any order.

        The caller intersects them with the bit set of its base (a category, a selection):
        the page is ranked apart, for its own rows only (``ORDER BY … LIMIT``).
        """
        found, titled = 0, 0
        for fetch in self.matches:
            more, more_titled = fetch(index)
            found |= more
            titled = None if titled is None or more_titled is None else titled | more_titled
        return found, titled


# --- Ranking: names first, on every database -----------------------------------------

# What a match of the entry's own name adds to the text score (which is in [0, 1]).
NAME_EXACT = 4.0  # the title or an alias is the query ("Whisper"; "NVIDIA/NeMo" for "nemo")
NAME_PREFIX = 2.5  # the title or an alias starts with it ("wav2vec 2.0" for "wav2vec")
NAME_CONTAINS = 1.5  # the title or an alias contains it ("faster-whisper" for "whisper")
MIN_CONTAINED = 3  # shorter queries get no "contains" bonus
FEATURED = 0.3  # small: a featured entry never outranks a better name match
ACTIVE = 0.2
# Retired and archived entries sink below live matches, except when the query is their
# exact name (NAME_EXACT + SUNK still beats a mention: text scores stay below 1).
SUNK = -3.0
SUNK_STATUSES = ("retired", "archived")


def with_names(queryset: QuerySet) -> QuerySet:
    """Adds ``alias_list``: ",whisper,openai whisper," (lower case, for whole-alias tests)."""
    return queryset.alias(
        alias_list=Concat(
            Value(","),
            Replace(Lower("aliases"), Value(", "), Value(",")),
            Value(","),
            output_field=CharField(),
        )
    )


def name_of(q: str) -> str:
    """The query as a name to compare titles and aliases with: lower case, no quotes."""
    return " ".join(q.replace('"', " ").lower().split())


def ranking_extras(q: str) -> Case:
    """Name match plus standing, added to the text score (needs :func:`with_names`).

    An exact or near-exact match of the title or an alias outranks any mention in a
    description; featured and active entries get a small boost; retired and archived
    ones sink. The same expression on PostgreSQL and SQLite.
    """
    name = name_of(q)
    if name:
        exact = (
            Q(title__iexact=name)
            | Q(alias_list__contains=f",{name},")
            | Q(title__iendswith=f"/{name}")  # a repository: owner/name
            | Q(title__istartswith=f"{name} — ")  # "MMS — Massively Multilingual Speech"
        )
        prefix = Q(title__istartswith=name) | Q(alias_list__contains=f",{name}")
        # Every tier implies this test; most matches fail it, and then the CASE stops
        # there (two cheap tests per row instead of eight when ranking many matches).
        contains = Q(title__icontains=name) | Q(alias_list__contains=name)
        tiers = [
            When(~contains, then=Value(0.0)),
            When(exact, then=Value(NAME_EXACT)),
            When(prefix, then=Value(NAME_PREFIX)),
        ]
        # A short name is inside too many others ("ai" in "OpenAI", "Rev.ai", "Meta AI").
        if len(name) >= MIN_CONTAINED:
            tiers.append(When(contains, then=Value(NAME_CONTAINS)))
        names = Case(*tiers, default=Value(0.0), output_field=FloatField())
    else:
        names = Value(0.0, output_field=FloatField())
    standing = Case(
        When(status__in=SUNK_STATUSES, then=Value(SUNK)),
        When(status="active", then=Value(ACTIVE)),
        default=Value(0.0),
        output_field=FloatField(),
    ) + Case(
        When(is_featured=True, then=Value(FEATURED)),
        default=Value(0.0),
        output_field=FloatField(),
    )
    return names + standing


# --- PostgreSQL -----------------------------------------------------------------------


def build_query(q: str) -> SearchQuery | None:
    """websearch syntax (quotes, -word, or) plus prefix matching of the last word.

    A slash separates words (the vectors are built so): "openai/whisper" is two words,
    not the file path PostgreSQL's parser would see.
    """
    q = q.replace("/", " ").strip()
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


def postgres_masks(model: type[Model], query: SearchQuery) -> Callable[[BitIndex], Masks]:
    """The bit sets of what ``query`` matches: from the common words' bit sets when every
    word is common (:mod:`catalogue.word_index`), else from the ids whose vector matches,
    as one binary array value (a bitmap or sequential scan of the vectors, nothing
    ranked, sorted or turned into rows, and no Python list of ids)."""

    def fetch(index: BitIndex) -> Masks:
        if index.words:
            found = word_index.text_masks(index, query, model)
            if found is not None:
                return found
        ids = Func(ArrayAgg("pk"), function="array_send", output_field=BinaryField())
        found = model.objects.filter(search_vector=query).aggregate(ids=ids)
        return index.mask_of(word_index.ids_from_array_send(found["ids"])), None

    return fetch


def postgres_search(queryset: QuerySet, q: str) -> TextSearch:
    query = build_query(q)
    if query is None:
        return TextSearch(queryset.none())
    matched = queryset.filter(search_vector=query)
    ranked = with_names(matched).annotate(
        rank=SearchRank(F("search_vector"), query) + ranking_extras(q)
    )
    return TextSearch(ranked, query=query, matches=[postgres_masks(queryset.model, query)])


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


# --- Typos: "did you mean", the same on every database -------------------------------

SUGGEST_CUTOFF = 80  # rapidfuzz ratio (0-100): "wisper" -> "whisper" scores 92


VOCABULARY_KEY = "catalogue:search-vocabulary"
VOCABULARY_LOCK_TTL = 60
# This process's copy of the current version's words: (version, words).
_vocabulary: tuple[int, list[str]] | None = None


def vocabulary(resources: type[Model]) -> list[str]:
    """The words of published titles, aliases and topic names of ``resources`` (the
    Resource model), most frequent first.

    Names are what people mistype ("wisper", "speechbrian", "interspech"); a word of a
    description is never "corrected" into. Reading every title costs ~460 ms at 100,000
    entries, so after an edit the previous version's words keep serving (they only feed
    "did you mean") and one process rebuilds them once its response has been sent
    (stale-while-revalidate; ``cache.add`` lock). Only a request that finds none at all
    (first use, cache emptied) builds them before answering.
    """
    global _vocabulary
    version = catalogue_version()
    if _vocabulary is not None and _vocabulary[0] == version:
        return _vocabulary[1]  # this process's copy: no cache read, no unpickling
    cached = cache.get(VOCABULARY_KEY)
    if cached is None:
        return _store_vocabulary(resources, version)
    built_for, words = cached
    if built_for == version:
        _vocabulary = cached
    if built_for != version and cache.add(f"{VOCABULARY_KEY}:lock", 1, VOCABULARY_LOCK_TTL):

        def rebuild(**kwargs) -> None:
            request_finished.disconnect(rebuild, dispatch_uid=VOCABULARY_KEY)
            try:
                _store_vocabulary(resources, catalogue_version())
            finally:
                cache.delete(f"{VOCABULARY_KEY}:lock")

        request_finished.connect(rebuild, weak=False, dispatch_uid=VOCABULARY_KEY)
    return words


def _store_vocabulary(resources: type[Model], version: int) -> list[str]:
    # The models come in as an argument: catalogue.models imports this module.
    topics_model = resources.topics.field.related_model
    counts: dict[str, int] = {}
    # One query: the topic names ride along as titles without aliases.
    topics = topics_model.objects.order_by().values_list(
        "name", Value("", output_field=CharField())
    )
    titles = resources.objects.published().order_by().values_list("title", "aliases")
    rows = titles.union(topics, all=True)
    for text in (text for row in rows.iterator(chunk_size=5000) for text in row):
        for word in WORD.findall(text.lower()):
            if len(word) > 2 and not word.isdigit():
                counts[word] = counts.get(word, 0) + 1
    global _vocabulary
    words = sorted(counts, key=lambda word: (-counts[word], word))
    cache.set(VOCABULARY_KEY, (version, words), VOCABULARY_TTL)
    _vocabulary = (version, words)
    return words


def suggest(q: str, known: list[str]) -> str:
    """``q`` with each unknown word replaced by the closest catalogue word, or "".

    A word already in the vocabulary stays, and so does a last word that begins one
    (it is being typed: the prefix match finds it).
    """
    present = set(known)
    terms = words(q)
    corrected = []
    for position, word in enumerate(terms):
        last = position == len(terms) - 1
        if (
            word in present
            or len(word) < 4
            or word.isdigit()
            or (last and any(item.startswith(word) for item in known))
        ):
            corrected.append(word)
            continue
        close = process.extractOne(word, known, scorer=fuzz.ratio, score_cutoff=SUGGEST_CUTOFF)
        corrected.append(close[0] if close else word)
    suggestion = " ".join(corrected)
    return suggestion if suggestion != " ".join(terms) else ""


# --- SQLite (see search_sqlite) ------------------------------------------------------


def ids_masks(fetch: Callable[[], Sequence[int]]) -> Callable[[BitIndex], Masks]:
    """Matching ids as bit sets (titles not known)."""
    return lambda index: (index.mask_of(fetch()), None)


def sqlite_search(queryset: QuerySet, q: str) -> TextSearch:
    """FTS5 with BM25 (weighted columns, porter stemming, prefix on the last word)."""
    expression = search_sqlite.match_expression(q)
    if expression is None:
        return TextSearch(queryset.none())
    return TextSearch(
        lambda: sqlite_ranked(queryset, expression, q),
        matches=[ids_masks(search_sqlite.matching_ids(q))],
        ranked_by=q,
    )


def sqlite_ranked(queryset: QuerySet, expression: str, q: str) -> QuerySet:
    """The rows of ``queryset`` that the FTS5 ``expression`` (made from ``q``) matches,
    annotated with ``rank``: BM25 in [0, 1) plus the name tiers and standing of ``q``."""
    matched, score = search_sqlite.matched_by(queryset, expression)
    return with_names(matched).annotate(rank=score + ranking_extras(q))


def text_search(queryset: QuerySet, q: str) -> TextSearch:
    """Full-text matches of ``q``, annotated with ``rank`` (higher first)."""
    return postgres_search(queryset, q) if is_postgres() else sqlite_search(queryset, q)


def is_ranked(queryset: QuerySet) -> bool:
    """Whether ``queryset`` came from :func:`search` with a ranking (``rank``) to sort by."""
    return "rank" in queryset.query.annotations


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
    """Apply ``q`` to a resource queryset on whichever database is in use.

    The result is ranked (``rank``: the text score, names first, standing). When a word
    looks mistyped (it is not a catalogue name, see :func:`suggest`) and fewer than
    ``FALLBACK_BELOW`` entries match, the corrected query is searched too: its matches
    come first, then the few exact ones, and the page says "Did you mean ...".
    """
    result = text_search(queryset, q)
    suggestion = suggest(q, vocabulary(queryset.model))  # cached: usually no query
    if not suggestion:
        return result
    if is_postgres():
        hits = first_ids(result.queryset, FALLBACK_BELOW)
    else:
        hits = list(result.queryset.order_by().values_list("pk", flat=True)[:FALLBACK_BELOW])
    if len(hits) >= FALLBACK_BELOW:
        return result
    corrected = text_search(queryset, suggestion)
    if hits:
        # Keep the exact hits; ranked by the corrected query they come after its matches.
        either = queryset.filter(
            Q(pk__in=result.queryset.values("pk")) | Q(pk__in=corrected.queryset.values("pk"))
        )
        if is_postgres() and corrected.query is not None:
            score = SearchRank(F("search_vector"), corrected.query)
        else:
            score = search_sqlite.scored(queryset, suggestion)
        corrected.queryset = with_names(either).annotate(rank=score + ranking_extras(suggestion))
        corrected.matches = result.matches + corrected.matches
        corrected.ranked_by = ""
    corrected.suggestion = suggestion
    corrected.fuzzy = True
    return corrected


# --- Keeping the stored vectors fresh ------------------------------------------------

REFRESH_SQL = """
UPDATE catalogue_resource AS r SET search_vector =
    setweight(to_tsvector('english', translate(coalesce(r.title, ''), '/', ' ')), 'A')
 || setweight(to_tsvector('english', translate(coalesce(r.aliases, ''), '/', ' ')), 'A')
 || setweight(to_tsvector('english', coalesce((
        SELECT string_agg(t.name, ' ' ORDER BY t.name)
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
        search_sqlite.refresh(ids)
        return
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(REFRESH_SQL)
        elif ids:
            cursor.execute(
                REFRESH_SQL + " WHERE r.id = ANY(%s) OR r.organisation_id = ANY(%s)",
                [list(ids), list(ids)],
            )

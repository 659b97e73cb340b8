"""What a resource search page shows: form → text search → facets → order → page.

Used by /resources/, /categories/<slug>/ and /me/bookmarks/ (through
:func:`resource_search`). The search text is cleaned once, by :class:`SearchForm`, and
passed on; the text search is ``Resource.objects.search``; the facets are
:class:`ResourceFilter`'s (bit sets of :mod:`facet_index`, cached per version).

Queries: one for the page's rows (ordered, ``LIMIT``/``OFFSET`` in SQL) and, for the
facets, at most one for the ids the search matches, unranked (the counts come from the
bit sets; the total from the kind counts), whatever the page size, result count and
selection. Only the page's rows are ranked. On SQLite, when the results' bit set is
known, the page's ids and its rows are two queries compiled once per process
(:mod:`sqlite_page`, :func:`sqlite_facets_and_page`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from catalogue import facet_index, search, sqlite_page, word_index
from catalogue.facet_index import FacetIndex
from catalogue.filters import SORTS, ResourceFilter
from catalogue.forms import SearchForm
from catalogue.models import Resource
from catalogue.results_cache import render_results
from catalogue.search import TextSearch
from catalogue.versioning import FACETS_TTL

PAGE_SIZE = 20


# --- Form → search ----------------------------------------------------------------------


def text_search(base: QuerySet, q: str, also_matching: Callable | None = None) -> TextSearch:
    """``base`` searched for ``q``; ``also_matching(q)`` gives more ids that match (a
    member's notes on their bookmarks)."""
    text = base.search(q)
    if q and also_matching is not None:
        text.queryset = base.filter(
            Q(pk__in=text.queryset.values("pk")) | Q(pk__in=also_matching(q))
        )
        text.ids = None
        text.matches = []  # the notes' matches are not in the index: ask SQL
        text.ranked_by = ""  # ordered by the notes too, not the index's ranking alone
    return text


class TextMasks:
    """The bit sets of what a search text found within the view's base.

    When the view knows its base's bit set, the text's matches are taken unranked from
    the whole catalogue (the common words' bit sets, or one array of ids: no ranking, no
    join, no order), kept in the cache as bit sets for this text and catalogue version
    (any scope, selection, sort and page of the same text reuses them), and intersected
    with the base's bit set.
    """

    def __init__(self, q: str, text: TextSearch, base_mask: Callable) -> None:
        self.q, self.text, self.base_mask = q, text, base_mask
        self._found: tuple[int, int, int | None] | None = None  # version, matches, titled

    def _masks(self, index: FacetIndex) -> tuple[int, int | None]:
        if self._found is not None and self._found[0] == index.version:
            return self._found[1], self._found[2]
        raw = repr((self.q, search.is_postgres()))
        # Not "catalogue:matches:", whose values (one bit set) a deploy may still find.
        digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
        key = f"catalogue:text-masks:{index.version}:{digest}"
        cached = cache.get(key)
        width = (index.size + 7) // 8
        if cached is None:
            found, titled = self.text.matched_masks(index)
            # As bytes: django-redis stores an int as its decimal digits, which Python
            # refuses to write past 4,300 (a catalogue of 15,000 resources).
            stored = (found.to_bytes(width, "little"), None)
            if titled is not None:
                stored = (stored[0], titled.to_bytes(width, "little"))
            cache.set(key, stored, FACETS_TTL)
        else:
            found = int.from_bytes(cached[0], "little")
            titled = None if cached[1] is None else int.from_bytes(cached[1], "little")
        self._found = (index.version, found, titled)
        return found, titled

    def __call__(self, index: FacetIndex) -> int:
        """What the text matches within the base (the ``base_mask`` of the filters)."""
        return self._masks(index)[0] & self.base_mask(index)

    def candidates(self, index: FacetIndex, within: int) -> list[int] | None:
        """When ``within`` (the results' bit set) holds more than ``ASRHUB_SEARCH_RANK_BOUND``
        matches and the text's title matches are known: the ids the ranking orders, the
        first ``ASRHUB_SEARCH_RANK_BOUND`` of a cheap pre-order (``word_index.preorder``). None
        otherwise: then every match is ranked (in SQL, a top-N sort)."""
        titled = self._masks(index)[1]
        bound = rank_bound()
        if titled is None or within.bit_count() <= bound:
            return None
        status = index.choices.get("status", {})
        sunk = 0
        for value in search.SUNK_STATUSES:
            sunk |= status.get(value, 0)
        bits = word_index.preorder(within, titled, status.get("active", 0), sunk, bound)
        return [index.pk_of(bit) for bit in bits]


def text_masks(q: str, text: TextSearch, base_mask: Callable | None) -> Callable | None:
    """The bit set of what the search found within the base (a :class:`TextMasks`), or
    None (then the facets ask SQL for the ids of the filtered queryset)."""
    if text.ids is not None:
        ids = text.ids
        return lambda index: index.mask_of(ids)
    if base_mask is None or not text.matches:
        return None
    return TextMasks(q, text, base_mask)


class Candidates(list):
    """The ids a bounded ranking orders (see :meth:`TextMasks.candidates`)."""


def among(
    index: FacetIndex, mask: int, base_mask: Callable, sort: str, request: HttpRequest
) -> list[int] | None:
    """The ids the page is chosen among, when the results' bit set makes SQL's work
    small: all of them when they are few (the facet filters' joins and subqueries are
    in the bit set already), or the bounded candidates of a ranking with very many
    matches. None when SQL should filter and sort (few results are not at hand, or an
    order other than relevance over very many: an index walk fills the page)."""
    bound = rank_bound()
    if mask.bit_count() <= bound:
        return index.pks_of(mask)
    if sort == "relevance" and isinstance(base_mask, TextMasks) and page_end(request) <= bound:
        candidates = base_mask.candidates(index, mask)
        return None if candidates is None else Candidates(candidates)
    return None


def id_array(ids: list[int]) -> RawSQL:
    """``ids`` as one array parameter (``IN (SELECT unnest(%s))``): thousands of ids
    compile as fast as one (``pk__in=ids`` writes a placeholder each)."""
    # Written as the array's text: psycopg adapts a long list an element at a time.
    return RawSQL("SELECT unnest(%s::bigint[])", ["{" + ",".join(map(str, ids)) + "}"])


def page_end(request: HttpRequest) -> int:
    """How many results the requested page reaches (page 1 for a malformed number)."""
    try:
        number = int(request.GET.get("page") or 1)
    except ValueError:
        number = 1
    return max(number, 1) * PAGE_SIZE


def rank_bound() -> int:
    """How many matches a search ranks at most (see :meth:`TextMasks.candidates`)."""
    return settings.ASRHUB_SEARCH_RANK_BOUND


# --- Order ------------------------------------------------------------------------------


def chosen_sort(
    requested: str, q: str, ranked: bool, extra_sorts: dict, default: str
) -> tuple[str, list]:
    """The sort to apply, and a message when the requested one was not known.

    "Relevance" is offered, and the default, only when the order is a ranking: the text
    search annotated ``rank`` (not when ``q`` has no searchable word, nor when
    ``also_matching`` widened the results).
    """
    default_sort = "relevance" if ranked else default
    if (requested not in SORTS and requested not in extra_sorts) or (
        requested == "relevance" and not ranked
    ):
        quiet = not requested or (requested == "relevance" and q)
        return default_sort, [] if quiet else ["Unknown sort order; showing the default."]
    return requested, []


def ordering(results: QuerySet, sort: str, extra_sorts: dict) -> list:
    """The ``ORDER BY`` of ``sort`` (ties by title, then id)."""
    ranked = "rank" in results.query.annotations  # not when q has no searchable word
    return [
        *{
            "relevance": ["-rank", Lower("title")] if ranked else [Lower("title")],
            "curated": ["-is_featured", "-follower_count", Lower("title")],
            "followed": ["-follower_count", "-is_featured", Lower("title")],
            "title": [Lower("title")],
            "newest": ["-created_at", Lower("title")],
            "updated": ["-updated_at", Lower("title")],
            **{name: ordering for name, (_label, ordering) in extra_sorts.items()},
        }[sort],
        "pk",
    ]


def ordered(results: QuerySet, sort: str, extra_sorts: dict) -> QuerySet:
    """``results`` in ``sort`` order, with what a card shows."""
    # A moved entry's card links to its new address: one column of the target, joined.
    return (
        results.select_related("organisation")
        .annotate(moved_to_address=F("moved_to__url"))
        .order_by(*ordering(results, sort, extra_sorts))
    )


def window(results: QuerySet, sort: str, extra_sorts: dict) -> QuerySet:
    """The ids of ``results`` in ``sort`` order, and nothing else: what the database sorts
    (a top-N sort once sliced) before the page's rows are read, so the sort carries no
    wide row, no join and no snippet — only the page's rows get those."""
    return results.order_by(*ordering(results, sort, extra_sorts)).values_list("pk", flat=True)


def sort_options(ranked: bool, extra_sorts: dict) -> list[tuple[str, str]]:
    return [
        *((name, label) for name, (label, _ordering) in extra_sorts.items()),
        *((key, label) for key, label in SORTS.items() if key != "relevance" or ranked),
    ]


# --- Page -------------------------------------------------------------------------------


def paginate(request: HttpRequest, queryset, per_page: int, count: int | None = None) -> Page:
    """The requested page; a malformed number gives page 1, one past the end the last.

    Far beyond the end (more than one page past) is a 404: such links are not ours.
    A ``count`` known already (from the facets) saves the COUNT query.
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # overrides the cached_property: no COUNT query
    raw = request.GET.get("page", "1")
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
    number = max(number, 1)
    try:
        return paginator.page(number)
    except EmptyPage:
        if number > paginator.num_pages + 1:
            raise Http404("No such page.") from None
        return paginator.page(paginator.num_pages)


def total_from_kinds(facets: list[dict]) -> int:
    """Every resource has exactly one kind, so the kind counts add up to the total.

    They are disjunctive: with kinds selected, the total is the sum of those kinds.
    """
    kinds = next(facet for facet in facets if facet["name"] == "kind")
    chosen = [option for option in kinds["options"] if option["selected"]]
    return sum(option["count"] for option in (chosen or kinds["options"]))


def facets_and_page(
    request: HttpRequest,
    results: QuerySet,
    ids: QuerySet | OrderWalk,
    filterset: ResourceFilter,
    prefix: RankedPrefix | None = None,
) -> tuple[list[dict], Page]:
    """The facets (from bit sets) and the requested page of ``results``.

    The page is ordered, limited and offset in SQL (never every match ranked in Python).
    On SQLite it is one statement. On PostgreSQL only the page's ids are sorted first
    (:func:`window`: a top-N sort of narrow rows, without the joins, the wide columns and
    the snippet) — taken from the text's cached ranked prefix when it holds the page
    (:class:`RankedPrefix`) — and the rows are read by id. The total comes from the facet
    counts, so there is no COUNT query.
    """
    facets = filterset.facets()
    page = paginate(request, results, PAGE_SIZE, count=total_from_kinds(facets))
    if search.is_postgres():
        start = (page.number - 1) * PAGE_SIZE
        if isinstance(ids, OrderWalk):
            chosen = ids.page(start, start + PAGE_SIZE)
        else:
            chosen = prefix.page(filterset, start, start + PAGE_SIZE) if prefix else None
        if chosen is None:
            page.object_list = list(results.filter(pk__in=ids[start : start + PAGE_SIZE]))
        else:
            page.object_list = list(results.filter(pk__in=chosen)) if chosen else []
    # SQLite sorts the few matches of a small catalogue as fast in the one query; the
    # subquery would run the FTS5 match twice (measured: 37 ms against 22 at 1,000).
    for resource in page.object_list:
        resource.snippet_html = search.render_snippet(getattr(resource, "snippet", None))
    return facets, page


class OrderWalk:
    """The page of a large bit set of results in a plain order (title, newest, curated…):
    the published resources are read in that order along its index, a chunk at a time,
    and those in the bit set are kept until the page is full. Reads about (page end) /
    (share of the catalogue in the results) narrow rows, whatever joins the filters
    would need in SQL: the bit set holds them already."""

    def __init__(self, index: FacetIndex, mask: int, sort: str) -> None:
        self.index, self.mask, self.sort = index, mask, sort

    def page(self, start: int, stop: int) -> list[int]:
        index = self.index
        digits = bin(self.mask)[:1:-1]  # digit n is bit n
        share = self.mask.bit_count() / max(index.published.bit_count(), 1)
        chunk = int(stop / max(share, 0.001) * 1.25) + 50
        published = Resource.objects.published()
        ordered_ids = published.order_by(*ordering(published, self.sort, {})).values_list(
            "pk", flat=True
        )
        found: list[int] = []
        offset = 0
        position = index.position
        while len(found) < stop:
            ids = list(ordered_ids[offset : offset + chunk])
            for pk in ids:
                bit = pk if position is None else position.get(pk, -1)
                if 0 <= bit < len(digits) and digits[bit] == "1":
                    found.append(pk)
            if len(ids) < chunk:
                break
            offset += chunk
        return found[start:stop]


# At most this many candidates are passed to SQLite as a JSON array of ids (a few bytes
# each); a search showing more is filtered in SQL by the ORM's query.
SQLITE_CANDIDATES = 20_000


def sqlite_results_mask(filterset: ResourceFilter) -> int | None:
    """The bit set of what a SQLite search shows, when its page can be sorted by
    :mod:`sqlite_page` (the order being a plain sort or the text's own ranking): when
    the bit set is known without a query for the base's ids, and the candidates are not
    too many."""
    mask = filterset.results_mask()
    if mask is None or mask.bit_count() > SQLITE_CANDIDATES:
        return None
    return mask


def sqlite_facets_and_page(
    request: HttpRequest, filterset: ResourceFilter, mask: int, ranked_by: str, sort: str
) -> tuple[list[dict], Page]:
    """:func:`facets_and_page` on SQLite when the results' bit set ``mask`` is known.

    Two queries instead of the ORM's one, both compiled once per process: the page's ids
    among the mask's (:func:`sqlite_page.page_ids`, ranked for ``ranked_by`` when it is
    a text), then their rows. The ORM's statement cost ~3 ms of CPU to compile each time.
    """
    facets = filterset.facets()
    page = paginate(request, [], PAGE_SIZE, count=total_from_kinds(facets))
    if page.paginator.count:
        start = (page.number - 1) * PAGE_SIZE
        ids = sqlite_page.page_ids(
            facet_index.current().pks_of(mask),
            ranked_by,
            sort,
            start,
            PAGE_SIZE,
            lambda queryset, sort: ordering(queryset, sort, {}),
        )
        page.object_list = sqlite_page.rows(ids)
    for resource in page.object_list:
        resource.snippet_html = search.render_snippet(None)
    return facets, page


# Ids of a text's matches kept in order, per scope, text and sort.
RANKED_PREFIX = 1000


class RankedPrefix:
    """The first :data:`RANKED_PREFIX` ids of a search in a sort order, before any facet
    selection, cached for the catalogue version: any selection and page of the same
    search takes its page from them when enough of them pass the selection's bit set.

    Exact: keeping the members of an ordered list keeps their order, and any result not
    among the first ids ranks after all of them. When the kept ids do not reach the
    page's end (and the prefix is not every match), the page is sorted in SQL. A search
    with very many matches ranks only its bounded candidates (``bounded``, see
    :meth:`TextMasks.candidates`): that prefix is kept apart from the exact one.
    """

    def __init__(self, scope: str, q: str, sort: str, ranked: QuerySet, bounded: bool) -> None:
        raw = repr((scope, q, sort, search.is_postgres(), bounded))
        self.key = f"catalogue:ranked:{hashlib.sha256(raw.encode()).hexdigest()[:32]}"
        self.ranked = ranked

    def page(self, filterset: ResourceFilter, start: int, stop: int) -> list[int] | None:
        mask = filterset.results_mask()
        if mask is None:
            return None
        index = facet_index.current()
        key = f"{self.key}:{index.version}"
        first = cache.get(key)
        if first is None:
            first = list(self.ranked[:RANKED_PREFIX])
            cache.set(key, first, FACETS_TTL)
        kept = [pk for pk in first if index.has(mask, pk)]
        if len(kept) >= stop or len(first) < RANKED_PREFIX:
            return kept[start:stop]
        return None


# --- The whole search -------------------------------------------------------------------


def querystring_without(params: QueryDict, name: str, value: str | None = None) -> str:
    """The query string without ``page`` and without one value (or all) of ``name``."""
    pairs = [
        (key, item)
        for key, items in params.lists()
        for item in items
        if key != "page" and not (key == name and (value is None or item == value))
    ]
    return urlencode(pairs)


def chips_with_links(request: HttpRequest, chips: list[dict]) -> list[dict]:
    for chip in chips:
        query = querystring_without(request.GET, chip["facet"], chip["value"])
        chip["remove_url"] = f"{request.path}?{query}" if query else request.path
    return chips


def resource_search(
    request: HttpRequest,
    base: QuerySet,
    form: SearchForm,
    scope: str = "all",
    *,
    extra_sorts: dict | None = None,
    default: str = "curated",
    also_matching: Callable | None = None,
    base_mask: Callable | None = None,
) -> dict:
    """Everything a resource result list needs: text search, facets, sort and page.

    ``form`` holds the cleaned search text; ``extra_sorts`` maps more sort names to
    (label, ordering); ``also_matching(q)`` gives ids that match the text too (a member's
    notes); ``scope`` "" turns the facet cache off; ``base_mask(index)`` is the bit set of
    ``base``, when the view knows it (used without a search text).
    """
    q = form.text
    extra_sorts = extra_sorts or {}
    text = text_search(base, q, also_matching)
    if q:
        base_mask = text_masks(q, text, base_mask)
    # A page sorted by sqlite_page filters nothing in SQL: the filter set's queryset is
    # not used, so the text's (its ranking expression: ~1 ms to build) is not made.
    sqlite = not search.is_postgres() and not extra_sorts and (not q or bool(text.ranked_by))
    filterset = ResourceFilter(
        request.GET,
        base=base if sqlite else text.queryset,
        text=q,
        cache_scope=scope,
        base_mask=base_mask,
    )
    ranked = bool(q) and (bool(text.ranked_by) or search.is_ranked(text.queryset))
    sort, sort_messages = chosen_sort(
        request.GET.get("sort") or "", q, ranked, extra_sorts, default
    )
    sqlite_mask = sqlite_results_mask(filterset) if sqlite else None
    if sqlite_mask is not None:
        facets, page = sqlite_facets_and_page(request, filterset, sqlite_mask, text.ranked_by, sort)
    else:
        filterset.queryset = text.queryset  # what the filters apply to (and the facets)
        results = filterset.queryset_without(None)
        ranked_text = text.queryset
        mask = filterset.results_mask() if search.is_postgres() else None
        chosen = None
        if mask is not None:
            index = facet_index.current()
            chosen = among(index, mask, base_mask, sort, request)
            if chosen is not None:  # the filters are in the bit set already
                results = text.queryset.filter(pk__in=id_array(chosen))
            if isinstance(chosen, Candidates):
                everything = base_mask.candidates(index, base_mask(index))
                if everything is not None:
                    ranked_text = ranked_text.filter(pk__in=id_array(everything))
        ids = window(results, sort, extra_sorts)
        plain_order = sort not in extra_sorts and not (sort == "relevance" and ranked)
        if mask is not None and chosen is None and plain_order:
            ids = OrderWalk(index, mask, sort)  # many results in a plain order
        results = ordered(results, sort, extra_sorts)
        if q and text.query is not None and search.is_postgres():
            results = search.highlight(results, text.query)
        prefix = None
        # A few results at hand sort in SQL at once; a ranked prefix serves larger ones.
        if (
            q
            and scope
            and search.is_postgres()
            and (chosen is None or isinstance(chosen, Candidates))
        ):
            ranked_ids = window(ranked_text, sort, extra_sorts)
            prefix = RankedPrefix(
                scope, q, sort, ranked_ids, bounded=ranked_text is not text.queryset
            )
        facets, page = facets_and_page(request, results, ids, filterset, prefix)
    chips = chips_with_links(request, filterset.chips())
    return {
        "q": q,
        "filter": filterset,
        "facets": facets,
        "chips": chips,
        "page_obj": page,
        "sort": sort,
        "sorts": sort_options(ranked, extra_sorts),
        "problems": form.problems() + sort_messages + filterset.ignored_messages(),
        "suggestion": text.suggestion,
        "fuzzy": text.fuzzy,
        "is_filtered": bool(q or chips),
        "querystring_base": querystring_without(request.GET, "page"),
        "clear_url": request.path,
    }


# --- Responses --------------------------------------------------------------------------


def render_search(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """The page, or for htmx its ``#results`` partial alone."""
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, f"{template}#results", context)
    return render(request, template, context)


def render_cached_search(
    request: HttpRequest,
    template: str,
    scope: str,
    form: SearchForm,
    build: Callable[[], dict],
    page_context: Callable[[], dict] = dict,
) -> HttpResponse:
    """The page (or, for htmx, the results alone) with results from :mod:`results_cache`.

    ``build()`` gives the search context (only run when the results are not cached);
    ``page_context()`` what the page around the results needs (not run for htmx).
    """
    html = render_results(request, template, scope, build)
    if request.htmx and not request.htmx.history_restore_request:
        return HttpResponse(html)
    return render(request, template, {**page_context(), "q": form.text, "results_html": html})

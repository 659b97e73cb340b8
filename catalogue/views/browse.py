"""Browsing and searching the catalogue: resources, categories and people."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from catalogue import search
from catalogue.filters import SORTS, PersonFilter, ResourceFilter, versioned
from catalogue.models import Category, Event, Person, Resource, ResourcePerson
from catalogue.results_cache import render_results

PAGE_SIZE = 20
PEOPLE_PAGE_SIZE = 30


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


def total_from_kinds(facets: list[dict]) -> int:
    """Every resource has exactly one kind, so the kind counts add up to the total.

    They are disjunctive: with kinds selected, the total is the sum of those kinds.
    """
    kinds = next(facet for facet in facets if facet["name"] == "kind")
    chosen = [option for option in kinds["options"] if option["selected"]]
    return sum(option["count"] for option in (chosen or kinds["options"]))


def resource_search(
    request: HttpRequest,
    base: QuerySet,
    scope: str = "all",
    *,
    extra_sorts: dict | None = None,
    default: str = "title",
    also_matching=None,
    base_mask=None,
) -> dict:
    """Everything the resource list needs: text search, facets, sort and page.

    One query for the page's rows and, for the facets, at most one for the ids the
    base matches (the counts come from the bit sets of :mod:`facet_index`; the total
    from the kind counts), whatever the page size, result count and selection. When
    the search needs those ids and nothing else narrows the results, they are fetched
    in the page's order and the page's rows by id.
    ``extra_sorts`` maps more sort names to (label, ordering); ``also_matching(q)``
    gives ids that match the text too (a member's notes); ``scope`` "" turns the facet
    cache off; ``base_mask(index)`` is the bit set of ``base``, when the view knows it
    (used without a search text).
    """
    q, cut = search.normalise(request.GET.get("q"))
    messages = [f"Your search was cut to {search.MAX_QUERY_LENGTH} characters."] if cut else []
    text = search.search(base, q) if q else search.TextSearch(base)
    if q and also_matching is not None:
        text.queryset = base.filter(
            Q(pk__in=text.queryset.values("pk")) | Q(pk__in=also_matching(q))
        )
        text.ids = None
    if q:
        ids = text.ids
        base_mask = None if ids is None else lambda index: index.mask_of(ids)
    filterset = ResourceFilter(
        request.GET,
        base=text.queryset,
        cache_scope=scope,
        base_mask=base_mask,
    )
    results = filterset.queryset_without(None)

    extra_sorts = extra_sorts or {}
    sort = request.GET.get("sort") or ""
    # Search hook (issue 13): "Relevance" is offered, and the default, only when the
    # order is a ranking, i.e. the text search annotated ``rank`` (not when q has no
    # searchable word, nor when ``also_matching`` widened the results).
    ranked = bool(q) and search.is_ranked(results)
    default_sort = "relevance" if ranked else default
    if (sort not in SORTS and sort not in extra_sorts) or (sort == "relevance" and not ranked):
        if sort and not (sort == "relevance" and q):
            messages.append("Unknown sort order; showing the default.")
        sort = default_sort
    ordering = {
        "relevance": ["-rank", Lower("title")] if ranked else [Lower("title")],
        "title": [Lower("title")],
        "newest": ["-created_at", Lower("title")],
        "updated": ["-updated_at", Lower("title")],
        **{name: ordering for name, (_label, ordering) in extra_sorts.items()},
    }[sort]
    results = results.select_related("organisation").order_by(*ordering, "pk")
    if q and text.query is not None and search.is_postgres():
        results = search.highlight(results, text.query)
    ordered_ids = None
    if (
        q
        and filterset.base_mask is None
        and not filterset.has_selection()
        and filterset.cached_facets() is None
    ):
        # The facets need every id the search matches, and nothing narrows the results
        # further: fetch those ids once, already in the page's order, and the page's
        # rows by id (one pass over the matches instead of two; on PostgreSQL the
        # ranking is computed once).
        ordered_ids = list(results.values_list("pk", flat=True))
        filterset.base_mask = lambda index: index.mask_of(ordered_ids)
    facets = filterset.facets()
    if ordered_ids is None:
        page = paginate(request, results, PAGE_SIZE, count=total_from_kinds(facets))
    else:
        page = paginate(request, ordered_ids, PAGE_SIZE, count=len(ordered_ids))
        rows = {row.pk: row for row in results.filter(pk__in=page.object_list).order_by()}
        page.object_list = [rows[pk] for pk in page.object_list if pk in rows]
    for resource in page.object_list:
        resource.snippet_html = search.render_snippet(getattr(resource, "snippet", None))

    chips = chips_with_links(request, filterset.chips())
    messages += filterset.ignored_messages()
    return {
        "q": q,
        "filter": filterset,
        "facets": facets,
        "chips": chips,
        "page_obj": page,
        "sort": sort,
        "sorts": [
            *((name, label) for name, (label, _ordering) in extra_sorts.items()),
            *((key, label) for key, label in SORTS.items() if key != "relevance" or ranked),
        ],
        "problems": messages,
        "suggestion": text.suggestion,
        "fuzzy": text.fuzzy,
        "is_filtered": bool(q or chips),
        "querystring_base": querystring_without(request.GET, "page"),
        "clear_url": request.path,
    }


def render_search(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, f"{template}#results", context)
    return render(request, template, context)


def render_cached_search(
    request: HttpRequest, template: str, scope: str, build, page_context=dict
) -> HttpResponse:
    """The page (or, for htmx, the results alone) with results from :mod:`results_cache`.

    ``build()`` gives the search context (only run when the results are not cached);
    ``page_context()`` what the page around the results needs (not run for htmx).
    """
    html = render_results(request, template, scope, build)
    if request.htmx and not request.htmx.history_restore_request:
        return HttpResponse(html)
    q, _cut = search.normalise(request.GET.get("q"))
    return render(request, template, {**page_context(), "q": q, "results_html": html})


@require_safe
@vary_on_headers("HX-Request")
def resource_list(request: HttpRequest) -> HttpResponse:
    def build() -> dict:
        context = resource_search(
            request, Resource.objects.published(), base_mask=lambda index: index.published
        )
        q = context["q"]
        if q:
            # Top matching people and events, shown above the resources.
            people = PersonFilter({"q": q}).qs.select_related("affiliation")
            context["people_matches"] = list(people[:3])
            terms = search.words(q)
            condition = Q()
            for term in terms:
                condition &= Q(name__icontains=term) | Q(full_name__icontains=term)
            context["event_matches"] = list(Event.objects.published().filter(condition)[:3])
        return context

    return render_cached_search(request, "catalogue/resource_list.html", "resources", build)


@require_safe
def resource_detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = get_object_or_404(
        Resource.objects.published()
        .select_related("organisation", "moved_to")
        .prefetch_related(
            "topics",
            "categories",
            Prefetch("roles", ResourcePerson.objects.select_related("person")),
        ),
        slug=slug,
    )
    topic_ids = [topic.pk for topic in resource.topics.all()]

    def related_ids() -> list[int]:
        return list(
            Resource.objects.published()
            .filter(topics__in=topic_ids)
            .exclude(pk=resource.pk)
            .annotate(shared=Count("topics"))
            .order_by("-shared", "-is_featured", "title")
            .values_list("pk", flat=True)[:6]
        )

    ids = versioned(f"related:{resource.pk}", related_ids) if topic_ids else []
    related = sorted(
        Resource.objects.filter(pk__in=ids).select_related("organisation"),
        key=lambda item: ids.index(item.pk),
    )
    offered = (
        Resource.objects.published().filter(organisation=resource).order_by("title")
        if resource.is_organisation
        else Resource.objects.none()
    )
    context = {"resource": resource, "related": related, "offered": offered}
    return render(request, "catalogue/resource_detail.html", context)


@require_safe
def category_list(request: HttpRequest) -> HttpResponse:
    from catalogue.views.pages import categories_with_counts

    categories = versioned("category-counts", categories_with_counts)
    return render(request, "catalogue/category_list.html", {"categories": categories})


@require_safe
@vary_on_headers("HX-Request")
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    scope = f"category:{category.pk}"

    def build() -> dict:
        ids = category.self_and_descendant_ids()
        links = Resource.categories.through.objects.filter(category_id__in=ids)
        base = Resource.objects.published().filter(pk__in=links.values("resource_id"))
        return resource_search(
            request,
            base,
            scope=scope,
            base_mask=lambda index: index.categories.get(category.pk, 0),
        )

    def page_context() -> dict:
        children = list(category.children.all()) if not category.parent_id else []
        return {"category": category, "children": children}

    return render_cached_search(
        request,
        "catalogue/category_detail.html",
        scope,
        build,
        page_context,
    )


@require_safe
@vary_on_headers("HX-Request")
def person_list(request: HttpRequest) -> HttpResponse:
    q, cut = search.normalise(request.GET.get("q"))
    data = request.GET.copy()
    data["q"] = q
    filterset = PersonFilter(data)
    people = filterset.queryset_without(None).select_related("affiliation").order_by("name", "pk")
    page = paginate(request, people, PEOPLE_PAGE_SIZE)
    problems = [f"Your search was cut to {search.MAX_QUERY_LENGTH} characters."] if cut else []
    context = {
        "q": q,
        "filter": filterset,
        "facets": filterset.facets(),
        "chips": chips_with_links(request, filterset.chips()),
        "page_obj": page,
        "problems": problems + filterset.ignored_messages(),
        "is_filtered": bool(q or filterset.chips()),
        "querystring_base": querystring_without(request.GET, "page"),
        "clear_url": request.path,
    }
    return render_search(request, "catalogue/person_list.html", context)


@require_safe
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.published()
        .select_related("affiliation")
        .prefetch_related(
            "topics",
            Prefetch(
                "roles",
                ResourcePerson.objects.filter(resource__is_published=True).select_related(
                    "resource"
                ),
            ),
        ),
        slug=slug,
    )
    return render(request, "catalogue/person_detail.html", {"person": person})

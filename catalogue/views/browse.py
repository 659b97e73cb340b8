"""Browsing and searching the catalogue: resources, categories and people."""

from __future__ import annotations

from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from catalogue import search
from catalogue.filters import PersonFilter, people_matching
from catalogue.forms import SearchForm
from catalogue.models import Category, Event, Person, Resource, ResourcePerson
from catalogue.results import (
    chips_with_links,
    paginate,
    querystring_without,
    render_cached_search,
    render_search,
    resource_search,
)
from catalogue.versioning import versioned
from catalogue.views.pages import categories_with_counts

PEOPLE_PAGE_SIZE = 30


@require_safe
@vary_on_headers("HX-Request")
def resource_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)

    def build() -> dict:
        context = resource_search(
            request, Resource.objects.published(), form, base_mask=lambda index: index.published
        )
        q = context["q"]
        if q:
            # Top matching people and events, shown above the resources: their names and
            # links only (the columns they need; no join for a person's affiliation).
            people = people_matching(Person.objects.published(), q).only("name", "slug")
            context["people_matches"] = list(people[:3])
            matching = search.every_word(search.words(q), "name__icontains", "full_name__icontains")
            events = Event.objects.published().filter(matching).only("name", "slug")
            context["event_matches"] = list(events[:3])
        return context

    return render_cached_search(request, "catalogue/resource_list.html", "resources", form, build)


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
    categories = versioned("category-counts", categories_with_counts)
    return render(request, "catalogue/category_list.html", {"categories": categories})


@require_safe
@vary_on_headers("HX-Request")
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    scope = f"category:{category.pk}"
    form = SearchForm(request.GET)

    def build() -> dict:
        ids = category.self_and_descendant_ids()
        links = Resource.categories.through.objects.filter(category_id__in=ids)
        base = Resource.objects.published().filter(pk__in=links.values("resource_id"))
        return resource_search(
            request,
            base,
            form,
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
        form,
        build,
        page_context,
    )


@require_safe
@vary_on_headers("HX-Request")
def person_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    q = form.text
    data = request.GET.copy()
    data["q"] = q
    filterset = PersonFilter(data)
    people = filterset.queryset_without(None).select_related("affiliation").order_by("name", "pk")
    page = paginate(request, people, PEOPLE_PAGE_SIZE)
    context = {
        "q": q,
        "filter": filterset,
        "facets": filterset.facets(),
        "chips": chips_with_links(request, filterset.chips()),
        "page_obj": page,
        "problems": form.problems() + filterset.ignored_messages(),
        "is_filtered": bool(q or filterset.chips()),
        "querystring_base": querystring_without(request.GET, "page"),
        "clear_url": request.path,
    }
    return render_search(request, "catalogue/person_list.html", context)


@require_safe
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person.objects.published().for_page(), slug=slug)
    return render(request, "catalogue/person_detail.html", {"person": person})

"""Browsing the catalogue: resources, categories and people."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from catalogue.models import Category, Person, Resource, ResourcePerson


@require_safe
def resource_list(request: HttpRequest) -> HttpResponse:
    resources = Resource.objects.published().select_related("organisation")
    page = Paginator(resources, 25).get_page(request.GET.get("page"))
    return render(request, "catalogue/resource_list.html", {"page_obj": page})


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
    return render(request, "catalogue/resource_detail.html", {"resource": resource})


@require_safe
def category_list(request: HttpRequest) -> HttpResponse:
    from catalogue.views.pages import categories_with_counts

    return render(request, "catalogue/category_list.html", {"categories": categories_with_counts()})


@require_safe
def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    resources = (
        Resource.objects.published()
        .filter(categories__in=category.self_and_descendant_ids())
        .distinct()
    )
    page = Paginator(resources, 25).get_page(request.GET.get("page"))
    return render(
        request, "catalogue/category_detail.html", {"category": category, "page_obj": page}
    )


@require_safe
def person_list(request: HttpRequest) -> HttpResponse:
    people = Person.objects.published().select_related("affiliation")
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "catalogue/person_list.html", {"page_obj": page})


@require_safe
def person_detail(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.published()
        .select_related("affiliation")
        .prefetch_related(
            "topics", Prefetch("roles", ResourcePerson.objects.select_related("resource"))
        ),
        slug=slug,
    )
    return render(request, "catalogue/person_detail.html", {"person": person})

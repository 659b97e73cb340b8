"""The page of ``/resources/`` results as the search computes it, and the same page as a
plain ORDER BY over every match gives it: what the ranking tests compare."""

from __future__ import annotations

from django.test import RequestFactory

from catalogue import results
from catalogue.filters import ResourceFilter
from catalogue.forms import SearchForm
from catalogue.models import Resource


def search_page(url: str) -> tuple[list[int], int]:
    """The ids on the page of results for ``url`` (a ``/resources/`` address with its
    query) and the number of results, as the search of the page computes them."""
    request = RequestFactory().get(url)
    context = results.resource_search(
        request,
        Resource.objects.published(),
        SearchForm(request.GET),
        scope="resources",
        base_mask=lambda index: index.published,
    )
    page = context["page_obj"]
    return [r.pk for r in page.object_list], page.paginator.count


def sql_page(url: str) -> tuple[list[int], int]:
    """The same page and number as a plain ORDER BY over every published match gives
    them, counted in SQL."""
    request = RequestFactory().get(url)
    text = Resource.objects.published().search(SearchForm(request.GET).text)
    filterset = ResourceFilter(request.GET, base=text.queryset, text="x")
    sort = request.GET.get("sort") or ("relevance" if request.GET.get("q") else "curated")
    ordered = list(results.window(filterset.queryset_without(None), sort, {}))
    start = (int(request.GET.get("page", "1")) - 1) * results.PAGE_SIZE
    return ordered[start : start + results.PAGE_SIZE], len(ordered)

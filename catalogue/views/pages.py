"""Site-wide pages: the home page and the health check."""

from django.db import connection
from django.db.models import Count
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from catalogue.filters import versioned
from catalogue.models import Category, Deadline, Edition, Resource


def categories_with_counts() -> list[Category]:
    """Top-level categories with their children and published-resource counts.

    A parent's count is of distinct resources in it or any of its children, so
    a resource filed under both a parent and its child counts once.
    Three queries whatever the size of the catalogue.
    """
    links = Resource.categories.through.objects.filter(resource__is_published=True)
    own = dict(
        links.values("category_id")
        .annotate(n=Count("resource_id", distinct=True))
        .values_list("category_id", "n")
    )
    tree = dict(
        links.annotate(top=Coalesce("category__parent_id", "category_id"))
        .values("top")
        .annotate(n=Count("resource_id", distinct=True))
        .values_list("top", "n")
    )
    categories = list(Category.objects.all())
    children: dict[int, list[Category]] = {}
    for category in categories:
        category.count = own.get(category.pk, 0)
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
    top = [c for c in categories if not c.parent_id]
    for category in top:
        category.child_list = children.get(category.pk, [])
        category.count = tree.get(category.pk, 0)
    return top


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    today = now.date()
    published_deadlines = Deadline.objects.filter(edition__event__is_published=True).select_related(
        "edition__event"
    )
    # One query for both lists: editions not over yet, split into running and coming.
    editions = list(
        Edition.objects.filter(event__is_published=True).select_related("event").upcoming(today)[:8]
    )
    deadlines = list(published_deadlines.upcoming(now)[:3])
    context = {
        "happening": [edition for edition in editions if edition.start_date <= today][:4],
        "coming": [edition for edition in editions if edition.start_date > today][:4],
        # With few deadlines ahead, say plainly which one just passed.
        "just_passed": published_deadlines.just_passed(now).first() if len(deadlines) < 3 else None,
        "categories": versioned("category-counts", categories_with_counts),
        "newest": Resource.objects.published()
        .select_related("organisation")
        .order_by("-created_at", "title")[:8],
        "deadlines": deadlines,
        "resource_count": versioned("published-count", Resource.objects.published().count),
    }
    return render(request, "catalogue/home.html", context)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: the hashed name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))

"""Site-wide pages: the home page and the health check."""

import logging

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_redis import get_redis_connection
from redis.exceptions import RedisError

from catalogue.models import Category, Deadline, Edition, Resource
from catalogue.versioning import versioned

logger = logging.getLogger(__name__)


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


def cache_health() -> str:
    """ "ok" when the Redis cache answers, "down" when it does not (pages then come from the
    database, only slower), "in-process" for the local-memory cache."""
    if settings.CACHES["default"]["BACKEND"] != "django_redis.cache.RedisCache":
        return "in-process"
    try:
        get_redis_connection("default").ping()
    except (RedisError, OSError):
        logger.warning("Health check: the cache server does not answer.")
        return "down"
    return "ok"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 after a database round trip; "degraded" (still 200: the site works without the
    cache, so the load balancer keeps sending requests) when Redis does not answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    cache = cache_health()
    return JsonResponse({"status": "degraded" if cache == "down" else "ok", "cache": cache})


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: the hashed name exists only after collectstatic.
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))

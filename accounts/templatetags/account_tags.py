"""Template tags for members' controls: what the member saved, follows and can add to."""

from __future__ import annotations

from django import template
from django.db.models import Count
from django.utils.safestring import SafeString

from accounts.models import StarterPack
from catalogue import fragments
from catalogue.models import FeedEntry

register = template.Library()


@register.simple_tag(takes_context=True)
def entry_actions(context, obj) -> SafeString:
    return fragments.entry_actions(context["request"], obj)


@register.simple_tag
def packs_containing(resource) -> list:
    """Public packs that contain ``resource``, featured first (one query)."""
    return list(
        StarterPack.objects.public()
        .containing(resource)
        .select_related("owner")
        .order_by("-is_featured", "title")[:10]
    )


@register.simple_tag
def featured_packs(limit: int = 6) -> list:
    return list(
        StarterPack.objects.featured()
        .select_related("owner")
        .annotate(n=Count("items"))
        .order_by("title")[:limit]
    )


@register.simple_tag(takes_context=True)
def is_following(context, resource) -> bool:
    """Whether the member follows ``resource``; one query per request."""
    request = context.get("request")
    return resource.pk in fragments.followed_ids(request)


@register.simple_tag
def latest_entries(resource, limit: int = 5) -> list:
    return list(FeedEntry.objects.filter(resource=resource).newest()[:limit])
